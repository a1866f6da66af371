import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/model/text.js';
import { exportBundle, exportGraph } from '../../src/services/export.js';
import { loadBundle } from '../../src/services/import.js';
import { statement } from '../../src/graph/executor.js';
import {
  AmendClaimDocument,
  ClaimCorrectionsDocument,
  CreateEntityDocument,
  IngestSourceDocument,
  RecordClaimDocument,
  RetractClaimDocument,
  SetSensitivityDocument,
  SourceCorrectionsDocument,
  UpdateSourceDocument,
} from '../generated/graphql.js';
import { startTestApp, type TestApp, type TypedDocument, type Variables } from '../helpers/app.js';
import { uniq, writeBundle } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';
import { auditsOf, expectOk, newWorld, type Key } from '../helpers/writes.js';

/**
 * Corrections without loss against the real Neo4j: publishedVia chains, updateSource and amendClaim, with
 * their refusals (nothing written), audit records, clearance and the earlier versions kept readable.
 */

type GqlError = { message: string; extensions?: Record<string, unknown> };

const versionsOf = statement<{ id: string }>(
  'test.corrections.versionsOf',
  `MATCH (n {id: $id})-[:HAS_VERSION]->(v) RETURN count(v) AS n, max(n.version) AS version`,
);
const relationsOf = statement<{ from: string; to: string }>(
  'test.corrections.relationsOf',
  `MATCH (:Entity {id: $from})-[r:INVOLVED_IN]->(:Entity {id: $to})
   RETURN r.role AS role, r.claimIds AS claimIds, r.formerClaimIds AS formerClaimIds ORDER BY role`,
);

