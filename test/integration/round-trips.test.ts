import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * The no-N+1 bound: realistic investigator questions, each answered with at most one Cypher round trip
 * per root field (the executor counts every statement; development responses report the count).
 */
const QUERIES: [string, string, number][] = [
  [
    'a record by id',
    `{ node(id: "ev-amnesty-decree-2022") { id ... on Event { name type date { value precision } } } }`,
    1,
  ],
  [
    'an event by id with its evidence: claims, exact excerpts, sources, attribution, conflicts',
    `{ node(id: "ev-amnesty-releases-2022") { id ... on Event { name claims { summary status
        excerpts { exact start end source { title sha256 publisher { name } } } attribution { hop agent { name } }
        conflicts { id } figure { value } } } } }`,
    1,
  ],
  [
    'several records by id',
    `{ nodes(ids: ["pl-daraa", "ac-sohr", "cl-f4-released-1168"]) { id ... on Entity { name } } }`,
    1,
  ],
  [
    'events in a place with who was involved',
    `{ events(filter: { placeId: "pl-syria" }, first: 10) { totalCount edges { dateMatch node {
        name date { value precision } involvements { role from { name } } } } } }`,
    1,
  ],
  [
    'events with their evidence',
    `{ events(filter: { types: [amnesty_decree] }) { edges { node { name
        claims { summary excerpts { exact start end source { title sha256 } } attribution { hop agent { name } } } } } } }`,
    1,
  ],
  [
    'events with involvements and the claims behind them',
    `{ events(filter: { actorId: "ac-regime-security-services" }) { edges { node { name
        involvements { role from { name } claims { summary excerpts { exact } } } } } } }`,
    1,
  ],
  [
    'actors with their relations',
    `{ actors(first: 50) { edges { node { name relations { type role from { name } to { name } } } } } }`,
    1,
  ],
  [
    'places inside Syria',
    `{ places(filter: { withinId: "pl-syria" }) { totalCount edges { node { name aliases { value lang } } } } }`,
    1,
  ],
  [
    'sources with publisher',
    `{ sources { edges { node { title published { value precision } publisher { name } } } } }`,
    1,
  ],
  [
    'the timeline',
    `{ timeline { truncated entries { earliest latest precision uncertain event { name type } } } }`,
    1,
  ],
  [
    'search',
    `{ search(query: "Daraa") { totalCount edges { node { score kind matched node { id ... on Place { name } } } } } }`,
    1,
  ],
  [
    'a neighbourhood with the evidence on every edge',
    `{ neighborhood(id: "ev-amnesty-decree-2022", depth: 2, limit: 50) { truncated
        nodes { id label kind } edges { source target label claims { summary excerpts { exact } } } } }`,
    1,
  ],
  [
    'a path with the claims per hop',
    `{ paths(from: "ac-iranian-prison-supervisors", to: "fg-f15-deaths-105000") { length
        nodes { id } hops { type claims { summary excerpts { exact } } } } }`,
    1,
  ],
  [
    'provenance of the decree',
    `{ provenance(id: "ev-amnesty-decree-2022") { kind label
        claims { summary status excerpts { exact start end prefix suffix source { title } } attribution { hop agent { name } } subject { name } }
        sources { title sha256 published { value precision } publisher { name } reliability } } }`,
    1,
  ],
  [
    'conflicts side by side',
    `{ conflicts(first: 10) { totalCount edges { node { property subject { name }
        claims { summary figure { value qualifier } excerpts { exact } sources { title } } } } } }`,
    1,
  ],
  [
    'release counts for the decree by source and window',
    `{ statistics(filter: { subjectIds: ["ev-amnesty-decree-2022"], measures: ["people_released"] }) {
        measure subgroup disputed subject { name }
        figures { figure { value qualifier text } sources { title } periodStart { value } asOf { value precision } } } }`,
    1,
  ],
  [
    'three root fields in one request',
    `{ events(first: 5) { edges { node { name } } }
       search(query: "ريف دمشق") { edges { node { matched } } }
       provenance(id: "pl-rif-dimashq") { claims { summary excerpts { exact } } } }`,
    3,
  ],
];

describe('database round trips per request', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it.each(QUERIES)('%s', async (_name, query, bound) => {
    const res = await app.graphql(query);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    expect(res.data).toBeTruthy();
    expect(res.extensions?.roundTrips).toBeLessThanOrEqual(bound);
    expect(res.extensions?.roundTrips).toBeGreaterThanOrEqual(1);
  });

  it('answers node(id) with claims in one statement, with the same evidence as the batched loaders', async () => {
    const selection = `id ... on Entity { name claims { id summary status excerpts { exact start end source { id sha256 } }
      attribution { hop agent { id } } subject { id } object { id } conflicts { id } figure { id value } } }`;
    for (const id of ['ev-amnesty-releases-2022', 'ac-sohr', 'pl-rif-dimashq']) {
      const one = await app.graphql<{ node: unknown }>(`{ node(id: "${id}") { ${selection} } }`);
      // nodes(ids) resolves claims level by level through the DataLoaders.
      const batched = await app.graphql<{ nodes: unknown[] }>(`{ nodes(ids: ["${id}"]) { ${selection} } }`);
      expect(one.extensions?.roundTrips).toBe(1);
      expect(batched.extensions?.roundTrips).toBeGreaterThan(1);
      expect(one.data!.node).toEqual(batched.data!.nodes[0]);
    }
  });
});
