import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundleError } from '../../src/io/bundle/resolve.js';
import { importFile, loadBundle } from '../../src/services/import.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { sha256 } from '../../src/model/text.js';
import { digest, fixtureBundle, uniq, writeBundle } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';

/**
 * Evidence is never changed by a re-import (issue #14, item 1): a revised file makes claims of its own;
 * a later release of one dataset by its publisher supersedes where it says something else (kept, readable,
 * linked, not a conflict); another publisher's file that disagrees is a conflict; the same value again
 * corroborates; a bundle that would change a stored claim, figure or source text is refused whole.
 */

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hrkg-reimport-'));
const HEADER =
  'event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,country,admin1,location,latitude,longitude,notes,fatalities';

/** An ACLED file of one event (and, to tell files apart, an optional second row) in a temp file. */
function acledFile(u: string, name: string, fatalities: number, extraRow = ''): string {
  const rows = [
    HEADER,
    `RI${u},2022-05-03,1,Violence against civilians,Attack,Regime forces ${u},,1,Civilians ${u},Syria,Daraa,Town ${u},32.6,36.1,Shelling of Town ${u}.,${fatalities}`,
  ];
  if (extraRow) rows.push(extraRow);
  const file = path.join(tmp, `${u}-${name}.csv`);
  writeFileSync(file, `${rows.join('\n')}\n`);
  return file;
}

const CLAIMS_OF_SLOT = `query($id: ID!) {
  provenance(id: $id, first: 500) {
    claims { id slot status recordedAt figure { value } excerpts { exact source { id dataset } }
             supersededBy { id } supersedes { id } conflicts { id } }
    sources { id }
  }
}`;

interface SlotClaim {
  id: string;
  slot: string | null;
  status: string;
  recordedAt: string;
  figure: { value: number } | null;
  excerpts: { exact: string; source: { id: string; dataset: string | null } }[];
  supersededBy: { id: string } | null;
  supersedes: { id: string }[];
  conflicts: { id: string }[];
}

