import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, Kind, parse, validate, visit, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schemaDir } from '../../src/paths.js';
import { operationName } from '../../web/src/api.js';
import * as generated from '../../web/src/generated/graphql.js';

/**
 * The explorer's requests are the documents GraphQL Code Generator makes of web/src/operations.graphql
 * (`npm run codegen`): each must hold its operation and exactly the fragments it uses, so requests stay
 * small, and must be valid against the schema the server serves.
 */
const schema = buildSchema(
  readdirSync(schemaDir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(path.join(schemaDir, f), 'utf8'))
    .join('\n'),
);

const documents = Object.entries(generated)
  .filter(([name]) => name.endsWith('Document'))
  .map(([name, doc]) => [name, String(doc)] as const);

/** Fragments an operation spreads, directly or through other fragments. */
function fragmentsUsed(doc: DocumentNode): Set<string> {
  const defs = new Map(
    doc.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  const used = new Set<string>();
  const walk = (node: Parameters<typeof visit>[0]) =>
    visit(node, {
      FragmentSpread(s) {
        if (used.has(s.name.value)) return;
        used.add(s.name.value);
        const def = defs.get(s.name.value);
        if (def) walk(def);
      },
    });
  for (const d of doc.definitions) if (d.kind === Kind.OPERATION_DEFINITION) walk(d);
  return used;
}

describe('explorer documents', () => {
  it('are generated for every operation of operations.graphql', () => {
    const source = readFileSync(path.join(import.meta.dirname, '../../web/src/operations.graphql'), 'utf8');
    const operations = [...source.matchAll(/^query (\w+)/gm)].map((m) => `${m[1]}Document`);
    expect(operations.length).toBeGreaterThan(4);
    expect(documents.map(([name]) => name).sort()).toEqual(operations.sort());
  });

  it.each(documents)(
    '%s: one operation, only the fragments it uses, valid against the schema',
    (name, text) => {
      const doc = parse(text);
      const operations = doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
      expect(operations).toHaveLength(1);
      const fragments = doc.definitions.flatMap((d) =>
        d.kind === Kind.FRAGMENT_DEFINITION ? [d.name.value] : [],
      );
      expect(new Set(fragments)).toEqual(fragmentsUsed(doc));
      expect(validate(schema, doc)).toEqual([]);
      expect(operationName(text)).toBe(name.replace(/Document$/, ''));
    },
  );

  it('keep the small requests small', () => {
    expect(String(generated.ViewerDocument)).not.toContain('fragment');
    expect(String(generated.NeighborhoodDocument)).not.toContain('ClaimParts');
    expect(String(generated.ProvenanceDocument)).toContain('fragment ClaimParts');
  });
});

describe('operationName', () => {
  it('names the operation, not a fragment', () => {
    expect(operationName('fragment A on B { id }\nquery Q($id: ID!) { node(id: $id) { ...A } }')).toBe('Q');
    expect(operationName('\n    mutation M { x }')).toBe('M');
    expect(operationName('{ viewer { role } }')).toBeUndefined();
  });
});
