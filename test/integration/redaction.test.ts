import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, print, separateOperations } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { sha256 } from '../../src/model/text.js';
import { loadBundle } from '../../src/services/bundles.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { uniq, writeBundle } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';

/**
 * Restricted and confidential records are invisible to anonymous callers and viewers on every read path;
 * analysts see restricted ones, admins everything. Each hidden record carries a marker word in its name
 * or text, and no response to a caller without clearance may contain it.
 */
const u = uniq();
const RESTRICTED = `RESTRICTEDMARK${u}`;
const CONFIDENTIAL = `CONFIDENTIALMARK${u}`;
const PUBLIC_TEXT = `Public report ${u}: detainees were released from the prison. An officer was named by a witness.`;
const SECRET_TEXT = `Witness statement ${u} ${RESTRICTED}: the officer ordered the transfer.`;

const ids = {
  pub: `src-t${u}-pub`,
  secretSource: `src-t${u}-sec`,
  event: `ev-t${u}`,
  publicActor: `ac-t${u}-pub`,
  restrictedActor: `ac-t${u}-res`,
  confidentialPlace: `pl-t${u}-conf`,
  publicClaim: `cl-t${u}-pub`,
  restrictedClaim: `cl-t${u}-res`,
  claimOnSecretSource: `cl-t${u}-secsrc`,
  involvementOfRestricted: `cl-t${u}-inv`,
  confidentialPlaceClaim: `cl-t${u}-conf`,
  restrictedFigure: `cl-t${u}-fig`,
};

function bundle() {
  return {
    format: 'hrkg-bundle/1',
    recordedBy: 'test',
    recordedAt: '2026-11-25T10:00:00Z',
    sources: [
      {
        id: ids.pub,
        text: PUBLIC_TEXT,
        sha256: sha256(PUBLIC_TEXT),
        title: `Report ${u}`,
        language: 'en',
        publisher: ids.publicActor,
      },
      {
        id: ids.secretSource,
        text: SECRET_TEXT,
        sha256: sha256(SECRET_TEXT),
        title: `Statement ${RESTRICTED}`,
        language: 'en',
        sensitivity: 'restricted',
        publisher: ids.publicActor,
      },
    ],
    actors: [
      { id: ids.publicActor, type: 'public_body', name: `Prison administration ${u}` },
      { id: ids.restrictedActor, type: 'person', name: `Officer ${RESTRICTED}`, sensitivity: 'restricted' },
    ],
    places: [
      {
        id: ids.confidentialPlace,
        type: 'facility',
        name: `Safe house ${CONFIDENTIAL}`,
        sensitivity: 'confidential',
      },
    ],
    events: [
      {
        id: ids.event,
        type: 'release_batch',
        name: `Release ${u}`,
        date: { precision: 'month', value: '2022-05' },
      },
    ],
    claims: [
      {
        id: ids.publicClaim,
        subject: ids.event,
        summary: `Detainees released ${u}`,
        source: ids.pub,
        quotes: ['detainees were released from the prison'],
      },
      {
        id: ids.restrictedClaim,
        subject: ids.event,
        summary: `Named by a witness: ${RESTRICTED}`,
        source: ids.pub,
        quotes: ['An officer was named by a witness'],
        sensitivity: 'restricted',
      },
      {
        id: ids.claimOnSecretSource,
        subject: ids.event,
        summary: `A transfer was ordered ${u}`,
        source: ids.secretSource,
        quotes: ['the officer ordered the transfer'],
      },
      {
        id: ids.involvementOfRestricted,
        subject: ids.restrictedActor,
        summary: `The officer implemented the release ${u}`,
        relation: { type: 'INVOLVED_IN', object: ids.event, role: 'implementer' },
        source: ids.pub,
        quotes: [`Public report ${u}`],
      },
      {
        id: ids.confidentialPlaceClaim,
        subject: ids.event,
        summary: `Released near the safe house ${u}`,
        relation: { type: 'OCCURRED_IN', object: ids.confidentialPlace },
        source: ids.pub,
        quotes: ['released from the prison'],
      },
      {
        id: ids.restrictedFigure,
        subject: ids.event,
        summary: `Twelve released ${RESTRICTED}`,
        figure: {
          measure: 'people_released',
          value: 12,
          qualifier: 'exact',
          unit: 'people',
          text: RESTRICTED,
        },
        source: ids.pub,
        quotes: ['detainees were released'],
        sensitivity: 'restricted',
      },
    ],
  };
}

