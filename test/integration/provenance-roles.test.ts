import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundleFile } from '../../src/io/bundle/resolve.js';
import type { ClaimRow } from '../../src/model/rows.js';
import { loadBundle, SAMPLE_BUNDLE } from '../../src/services/import.js';
import { ProvenanceEdgesDocument, type ProvenanceEdgesQuery } from '../generated/graphql.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../helpers/app.js';
import { fixtureBundle, uniq, writeBundle } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';

/**
 * A record's provenance is every claim in which it takes part, each with its role (issue #14, item 3):
 * checked for every entity, figure and source of the sample graph against what the sample bundle itself
 * says (its resolved rows, not the store), and for clearance on a fixture of our own.
 */

type Expected = Map<string, Set<string>>;

function add(expected: Expected, claimId: string, role: string) {
  const roles = expected.get(claimId) ?? new Set<string>();
  roles.add(role);
  expected.set(claimId, roles);
}

describe('provenance: every claim a record takes part in, with its role', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  /** Every page of a record's provenance: claim id -> roles; and the total it reported. */
  async function allPages(id: string, headers: Record<string, string> = {}) {
    const seen = new Map<string, string[]>();
    let after: string | null = null;
    let total = -1;
    for (let i = 0; i < 100; i++) {
      const res: GraphQLResponse<ProvenanceEdgesQuery> = await app.graphql(
        ProvenanceEdgesDocument,
        { id, first: 50, after },
        headers,
      );
      expect(res.errors, id).toBeUndefined();
      const p = res.data!.provenance;
      total = p.totalClaims;
      for (const e of p.edges) {
        expect(seen.has(e.node.id), `${id}: ${e.node.id} twice`).toBe(false);
        seen.set(e.node.id, e.roles);
      }
      if (!p.pageInfo.hasNextPage) return { seen, total };
      expect(p.pageInfo.endCursor).toBe(p.edges.at(-1)!.cursor);
      after = p.pageInfo.endCursor;
    }
    throw new Error(`${id}: more than 100 pages`);
  }

  it('for every record of the sample graph, contains every claim reachable from its fields, with its roles', async () => {
    const sample = await loadBundleFile(SAMPLE_BUNDLE);
    const claimsOf = (pred: (c: ClaimRow) => boolean) => sample.claims.filter(pred);
    const figureSubject = new Map(sample.figures.map((f) => [f.id, f.subjectId]));
    const excerptSource = new Map(sample.excerpts.map((e) => [e.id, e.sourceId]));
    const sampleClaims = new Set(sample.claims.map((c) => c.id));

    const records: [string, Expected][] = [];
    for (const entity of sample.entities) {
      const expected: Expected = new Map();
      for (const c of claimsOf((c) => c.subjectId === entity.id)) add(expected, c.id, 'SUBJECT');
      for (const c of claimsOf((c) => c.kind === 'relation' && c.objectId === entity.id))
        add(expected, c.id, 'OBJECT');
      for (const c of claimsOf((c) => c.kind === 'figure' && figureSubject.get(c.objectId!) === entity.id))
        add(expected, c.id, 'FIGURE_SUBJECT');
      // The entity's relations (both ends) list claims that are among the above.
      for (const r of sample.relations.filter((r) => r.fromId === entity.id || r.toId === entity.id))
        for (const id of r.claimIds) expect(expected.has(id), `${entity.id} relation ${r.id}`).toBe(true);
      records.push([entity.id, expected]);
    }
    for (const figure of sample.figures) {
      const expected: Expected = new Map();
      for (const c of claimsOf((c) => c.objectId === figure.id)) add(expected, c.id, 'FIGURE');
      records.push([figure.id, expected]);
    }
    for (const source of sample.sources) {
      const expected: Expected = new Map();
      for (const c of claimsOf((c) => c.excerptIds.some((e) => excerptSource.get(e) === source.id)))
        add(expected, c.id, 'SOURCE');
      records.push([source.id, expected]);
    }
    expect(records.length).toBeGreaterThan(30);

    for (const [id, expected] of records) {
      const { seen, total } = await allPages(id);
      expect(total, id).toBe(seen.size);
      for (const [claimId, roles] of expected) {
        expect(seen.get(claimId), `${id} misses ${claimId}`).toEqual(
          ['SUBJECT', 'OBJECT', 'FIGURE_SUBJECT', 'FIGURE', 'SOURCE'].filter((r) => roles.has(r)),
        );
      }
      // Nothing else of the sample: every sample claim listed is one the bundle says the record takes part
      // in. (Other test files' imports reuse sample records, Syria and its governorates, and add claims of
      // their own about them: those are theirs to check.)
      expect([...seen.keys()].filter((c) => sampleClaims.has(c)).sort(), id).toEqual(
        [...expected.keys()].sort(),
      );
    }
  });

  it('of the decree: who issued it, the beneficiaries and the releases under it (the decree as object)', async () => {
    const { seen } = await allPages('ev-amnesty-decree-2022');
    const objectOf = [...seen].filter(([, roles]) => roles.includes('OBJECT')).map(([id]) => id);
    expect(objectOf.length).toBeGreaterThanOrEqual(4);
    expect([...seen].filter(([, roles]) => roles.includes('SUBJECT')).length).toBeGreaterThanOrEqual(5);
  });

  it('leaves out, and does not count, a claim whose other end the caller may not see', async () => {
    const u = uniq();
    const text = `Monitor ${u} said the unit of ${u} carried out the release. The release of ${u} was in May.`;
    const bundle = fixtureBundle(u, text, [
      {
        id: `cl-t${u}-date`,
        subject: `ev-t${u}`,
        summary: 'The release was in May.',
        source: `src-t${u}`,
        quotes: [`The release of ${u} was in May`],
      },
      {
        id: `cl-t${u}-unit`,
        subject: `ac-t${u}-unit`,
        summary: 'The unit carried out the release.',
        relation: { type: 'INVOLVED_IN', object: `ev-t${u}`, role: 'implementer' },
        source: `src-t${u}`,
        quotes: [`the unit of ${u} carried out the release`],
      },
    ]);
    (bundle.actors as Record<string, unknown>[]).push({
      id: `ac-t${u}-unit`,
      type: 'group',
      name: `Unit ${u}`,
      sensitivity: 'restricted',
    });
    await loadBundle(app.db.executor, writeBundle(bundle));
    const viewer = (await keyHeaders(app.db, 'viewer')).headers;
    const admin = (await keyHeaders(app.db, 'admin')).headers;

    const cleared = await allPages(`ev-t${u}`, admin);
    expect(Object.fromEntries(cleared.seen)).toEqual({
      [`cl-t${u}-date`]: ['SUBJECT'],
      [`cl-t${u}-unit`]: ['OBJECT'],
    });
    expect(cleared.total).toBe(2);

    const hidden = await allPages(`ev-t${u}`, viewer);
    expect(Object.fromEntries(hidden.seen)).toEqual({ [`cl-t${u}-date`]: ['SUBJECT'] });
    expect(hidden.total).toBe(1);
  });
});