// Two busy cores: a cold plan of a new statement can take a minute (see cypher-plans.test.ts).
describe('corrections: publishedVia, updateSource, amendClaim', { timeout: 180_000 }, () => {
  let app: TestApp;
  let analyst: Key;
  let admin: Key;
  let viewer: Key;

  beforeAll(async () => {
    app = await startTestApp();
    analyst = await keyHeaders(app.db, 'analyst');
    admin = await keyHeaders(app.db, 'admin');
    viewer = await keyHeaders(app.db, 'viewer');
  });
  afterAll(() => app.close());

  const ok = <T>(doc: TypedDocument<T>, variables: Variables, key: Key = analyst): Promise<T> =>
    expectOk(app, doc, variables, key);

  async function fail(
    doc: TypedDocument<unknown>,
    variables: Variables,
    key: Key = analyst,
  ): Promise<GqlError> {
    const res = await app.graphql(doc, variables, key.headers);
    expect(res.data ?? null, JSON.stringify(res.data)).toBeNull();
    expect(res.errors?.length).toBe(1);
    return res.errors![0]! as GqlError;
  }

  const actor = async (name: string, key: Key = analyst) =>
    (await ok(CreateEntityDocument, { input: { kind: 'ACTOR', type: 'organization', name } }, key))
      .createEntity.id;

  async function versions(id: string): Promise<number> {
    const [row] = await app.db.executor.read(versionsOf, { id });
    return Number(row?.n ?? 0);
  }

  describe('publishedVia', () => {
    it('stores a chain from ingestSource, reads it nearest first, and reports a differing chain on re-ingest', async () => {
      const u = uniq();
      const wire = await actor(`Wire ${u}`);
      const site = await actor(`Site ${u}`);
      const text = `Wire story ${u}: a monitor's director said 40 were women.`;
      const input = {
        text,
        title: `Wire ${u}`,
        language: 'en',
        publishedVia: [
          {
            actorId: site,
            url: 'https://site.example/story',
            published: { value: '2022-05-02', precision: 'day' },
          },
          { actorId: wire, url: 'https://wire.example/a' },
        ],
      };
      const { ingestSource } = await ok(IngestSourceDocument, { input });
      const id = ingestSource.source.id;
      const { node } = await ok(SourceCorrectionsDocument, { id });
      expect(node).toMatchObject({
        version: 1,
        publishedVia: [
          {
            hop: 1,
            outlet: { id: site },
            url: 'https://site.example/story',
            published: { value: '2022-05-02' },
          },
          { hop: 2, outlet: { id: wire }, url: 'https://wire.example/a', published: null },
        ],
        history: [],
      });
      const again = await ok(IngestSourceDocument, {
        input: { ...input, publishedVia: [{ actorId: wire, url: 'https://wire.example/a' }] },
      });
      expect(again.ingestSource.created).toBe(false);
      expect(again.ingestSource.differences.map((d) => d.field)).toEqual(['publishedVia']);
    });

    it('refuses a hop through a missing actor or a non-http url, writing nothing', async () => {
      const u = uniq();
      const text = `Refused chain ${u}.`;
      const e1 = await fail(IngestSourceDocument, {
        input: { text, title: 't', language: 'en', publishedVia: [{ actorId: `ac-missing-${u}` }] },
      });
      expect(e1.extensions?.code).toBe('NOT_FOUND');
      expect(e1.extensions?.inputPath).toEqual(['input', 'publishedVia', 0, 'actorId']);
      const site = await actor(`Site ${u}`);
      const e2 = await fail(IngestSourceDocument, {
        input: {
          text,
          title: 't',
          language: 'en',
          publishedVia: [{ actorId: site, url: 'ftp://x.example/' }],
        },
      });
      expect(e2.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('leaves out an outlet the caller may not see, numbering the rest without a gap', async () => {
      const u = uniq();
      const hidden = await actor(`Hidden outlet ${u}`);
      const shown = await actor(`Shown outlet ${u}`);
      await ok(SetSensitivityDocument, { id: hidden, s: 'restricted' });
      const { ingestSource } = await ok(IngestSourceDocument, {
        input: {
          text: `Chain with a hidden hop ${u}.`,
          title: 't',
          language: 'en',
          publishedVia: [{ actorId: hidden }, { actorId: shown }],
        },
      });
      const { node } = await ok(SourceCorrectionsDocument, { id: ingestSource.source.id }, viewer);
      expect(node).toMatchObject({ publishedVia: [{ hop: 1, outlet: { id: shown } }] });
      const full = await ok(SourceCorrectionsDocument, { id: ingestSource.source.id });
      expect((full.node as { publishedVia: unknown[] }).publishedVia).toHaveLength(2);
    });
  });

  describe('publishedVia in bundles and exports', () => {
    it('loads a chain from a bundle, exports it in the bundle and as PROV influences', async () => {
      const u = uniq();
      const text = `Republished report ${u}.`;
      const [origin, outlet] = [`ac-t${u}-origin`, `ac-t${u}-outlet`];
      await loadBundle(
        app.db.executor,
        writeBundle({
          format: 'hrkg-bundle/1',
          recordedBy: 'test',
          recordedAt: '2026-11-30T10:00:00Z',
          actors: [
            { id: origin, type: 'organization', name: `Origin ${u}` },
            { id: outlet, type: 'organization', name: `Outlet ${u}` },
          ],
          sources: [
            {
              id: `src-t${u}`,
              text,
              sha256: sha256(text),
              title: `Report ${u}`,
              language: 'en',
              publisher: origin,
              publishedVia: [
                {
                  actor: outlet,
                  url: 'https://outlet.example/r',
                  published: { value: '2022-06', precision: 'month' },
                },
              ],
            },
          ],
        }),
      );
      const { node } = await ok(SourceCorrectionsDocument, { id: `src-t${u}` });
      expect(node).toMatchObject({
        publishedVia: [{ hop: 1, outlet: { id: outlet }, url: 'https://outlet.example/r' }],
      });
      const read = async (write: (out: PassThrough) => Promise<unknown>) => {
        const out = new PassThrough();
        const chunks: Buffer[] = [];
        out.on('data', (c: Buffer) => chunks.push(c));
        await write(out);
        out.end();
        return Buffer.concat(chunks).toString('utf8');
      };
      const executor = app.db.executor.forRequest('corrections-export', ['public', 'restricted']);
      const doc = JSON.parse(await read((out) => exportBundle(executor, out))) as {
        sources: { id: string; publishedVia?: unknown }[];
      };
      expect(doc.sources.find((x) => x.id === `src-t${u}`)?.publishedVia).toEqual([
        {
          actor: outlet,
          url: 'https://outlet.example/r',
          published: expect.objectContaining({ value: '2022-06' }),
        },
      ]);
      const prov = await read((out) => exportGraph(executor, 'prov', out));
      expect(prov).toContain(`"prov:influencee":"hrkg:src-t${u}","prov:influencer":"hrkg:${outlet}"`);
    });
  });

  describe('updateSource', () => {
    it('corrects metadata as a new version, keeps the earlier one readable, audits it, and re-ingest returns the current metadata', async () => {
      const w = await newWorld(app, analyst);
      const wire = await actor(`Wire ${w.u}`);
      const { updateSource } = await ok(UpdateSourceDocument, {
        id: w.sourceId,
        version: 1,
        patch: {
          title: `Corrected ${w.u}`,
          url: 'https://monitor.example/report',
          published: { value: '2022-05-03', precision: 'day' },
          publishedVia: [{ actorId: wire, url: 'https://wire.example/b' }],
        },
        reason: 'The title was mistyped',
      });
      expect(updateSource).toMatchObject({
        version: 2,
        title: `Corrected ${w.u}`,
        url: 'https://monitor.example/report',
        publisher: { id: w.actorId },
        publishedVia: [{ hop: 1, outlet: { id: wire } }],
      });
      const { node } = await ok(SourceCorrectionsDocument, { id: w.sourceId });
      expect(node).toMatchObject({
        history: [
          {
            version: 1,
            reason: 'The title was mistyped',
            title: `Report ${w.u}`,
            url: null,
            publisher: { id: w.actorId },
            publishedVia: [],
          },
        ],
      });
      const [audit] = (await auditsOf(app.db.executor, analyst.keyId)).filter(
        (a) => a.operation === 'updateSource' && (a.affectedIds as string[]).includes(w.sourceId),
      );
      const changes = JSON.parse(String(audit!.changesJson)) as { before: object; after: object }[];
      expect(Object.keys(changes[0]!.after).sort()).toEqual(
        ['published', 'publishedVia', 'reason', 'title', 'url', 'version'].sort(),
      );
      const again = await ok(IngestSourceDocument, {
        input: { text: w.text, title: `Report ${w.u}`, language: 'ar' },
      });
      expect(again.ingestSource.source.title).toBe(`Corrected ${w.u}`);
      expect(again.ingestSource.differences.map((d) => d.field)).toEqual(['title']);
    });

    it('refuses a stale version (VERSION_CONFLICT with currentVersion), an empty reason, a no-op patch and a viewer, writing nothing', async () => {
      const w = await newWorld(app, analyst);
      const args = { id: w.sourceId, patch: { title: 'x' }, reason: 'r' };
      const stale = await fail(UpdateSourceDocument, { ...args, version: 7 });
      expect(stale.extensions).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 1 });
      expect((await fail(UpdateSourceDocument, { ...args, version: 1, reason: ' ' })).extensions?.code).toBe(
        'BAD_USER_INPUT',
      );
      const same = await fail(UpdateSourceDocument, {
        ...args,
        version: 1,
        patch: { title: `Report ${w.u}` },
      });
      expect(same.extensions?.code).toBe('BAD_USER_INPUT');
      expect((await fail(UpdateSourceDocument, { ...args, version: 1 }, viewer)).extensions?.code).toBe(
        'FORBIDDEN',
      );
      expect(await versions(w.sourceId)).toBe(0);
      const { node } = await ok(SourceCorrectionsDocument, { id: w.sourceId });
      expect(node).toMatchObject({ version: 1, title: `Report ${w.u}` });
    });

    it('is kept by a later load of the bundle it came from (reported as changed since), and replays by idempotencyKey', async () => {
      const u = uniq();
      const text = `Bundled report ${u}.`;
      const doc = {
        format: 'hrkg-bundle/1',
        recordedBy: 'test',
        recordedAt: '2026-11-30T10:00:00Z',
        sources: [{ id: `src-t${u}`, text, sha256: sha256(text), title: `Bundled ${u}`, language: 'en' }],
      };
      await loadBundle(app.db.executor, writeBundle(doc));
      const vars = {
        id: `src-t${u}`,
        version: 1,
        patch: { title: `Bundled ${u} (corrected)` },
        reason: 'typo',
        idempotencyKey: `upd-${u}`,
      };
      const first = await ok(UpdateSourceDocument, vars);
      const replay = await ok(UpdateSourceDocument, vars);
      expect(replay.updateSource.version).toBe(first.updateSource.version);
      expect(await versions(`src-t${u}`)).toBe(1);
      const again = await loadBundle(app.db.executor, writeBundle(doc), { force: true });
      expect(again.kept?.changedSince).toContain(`src-t${u}`);
      const { node } = await ok(SourceCorrectionsDocument, { id: `src-t${u}` });
      expect(node).toMatchObject({ title: `Bundled ${u} (corrected)`, version: 2 });
    });

    it('answers NOT_FOUND for a source the caller may not see', async () => {
      const w = await newWorld(app, analyst);
      await ok(SetSensitivityDocument, { id: w.sourceId, s: 'confidential' }, admin);
      const e = await fail(UpdateSourceDocument, {
        id: w.sourceId,
        version: 2,
        patch: { title: 'x' },
        reason: 'r',
      });
      expect(e.extensions?.code).toBe('NOT_FOUND');
      expect(await versions(w.sourceId)).toBe(0);
      const done = await ok(
        UpdateSourceDocument,
        { id: w.sourceId, version: 2, patch: { notes: 'checked' }, reason: 'r' },
        admin,
      );
      expect(done.updateSource.version).toBe(3);
    });
  });

  describe('amendClaim', () => {
    async function figureClaim(w: Awaited<ReturnType<typeof newWorld>>, quote: string, value: number) {
      const { recordClaim } = await ok(RecordClaimDocument, {
        input: {
          subjectId: w.eventId,
          summary: `${value} released.`,
          sourceId: w.sourceId,
          excerpts: [{ quote }],
          figure: { measure: 'people_released', value, qualifier: 'approximately', unit: 'people' },
        },
      });
      return recordClaim.id;
    }

    it('amends a figure as a new version of the same claim; history keeps the old values; conflicts follow', async () => {
      const w = await newWorld(app, analyst);
      const a = await figureClaim(w, 'Nearly 1,168 detainees', 1168);
      const b = await figureClaim(w, '1,160 left', 1160);
      const before = await ok(ClaimCorrectionsDocument, { id: a });
      expect((before.node as { conflicts: { id: string }[] }).conflicts.map((c) => c.id)).toEqual([b]);
      const { amendClaim } = await ok(AmendClaimDocument, {
        id: a,
        version: 1,
        amendment: { summary: '1,160 released.', figure: { value: 1160, asOf: null } },
        reason: 'Misread the number',
      });
      expect(amendClaim).toMatchObject({
        id: a,
        version: 2,
        summary: '1,160 released.',
        figure: { value: 1160 },
      });
      const { node } = await ok(ClaimCorrectionsDocument, { id: a });
      expect(node).toMatchObject({
        conflicts: [],
        history: [
          {
            version: 1,
            reason: 'Misread the number',
            summary: '1168 released.',
            figure: { measure: 'people_released', value: 1168, qualifier: 'approximately' },
          },
        ],
      });
      const stale = await fail(AmendClaimDocument, {
        id: a,
        version: 1,
        amendment: { summary: 'x' },
        reason: 'r',
      });
      expect(stale.extensions).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });
      const audits = (await auditsOf(app.db.executor, analyst.keyId)).filter(
        (x) => x.operation === 'amendClaim',
      );
      expect(audits.some((x) => (x.affectedIds as string[]).includes(a))).toBe(true);
    });

    it('refuses another kind (AMENDMENT_NOT_ALLOWED), a retracted claim (CONFLICT), a hidden one (NOT_FOUND), writing nothing', async () => {
      const w = await newWorld(app, analyst);
      const a = await figureClaim(w, 'Nearly 1,168 detainees', 1168);
      const kind = await fail(AmendClaimDocument, {
        id: a,
        version: 1,
        amendment: { attribute: { value: 'x' } },
        reason: 'r',
      });
      expect(kind.extensions).toMatchObject({
        code: 'AMENDMENT_NOT_ALLOWED',
        inputPath: ['amendment', 'attribute'],
      });
      await ok(SetSensitivityDocument, { id: a, s: 'confidential' }, admin);
      const hidden = await fail(AmendClaimDocument, {
        id: a,
        version: 2,
        amendment: { summary: 'y' },
        reason: 'r',
      });
      expect(hidden.extensions?.code).toBe('NOT_FOUND');
      await ok(SetSensitivityDocument, { id: a, s: 'public' }, admin);
      await ok(RetractClaimDocument, { id: a, reason: 'wrong report' });
      const retracted = await fail(AmendClaimDocument, {
        id: a,
        version: 4,
        amendment: { summary: 'z' },
        reason: 'r',
      });
      expect(retracted.extensions?.code).toBe('CONFLICT');
      expect(await versions(a)).toBe(0);
    });

    it("moves an amended relation role to the relationship for the new role, keeping the old one's former claim", async () => {
      const w = await newWorld(app, analyst);
      const { recordClaim } = await ok(RecordClaimDocument, {
        input: {
          subjectId: w.actorId,
          summary: 'The monitor reported the release.',
          sourceId: w.sourceId,
          excerpts: [{ quote: '𝕏 posted' }],
          relation: { type: 'INVOLVED_IN', objectId: w.eventId, role: 'reporter' },
        },
      });
      const id = recordClaim.id;
      const { amendClaim } = await ok(AmendClaimDocument, {
        id,
        version: 1,
        amendment: { relation: { role: 'witness' } },
        reason: 'It witnessed it',
      });
      expect(amendClaim).toMatchObject({ role: 'witness', version: 2 });
      const rels = await app.db.executor.read(relationsOf, { from: w.actorId, to: w.eventId });
      expect(rels.map((r) => [r.role, r.claimIds, r.formerClaimIds ?? null])).toEqual([
        ['reporter', [], [id]],
        ['witness', [id], null],
      ]);
      const { node } = await ok(ClaimCorrectionsDocument, { id });
      expect(node).toMatchObject({ history: [{ version: 1, role: 'reporter' }] });
    });
  });
});
