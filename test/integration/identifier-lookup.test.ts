import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { statement, type Executor } from '../../src/graph/executor.js';
import { migration as m0012 } from '../../src/graph/migrations/0012-identifier-lookup.js';
import { CANONICAL_KEY } from '../../src/graph/queries/identity.js';
import { VISIBLE } from '../../src/graph/queries/fragments.js';
import { entityByIdentifier } from '../../src/graph/stores/identity.js';
import { identifierHolders } from '../../src/graph/stores/import-reuse.js';
import { IDENTIFIER_RULES, identifierKey } from '../../src/model/identifiers.js';
import { sha256 } from '../../src/model/text.js';
import { loadBundle, SAMPLE_BUNDLE } from '../../src/services/import.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { uniq, writeBundle } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';

/**
 * Lookups by external identifier (entityByIdentifier, the importer's reuse by identifier) are seeks in the
 * full-text index entity_identifier_keys (migration 0012): they answer as the scan of every entity's keys
 * they replace did, for every identifier of the sample and of this file's fixtures, at each clearance; and
 * every path that changes an entity's identifiers (create, update, add/retract, merge and its undo, the
 * migration of keys stored before the case rule) is what the lookup then finds.
 */

type Headers = Record<string, string>;

/** The statement this replaced: every entity's keys, canonicalised at query time (no index hint: dropped). */
const scanByIdentifier = statement<{ key: string; identifierRules: typeof IDENTIFIER_RULES }>(
  'test.identifierLookup.scan',
  `MATCH (n:Entity)
   WHERE n.identifierKeys IS NOT NULL AND any(k IN n.identifierKeys WHERE ${CANONICAL_KEY('k')} = $key)
     AND ${VISIBLE('n')}
   RETURN n.id AS id ORDER BY n.createdAt, n.id LIMIT 1`,
);
const scanHolders = statement<{ keys: string[]; identifierRules: typeof IDENTIFIER_RULES }>(
  'test.identifierLookup.scanHolders',
  `MATCH (n:Entity)
   WHERE n.identifierKeys IS NOT NULL AND ${VISIBLE('n')}
   WITH n, [k IN n.identifierKeys | ${CANONICAL_KEY('k')}] AS keys
   WITH n, [k IN keys WHERE k IN $keys] AS hits
   WHERE size(hits) > 0
   RETURN n.id AS id, n.kind AS kind, n.type AS type, hits, toString(n.createdAt) AS createdAt ORDER BY id`,
);
const setKeys = statement<{ id: string; keys: string[] }>(
  'test.identifierLookup.setKeys',
  'MATCH (n:Entity {id: $id}) SET n.identifierKeys = $keys',
);
const keysOf = statement<{ id: string }>(
  'test.identifierLookup.keysOf',
  'MATCH (n {id: $id}) WHERE n:Entity OR n:Merged RETURN n.identifierKeys AS keys',
);

const BY_IDENTIFIER = `query($scheme: String!, $value: String!) {
  entityByIdentifier(scheme: $scheme, value: $value) { id }
}`;

/** Values with what a Lucene query would read as syntax: quotes, a backslash, spaces, wildcards, a colon. */
const odd = (u: string) => `say "hi" \\ there * ${u}: (a OR b)~1`;

function fixture(u: string) {
  const text = `Identifier lookups ${u}: the group was named in the report, and so was the prison.`;
  const actor = (suffix: string, identifiers: { scheme: string; value: string }[], extra = {}) => ({
    id: `ac-il${u}-${suffix}`,
    type: 'group',
    name: `Group ${suffix} ${u}`,
    identifiers,
    ...extra,
  });
  return {
    format: 'hrkg-bundle/1',
    recordedBy: 'identifier lookup test',
    recordedAt: '2026-11-25T10:00:00Z',
    sources: [
      { id: `src-il${u}`, text, sha256: sha256(text), title: `Identifier lookup ${u}`, language: 'en' },
    ],
    actors: [
      // The same FtM id on a confidential actor and a public one: the first in id order (one load, one
      // createdAt) is confidential, so the public caller is given the other.
      actor('a-hidden', [{ scheme: 'ftm', value: `shared-${u}` }], { sensitivity: 'confidential' }),
      actor('b-public', [{ scheme: 'ftm', value: `shared-${u}` }]),
      // FtM ids are case-sensitive: two records.
      actor('c-upper', [{ scheme: 'ftm', value: `Case-${u}` }]),
      actor('d-lower', [{ scheme: 'ftm', value: `case-${u}` }]),
      // ISO 3166 and Wikidata written in lower case, as FtM writes them.
      actor('e-caseless', [
        { scheme: 'iso3166', value: `x${u}-a` },
        { scheme: 'wikidata', value: `q${u}` },
      ]),
      actor('f-odd', [
        { scheme: 'other', value: odd(u) },
        { scheme: 'url', value: `https://example.org/a?b=c&d=(e)*${u}` },
      ]),
      actor('g-keep', [{ scheme: 'opensanctions', value: `os-keep-${u}` }]),
      actor('h-dup', [{ scheme: 'opensanctions', value: `os-dup-${u}` }]),
    ],
    claims: [
      {
        id: `cl-il${u}-g`,
        subject: `ac-il${u}-g-keep`,
        summary: 'The group was named in the report.',
        source: `src-il${u}`,
        quotes: ['the group was named in the report'],
      },
    ],
  };
}

