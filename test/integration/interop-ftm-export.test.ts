import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/graph/database.js';
import { projectRoot } from '../../src/paths.js';
import { exportGraph } from '../../src/services/export.js';
import { FTM_ID, FTM_LANGUAGES, ftmId } from '../../src/io/export/ftm-values.js';
import { sha256 } from '../../src/model/text.js';
import { importFile, loadBundle } from '../../src/services/import.js';
import { testDatabase } from '../helpers/app.js';
import { uniq, writeBundle } from '../helpers/bundles.js';
import { pythonJson, type Venv } from '../helpers/python.js';

/**
 * Our FtM export as Aleph and the followthemoney library handle it (issue #16 items 1 and 8), in both
 * followthemoney 3.8 and 4.x: the export of the store (the sample graph, loaded by the global setup) and
 * the export after importing an FtM file and an ACLED file (the fixtures, with unique names) and a bundle of
 * our own with every kind of id the export derives (a source's publisher and outlets, a post and its
 * occupancy, links) and ids and languages FtM does not take as they are. The judge is
 * test/interop/ftm_check.py: every entity loads through the model, trusted and cleaned; signing as Aleph
 * signs a collection loses and merges no id; every reference points at an entity of the file, before and
 * after signing; `ftm aggregate` runs and keeps the entity count; no value is dropped by FtM's cleaners.
 */

interface Check {
  ftm: string;
  entities: number;
  loadErrors: unknown[];
  valuesLost: number;
  lostValues: { id: string; property: string; value: string; reason: string }[];
  invalidIds: string[];
  idsLost: number;
  lostIds: string[];
  signErrors: unknown[];
  idsMerged: number;
  merged: unknown[];
  danglingReferences: number;
  dangling: unknown[];
  aggregate: { exit: number; entities: number; error: string | null };
  languages: string[];
}

const FIXTURES = path.join(projectRoot, 'test/fixtures');
const VENVS: Venv[] = ['ftm3', 'ftm4'];
const u = uniq();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'hrkg-ftm-interop-'));
let db: Database;
const files = {
  sample: path.join(tmp, 'sample.ftm.ndjson'),
  imported: path.join(tmp, 'imported.ftm.ndjson'),
};
const checks = new Map<string, Check>();

async function exportTo(file: string) {
  const out = createWriteStream(file);
  const result = await exportGraph(db.executor, 'ftm', out);
  out.end();
  await once(out, 'finish');
  return result;
}

const TEXT = `Report ${u}: Colonel X heads Branch ${u}, which arrested a man in May 2022.`;
const KU_TEXT = `Kurdish report ${u}: the branch arrested a man.`;
const ids = {
  report: `src-i${u}`,
  kurdish: `src-i${u}-ku-`,
  monitor: `ac-i${u}-mon`,
  outlet1: `ac-i${u}-out1`,
  outlet2: `ac-i${u}-out2`,
  colonel: `ac-i${u}-col-`,
  branch: `ac-i${u}-br`,
  arrest: `ev-i${u}-arrest`,
};

/** Our own bundle: derived ids of every kind, two ids ending in "-" (FtM refuses them), und and ku. */
function bundle() {
  const claim = (id: string, subject: string, quote: string, extra: Record<string, unknown> = {}) => ({
    id: `cl-i${u}-${id}`,
    subject,
    summary: `${id} ${u}`,
    source: ids.report,
    quotes: [quote],
    ...extra,
  });
  return {
    format: 'hrkg-bundle/1',
    recordedBy: 'interop test',
    recordedAt: '2026-11-30T10:00:00Z',
    sources: [
      {
        id: ids.report,
        text: TEXT,
        sha256: sha256(TEXT),
        title: `Report ${u}`,
        language: 'und',
        publisher: ids.monitor,
        publishedVia: [{ actor: ids.outlet1 }, { actor: ids.outlet2 }],
      },
      { id: ids.kurdish, text: KU_TEXT, sha256: sha256(KU_TEXT), title: `Kurdish ${u}`, language: 'ku' },
    ],
    actors: [
      { id: ids.monitor, type: 'organization', name: `Monitor ${u}` },
      { id: ids.outlet1, type: 'organization', name: `Outlet one ${u}` },
      { id: ids.outlet2, type: 'organization', name: `Outlet two ${u}` },
      { id: ids.colonel, type: 'person', name: `Colonel ${u}` },
      { id: ids.branch, type: 'organization', name: `Branch ${u}` },
    ],
    events: [
      {
        id: ids.arrest,
        type: 'arrest_detention',
        name: `Arrest ${u}`,
        date: { precision: 'month', value: '2022-05', qualifier: 'exact' },
      },
    ],
    claims: [
      claim('cmd', ids.colonel, 'Colonel X heads', {
        relation: { type: 'COMMANDS', object: ids.branch, position: 'head of branch' },
      }),
      claim('mem', ids.colonel, `Branch ${u}`, {
        relation: { type: 'MEMBER_OF', object: ids.branch, position: 'officer' },
      }),
      claim('arr', ids.branch, 'arrested a man', {
        relation: { type: 'INVOLVED_IN', object: ids.arrest, role: 'perpetrator' },
      }),
      { ...claim('ku', ids.branch, 'the branch arrested'), source: ids.kurdish },
    ],
  };
}

