import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearance } from '../../src/model/access.js';
import { statement } from '../../src/graph/executor.js';
import { BundleError } from '../../src/io/bundle/resolve.js';
import { exportBundle } from '../../src/services/export.js';
import { loadBundle } from '../../src/services/import.js';
import {
  AddAliasDocument,
  AddIdentifierDocument,
  EntityNamesDocument,
  NameProvenanceDocument,
  NameSearchDocument,
  RecordClaimDocument,
  RetractAliasDocument,
  RetractClaimDocument,
  RetractIdentifierDocument,
  SetSensitivityDocument,
} from '../generated/graphql.js';
import { startTestApp, type TestApp, type TypedDocument, type Variables } from '../helpers/app.js';
import { fixtureBundle, uniq, writeBundle } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';
import { auditsOf, expectOk, newWorld, type Key, type World } from '../helpers/writes.js';

/**
 * Aliases and identifiers with evidence (issue #15): addAlias / addIdentifier cite the claim that gives the
 * name, retractAlias / retractIdentifier take it out of the entity's names with a reason; every record stays,
 * audited, shown in provenance, with its claim's clearance.
 */

const stateOf = statement<{ id: string }>(
  'test.names.stateOf',
  `MATCH (n:Entity {id: $id})
   RETURN n.version AS version, n.names AS names, n.identifierKeys AS identifierKeys,
          COUNT { (:Claim)-[:GIVES_NAME]->(n) } AS records`,
);

type Named = {
  aliases: { value: string; lang: string }[];
  identifiers: { scheme: string; value: string }[];
  nameEvidence: Record<string, unknown>[];
};