/** Every read path, as a GraphQL document selecting everything that could carry a hidden record. */
const CLAIM = `id summary excerpts { exact source { id title text } } sources { title } attribution { agent { name } }
  subject { id name } object { id name } conflicts { id summary } figure { text value }`;
const ENTITY = `id ... on Entity { name claims { ${CLAIM} } relations { id from { name } to { name } claims { summary } }
  figures { text value claims { summary } } } ... on Event { involvements { from { name } } }`;
const READ_PATHS: [string, string][] = [
  ['node (event)', `{ node(id: "${ids.event}") { ${ENTITY} } }`],
  [
    'node (hidden ids)',
    `{ nodes(ids: ["${ids.restrictedActor}", "${ids.confidentialPlace}", "${ids.restrictedClaim}", "${ids.secretSource}", "fg-t${u}-fig"]) { id } }`,
  ],
  ['search', `{ search(query: "${RESTRICTED}") { totalCount edges { node { matched node { id } } } } }`],
  [
    'search (confidential)',
    `{ search(query: "${CONFIDENTIAL}") { totalCount edges { node { matched node { id } } } } }`,
  ],
  ['events', `{ events(filter: { sourceId: "${ids.pub}" }) { totalCount edges { node { ${ENTITY} } } } }`],
  [
    'events by hidden actor',
    `{ events(filter: { actorId: "${ids.restrictedActor}" }) { edges { node { id name } } } }`,
  ],
  [
    'actors',
    `{ actors(filter: { namePrefix: "Officer" }, first: 100) { totalCount edges { node { name } } } }`,
  ],
  [
    'places',
    `{ places(filter: { namePrefix: "Safe house" }, first: 100) { totalCount edges { node { name } } } }`,
  ],
  // Filtered to this fixture's publisher: the shared test database holds many other sources.
  [
    'sources',
    `{ sources(first: 100, filter: { publisherId: "${ids.publicActor}" }) { edges { node { id title text } } } }`,
  ],
  [
    'timeline',
    `{ timeline(first: 50, filter: { sourceId: "${ids.pub}" }) { entries { event { ${ENTITY} } } } }`,
  ],
  [
    'neighborhood',
    `{ neighborhood(id: "${ids.event}", depth: 3) { nodes { id label node { id } } edges { label claims { ${CLAIM} } } } }`,
  ],
  [
    'paths',
    `{ paths(from: "${ids.event}", to: "${ids.restrictedActor}") { nodes { id } hops { claims { summary } } } }`,
  ],
  [
    'provenance',
    `{ provenance(id: "${ids.event}") { label claims { ${CLAIM} } sources { id title text } } }`,
  ],
  ['provenance (hidden)', `{ provenance(id: "${ids.restrictedActor}") { label claims { summary } } }`],
  ['conflicts', `{ conflicts(subjectId: "${ids.event}") { edges { node { claims { ${CLAIM} } } } } }`],
  [
    'statistics',
    `{ statistics(filter: { subjectIds: ["${ids.event}"] }) { figures { figure { text value } sources { title } } } }`,
  ],
];

/** The graph explorer's own requests (web/src/operations.graphql), each with arguments aimed at hidden records. */
const EXPLORER_OPERATIONS = separateOperations(
  parse(readFileSync(path.join(projectRoot, 'web', 'src', 'operations.graphql'), 'utf8')),
);
const EXPLORER_CALLS: [string, Record<string, unknown>][] = [
  ['Search', { query: RESTRICTED, first: 25 }],
  ['Search', { query: CONFIDENTIAL, first: 25 }],
  ['Neighborhood', { id: ids.event, depth: 2, limit: 500 }],
  ['Neighborhood', { id: ids.restrictedActor, depth: 1, limit: 100 }],
  ['Paths', { from: ids.event, to: ids.restrictedActor, maxLength: 6 }],
  ['Provenance', { id: ids.event }],
  ['Provenance', { id: ids.restrictedActor }],
  ['SourceText', { id: ids.secretSource }],
  ['Viewer', {}],
];

