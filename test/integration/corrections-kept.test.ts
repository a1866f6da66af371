import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statement } from '../../src/graph/executor.js';
import { loadBundle } from '../../src/services/import.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { fixtureBundle, uniq, writeBundle } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';

/**
 * What the API corrected, a later bundle load never undoes, and what a caller may not see, a correction
 * neither tells nor drops (issue #15's review): an amended relation claim stays on the relationship of its
 * new role, an edited claim keeps its attribution, a retracted name stays retracted, a stored publishedVia
 * chain keeps its hops, and updateSource keeps a publisher the analyst may not see without telling them.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const relationsOf = statement<{ id: string }>(
  'test.correctionsKept.relationsOf',
  `MATCH (:Entity {id: $id})-[r:INVOLVED_IN]->()
   RETURN r.role AS role, r.claimIds AS claimIds, r.formerClaimIds AS formerClaimIds ORDER BY role`,
);
const hopsOf = statement<{ id: string }>(
  'test.correctionsKept.hopsOf',
  `MATCH (:Source {id: $id})-[h:PUBLISHED_VIA]->(a:Actor) RETURN a.id AS actorId ORDER BY h.hop`,
);
const attributionOf = statement<{ id: string }>(
  'test.correctionsKept.attributionOf',
  `MATCH (:Claim {id: $id})-[h:ATTRIBUTED_TO]->(a:Actor) RETURN a.id AS actorId, h.capacity AS capacity ORDER BY h.hop`,
);
const namesOf = statement<{ id: string }>(
  'test.correctionsKept.namesOf',
  `MATCH (:Claim)-[g:GIVES_NAME]->(n:Entity {id: $id})
   RETURN g.value AS value, g.retractedAt IS NOT NULL AS retracted, n.names AS names`,
);
const publisherOf = statement<{ id: string }>(
  'test.correctionsKept.publisherOf',
  `MATCH (s:Source {id: $id}) RETURN s.version AS version,
     COLLECT { MATCH (s)-[:PUBLISHED_BY]->(a:Actor) RETURN a.id } AS publishers`,
);

describe('corrections a load never undoes, and that never tell or drop what is hidden', () => {
  let app: TestApp;
  let analyst: Record<string, string>;
  beforeAll(async () => {
    app = await startTestApp();
    analyst = (await keyHeaders(app.db, 'analyst')).headers;
  });
  afterAll(() => app.close());

  const ok = async (query: string, variables: Json = {}) => {
    const res = await app.graphql<Json>(query, variables, analyst);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data!;
  };
  const read = async (s: typeof relationsOf, id: string) => app.db.executor.read(s, { id });
  const versionOf = async (id: string) =>
    (await ok(`query($id: ID!) { node(id: $id) { ... on Claim { version } } }`, { id })).node
      .version as number;

  it('a reload keeps an amended relation claim on the relationship of its new role', async () => {
    const u = uniq();
    const doc = fixtureBundle(u, `Report ${u}: the monitor carried out the release.`, [
      {
        id: `cl-t${u}-inv`,
        subject: `ac-t${u}`,
        summary: 'The monitor carried out the release.',
        relation: { type: 'INVOLVED_IN', object: `ev-t${u}`, role: 'implementer' },
        source: `src-t${u}`,
        quotes: ['the monitor carried out the release'],
      },
    ]);
    await loadBundle(app.db.executor, writeBundle(doc));
    await ok(
      `mutation($id: ID!, $version: Int!) {
         amendClaim(id: $id, version: $version, amendment: { relation: { role: witness } }, reason: "misread") { id }
       }`,
      { id: `cl-t${u}-inv`, version: await versionOf(`cl-t${u}-inv`) },
    );
    await loadBundle(app.db.executor, writeBundle(doc));
    expect(await read(relationsOf, `ac-t${u}`)).toEqual([
      { role: 'implementer', claimIds: [], formerClaimIds: [`cl-t${u}-inv`] },
      { role: 'witness', claimIds: [`cl-t${u}-inv`], formerClaimIds: null },
    ]);
  });

  it("a reload keeps an edited claim's attribution, a stored chain's hops and a retracted name", async () => {
    const u = uniq();
    const text = `Report ${u}: the clerk said the guard kept a list.`;
    const doc = fixtureBundle(u, text, [
      {
        id: `cl-t${u}-said`,
        subject: `ev-t${u}`,
        summary: 'The guard kept a list, the clerk said.',
        source: `src-t${u}`,
        quotes: ['the guard kept a list'],
        attribution: [{ actor: `ac-t${u}-clerk`, capacity: 'clerk of the court', quote: 'the clerk said' }],
      },
      {
        id: `cl-t${u}-name`,
        subject: `ac-t${u}`,
        summary: 'The monitor reported it.',
        source: `src-t${u}`,
        quotes: [`Report ${u}`],
      },
    ]);
    doc.actors.push(
      { id: `ac-t${u}-clerk`, type: 'person', name: `Clerk ${u}` } as never,
      { id: `ac-t${u}-site`, type: 'organization', name: `Site ${u}` } as never,
    );
    doc.actors[0] = {
      ...doc.actors[0]!,
      aliases: [{ value: `Marsad ${u}`, lang: 'en', claims: [`cl-t${u}-name`] }],
    } as never;
    (doc.sources[0] as Json).publishedVia = [{ actor: `ac-t${u}-site`, url: 'https://site.example/r' }];
    await loadBundle(app.db.executor, writeBundle(doc));

    // The claim is edited (disputed), the name retracted; then the same bundle comes again, with another
    // capacity and no chain (as an analyst's export that leaves hidden outlets out would).
    await ok(`mutation($id: ID!) { disputeClaim(id: $id, reason: "one witness") { id } }`, {
      id: `cl-t${u}-said`,
    });
    await ok(
      `mutation($id: ID!) { retractAlias(entityId: $id, alias: { value: "Marsad ${u}", lang: "en" }, reason: "misread") { id } }`,
      { id: `ac-t${u}` },
    );
    const again = structuredClone(doc) as Json;
    again.claims[0].attribution[0].capacity = 'a passer-by';
    again.sources[0].publishedVia = [];
    await loadBundle(app.db.executor, writeBundle(again));

    expect(await read(attributionOf, `cl-t${u}-said`)).toEqual([
      { actorId: `ac-t${u}-clerk`, capacity: 'clerk of the court' },
    ]);
    expect(await read(hopsOf, `src-t${u}`)).toEqual([{ actorId: `ac-t${u}-site` }]);
    const names = await read(namesOf, `ac-t${u}`);
    expect(names.map((n) => ({ value: n.value, retracted: n.retracted }))).toEqual([
      { value: `Marsad ${u}`, retracted: true },
    ]);
    expect(names[0]!.names).not.toContain(`Marsad ${u}`);
  });

  it('updateSource neither tells nor drops a publisher the analyst may not see', async () => {
    const u = uniq();
    const hidden = fixtureBundle(u, `Bulletin ${u}: nothing to add.`);
    hidden.actors[0] = { ...hidden.actors[0]!, sensitivity: 'confidential' } as never;
    const bare = fixtureBundle(`${u}b`, `Bulletin ${u}b: nothing to add.`);
    delete (bare.sources[0] as Json).publisher;
    await loadBundle(app.db.executor, writeBundle(hidden));
    await loadBundle(app.db.executor, writeBundle(bare));
    const attempt = async (id: string) => {
      const { node } = await ok(
        `query($id: ID!) { node(id: $id) { ... on Source { version publisher { id } } } }`,
        {
          id,
        },
      );
      expect(node.publisher).toBeNull();
      const res = await app.graphql(
        `mutation($id: ID!, $version: Int!) {
           updateSource(id: $id, version: $version, patch: { publisherId: null }, reason: "no publisher") { id }
         }`,
        { id, version: node.version },
        analyst,
      );
      return { code: res.errors?.[0]?.extensions?.code, message: res.errors?.[0]?.message };
    };
    // The same answer whether a hidden publisher is there or none is.
    expect(await attempt(`src-t${u}`)).toEqual(await attempt(`src-t${u}b`));
    expect((await attempt(`src-t${u}`)).code).toBe('BAD_USER_INPUT');
    expect((await read(publisherOf, `src-t${u}`))[0]!.publishers).toEqual([`ac-t${u}`]);
  });
});