describe('lookups by identifier', () => {
  let app: TestApp;
  let u: string;
  let admin: Headers;
  let analyst: Headers;
  let publicEx: Executor;
  let fullEx: Executor;
  const ac = (suffix: string) => `ac-il${u}-${suffix}`;

  beforeAll(async () => {
    app = await startTestApp();
    u = uniq();
    await loadBundle(app.db.executor, writeBundle(fixture(u)));
    admin = (await keyHeaders(app.db, 'admin')).headers;
    analyst = (await keyHeaders(app.db, 'analyst')).headers;
    publicEx = app.db.executor.forRequest('test-public', ['public']);
    fullEx = app.db.executor.forRequest('test-full', ['public', 'restricted', 'confidential']);
  });
  afterAll(() => app.close());

  const lookup = async (scheme: string, value: string, headers: Headers = {}) => {
    const res = await app.graphql<{ entityByIdentifier: { id: string } | null }>(
      BY_IDENTIFIER,
      { scheme, value },
      headers,
    );
    expect(res.errors).toBeUndefined();
    return res.data!.entityByIdentifier?.id ?? null;
  };

  /** Every identifier of the sample and the fixture, as written and in other cases, as lookup keys. */
  function allKeys(): string[] {
    const doc = parse(readFileSync(SAMPLE_BUNDLE, 'utf8')) as Record<string, unknown>;
    const written = [doc, fixture(u)].flatMap((d) =>
      (['actors', 'places', 'events'] as const).flatMap(
        (list) =>
          ((d as Record<string, unknown>)[list] as { identifiers?: { scheme: string; value: string }[] }[]) ??
          [],
      ),
    );
    const keys = new Set<string>();
    for (const e of written)
      for (const i of e.identifiers ?? [])
        for (const v of [i.value, i.value.toLowerCase(), i.value.toUpperCase(), ` ${i.value} `])
          keys.add(identifierKey(i.scheme, v));
    keys.add(identifierKey('iso3166', `SY-${u}`));
    return [...keys];
  }

  it('answers as the scan it replaced, for every identifier, at each clearance', async () => {
    const keys = allKeys();
    expect(keys.length).toBeGreaterThan(20);
    for (const ex of [publicEx, fullEx]) {
      for (const key of keys) {
        const [old] = await ex.read(scanByIdentifier, { key, identifierRules: IDENTIFIER_RULES });
        const now = await entityByIdentifier(ex, key);
        expect(now?.id ?? null, `${key} (${ex.visible.join(',')})`).toBe(
          (old?.id as string | undefined) ?? null,
        );
      }
      const old = await ex.read(scanHolders, { keys, identifierRules: IDENTIFIER_RULES });
      const now = (await identifierHolders(ex, keys)).sort((a, b) => a.id.localeCompare(b.id));
      expect(now).toEqual(
        old.map((r) => ({
          id: r.id,
          kind: r.kind,
          type: r.type,
          hits: r.hits,
          createdAt: r.createdAt,
        })),
      );
    }
  });

  it('finds what the case rules say, and never a hidden record', async () => {
    expect(await lookup('iso3166', 'SY-RD')).toBe('pl-rif-dimashq');
    expect(await lookup('iso3166', 'sy-rd')).toBe('pl-rif-dimashq');
    expect(await lookup('iso3166', `X${u}-A`)).toBe(ac('e-caseless'));
    expect(await lookup('wikidata', `Q${u}`)).toBe(ac('e-caseless'));
    expect(await lookup('ftm', `Case-${u}`)).toBe(ac('c-upper'));
    expect(await lookup('ftm', `case-${u}`)).toBe(ac('d-lower'));
    expect(await lookup('ftm', `CASE-${u}`)).toBeNull();
    expect(await lookup('other', ` ${odd(u)} `)).toBe(ac('f-odd'));
    expect(await lookup('other', 'say')).toBeNull();
    expect(await lookup('url', `https://example.org/a?b=c&d=(e)*${u}`)).toBe(ac('f-odd'));
    expect(await lookup('url', `https://example.org/a?b=c&d=(e)*`)).toBeNull();
    // The oldest holder the caller may see: the confidential one for an admin, the public one otherwise.
    expect(await lookup('ftm', `shared-${u}`, admin)).toBe(ac('a-hidden'));
    expect(await lookup('ftm', `shared-${u}`)).toBe(ac('b-public'));
  });

  it('follows every write of identifiers: create, update, add, retract', async () => {
    const created = await app.graphql<{ createEntity: { id: string; version: number } }>(
      `mutation($input: CreateEntityInput!) { createEntity(input: $input) { id version } }`,
      {
        input: {
          kind: 'ACTOR',
          type: 'group',
          name: `Created ${u}`,
          identifiers: [{ scheme: 'wikidata', value: `q${u}0` }],
        },
      },
      analyst,
    );
    expect(created.errors).toBeUndefined();
    const { id, version } = created.data!.createEntity;
    expect(await lookup('wikidata', `Q${u}0`)).toBe(id);

    const updated = await app.graphql(
      `mutation($id: ID!, $v: Int!, $p: EntityPatch!) { updateEntity(id: $id, version: $v, patch: $p) { id } }`,
      { id, v: version, p: { identifiers: [{ scheme: 'acled', value: `ACL${u}` }] } },
      analyst,
    );
    expect(updated.errors).toBeUndefined();
    expect(await lookup('wikidata', `Q${u}0`)).toBeNull();
    expect(await lookup('acled', `ACL${u}`)).toBe(id);
    expect(await lookup('acled', `acl${u}`)).toBeNull();

    const identifier = { scheme: 'wikidata', value: `q${u}1` };
    const added = await app.graphql(
      `mutation($e: ID!, $i: ExternalIdentifierInput!, $c: ID!) { addIdentifier(entityId: $e, identifier: $i, claimId: $c) { id } }`,
      { e: ac('g-keep'), i: identifier, c: `cl-il${u}-g` },
      analyst,
    );
    expect(added.errors).toBeUndefined();
    expect(await lookup('wikidata', `Q${u}1`)).toBe(ac('g-keep'));
    const retracted = await app.graphql(
      `mutation($e: ID!, $i: ExternalIdentifierInput!) { retractIdentifier(entityId: $e, identifier: $i, reason: "wrong record") { id } }`,
      { e: ac('g-keep'), i: identifier },
      analyst,
    );
    expect(retracted.errors).toBeUndefined();
    expect(await lookup('wikidata', `Q${u}1`)).toBeNull();
  });

  it("resolves a merged-away entity's identifiers to the kept one, and its own again after the undo", async () => {
    const merged = await app.graphql<{ mergeEntities: { merge: { id: string } } }>(
      'mutation($k: ID!, $m: ID!) { mergeEntities(keepId: $k, mergeId: $m, note: "duplicate") { merge { id } } }',
      { k: ac('g-keep'), m: ac('h-dup') },
      admin,
    );
    expect(merged.errors).toBeUndefined();
    expect(await lookup('opensanctions', `os-dup-${u}`)).toBe(ac('g-keep'));
    expect(await lookup('opensanctions', `os-keep-${u}`)).toBe(ac('g-keep'));
    expect((await identifierHolders(publicEx, [`opensanctions:os-dup-${u}`])).map((h) => h.id)).toEqual([
      ac('g-keep'),
    ]);

    const undone = await app.graphql(
      'mutation($id: ID!) { unmergeEntities(mergeId: $id, note: "not the same") { id } }',
      { id: merged.data!.mergeEntities.merge.id },
      admin,
    );
    expect(undone.errors).toBeUndefined();
    expect(await lookup('opensanctions', `os-dup-${u}`)).toBe(ac('h-dup'));
    expect(await lookup('opensanctions', `os-keep-${u}`)).toBe(ac('g-keep'));
  });

  it('migration 0012 makes keys stored before the case rule canonical, so the index finds them', async () => {
    const id = ac('e-caseless');
    const U = u.toUpperCase();
    const old = [`iso3166:x${u}-a`, `wikidata:q${u}`, `iso3166:X${U}-A`];
    await app.db.executor.write(setKeys, { id, keys: old });
    // The index compares keys exactly: a key stored as written before the rule is not found by it.
    expect(await lookup('iso3166', `X${u}-A`)).toBe(id);
    expect(await lookup('wikidata', `Q${u}`)).toBeNull();
    for (const [i, cypher] of m0012.statements.entries())
      await app.db.executor.schema(statement(`test.identifierLookup.m0012.${i}`, cypher));
    const [row] = await app.db.executor.read(keysOf, { id });
    expect(row!.keys).toEqual([`iso3166:X${U}-A`, `wikidata:Q${U}`]);
    expect(await lookup('wikidata', `Q${u}`)).toBe(id);
    expect(await lookup('iso3166', `x${u}-a`)).toBe(id);
  });
});