describe('aliases and identifiers with evidence', () => {
  let app: TestApp;
  let analyst: Key;
  let admin: Key;
  let viewer: Key;
  beforeAll(async () => {
    app = await startTestApp();
    [analyst, admin, viewer] = await Promise.all([
      keyHeaders(app.db, 'analyst'),
      keyHeaders(app.db, 'admin'),
      keyHeaders(app.db, 'viewer'),
    ]);
  });
  afterAll(() => app.close());

  const ok = <T>(doc: TypedDocument<T>, variables: Variables, key: Key = analyst) =>
    expectOk(app, doc, variables, key);
  async function fail(doc: TypedDocument<unknown>, variables: Variables, key: Key = analyst) {
    const res = await app.graphql(doc, variables, key.headers);
    expect(res.data ?? null).toBeNull();
    return res.errors![0]!;
  }
  const state = async (id: string) => (await app.db.executor.read(stateOf, { id }))[0]!;
  const named = async (id: string, key: Key = analyst) =>
    (await ok(EntityNamesDocument, { id }, key)).node as unknown as Named;
  const searchIds = async (q: string) =>
    (await ok(NameSearchDocument, { q })).search.edges.map((e) => e.node.node.id);

  /** A world, and a claim about its actor (the monitor) quoting its words. */
  async function scene(sensitivity?: string): Promise<World & { claimId: string }> {
    const w = await newWorld(app, analyst);
    const { recordClaim } = await ok(
      RecordClaimDocument,
      {
        input: {
          subjectId: w.actorId,
          summary: `The monitor ${w.u} is also called by another name.`,
          sourceId: w.sourceId,
          excerpts: [{ quote: '𝕏 posted' }],
          ...(sensitivity ? { sensitivity } : {}),
        },
      },
      sensitivity === 'confidential' ? admin : analyst,
    );
    return { ...w, claimId: recordClaim.id };
  }

  it('adds an alias citing a claim: listed with its evidence, searchable, audited, in provenance', async () => {
    const w = await scene();
    const before = await state(w.actorId);
    const alias = { value: `Marsad${w.u}`, lang: 'en' };
    const { addAlias } = await ok(AddAliasDocument, {
      entityId: w.actorId,
      alias,
      claimId: w.claimId,
      reason: 'the report names it so',
    });
    const entity = addAlias as unknown as Named;
    expect(entity.aliases).toContainEqual(alias);
    expect(entity.nameEvidence).toEqual([
      {
        id: expect.stringMatching(/^nm-/),
        kind: 'ALIAS',
        value: alias.value,
        lang: 'en',
        scheme: null,
        claim: { id: w.claimId },
        reason: 'the report names it so',
        addedBy: expect.stringContaining(analyst.keyId),
        addedAt: expect.any(String),
        retracted: false,
        retractedBy: null,
        retractedAt: null,
        retractReason: null,
      },
    ]);
    const after = await state(w.actorId);
    expect(Number(after.version)).toBe(Number(before.version) + 1);
    expect(await searchIds(alias.value)).toContain(w.actorId);

    const audits = await auditsOf(app.db.executor, analyst.keyId);
    const last = audits[audits.length - 1]!;
    expect(last.operation).toBe('addAlias');
    expect(last.affectedIds).toEqual(expect.arrayContaining([w.actorId, w.claimId]));
    const changes = JSON.parse(String(last.changesJson)) as { id: string; before: unknown; after: unknown }[];
    expect(changes[0]).toMatchObject({
      id: w.actorId,
      before: { aliases: [], version: Number(before.version) },
      after: { aliases: [alias], version: Number(before.version) + 1 },
    });
    expect(changes[1]).toMatchObject({
      before: null,
      after: { claimId: w.claimId, kind: 'alias', value: alias.value, lang: 'en' },
    });

    // A second claim giving the same alias adds evidence, not a second alias.
    const { recordClaim: second } = await ok(RecordClaimDocument, {
      input: {
        subjectId: w.actorId,
        summary: 'Named again.',
        sourceId: w.sourceId,
        excerpts: [{ quote: 'Others said' }],
      },
    });
    const again = (await ok(AddAliasDocument, { entityId: w.actorId, alias, claimId: second.id }))
      .addAlias as unknown as Named;
    expect(again.aliases.filter((a) => a.value === alias.value)).toHaveLength(1);
    expect(again.nameEvidence.map((n) => (n.claim as { id: string }).id).sort()).toEqual(
      [w.claimId, second.id].sort(),
    );

    const { provenance } = await ok(NameProvenanceDocument, { id: w.actorId });
    const roles = new Map(provenance.edges.map((e) => [e.node.id, e.roles]));
    expect(roles.get(w.claimId)).toEqual(['SUBJECT', 'ALIAS']);
    expect(roles.get(second.id)).toEqual(['SUBJECT', 'ALIAS']);
  }, 180_000); // The first write and search plan the new statements: slow on a busy machine.

  it('adds and retracts an identifier, keeping the record', async () => {
    const w = await scene();
    const identifier = { scheme: 'wikidata', value: `Q${w.u.replace(/\D/g, '') || '1'}9` };
    const added = (await ok(AddIdentifierDocument, { entityId: w.actorId, identifier, claimId: w.claimId }))
      .addIdentifier as unknown as Named;
    expect(added.identifiers).toContainEqual(identifier);
    expect(added.nameEvidence).toEqual([
      expect.objectContaining({
        kind: 'IDENTIFIER',
        scheme: 'wikidata',
        value: identifier.value,
        lang: null,
      }),
    ]);
    const { provenance } = await ok(NameProvenanceDocument, { id: w.actorId });
    expect(provenance.edges.find((e) => e.node.id === w.claimId)?.roles).toEqual(['SUBJECT', 'IDENTIFIER']);

    const retracted = (
      await ok(RetractIdentifierDocument, { entityId: w.actorId, identifier, reason: 'another monitor' })
    ).retractIdentifier as unknown as Named;
    expect(retracted.identifiers).not.toContainEqual(identifier);
    expect(retracted.nameEvidence).toEqual([
      expect.objectContaining({
        kind: 'IDENTIFIER',
        retracted: true,
        retractReason: 'another monitor',
        retractedBy: expect.stringContaining(analyst.keyId),
        retractedAt: expect.any(String),
      }),
    ]);
    expect((await state(w.actorId)).identifierKeys).not.toContain(`wikidata:${identifier.value}`);
  });

  it('retracts an alias: search stops finding it, the record stays readable with who, when and why', async () => {
    const w = await scene();
    const alias = { value: `Gone${w.u}`, lang: 'ar' };
    await ok(AddAliasDocument, { entityId: w.actorId, alias, claimId: w.claimId });
    expect(await searchIds(alias.value)).toContain(w.actorId);
    // A complete new list of aliases cannot drop a name a claim gives: that is a retraction, with a reason.
    const update = (version: number) =>
      app.graphql<{ updateEntity: { version: number } }>(
        `mutation($id: ID!, $version: Int!) {
           updateEntity(id: $id, version: $version, patch: { aliases: [] }) { version }
         }`,
        { id: w.actorId, version },
        analyst.headers,
      );
    const dropped = await update(Number((await state(w.actorId)).version));
    expect(dropped.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      inputPath: ['patch', 'aliases'],
    });
    expect(dropped.errors?.[0]?.message).toContain('retractAlias');
    const before = await state(w.actorId);
    expect(before.names).toEqual(expect.arrayContaining([alias.value]));
    const entity = (await ok(RetractAliasDocument, { entityId: w.actorId, alias, reason: 'a misreading' }))
      .retractAlias as unknown as Named;
    expect(entity.aliases).not.toContainEqual(alias);
    expect(entity.nameEvidence).toEqual([
      expect.objectContaining({ value: alias.value, retracted: true, retractReason: 'a misreading' }),
    ]);
    expect(Number((await state(w.actorId)).version)).toBe(Number(before.version) + 1);
    expect(await searchIds(alias.value)).not.toContain(w.actorId);
    const audits = await auditsOf(app.db.executor, analyst.keyId);
    expect(audits[audits.length - 1]!.operation).toBe('retractAlias');
    // Still in provenance: the claim did give the name once.
    const { provenance } = await ok(NameProvenanceDocument, { id: w.actorId });
    expect(provenance.edges.find((e) => e.node.id === w.claimId)?.roles).toEqual(['SUBJECT', 'ALIAS']);
    // Once retracted, a new list without it is accepted.
    const updated = await update(Number((await state(w.actorId)).version));
    expect(updated.errors).toBeUndefined();
    // Retracting it again: it is not among the current aliases.
    const again = await fail(RetractAliasDocument, { entityId: w.actorId, alias, reason: 'again' });
    expect(again.extensions).toMatchObject({ code: 'BAD_USER_INPUT', inputPath: ['alias'] });
  });

  it('refuses a missing, hidden, retracted or unrelated claim, a stricter claim, a repeat and a viewer; writes nothing', async () => {
    const w = await scene();
    const other = await scene();
    const hidden = await scene('confidential');
    const restricted = await scene('restricted');
    const alias = { value: `Refused${w.u}`, lang: 'en' };
    await ok(AddAliasDocument, {
      entityId: w.actorId,
      alias: { value: `Kept${w.u}`, lang: 'en' },
      claimId: w.claimId,
    });
    const before = await state(w.actorId);
    const cases: [Variables, Key, string, (string | number)[]][] = [
      [{ entityId: w.actorId, alias, claimId: 'cl-missing' }, analyst, 'NOT_FOUND', ['claimId']],
      [{ entityId: 'ac-missing', alias, claimId: w.claimId }, analyst, 'NOT_FOUND', ['entityId']],
      [{ entityId: w.actorId, alias, claimId: other.claimId }, analyst, 'BAD_USER_INPUT', ['claimId']],
      [
        { entityId: w.actorId, alias: { value: ' ', lang: 'en' }, claimId: w.claimId },
        analyst,
        'BAD_USER_INPUT',
        ['alias', 'value'],
      ],
      [
        { entityId: w.actorId, alias: { value: `Kept${w.u}`, lang: 'en' }, claimId: w.claimId },
        analyst,
        'CONFLICT',
        ['claimId'],
      ],
      [{ entityId: w.actorId, alias, claimId: w.claimId }, viewer, 'FORBIDDEN', []],
    ];
    for (const [variables, key, code, inputPath] of cases) {
      const e = await fail(AddAliasDocument, variables, key);
      expect(e.extensions, JSON.stringify(variables)).toMatchObject({ code });
      if (inputPath.length) expect(e.extensions?.inputPath).toEqual(inputPath);
    }
    // A confidential claim is hidden from an analyst: NOT_FOUND, as if missing.
    const e = await fail(AddAliasDocument, { entityId: hidden.actorId, alias, claimId: hidden.claimId });
    expect(e.extensions).toMatchObject({ code: 'NOT_FOUND', inputPath: ['claimId'] });
    // A restricted claim cannot name a public entity (everyone who sees the entity would see the name).
    const strict = await fail(AddAliasDocument, {
      entityId: restricted.actorId,
      alias,
      claimId: restricted.claimId,
    });
    expect(strict.extensions).toMatchObject({ code: 'BAD_USER_INPUT', inputPath: ['claimId'] });
    // A retracted claim gives no names.
    await ok(RetractClaimDocument, { id: other.claimId, reason: 'wrong' });
    const gone = await fail(AddAliasDocument, { entityId: other.actorId, alias, claimId: other.claimId });
    expect(gone.extensions).toMatchObject({ code: 'BAD_USER_INPUT', inputPath: ['claimId'] });
    const missingReason = await fail(RetractAliasDocument, {
      entityId: w.actorId,
      alias: { value: `Kept${w.u}`, lang: 'en' },
      reason: ' ',
    });
    expect(missingReason.extensions).toMatchObject({ code: 'BAD_USER_INPUT', inputPath: ['reason'] });

    expect(await state(w.actorId)).toEqual(before);
    for (const s of [other, hidden, restricted]) expect(Number((await state(s.actorId)).records)).toBe(0);
  });

  it('shows a record only to callers who may see its claim', async () => {
    const w = await scene();
    const alias = { value: `Shown${w.u}`, lang: 'en' };
    await ok(AddAliasDocument, { entityId: w.actorId, alias, claimId: w.claimId });
    expect((await named(w.actorId, viewer)).nameEvidence).toHaveLength(1);
    await ok(SetSensitivityDocument, { id: w.claimId, s: 'restricted' });
    const seen = await named(w.actorId, viewer);
    // The name stays on the entity (it was given while public); its restricted evidence is not shown.
    expect(seen.aliases).toContainEqual(alias);
    expect(seen.nameEvidence).toEqual([]);
    expect((await named(w.actorId, analyst)).nameEvidence).toHaveLength(1);
    const { provenance } = await ok(NameProvenanceDocument, { id: w.actorId }, viewer);
    expect(provenance.edges.map((e) => e.node.id)).not.toContain(w.claimId);
  });

  it('bundles give names with evidence too: loaded, exported with their claims, loaded again unchanged', async () => {
    const u = uniq();
    const text = `The monitor, known locally as Marsad ${u}, counted 40 released.`;
    const claim = {
      id: `cl-t${u}-name`,
      subject: `ac-t${u}`,
      summary: 'The monitor is known locally by another name.',
      source: `src-t${u}`,
      quotes: [`known locally as Marsad ${u}`],
    };
    const bundle = fixtureBundle(u, text, [claim]);
    const alias = { value: `Marsad ${u}`, lang: 'en' };
    bundle.actors[0]!.aliases.push({
      ...alias,
      claims: [claim.id],
    } as (typeof bundle.actors)[0]['aliases'][0]);
    await loadBundle(app.db.executor, writeBundle(bundle));
    const entity = await named(`ac-t${u}`);
    expect(entity.aliases).toContainEqual(alias);
    expect(entity.nameEvidence).toEqual([
      expect.objectContaining({
        kind: 'ALIAS',
        value: alias.value,
        claim: { id: claim.id },
        retracted: false,
      }),
    ]);

    // A claim about another entity cannot give the name.
    const wrong = fixtureBundle(u, text, [{ ...claim, subject: `ev-t${u}` }]);
    wrong.actors[0]!.aliases.push({ ...alias, claims: [claim.id] } as (typeof wrong.actors)[0]['aliases'][0]);
    await expect(loadBundle(app.db.executor, writeBundle(wrong))).rejects.toSatisfy(
      (e) =>
        e instanceof BundleError &&
        e.problems.some((p) => p.path === 'actors[0].aliases[1].claims[0]' && /not about/.test(p.message)),
    );

    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'hrkg-names-')), 'export.json');
    const out = createWriteStream(file);
    // An analyst's export: the readable bundle only (a full one is a backup of the whole test store).
    await exportBundle(app.db.executor.forRequest('names-export', clearance('analyst')), out);
    out.end();
    await once(out, 'finish');
    const exported = JSON.parse(readFileSync(file, 'utf8')) as {
      actors: { id: string; aliases: unknown[] }[];
    };
    const actor = exported.actors.find((a) => a.id === `ac-t${u}`)!;
    expect(actor.aliases).toContainEqual({ ...alias, claims: [claim.id] });
    const again = fixtureBundle(u, text, [claim]);
    again.actors[0]!.aliases = actor.aliases as (typeof again.actors)[0]['aliases'];
    await loadBundle(app.db.executor, writeBundle(again));
    expect(Number((await state(`ac-t${u}`)).records)).toBe(1);
  });
});
