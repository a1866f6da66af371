import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  parse,
  separateOperations,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { documentCost } from '../../src/cost.js';
import { ASSUMED_LIST_SIZES, DOCUMENT_LIMITS, PAGES, PAGE_ITEM_LISTS } from '../../src/limits.js';
import { projectRoot } from '../../src/paths.js';
import { loadTypeDefs } from '../../src/server.js';

/**
 * The cost of a document multiplies by list sizes (#13): a walk that fans out through unpaged lists is
 * refused before execution, while the explorer's own requests and ordinary investigator queries pass.
 */
const schema = buildSchema(loadTypeDefs());
const cost = (query: string, variables: Record<string, unknown> = {}) =>
  documentCost(schema, parse(query), variables, undefined);

describe('query cost', () => {
  it('knows the size of every list in the schema (a page argument, first, or a declared bound)', () => {
    const unknown: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        if (!isListType(getNullableType(field.type))) continue;
        const known =
          coordinate in PAGES ||
          field.args.some((a) => a.name === 'first') ||
          PAGE_ITEM_LISTS.has(coordinate) ||
          coordinate in ASSUMED_LIST_SIZES;
        if (!known) unknown.push(coordinate);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('refuses the fan-out walk of the review: ten aliases through relations and involvements', () => {
    const walk = `node(id: "ac-hub") { ... on Actor { relations { to { ... on Event { involvements {
      from { ... on Actor { relations { id } } } } } } } } }`;
    const ten = `{ ${Array.from({ length: 10 }, (_, i) => `a${i}: ${walk}`).join(' ')} }`;
    expect(cost(ten)).toBeGreaterThan(DOCUMENT_LIMITS.maxCost);
    // One copy alone may hold at most 50 × 50 × 50 relations (each list errs rather than grow past 50).
    expect(cost(`{ ${walk} }`)).toBeLessThan(DOCUMENT_LIMITS.maxCost);
    // Asked for 500 at each level, it is refused.
    expect(cost(`{ ${walk.replace(/(relations|involvements)/g, '$1(first: 500)')} }`)).toBeGreaterThan(
      DOCUMENT_LIMITS.maxCost,
    );
    // With small pages the same walk is cheap.
    const small = `{ node(id: "ac-hub") { ... on Actor { relations(first: 10) { to { ... on Event {
      involvements(first: 10) { from { ... on Actor { relations(first: 10) { id } } } } } } } } } }`;
    expect(cost(small)).toBeLessThan(DOCUMENT_LIMITS.maxCost);
  });

  it('multiplies by page arguments given as variables', () => {
    const q = 'query($n: Int) { events(first: $n) { edges { node { id claims { id } } } } }';
    expect(cost(q, { n: 1 })).toBeLessThan(cost(q, { n: 50 }));
    expect(cost(q, { n: 100 })).toBeGreaterThan(90 * cost(q, { n: 1 }));
    // nodes(ids) counts the ids given.
    const nodes = (n: number) =>
      cost(`{ nodes(ids: [${Array.from({ length: n }, (_, i) => `"x${i}"`).join(',')}]) { id } }`);
    expect(nodes(50)).toBeGreaterThan(nodes(5));
  });

  it("lets every operation of the explorer through at the explorer's largest settings", () => {
    const doc = parse(readFileSync(path.join(projectRoot, 'web/src/operations.graphql'), 'utf8'));
    const largest = { first: 50, limit: 500, depth: 3, maxLength: 6, kinds: null, query: 'x', id: 'x' };
    const costs = Object.entries(separateOperations(doc)).map(([name, op]) => [
      name,
      documentCost(schema, op, { ...largest, from: 'a', to: 'b' }, name),
    ]);
    for (const [name, c] of costs) expect(c, `${name} costs ${c}`).toBeLessThan(DOCUMENT_LIMITS.maxCost);
  });
});
