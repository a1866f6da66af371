import { MAX_ID_LENGTH } from '../../src/limits.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statement, type Executor } from '../../src/graph/executor.js';
import { sha256 } from '../../src/model/text.js';
import { loadBundle } from '../../src/services/import.js';
import type { Moved } from '../../src/graph/stores/merge.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../helpers/app.js';
import { canonical, digest, fixtureBundle, uniq, writeBundle } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';
import { expectRefused } from '../helpers/refusals.js';

/**
 * Merging duplicate entities, undoing merges and the audit log, against the real Neo4j. Every fixture
 * has unique ids (the database is shared with parallel test files and persists between runs).
 */

type Headers = Record<string, string>;
const codeOf = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.code;
const extOf = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions;

const MERGE = `mutation($keepId: ID!, $mergeId: ID!, $note: String!, $key: String) {
  mergeEntities(keepId: $keepId, mergeId: $mergeId, note: $note, idempotencyKey: $key) {
    merge { id keepId mergeId kind note judgement by at undoneAt
            moved { relations claims figures sources attributions aliasesAdded identifiersAdded } }
    kept { id name aliases { value lang } identifiers { scheme value } }
  }
}`;
const UNMERGE = `mutation($id: ID!, $note: String!) {
  unmergeEntities(mergeId: $id, note: $note) { id keepId mergeId undoneAt undoneBy undoNote }
}`;
const AUDIT = `query($filter: AuditLogFilter, $first: Int, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id at operation actor role keyId inputDigest affectedIds changes requestId } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const AUDIT_TOTAL = `query($filter: AuditLogFilter, $first: Int, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) { edges { node { id } } totalCount }
}`;

interface AuditNode {
  id: string;
  at: string;
  operation: string;
  actor: string;
  role: string;
  keyId: string | null;
  affectedIds: string[];
  changes: string;
  requestId: string | null;
}
interface AuditPage {
  auditLog: {
    edges: { cursor: string; node: AuditNode }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}
interface MergeData {
  mergeEntities: {
    merge: {
      id: string;
      keepId: string;
      mergeId: string;
      kind: string;
      judgement: string;
      undoneAt: string | null;
      moved: Record<string, number>;
    };
    kept: {
      id: string;
      aliases: { value: string; lang: string }[];
      identifiers: { scheme: string; value: string }[];
    };
  };
}

/** Like the digest helper, but leaving out the merge history (SAME_AS), which stays after an undo on purpose. */
const digestWithoutHistory = statement(
  'test.admin.digest',
  `MATCH (n) WHERE n.id IN $ids
   OPTIONAL MATCH (n)-[r]->(m) WHERE NOT type(r) IN ['SAME_AS', 'KEEPS', 'MERGES']
   WITH n, collect({type: type(r), to: m.id, props: properties(r)}) AS rels
   RETURN n.id AS id, labels(n) AS labels, properties(n) AS props, rels ORDER BY id`,
);
async function historyFreeDigest(executor: Executor, ids: string[]): Promise<string> {
  const rows = await executor.read(digestWithoutHistory, { ids });
  return sha256(
    canonical(
      rows.map((r) => ({
        ...r,
        labels: [...(r.labels as string[])].sort(),
        rels: (r.rels as unknown[]).map(canonical).sort(),
      })),
    ),
  );
}

/**
 * Two records of one monitor (the duplicate's alias SOHR<u> is one search token no other record has): ac-t<u> (kept; publishes the first source, reports the event) and
 * ac-t<u>-dup (its duplicate: also reports the event, is based in the town, has a member, a figure, a
 * statement, publishes a second source and is named in an attribution), plus a coalition it is part of.
 */
function duplicateBundle(u: string) {
  const text = `Monitor ${u} reported the release. The Syrian Observatory ${u} also reported it.`;
  const textB =
    `The Syrian Observatory ${u} is based in Town ${u}. Coalition ${u} counts the Observatory among its members. ` +
    `The Observatory ${u} has 12 staff. It publishes daily. Observers ${u} say the release was late.`;
  const base = fixtureBundle(u, text);
  const dup = `ac-t${u}-dup`;
  return {
    ...base,
    sources: [
      ...base.sources,
      {
        id: `src-t${u}-b`,
        text: textB,
        sha256: sha256(textB),
        title: `Second ${u}`,
        language: 'en',
        publisher: dup,
      },
    ],
    actors: [
      ...base.actors,
      {
        id: dup,
        type: 'organization',
        name: `Syrian Observatory ${u}`,
        aliases: [
          { value: `SOHR${u}`, lang: 'en' },
          { value: `مرصد ${u}`, lang: 'ar' },
        ],
        identifiers: [{ scheme: 'wikidata', value: `Q${u}` }],
      },
      { id: `ac-t${u}-coal`, type: 'group', name: `Coalition ${u}` },
    ],
    claims: [
      {
        id: `cl-t${u}-k1`,
        subject: `ac-t${u}`,
        summary: 'The monitor reported the release.',
        relation: { type: 'INVOLVED_IN', object: `ev-t${u}`, role: 'reporter' },
        source: `src-t${u}`,
        quotes: [`Monitor ${u} reported the release`],
      },
      {
        id: `cl-t${u}-d1`,
        subject: dup,
        summary: 'The observatory reported the release.',
        relation: { type: 'INVOLVED_IN', object: `ev-t${u}`, role: 'reporter' },
        source: `src-t${u}`,
        quotes: [`The Syrian Observatory ${u} also reported it`],
      },
      {
        id: `cl-t${u}-d2`,
        subject: dup,
        summary: 'The observatory is based in the town.',
        relation: { type: 'LOCATED_IN', object: `pl-t${u}` },
        source: `src-t${u}-b`,
        quotes: [`is based in Town ${u}`],
      },
      {
        id: `cl-t${u}-d3`,
        subject: `ac-t${u}-coal`,
        summary: 'The observatory is a member of the coalition.',
        relation: { type: 'MEMBER_OF', object: dup },
        source: `src-t${u}-b`,
        quotes: [`counts the Observatory among its members`],
      },
      {
        id: `cl-t${u}-d4`,
        subject: dup,
        summary: 'The observatory has 12 staff.',
        figure: { measure: 'staff', value: 12, qualifier: 'exact', unit: 'people' },
        source: `src-t${u}-b`,
        quotes: [`has 12 staff`],
      },
      {
        id: `cl-t${u}-d5`,
        subject: `ev-t${u}`,
        summary: 'Observers say the release was late.',
        source: `src-t${u}-b`,
        quotes: [`say the release was late`],
        attributedTo: [dup],
      },
      {
        id: `cl-t${u}-d6`,
        subject: dup,
        summary: 'It publishes daily.',
        source: `src-t${u}-b`,
        quotes: [`It publishes daily`],
      },
    ],
  };
}

/** Every id of a duplicate fixture: entities, claims, figures, sources. */
function fixtureIds(u: string): string[] {
  return [
    `ac-t${u}`,
    `ac-t${u}-dup`,
    `ac-t${u}-coal`,
    `ev-t${u}`,
    `pl-t${u}`,
    `src-t${u}`,
    `src-t${u}-b`,
    ...['k1', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6'].map((k) => `cl-t${u}-${k}`),
    `fg-t${u}-d4`,
  ];
}

describe('admin: merging duplicate entities, undo, audit log', () => {
  let app: TestApp;
  let admin: Awaited<ReturnType<typeof keyHeaders>>;
  let analyst: Awaited<ReturnType<typeof keyHeaders>>;

  const loadDuplicates = async (u = uniq()) => {
    await loadBundle(app.db.executor, writeBundle(duplicateBundle(u)));
    return { u, keep: `ac-t${u}`, dup: `ac-t${u}-dup`, ids: fixtureIds(u) };
  };
  const auditFor = async (affectedId: string, headers: Headers = admin.headers) => {
    const res = await app.graphql<AuditPage>(AUDIT, { filter: { affectedId }, first: 100 }, headers);
    expect(res.errors).toBeUndefined();
    return res.data!.auditLog.edges.map((e) => e.node);
  };
  const merge = (keepId: string, mergeId: string, headers: Headers = admin.headers, key?: string) =>
    app.graphql<MergeData>(MERGE, { keepId, mergeId, note: 'same monitor, two spellings', key }, headers);

  beforeAll(async () => {
    app = await startTestApp();
    admin = await keyHeaders(app.db, 'admin');
    analyst = await keyHeaders(app.db, 'analyst');
  });
  afterAll(() => app.close());

  describe('a merge and its undo', () => {
    let f: Awaited<ReturnType<typeof loadDuplicates>>;
    let before: { full: string; others: string };
    let mergeId: string;

    beforeAll(async () => {
      f = await loadDuplicates();
      before = {
        full: await historyFreeDigest(app.db.executor, f.ids),
        others: await digest(
          app.db.executor,
          f.ids.filter((id) => id !== f.dup),
        ),
      };
    });

    it('moves relationships, claims, figures, publications and attributions to the kept entity', async () => {
      const res = await merge(f.keep, f.dup);
      expect(res.errors).toBeUndefined();
      const { merge: m, kept } = res.data!.mergeEntities;
      mergeId = m.id;
      expect(m).toMatchObject({
        keepId: f.keep,
        mergeId: f.dup,
        kind: 'Actor',
        judgement: 'same',
        undoneAt: null,
      });
      expect(m.id).toMatch(/^merge-[0-9a-f-]{36}$/);
      expect(m.moved).toEqual({
        relations: 3,
        claims: 5,
        figures: 1,
        sources: 1,
        attributions: 1,
        aliasesAdded: 2,
        identifiersAdded: 1,
      });
      // The duplicate's name and English alias become aliases; its Arabic alias was already the kept one's.
      expect(kept.aliases).toEqual([
        { value: `مرصد ${f.u}`, lang: 'ar' },
        { value: `Syrian Observatory ${f.u}`, lang: 'en' },
        { value: `SOHR${f.u}`, lang: 'en' },
      ]);
      expect(kept.identifiers).toEqual([{ scheme: 'wikidata', value: `Q${f.u}` }]);
    });

    it('hides the duplicate from reads; the kept entity answers for it', async () => {
      const res = await app.graphql<{
        gone: unknown;
        kept: {
          relations: {
            id: string;
            type: string;
            from: { id: string };
            to: { id: string };
            claims: { id: string }[];
          }[];
          claims: { id: string }[];
          figures: { id: string; subject: { id: string } }[];
        };
        byDup: { edges: unknown[] };
        byKeep: { edges: { node: { id: string } }[] };
        search: { edges: { node: { node: { id: string } } }[] };
        prov: { claims: { id: string }[] };
        relProv: { claims: { id: string }[] };
        claims: ({
          id: string;
          subject: { id: string };
          object: { id: string } | null;
          attribution: { agent: { id: string } }[];
        } | null)[];
        source: { publisher: { id: string } };
      }>(
        `query($keep: ID!, $dup: ID!, $name: String!, $ids: [ID!]!, $src: ID!, $rel: ID!) {
          gone: node(id: $dup) { id }
          kept: node(id: $keep) { ... on Actor {
            relations { id type from { id } to { id } claims { id } }
            claims { id } figures { id subject { id } } } }
          byDup: events(filter: { actorId: $dup }) { edges { node { id } } }
          byKeep: events(filter: { actorId: $keep }) { edges { node { id } } }
          search(query: $name, kinds: [ACTOR]) { edges { node { node { id } } } }
          prov: provenance(id: $keep) { claims { id } }
          relProv: provenance(id: $rel) { claims { id } }
          claims: nodes(ids: $ids) { ... on Claim { id subject { id } object { id } attribution { agent { id } } } }
          source: node(id: $src) { ... on Source { publisher { id } } }
        }`,
        {
          keep: f.keep,
          dup: f.dup,
          name: `SOHR${f.u}`,
          ids: ['d1', 'd3', 'd5'].map((k) => `cl-t${f.u}-${k}`),
          src: `src-t${f.u}-b`,
          rel: `rel-located_in-${f.keep}-pl-t${f.u}`,
        },
        admin.headers,
      );
      expect(res.errors).toBeUndefined();
      const d = res.data!;
      expect(d.gone).toBeNull();
      const rels = d.kept.relations.map((r) => ({
        id: r.id,
        from: r.from.id,
        to: r.to.id,
        claims: r.claims.map((c) => c.id).sort(),
      }));
      expect(rels).toEqual(
        expect.arrayContaining([
          {
            id: `rel-involved_in-${f.keep}-ev-t${f.u}-reporter`,
            from: f.keep,
            to: `ev-t${f.u}`,
            claims: [`cl-t${f.u}-d1`, `cl-t${f.u}-k1`],
          },
          {
            id: `rel-located_in-${f.keep}-pl-t${f.u}`,
            from: f.keep,
            to: `pl-t${f.u}`,
            claims: [`cl-t${f.u}-d2`],
          },
          {
            id: `rel-member_of-ac-t${f.u}-coal-${f.keep}`,
            from: `ac-t${f.u}-coal`,
            to: f.keep,
            claims: [`cl-t${f.u}-d3`],
          },
        ]),
      );
      expect(rels).toHaveLength(3);
      expect(d.kept.claims.map((c) => c.id).sort()).toEqual(
        ['d1', 'd2', 'd4', 'd6', 'k1'].map((k) => `cl-t${f.u}-${k}`).sort(),
      );
      expect(d.kept.figures).toEqual([{ id: `fg-t${f.u}-d4`, subject: { id: f.keep } }]);
      expect(d.byDup.edges).toEqual([]);
      expect(d.byKeep.edges.map((e) => e.node.id)).toEqual([`ev-t${f.u}`]);
      const hits = d.search.edges.map((e) => e.node.node.id);
      expect(hits).toContain(f.keep);
      expect(hits).not.toContain(f.dup);
      expect(d.prov.claims.map((c) => c.id)).toEqual(
        expect.arrayContaining([`cl-t${f.u}-d1`, `cl-t${f.u}-d4`]),
      );
      expect(d.relProv.claims.map((c) => c.id)).toEqual([`cl-t${f.u}-d2`]);
      expect(
        d.claims.map((c) => [c!.subject.id, c!.object?.id ?? null, c!.attribution.map((h) => h.agent.id)]),
      ).toEqual([
        [f.keep, `ev-t${f.u}`, []],
        [`ac-t${f.u}-coal`, f.keep, []],
        [`ev-t${f.u}`, null, [f.keep]],
      ]);
      expect(d.source.publisher.id).toBe(f.keep);
    });

    it('keeps the duplicate whole, hidden, with a positive SAME_AS judgement and a merge record', async () => {
      const [row] = await app.db.executor.read(
        statement(
          'test.admin.mergedNode',
          `MATCH (x:Merged {id: $dup})-[s:SAME_AS]->(k:Entity {id: $keep})
           MATCH (m:Merge {id: $mergeId})-[:MERGES]->(x)
           RETURN labels(x) AS labels, x.mergedInto AS mergedInto, x.name AS name, properties(s) AS sameAs,
                  m.keepId AS keepId, m.movedJson AS movedJson, EXISTS { (m)-[:KEEPS]->(k) } AS keeps`,
        ),
        { dup: f.dup, keep: f.keep, mergeId },
      );
      expect(row).toBeDefined();
      expect(row!.labels).toEqual(['Merged']);
      expect(row!.mergedInto).toBe(f.keep);
      expect(row!.name).toBe(`Syrian Observatory ${f.u}`);
      expect(row!.sameAs).toMatchObject({
        judgement: 'positive',
        mergeId,
        by: expect.stringContaining(admin.keyId),
      });
      expect(row!.keeps).toBe(true);
      expect(await historyFreeDigest(app.db.executor, f.ids)).not.toBe(before.full);
      const moved = JSON.parse(String(row!.movedJson)) as Moved;
      expect(moved.relations.map((r) => r.type).sort()).toEqual(['INVOLVED_IN', 'LOCATED_IN', 'MEMBER_OF']);
    });

    it('appends exactly one audit record for the merge', async () => {
      const records = await auditFor(f.dup);
      expect(records.map((r) => r.operation)).toEqual(['mergeEntities']);
      expect(records[0]!.keyId).toBe(admin.keyId);
      expect(records[0]!.requestId).toBeTruthy();
      expect(records[0]!.affectedIds).toEqual(
        expect.arrayContaining([f.keep, f.dup, mergeId, `cl-t${f.u}-d1`]),
      );
      expect(JSON.parse(records[0]!.changes)).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: f.dup })]),
      );
    });

    it('undoes the merge exactly: the fixture digest is what it was before', async () => {
      const res = await app.graphql<{ unmergeEntities: Record<string, string | null> }>(
        UNMERGE,
        { id: mergeId, note: 'two monitors after all' },
        admin.headers,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.unmergeEntities).toMatchObject({
        id: mergeId,
        keepId: f.keep,
        mergeId: f.dup,
        undoneBy: expect.stringContaining(admin.keyId),
        undoNote: 'two monitors after all',
      });
      expect(res.data!.unmergeEntities.undoneAt).toBeTruthy();
      expect(await historyFreeDigest(app.db.executor, f.ids)).toBe(before.full);
      expect(
        await digest(
          app.db.executor,
          f.ids.filter((id) => id !== f.dup),
        ),
      ).toBe(before.others);

      // Restored with their types (an attribution hop stays an integer), the judgement marked undone.
      const [row] = await app.db.executor.read(
        statement(
          'test.admin.afterUndo',
          `MATCH (c:Claim {id: $claim})-[a:ATTRIBUTED_TO]->(x:Actor:Entity {id: $dup})
           MATCH (x)-[s:SAME_AS]->(:Entity {id: $keep})
           RETURN valueType(a.hop) AS hopType, s.undoneAt IS NOT NULL AS undone`,
        ),
        { claim: `cl-t${f.u}-d5`, dup: f.dup, keep: f.keep },
      );
      expect(row).toEqual({ hopType: 'INTEGER NOT NULL', undone: true });

      const search = await app.graphql<{ search: { edges: { node: { node: { id: string } } }[] } }>(
        `query($q: String!) { search(query: $q, kinds: [ACTOR]) { edges { node { node { id } } } } }`,
        { q: `SOHR${f.u}` },
      );
      expect(search.data!.search.edges.map((e) => e.node.node.id)).toEqual([f.dup]);
    });

    it('refuses to undo twice (CONFLICT) and appends exactly one audit record for the undo', async () => {
      const again = await app.graphql(UNMERGE, { id: mergeId, note: 'again' }, admin.headers);
      expect(codeOf(again)).toBe('CONFLICT');
      const records = await auditFor(f.dup);
      expect(records.map((r) => r.operation)).toEqual(['unmergeEntities', 'mergeEntities']);
    });
  });

  type Duplicates = Awaited<ReturnType<typeof loadDuplicates>>;
  type Request = [doc: string, vars: (f: Duplicates) => Record<string, unknown>];
  const mergeOf = (ids: (f: Duplicates) => [keepId: string, mergeId: string]): Request => [
    MERGE,
    (f) => ({ keepId: ids(f)[0], mergeId: ids(f)[1], note: 'same monitor, two spellings' }),
  ];

  describe('refusals, writing nothing', () => {
    let f: Duplicates;
    let d0: string;
    beforeAll(async () => {
      f = await loadDuplicates();
      d0 = await digest(app.db.executor, f.ids);
    });

    const expectNothingWritten = async () => {
      expect(await digest(app.db.executor, f.ids)).toBe(d0);
      expect(await auditFor(f.dup)).toEqual([]);
      expect(await auditFor(f.keep)).toEqual([]);
    };

    const MERGE_PAIR = mergeOf((f) => [f.keep, f.dup]);
    const UNMERGE_X: Request = [UNMERGE, () => ({ id: 'merge-x', note: 'n' })];
    const AUDIT_ALL: Request = [AUDIT, () => ({})];
    it.each([
      ['mergeEntities', 'analysts', 'FORBIDDEN', MERGE_PAIR],
      ['mergeEntities', 'anonymous callers', 'UNAUTHENTICATED', MERGE_PAIR],
      ['unmergeEntities', 'analysts', 'FORBIDDEN', UNMERGE_X],
      ['unmergeEntities', 'anonymous callers', 'UNAUTHENTICATED', UNMERGE_X],
      ['auditLog', 'analysts', 'FORBIDDEN', AUDIT_ALL],
      ['auditLog', 'anonymous callers', 'UNAUTHENTICATED', AUDIT_ALL],
    ] as const)('refuses %s to %s (%s) before the database', async (_op, who, code, [doc, vars]) => {
      const headers = who === 'analysts' ? analyst.headers : {};
      expectRefused(await app.graphql(doc, vars(f), headers), code, undefined, { beforeDatabase: true });
      await expectNothingWritten();
    });

    const REFUSED: { name: string; request: Request; code: string; path: string[]; needsDatabase?: true }[] =
      [
        {
          name: 'a merge of unlike kinds',
          request: mergeOf((f) => [f.keep, `ev-t${f.u}`]),
          code: 'BAD_USER_INPUT',
          path: ['mergeId'],
          needsDatabase: true,
        },
        {
          // One id rule for every argument (src/errors.ts checkId, MAX_ID_LENGTH): refused before the database.
          name: 'a merge with an id longer than any id can be',
          request: mergeOf((f) => [f.keep, 'a'.repeat(MAX_ID_LENGTH + 1)]),
          code: 'BAD_USER_INPUT',
          path: ['mergeId'],
        },
        {
          name: 'a merge of an entity with itself',
          request: mergeOf((f) => [f.keep, f.keep]),
          code: 'BAD_USER_INPUT',
          path: ['mergeId'],
        },
        {
          name: 'a merge into an unknown entity',
          request: mergeOf((f) => [`ac-t${f.u}-nope`, f.dup]),
          code: 'NOT_FOUND',
          path: ['keepId'],
          needsDatabase: true,
        },
        {
          name: 'a merge of an unknown entity',
          request: mergeOf((f) => [f.keep, `ac-t${f.u}-nope`]),
          code: 'NOT_FOUND',
          path: ['mergeId'],
          needsDatabase: true,
        },
        {
          name: 'a merge of a claim',
          request: mergeOf((f) => [f.keep, `cl-t${f.u}-d1`]),
          code: 'NOT_FOUND',
          path: ['mergeId'],
          needsDatabase: true,
        },
        {
          // The coalition counts the duplicate as a member: records related to each other are not duplicates.
          name: 'a merge of related entities',
          request: mergeOf((f) => [`ac-t${f.u}-coal`, f.dup]),
          code: 'BAD_USER_INPUT',
          path: ['mergeId'],
          needsDatabase: true,
        },
        {
          name: 'a merge with a blank note',
          request: [MERGE, (f) => ({ keepId: f.keep, mergeId: f.dup, note: '  ' })],
          code: 'BAD_USER_INPUT',
          path: ['note'],
        },
        {
          name: 'the undo of an unknown merge',
          request: [UNMERGE, (f) => ({ id: `merge-${f.u}`, note: 'n' })],
          code: 'NOT_FOUND',
          path: ['mergeId'],
          needsDatabase: true,
        },
      ];
    it.each(REFUSED)(
      'refuses $name ($code at its argument path)',
      async ({ request: [doc, vars], code, path, needsDatabase }) => {
        const res = await app.graphql(doc, vars(f), admin.headers);
        expectRefused(res, code, path, { beforeDatabase: !needsDatabase });
        await expectNothingWritten();
      },
    );
  });

  it('rolls the whole merge back when the duplicate has a relationship it cannot move', async () => {
    const f = await loadDuplicates();
    await app.db.executor.write(
      statement(
        'test.admin.oddLink',
        'MATCH (f:Figure {id: $fig}), (x:Entity {id: $dup}) CREATE (f)-[:SHARE_OF]->(x)',
      ),
      { fig: `fg-t${f.u}-d4`, dup: f.dup },
    );
    const d0 = await digest(app.db.executor, f.ids);
    const res = await merge(f.keep, f.dup);
    expect(extOf(res)).toMatchObject({ code: 'CONFLICT', inputPath: ['mergeId'] });
    expect(res.errors![0]!.message).toContain('SHARE_OF');
    expect(await digest(app.db.executor, f.ids)).toBe(d0);
    expect(await auditFor(f.dup)).toEqual([]);
  });

  it('answers a retried merge with the same idempotency key once, with one audit record', async () => {
    const f = await loadDuplicates();
    const key = `merge-${f.u}-retry`;
    const first = await merge(f.keep, f.dup, admin.headers, key);
    const second = await merge(f.keep, f.dup, admin.headers, key);
    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    expect(second.data!.mergeEntities.merge.id).toBe(first.data!.mergeEntities.merge.id);
    expect((await auditFor(f.dup)).map((r) => r.operation)).toEqual(['mergeEntities']);
    // Merged already: a new merge of it is a CONFLICT naming where it went.
    expect(extOf(await merge(f.keep, f.dup))).toMatchObject({ code: 'CONFLICT', inputPath: ['mergeId'] });
  });

  it('runs opposite merges of one pair one after the other: one merges, the other is a CONFLICT that writes nothing', async () => {
    const links = statement(
      'test.admin.claimLinks',
      `MATCH (c:Claim) WHERE c.id IN $ids
       OPTIONAL MATCH (c)-[:ABOUT]->(s)
       OPTIONAL MATCH (c)-[:OBJECT]->(o)
       RETURN c.id AS id, c.subjectId AS subjectId, s.id AS about, c.objectId AS objectId, o.id AS object
       UNION ALL
       MATCH (f:Figure) WHERE f.id IN $ids
       OPTIONAL MATCH (f)-[:FIGURE_OF]->(s)
       RETURN f.id AS id, f.subjectId AS subjectId, s.id AS about, null AS objectId, null AS object`,
    );
    const mergesOf = statement(
      'test.admin.mergesOf',
      'MATCH (m:Merge) WHERE m.keepId IN $ids OR m.mergeId IN $ids RETURN m.id AS id',
    );
    for (let trial = 0; trial < 5; trial++) {
      const f = await loadDuplicates();
      const d0 = await historyFreeDigest(app.db.executor, f.ids);
      const answers = await Promise.all([merge(f.keep, f.dup), merge(f.dup, f.keep)]);
      const won = answers.filter((a) => !a.errors);
      const lost = answers.filter((a) => a.errors);
      expect(won, `trial ${trial}`).toHaveLength(1);
      expect(lost.map(codeOf), `trial ${trial}`).toEqual(['CONFLICT']);
      const mergeId = won[0]!.data!.mergeEntities.merge.id;

      // The loser left no merge record and no audit record behind.
      const merges = await app.db.executor.read(mergesOf, { ids: [f.keep, f.dup] });
      expect(merges.map((m) => m.id)).toEqual([mergeId]);
      const audits = await auditFor(f.dup);
      expect(audits.map((r) => r.operation)).toEqual(['mergeEntities']);
      expect(audits[0]!.affectedIds).toContain(mergeId);

      // Every claim's subjectId/objectId (and figure's subjectId) is where its link points.
      const rows = await app.db.executor.read(links, { ids: f.ids });
      expect(rows.length).toBeGreaterThan(5);
      for (const r of rows) {
        expect({ id: r.id, subjectId: r.subjectId, objectId: r.objectId }).toEqual({
          id: r.id,
          subjectId: r.about,
          objectId: r.object,
        });
      }

      const undo = await app.graphql(UNMERGE, { id: mergeId, note: 'race test' }, admin.headers);
      expect(undo.errors).toBeUndefined();
      expect(await historyFreeDigest(app.db.executor, f.ids)).toBe(d0);
    }
  });

  it('undoes chained merges only in reverse order, then restores everything', async () => {
    const f = await loadDuplicates();
    // A third record of the same monitor, to which the kept one is merged in turn.
    const v = uniq();
    const text = `Monitor third ${v} exists.`;
    await loadBundle(
      app.db.executor,
      writeBundle({
        ...fixtureBundle(v, text),
        actors: [{ id: `ac-t${v}`, type: 'organization', name: `Third ${v}` }],
        sources: [{ id: `src-t${v}`, text, sha256: sha256(text), title: `T ${v}`, language: 'en' }],
      }),
    );
    const ids = [...f.ids, `ac-t${v}`, `ev-t${v}`, `pl-t${v}`, `src-t${v}`];
    const d0 = await historyFreeDigest(app.db.executor, ids);
    const m1 = await merge(f.keep, f.dup);
    const m2 = await merge(`ac-t${v}`, f.keep);
    expect(m1.errors).toBeUndefined();
    expect(m2.errors).toBeUndefined();
    expect(m2.data!.mergeEntities.merge.moved.claims).toBe(6);
    const early = await app.graphql(
      UNMERGE,
      { id: m1.data!.mergeEntities.merge.id, note: 'n' },
      admin.headers,
    );
    expect(extOf(early)).toMatchObject({ code: 'CONFLICT', inputPath: ['mergeId'] });
    for (const m of [m2, m1]) {
      const res = await app.graphql(
        UNMERGE,
        { id: m.data!.mergeEntities.merge.id, note: 'n' },
        admin.headers,
      );
      expect(res.errors).toBeUndefined();
    }
    expect(await historyFreeDigest(app.db.executor, ids)).toBe(d0);
  });

  describe('the audit log', () => {
    let keyA: Awaited<ReturnType<typeof keyHeaders>>;
    const made: string[] = [];

    beforeAll(async () => {
      // Five changes by a fresh admin key, so filtering by that key sees exactly these.
      keyA = await keyHeaders(app.db, 'admin');
      for (let i = 0; i < 5; i++) {
        const res = await app.graphql<{ createApiKey: { id: string } }>(
          `mutation($name: String!) { createApiKey(role: viewer, name: $name) { id } }`,
          { name: `audit-test-${i}` },
          keyA.headers,
        );
        made.push(res.data!.createApiKey.id);
      }
    });

    it('pages newest first with keyset cursors, no overlaps, in one round trip per page', async () => {
      const seen: AuditNode[] = [];
      let after: string | null = null;
      for (let page = 0; page < 5; page++) {
        const res: GraphQLResponse<AuditPage> = await app.graphql<AuditPage>(
          AUDIT,
          { filter: { actorKeyId: keyA.keyId }, first: 2, after },
          admin.headers,
        );
        expect(res.errors).toBeUndefined();
        expect(res.extensions?.roundTrips).toBe(1);
        seen.push(...res.data!.auditLog.edges.map((e) => e.node));
        after = res.data!.auditLog.pageInfo.endCursor;
        if (!res.data!.auditLog.pageInfo.hasNextPage) break;
      }
      expect(seen).toHaveLength(5);
      expect(new Set(seen.map((r) => r.id)).size).toBe(5);
      expect(seen.map((r) => r.affectedIds[0])).toEqual([...made].reverse());
      const times = seen.map((r) => Date.parse(r.at));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(
        seen.every((r) => r.operation === 'createApiKey' && r.keyId === keyA.keyId && r.role === 'admin'),
      ).toBe(true);
      expect(seen[0]!.actor).toContain(keyA.name);
    });

    it('filters by affected id, operation and time window; counts only when asked', async () => {
      const one = await app.graphql<AuditPage>(AUDIT, { filter: { affectedId: made[2] } }, admin.headers);
      expect(one.data!.auditLog.edges.map((e) => e.node.affectedIds)).toEqual([[made[2]]]);

      const total = await app.graphql<{ auditLog: { edges: unknown[]; totalCount: number } }>(
        AUDIT_TOTAL,
        { filter: { actorKeyId: keyA.keyId, operation: 'createApiKey' }, first: 1 },
        admin.headers,
      );
      expect(total.data!.auditLog.totalCount).toBe(5);
      expect(total.data!.auditLog.edges).toHaveLength(1);
      expect(total.extensions?.roundTrips).toBe(1);

      const none = await app.graphql<AuditPage>(
        AUDIT,
        { filter: { actorKeyId: keyA.keyId, operation: 'mergeEntities' } },
        admin.headers,
      );
      expect(none.data!.auditLog.edges).toEqual([]);

      const all = await app.graphql<AuditPage>(AUDIT, { filter: { actorKeyId: keyA.keyId } }, admin.headers);
      const nodes = all.data!.auditLog.edges.map((e) => e.node);
      const window = await app.graphql<AuditPage>(
        AUDIT,
        { filter: { actorKeyId: keyA.keyId, from: nodes[3]!.at, to: nodes[1]!.at } },
        admin.headers,
      );
      expect(window.data!.auditLog.edges.map((e) => e.node.id)).toEqual(nodes.slice(1, 4).map((n) => n.id));
      const future = await app.graphql<AuditPage>(
        AUDIT,
        { filter: { actorKeyId: keyA.keyId, from: '2999-01-01' } },
        admin.headers,
      );
      expect(future.data!.auditLog.edges).toEqual([]);
    });

    it.each([
      [
        'a filter date that is no date',
        { filter: { from: 'yesterday' } },
        'BAD_USER_INPUT',
        ['filter', 'from'],
      ],
      [
        'a filter time without zone',
        { filter: { to: '2026-01-01T10:00:00' } },
        'BAD_USER_INPUT',
        ['filter', 'to'],
      ],
      ['a cursor it never gave', { after: 'bm90LWEtY3Vyc29y' }, 'BAD_USER_INPUT', ['after']],
      ['a page over 100', { first: 101 }, 'LIMIT_EXCEEDED', ['first']],
    ])('refuses %s (%s at its path) before the database', async (_case, variables, code, inputPath) => {
      const res = await app.graphql(AUDIT, variables, admin.headers);
      expectRefused(res, code, inputPath, { beforeDatabase: true });
    });

    const cursorOf = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
    it.each([
      ['a cursor of two words', { after: cursorOf(['yesterday', 'audit-1']) }, ['after']],
      ['a cursor with month 13', { after: cursorOf(['2026-13-01T00:00:00Z', 'audit-1']) }, ['after']],
      ['a cursor on 30 February', { after: cursorOf(['2024-02-30T00:00:00Z', 'audit-1']) }, ['after']],
      ['a cursor in year 0000', { after: cursorOf(['0000-01-01T00:00:00Z', 'audit-1']) }, ['after']],
      ['a cursor without zone', { after: cursorOf(['2026-01-01T10:00:00', 'audit-1']) }, ['after']],
      ['a cursor with an empty id', { after: cursorOf(['2026-01-01T10:00:00Z', '']) }, ['after']],
      ['a cursor of numbers', { after: cursorOf([1, 2]) }, ['after']],
      ['a cursor that is not base64 JSON', { after: '%%%' }, ['after']],
      ['filter.from in year 0000', { filter: { from: '0000-01-01' } }, ['filter', 'from']],
      ['filter.to on 31 February', { filter: { to: '2021-02-31T10:00:00Z' } }, ['filter', 'to']],
      ['filter.from at hour 24', { filter: { from: '2021-02-01T24:00:00Z' } }, ['filter', 'from']],
    ])('refuses %s with BAD_USER_INPUT and its path', async (_case, variables, inputPath) => {
      const res = await app.graphql(AUDIT, variables, admin.headers);
      expectRefused(res, 'BAD_USER_INPUT', inputPath, { beforeDatabase: true });
    });

    it('pages on from a cursor it returned, and takes minute-precision filters', async () => {
      const first = await app.graphql<AuditPage>(
        AUDIT,
        { filter: { actorKeyId: keyA.keyId }, first: 1 },
        admin.headers,
      );
      const after = first.data!.auditLog.pageInfo.endCursor;
      const next = await app.graphql<AuditPage>(
        AUDIT,
        { filter: { actorKeyId: keyA.keyId, from: '2000-01-01T00:00Z' }, first: 1, after },
        admin.headers,
      );
      expect(next.errors).toBeUndefined();
      expect(next.data!.auditLog.edges).toHaveLength(1);
    });

    it('offers no way to change or remove audit records', async () => {
      const res = await app.graphql<{ __schema: { mutationType: { fields: { name: string }[] } } }>(
        '{ __schema { mutationType { fields { name } } } }',
      );
      const names = res.data!.__schema.mutationType.fields.map((f) => f.name);
      expect(names).toEqual(expect.arrayContaining(['mergeEntities', 'unmergeEntities']));
      expect(names.filter((n) => /audit/i.test(n))).toEqual([]);
    });
  });
});
