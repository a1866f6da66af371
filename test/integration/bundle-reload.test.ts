import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundle } from '../../src/services/import.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { fixtureBundle, uniq, writeBundle } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';

/**
 * Reloading a bundle (`kg seed`, a corrected file, a forced reload) must not undo what investigators did
 * through the API since: a retraction stays a retraction, an edited entity keeps its edit, and a record
 * someone restricted is never made public again by a file.
 */
describe('reloading a bundle after changes through the API', () => {
  let app: TestApp;
  let analyst: Record<string, string>;
  const u = uniq();
  const TEXT = `Report ${u}: nearly 40 detainees were released. The officer was named. A later batch followed.`;
  const claims = (summary: string) => [
    {
      id: `cl-t${u}-a`,
      subject: `ev-t${u}`,
      summary: `Nearly 40 released ${u}`,
      figure: { measure: 'people_released', value: 40, qualifier: 'approximately', unit: 'people' },
      source: `src-t${u}`,
      quotes: ['nearly 40 detainees were released'],
    },
    {
      id: `cl-t${u}-b`,
      subject: `ev-t${u}`,
      summary,
      source: `src-t${u}`,
      quotes: ['A later batch followed'],
    },
  ];
  const file = (summary: string) => writeBundle(fixtureBundle(u, TEXT, claims(summary)));

  beforeAll(async () => {
    app = await startTestApp();
    analyst = (await keyHeaders(app.db, 'analyst')).headers;
    await loadBundle(app.db.executor, file(`A later batch ${u}`));
  });
  afterAll(() => app.close());

  const read = async () =>
    (
      await app.graphql<{
        claim: { status: string; sensitivity: string };
        other: { summary: string };
        event: { name: string; sensitivity: string; version: number };
        figure: { sensitivity: string };
      }>(
        `{ claim: node(id: "cl-t${u}-a") { ... on Claim { status sensitivity } }
           other: node(id: "cl-t${u}-b") { ... on Claim { summary } }
           event: node(id: "ev-t${u}") { ... on Event { name sensitivity } }
           figure: node(id: "fg-t${u}-a") { ... on Figure { sensitivity } } }`,
        {},
        analyst,
      )
    ).data!;

  it('keeps retractions, edits and stricter sensitivity, applies the rest, and reports what it kept', async () => {
    const ok = async (query: string) => {
      const res = await app.graphql(query, {}, analyst);
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    };
    await ok(`mutation { retractClaim(id: "cl-t${u}-a", reason: "misread the count") { id } }`);
    await ok(
      `mutation { updateEntity(id: "ev-t${u}", version: 1, patch: { name: "Release batch ${u} (corrected)" }) { id } }`,
    );
    await ok(`mutation { setSensitivity(id: "fg-t${u}-a", sensitivity: restricted) { id } }`);
    const before = await read();
    expect(before.claim.status).toBe('retracted');
    expect(before.figure.sensitivity).toBe('restricted');

    // The file is corrected elsewhere and loaded again: one untouched claim changed its wording.
    const report = await loadBundle(app.db.executor, file(`A later batch followed ${u}`), { force: true });
    expect(report.loaded).toBe(true);
    const after = await read();
    expect(after.claim.status).toBe('retracted');
    expect(after.event.name).toBe(`Release batch ${u} (corrected)`);
    expect(after.figure.sensitivity).toBe('restricted');
    expect(after.other.summary).toBe(`A later batch followed ${u}`);
    expect(report.kept?.changedSince.sort()).toEqual([`cl-t${u}-a`, `ev-t${u}`].sort());
    expect(report.kept?.stricterKept).toEqual([`fg-t${u}-a`]);

    // Anonymous callers still cannot see the figure the analyst restricted.
    const anon = await app.graphql<{ node: unknown }>(`{ node(id: "fg-t${u}-a") { id } }`);
    expect(anon.data?.node ?? null).toBeNull();
  });
});