describe('re-importing evidence', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  async function fatalities(u: string): Promise<{ claims: SlotClaim[]; sources: string[] }> {
    const res = await app.graphql<{ provenance: { claims: SlotClaim[]; sources: { id: string }[] } }>(
      CLAIMS_OF_SLOT,
      { id: `ev-acled-ri${u}` },
    );
    expect(res.errors).toBeUndefined();
    const p = res.data!.provenance;
    return {
      claims: p.claims.filter((c) => c.slot?.endsWith('--fatalities')),
      sources: p.sources.map((s) => s.id),
    };
  }

  it('a later ACLED release supersedes the earlier claim, which keeps its value, time and words', async () => {
    const u = uniq();
    const first = await importFile(app.db.executor, acledFile(u, 'week1', 1), 'acled');
    const [before] = (await fatalities(u)).claims;
    expect(before).toMatchObject({ figure: { value: 1 }, supersededBy: null });
    const beforeDigest = await digest(app.db.executor, [before!.id]);

    const second = await importFile(app.db.executor, acledFile(u, 'week2', 3), 'acled');
    expect(second.counts.superseded).toBeGreaterThanOrEqual(1);
    const { claims } = await fatalities(u);
    expect(claims).toHaveLength(2);
    const old = claims.find((c) => c.id === before!.id)!;
    const newer = claims.find((c) => c.id !== before!.id)!;
    // The old claim is as it was: its value, its time, its words (all from the first file, saying 1).
    expect(await digest(app.db.executor, [before!.id])).toBe(beforeDigest);
    expect(old).toMatchObject({ figure: { value: 1 }, status: 'asserted', recordedAt: before!.recordedAt });
    expect(old.excerpts.map((e) => e.source.id)).toEqual([`src-${first.sha256.slice(0, 16)}`]);
    expect(old.excerpts.every((e) => e.exact.endsWith(',1'))).toBe(true);
    // The new claim cites its own row, in its own file; the two are linked, and not a conflict.
    expect(newer).toMatchObject({ figure: { value: 3 }, supersedes: [{ id: old.id }] });
    expect(newer.excerpts.map((e) => e.source)).toEqual([
      { id: `src-${second.sha256.slice(0, 16)}`, dataset: 'acled' },
    ]);
    expect(newer.excerpts[0]!.exact.endsWith(',3')).toBe(true);
    expect(old.supersededBy).toEqual({ id: newer.id });
    expect(old.conflicts).toEqual([]);
    expect(newer.conflicts).toEqual([]);
    const conflicts = await app.graphql<{ conflicts: { edges: unknown[] } }>(
      `query($s: ID!) { conflicts(subjectId: $s) { edges { node { property } } } }`,
      { s: `ev-acled-ri${u}` },
    );
    expect(conflicts.data!.conflicts.edges).toEqual([]);

    // Importing either file again changes nothing.
    await importFile(app.db.executor, acledFile(u, 'week1', 1), 'acled');
    expect((await fatalities(u)).claims).toHaveLength(2);
    expect(await digest(app.db.executor, [before!.id])).toBe(beforeDigest);
  });

  it('a release that revises a count to 0 supersedes it too', async () => {
    const u = uniq();
    await importFile(app.db.executor, acledFile(u, 'week1', 3), 'acled');
    const second = await importFile(app.db.executor, acledFile(u, 'week2', 0), 'acled');
    expect(second.counts.superseded).toBeGreaterThanOrEqual(1);
    const { claims } = await fatalities(u);
    expect(claims.map((c) => [c.figure?.value, c.supersededBy === null]).sort()).toEqual([
      [0, true],
      [3, false],
    ]);
  });

  it('a newer release the caller may not see, or a retracted one, supersedes nothing for them', async () => {
    const u = uniq();
    await importFile(app.db.executor, acledFile(u, 'week1', 1), 'acled');
    // Another compiler's count, which disagrees with week 1 (a conflict while week 1 stands).
    await importFile(app.db.executor, acledFile(u, 'ngo', 4), 'acled', { dataset: `ngo-${u}` });
    const second = await importFile(app.db.executor, acledFile(u, 'week2', 5), 'acled');
    const { headers } = await keyHeaders(app.db, 'admin');
    const set = await app.graphql(
      'mutation($id: ID!) { setSensitivity(id: $id, sensitivity: restricted) { id } }',
      { id: `src-${second.sha256.slice(0, 16)}` },
      headers,
    );
    expect(set.errors).toBeUndefined();
    // Anonymous (public): the newer claim is hidden, so week 1 stands, in conflict with the other count,
    // exactly as before the release.
    const { claims } = await fatalities(u);
    expect(claims).toHaveLength(2);
    const ngo = claims.find((c) => c.figure?.value === 4)!;
    expect(claims.find((c) => c.figure?.value === 1)).toMatchObject({
      supersededBy: null,
      conflicts: [{ id: ngo.id }],
    });
    // An admin sees both, the older superseded; once the newer is retracted, the older stands again.
    const all = async () =>
      (
        await app.graphql<{ provenance: { claims: SlotClaim[] } }>(
          CLAIMS_OF_SLOT,
          { id: `ev-acled-ri${u}` },
          headers,
        )
      ).data!.provenance.claims.filter((c) => c.slot?.endsWith('--fatalities'));
    const newer = (await all()).find((c) => c.figure?.value === 5)!;
    expect((await all()).find((c) => c.figure?.value === 1)!.supersededBy).toEqual({ id: newer.id });
    const retract = await app.graphql(
      'mutation($id: ID!) { retractClaim(id: $id, reason: "coding error in the release") { id } }',
      { id: newer.id },
      headers,
    );
    expect(retract.errors).toBeUndefined();
    expect((await all()).find((c) => c.figure?.value === 1)!.supersededBy).toBeNull();
  });

  it('one load never makes its own claims supersede each other (a share holding two releases)', async () => {
    const u = uniq();
    const texts = [`Release one of ${u}: 7 dead.`, `Release two of ${u}: 9 dead.`];
    const doc = fixtureBundle(u, texts[0]!, []);
    const sources = texts.map((text, i) => ({
      id: `src-t${u}-r${i + 1}`,
      text,
      sha256: sha256(text),
      title: `Release ${i + 1}`,
      language: 'en',
      publisher: `ac-t${u}`,
      dataset: `ds-${u}`,
    }));
    const claims = [7, 9].map((value, i) => ({
      id: `cl-t${u}-deaths--r${i + 1}`,
      slot: `cl-t${u}-deaths`,
      subject: `ev-t${u}`,
      summary: `${value} dead`,
      figure: { measure: 'fatalities', value, qualifier: 'exact', unit: 'people', text: String(value) },
      source: sources[i]!.id,
      quotes: [`${value} dead`],
    }));
    const report = await loadBundle(app.db.executor, writeBundle({ ...doc, sources, claims }));
    expect(report.counts!.superseded).toBe(0);
    const res = await app.graphql<{ node: { supersededBy: unknown; supersedes: unknown[] } }>(
      `query($id: ID!) { node(id: $id) { ... on Claim { supersededBy { id } supersedes { id } } } }`,
      { id: claims[0]!.id },
    );
    expect(res.data!.node).toEqual({ supersededBy: null, supersedes: [] });
  });

  it('the same value in a new file corroborates: both files are in the provenance, nothing supersedes', async () => {
    const u = uniq();
    const a = await importFile(app.db.executor, acledFile(u, 'a', 2), 'acled');
    const other = `RX${u},2022-05-04,1,Protests,Peaceful protest,Protesters ${u},,6,,Syria,Daraa,Town ${u},,,March.,0`;
    const b = await importFile(app.db.executor, acledFile(u, 'b', 2, other), 'acled');
    expect(b.counts.superseded).toBe(0);
    const { claims, sources } = await fatalities(u);
    expect(claims).toHaveLength(2);
    expect(claims.every((c) => c.figure?.value === 2 && c.supersededBy === null)).toBe(true);
    expect(new Set(claims.flatMap((c) => c.excerpts.map((e) => e.source.id)))).toEqual(
      new Set([`src-${a.sha256.slice(0, 16)}`, `src-${b.sha256.slice(0, 16)}`]),
    );
    expect(sources).toEqual(
      expect.arrayContaining([`src-${a.sha256.slice(0, 16)}`, `src-${b.sha256.slice(0, 16)}`]),
    );
  });

  it('another dataset that disagrees is a conflict, both shown, neither superseded', async () => {
    const u = uniq();
    await importFile(app.db.executor, acledFile(u, 'acled', 1), 'acled');
    await importFile(app.db.executor, acledFile(u, 'compilation', 4), 'acled', { dataset: `ngo-${u}` });
    const { claims } = await fatalities(u);
    expect(claims.map((c) => c.figure?.value).sort()).toEqual([1, 4]);
    expect(claims.every((c) => c.supersededBy === null && c.supersedes.length === 0)).toBe(true);
    for (const c of claims)
      expect(c.conflicts.map((x) => x.id)).toEqual(claims.filter((x) => x !== c).map((x) => x.id));
  });

  it('refuses a bundle that would change a stored claim, figure or source text, and writes nothing', async () => {
    const u = uniq();
    const text = `Monitors counted 40 released in Town ${u}. Later they said 45.`;
    const claim = {
      id: `cl-t${u}-released`,
      subject: `ev-t${u}`,
      summary: '40 released',
      figure: { measure: 'people_released', value: 40, qualifier: 'exact', unit: 'people', text: '40' },
      source: `src-t${u}`,
      quotes: ['counted 40 released'],
    };
    await loadBundle(app.db.executor, writeBundle(fixtureBundle(u, text, [claim])));
    const before = await digest(app.db.executor, [claim.id, `fg-t${u}-released`, `src-t${u}`]);

    const refused = async (doc: Record<string, unknown>) => {
      try {
        await loadBundle(app.db.executor, writeBundle(doc));
      } catch (err) {
        if (err instanceof BundleError) return err.problems;
        throw err;
      }
      throw new Error('expected the bundle to be refused');
    };
    // Another value and other words for the same claim id.
    const changed = {
      ...claim,
      summary: '45 released',
      figure: { ...claim.figure, value: 45, text: '45' },
      quotes: ['said 45'],
    };
    expect(await refused(fixtureBundle(u, text, [changed]))).toEqual([
      expect.objectContaining({
        path: 'claims[0]',
        message: expect.stringMatching(
          /^cl-t\w+-released is already recorded with another value, excerpts: evidence is never changed in place/,
        ),
      }),
      expect.objectContaining({
        path: `figures(fg-t${u}-released)`,
        message: expect.stringContaining('value, text'),
      }),
    ]);
    // A status the store does not have.
    expect(
      await refused(fixtureBundle(u, text, [{ ...claim, status: 'retracted', statusReason: 'x' }])),
    ).toEqual([
      expect.objectContaining({ message: expect.stringContaining('another status, statusReason') }),
    ]);
    // Other text under the same source id.
    const other = fixtureBundle(u, `${text} And more.`, []);
    expect(await refused(other)).toEqual([
      expect.objectContaining({
        path: 'sources[0]',
        message: expect.stringContaining('already holds another text'),
      }),
    ]);
    expect(await digest(app.db.executor, [claim.id, `fg-t${u}-released`, `src-t${u}`])).toBe(before);
  });

  it('a revised FtM file makes claims of its own and leaves the first file’s as they were', async () => {
    const u = uniq();
    const line = (name: string) =>
      JSON.stringify({ id: `p-${u}`, schema: 'Person', properties: { name: [name] } });
    const write = (name: string, body: string) => {
      const file = path.join(tmp, `${u}-${name}.ndjson`);
      writeFileSync(file, `${body}\n`);
      return file;
    };
    await importFile(app.db.executor, write('v1', line(`Ahmad ${u}`)), 'ftm');
    await importFile(app.db.executor, write('v2', line(`Ahmed ${u}`)), 'ftm');
    const res = await app.graphql<{
      provenance: { claims: { slot: string; value: string | null; summary: string }[] };
    }>(`query($id: ID!) { provenance(id: $id) { claims { slot value summary } } }`, { id: `ac-ftm-p-${u}` });
    expect(res.errors).toBeUndefined();
    const names = res.data!.provenance.claims.filter((c) => c.slot?.endsWith('--name'));
    expect(names.map((c) => c.summary).sort()).toEqual([
      expect.stringContaining(`Ahmad ${u}`),
      expect.stringContaining(`Ahmed ${u}`),
    ]);
  });
});