/** A response for a caller without clearance: no marker word and no id of a hidden record in it. */
function expectNothingHidden(text: string): void {
  expect(text).not.toContain(RESTRICTED);
  expect(text).not.toContain(CONFIDENTIAL);
  const hidden = [
    ids.restrictedActor,
    ids.confidentialPlace,
    ids.restrictedClaim,
    ids.secretSource,
    ids.restrictedFigure,
  ];
  for (const id of hidden) expect(text).not.toContain(`"${id}"`);
}

describe('redaction on every read path', () => {
  let app: TestApp;
  let viewer: Record<string, string>;
  let analyst: Record<string, string>;
  let admin: Record<string, string>;
  beforeAll(async () => {
    app = await startTestApp();
    await loadBundle(app.db.executor, writeBundle(bundle()));
    viewer = (await keyHeaders(app.db, 'viewer')).headers;
    analyst = (await keyHeaders(app.db, 'analyst')).headers;
    admin = (await keyHeaders(app.db, 'admin')).headers;
  });
  afterAll(() => app.close());

  const body = async (query: string, headers: Record<string, string> = {}) => {
    const res = await app.graphql(query, undefined, headers);
    // A hidden record is reported exactly like one that does not exist (NOT_FOUND echoing the id asked).
    const errors = (res.errors ?? []).filter((e) => e.extensions?.code !== 'NOT_FOUND');
    expect(errors, JSON.stringify(res.errors)).toEqual([]);
    return JSON.stringify({ data: res.data });
  };

  it.each(READ_PATHS)(
    '%s: nothing restricted or confidential for anonymous callers and viewers',
    async (_name, query) => {
      for (const headers of [{}, viewer]) {
        expectNothingHidden(await body(query, headers));
      }
    },
  );

  it('covers every request the graph explorer makes', () => {
    expect([...new Set(EXPLORER_CALLS.map(([name]) => name))].sort()).toEqual(
      Object.keys(EXPLORER_OPERATIONS).sort(),
    );
  });

  it.each(EXPLORER_CALLS)(
    'explorer request %s %j: nothing restricted or confidential for anonymous callers and viewers',
    async (name, variables) => {
      const query = print(EXPLORER_OPERATIONS[name]!);
      for (const headers of [{}, viewer]) {
        const res = await app.graphql(query, variables, headers);
        expect((res.errors ?? []).filter((e) => e.extensions?.code !== 'NOT_FOUND')).toEqual([]);
        expectNothingHidden(JSON.stringify(res.data));
      }
    },
  );

  it("the explorer's requests do show restricted records to analysts", async () => {
    const res = await app.graphql(
      print(EXPLORER_OPERATIONS.Neighborhood!),
      { id: ids.event, depth: 1, limit: 100 },
      analyst,
    );
    expect(JSON.stringify(res.data)).toContain(ids.restrictedActor);
    expect(JSON.stringify(res.data)).not.toContain(ids.confidentialPlace);
  });

  it('still shows the public part to everyone', async () => {
    const text = await body(`{ provenance(id: "${ids.event}") { claims { id } } }`);
    expect(text).toContain(ids.publicClaim);
    // A public claim whose only excerpt is in a restricted source is shown without that excerpt.
    const res = await app.graphql<{ node: { excerpts: unknown[] } }>(
      `{ node(id: "${ids.claimOnSecretSource}") { ... on Claim { excerpts { exact } } } }`,
    );
    expect(res.data!.node.excerpts).toEqual([]);
  });

  it('shows restricted records to analysts, but not confidential ones', async () => {
    const seen: string[] = [];
    for (const [name, query] of READ_PATHS) {
      const t = await body(query, analyst);
      if (t.includes(RESTRICTED)) seen.push(name);
      expect(t, name).not.toContain(CONFIDENTIAL);
    }
    expect(seen).toEqual(
      expect.arrayContaining([
        'node (event)',
        'search',
        'events',
        'actors',
        'sources',
        'neighborhood',
        'provenance',
        'statistics',
      ]),
    );
  });

  it('shows confidential records to admins', async () => {
    const t = await body(`{ node(id: "${ids.confidentialPlace}") { id ... on Place { name } } }`, admin);
    expect(t).toContain(CONFIDENTIAL);
    const n = await body(`{ neighborhood(id: "${ids.event}") { nodes { id } } }`, admin);
    expect(n).toContain(ids.confidentialPlace);
  });
});
