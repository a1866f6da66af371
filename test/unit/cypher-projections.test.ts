import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';

/**
 * A source's text can be megabytes. Copying it out of Neo4j with every claim that cites the source (`{.*}` on
 * a Source) filled the heap of the database and crashed it (#13). Every `{.*}` projection in our Cypher must
 * be of a variable bound with a label that is not Source; sources are projected with SOURCE_PROPERTIES.
 */

/** `{.*}` projections that are not of a label-bound variable, each with the reason it cannot be a Source. */
const ALLOWED: Record<string, string> = {
  // VISIBLE_ATTRIBUTION's agent projection: the agent is bound as (…Ag:Actor).
  'src/graph/queries/fragments.ts ${a}': 'an Actor bound by VISIBLE_ATTRIBUTION',
  // CLAIM_DETAILS's contract: `c` is bound to a Claim by every statement that embeds it.
  'src/graph/queries/fragments.ts c': "a Claim by the fragment's contract",
  // The match candidates: kept only WHERE c:Entity.
  'src/graph/queries/identity.ts c': 'filtered by c:Entity',
  // entityByIdentifier: yielded by the full-text index entity_identifier_keys, which holds Entity nodes only.
  'src/graph/queries/identity.ts held': 'an Entity of the index entity_identifier_keys',
  // The event listings: EVENT_MATCH binds e as (e:Event) in every anchor.
  'src/graph/queries/listing.ts e': 'bound by EVENT_MATCH to an Event',
  // nodeProjection's ELSE branch: the CASE takes SOURCE_PROPERTIES for sources.
  'src/graph/queries/fragments.ts ${v}': 'guarded by CASE WHEN ${v}:Source',
  // nodesById's ELSE branch: the CASE takes SOURCE_PROPERTIES for sources.
  'src/graph/queries/records.ts n': 'guarded by CASE WHEN n:Source',
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'generated' ? [] : tsFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

function escape(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The lines of the top-level declaration (const / function) that holds line `line` (1-based). */
function declarationAround(text: string, line: number): string {
  const lines = text.split('\n');
  const top = /^(export )?(const|function|async function) /;
  let from = line - 1;
  while (from > 0 && !top.test(lines[from]!)) from -= 1;
  let to = line;
  while (to < lines.length && !top.test(lines[to]!)) to += 1;
  return lines.slice(from, to).join('\n');
}

const files = tsFiles(path.join(projectRoot, 'src'));

describe('Cypher projections', () => {
  it('finds the statements to check', () => {
    const projections = files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\{\s*\.\*/g)]);
    expect(projections.length).toBeGreaterThan(20);
  });

  it.each(files.map((f) => [path.relative(projectRoot, f), f]))(
    '%s never projects a Source with {.*}',
    (rel, file) => {
      const text = readFileSync(file, 'utf8');
      const offenders: string[] = [];
      for (const m of text.matchAll(/([\w${}]+)\s*\{\s*\.\*/g)) {
        const v = m[1]!;
        if (ALLOWED[`${rel} ${v}`]) continue;
        const e = escape(v);
        const line = text.slice(0, m.index).split('\n').length;
        const scope = declarationAround(text, line);
        // Bound in the same declaration with a label expression that does not name Source.
        // ...or guarded by a CASE WHEN v:Label.
        const labels = [...scope.matchAll(new RegExp(`(?:\\(|WHEN )${e}:([\\w|&!\${}]+)`, 'g'))].map(
          (b) => b[1]!,
        );
        if (!labels.length) offenders.push(`${v} (line ${line}): not bound with a label`);
        else if (labels.some((l) => /\bSource\b/.test(l)) || new RegExp(`${e}:Source\\b`).test(scope)) {
          offenders.push(`${v} (line ${line}): may be a Source (bound as ${labels.join(', ')})`);
        }
      }
      expect(offenders).toEqual([]);
    },
  );
});