function fixture(name: string): string {
  const file = path.join(tmp, `${u}-${name}`);
  writeFileSync(file, readFileSync(path.join(FIXTURES, name), 'utf8').replaceAll('__U__', u));
  return file;
}

beforeAll(async () => {
  db = testDatabase();
  await exportTo(files.sample);
  await loadBundle(db.executor, writeBundle(bundle()));
  await importFile(db.executor, fixture('ftm-entities.ndjson'), 'ftm');
  await importFile(db.executor, fixture('acled-events.csv'), 'acled');
  await exportTo(files.imported);
  for (const [which, file] of Object.entries(files))
    for (const venv of VENVS)
      checks.set(`${which} ${venv}`, await pythonJson<Check>(venv, 'ftm_check.py', [file]));
});

afterAll(async () => {
  await db.close();
  rmSync(tmp, { recursive: true, force: true });
});

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l)
    .map((l) => JSON.parse(l) as { id: string; schema: string; properties: Record<string, string[]> });

describe.each(['sample', 'imported'] as const)('FtM export of the %s store', (which) => {
  it.each(VENVS)('followthemoney %s loads, signs and aggregates every entity with nothing lost', (venv) => {
    const c = checks.get(`${which} ${venv}`)!;
    expect(c.ftm).toMatch(venv === 'ftm3' ? /^3\.8\./ : /^4\./);
    expect(c.entities).toBe(lines(files[which]).length);
    expect(c.entities).toBeGreaterThanOrEqual(100);
    expect(c.loadErrors).toEqual([]);
    expect(c.invalidIds).toEqual([]);
    expect({ lost: c.idsLost, ids: c.lostIds, errors: c.signErrors }).toEqual({
      lost: 0,
      ids: [],
      errors: [],
    });
    expect({ merged: c.idsMerged, which: c.merged }).toEqual({ merged: 0, which: [] });
    expect({ dangling: c.danglingReferences, which: c.dangling }).toEqual({ dangling: 0, which: [] });
    expect(c.aggregate).toEqual({ exit: 0, entities: c.entities, error: null });
    expect({ lost: c.valuesLost, values: c.lostValues }).toEqual({ lost: 0, values: [] });
  });
});

it('writes only languages both versions know', () => {
  for (const venv of VENVS)
    for (const code of FTM_LANGUAGES) expect(checks.get(`sample ${venv}`)!.languages).toContain(code);
});

it('the imported FtM and ACLED records, and every kind of derived id, are in the checked export', () => {
  const entities = lines(files.imported);
  const names = new Set(entities.flatMap((e) => e.properties.name ?? []));
  expect(names).toContain(`Ahmad Test ${u}`);
  expect(names).toContain(`Air Force Intelligence ${u}`);
  expect([...names].some((n) => n.includes(`Lebanese Armed Forces ${u}`))).toBe(true);
  expect(entities.length).toBeGreaterThan(lines(files.sample).length);

  // Our bundle: every kind of derived entity, each with an id FtM takes as it is.
  const byId = new Map(entities.map((e) => [e.id, e]));
  const about = (id: string) =>
    entities.filter((e) => Object.values(e.properties).some((v) => v.includes(ftmId(id))));
  const kinds = about(ids.report)
    .filter((e) => e.schema === 'Documentation')
    .map((e) => e.properties.role![0]);
  expect(kinds).toEqual(
    expect.arrayContaining(['publisher', 'published via (hop 1)', 'published via (hop 2)']),
  );
  const colonel = about(ids.colonel).map((e) => e.schema);
  expect(colonel).toEqual(expect.arrayContaining(['Occupancy', 'Membership', 'Documentation']));
  const occupancy = about(ids.colonel).find((e) => e.schema === 'Occupancy')!;
  expect(byId.get(occupancy.properties.post![0]!)).toMatchObject({
    schema: 'Position',
    properties: { name: ['head of branch'] },
  });
  for (const e of [...about(ids.colonel), ...about(ids.report)]) expect(e.id).toMatch(FTM_ID);
  // Ids ending in "-" are hashed, the graph id kept in notes; und is left out, ku kept in notes.
  expect(byId.get(ftmId(ids.colonel))!.properties.notes).toEqual([`hrkg id: ${ids.colonel}`]);
  expect(byId.get(ids.report)!.properties.language).toBeUndefined();
  expect(byId.get(ftmId(ids.kurdish))!.properties.notes).toContain('Language: ku');
});
