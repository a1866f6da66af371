import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/graph/database.js';
import { statement } from '../../src/graph/executor.js';
import { ACLED_COLUMNS, csvLine } from '../../src/io/export/acled.js';
import { acledDay } from '../../src/io/import/acled.js';
import { parseCsv } from '../../src/io/import/csv.js';
import { projectRoot } from '../../src/paths.js';
import { exportGraph } from '../../src/services/export.js';
import { importFile } from '../../src/services/import.js';
import { testDatabase } from '../helpers/app.js';
import { pythonJson } from '../helpers/python.js';

/**
 * ACLED in, ACLED out (issue #16, item 4): ten rows of ACLED's codebook layout (Syria, 2022: attacks,
 * releases, protests, arrests, an abduction, a clash, an IED, an agreement; time precisions 1, 2 and 3; the
 * optional population_best column) imported into the real Neo4j and exported as ACLED come back row by
 * row as ACLED wrote them. pandas, ACLED users' tool, then reads the export of the whole store (the sample
 * graph's events, mapped from the graph, and whatever else the store holds) and the ten rows.
 *
 * The fixture's event ids are fixed (SYR100001…): importing it again into the persistent test store is the
 * same file again and changes nothing. Other files write to the store meanwhile, so rows are picked by id.
 */

const FIXTURE = path.join(projectRoot, 'test/fixtures/interop/acled-ten.csv');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'hrkg-interop-acled-'));

class Collector extends Writable {
  private readonly chunks: string[] = [];
  override _write(chunk: unknown, _enc: BufferEncoding, cb: () => void) {
    this.chunks.push(String(chunk));
    cb();
  }
  get text() {
    return this.chunks.join('');
  }
}

type Row = Record<string, string>;

function rowsOf(text: string): { header: string[]; rows: Row[] } {
  const { records, problems } = parseCsv(text);
  expect(problems).toEqual([]);
  const [header, ...rest] = records.map((r) => r.fields);
  return {
    header: header!,
    rows: rest.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? '']))),
  };
}

/**
 * The fields of an exported row that differ from the original's, by column: dates compared as days (the
 * file writes "07 May 2022", the export 2022-05-07), coordinates as numbers, everything else exactly.
 */
function differences(original: Row, exported: Row | undefined): string[] {
  return ACLED_COLUMNS.filter((c) => {
    const [a, b] = [original[c] ?? '', exported?.[c]];
    if (b === undefined) return true;
    if (c === 'event_date') return acledDay(a).day !== b;
    if (c === 'latitude' || c === 'longitude') return a === '' ? b !== '' : Number(a) !== Number(b);
    return a !== b;
  });
}

describe('ACLED round trip (ten rows through the real Neo4j)', () => {
  let db: Database;
  let report: Awaited<ReturnType<typeof importFile>>;
  let exported: { text: string; skipped: { id: string; reason: string }[] };
  const original = rowsOf(readFileSync(FIXTURE, 'utf8'));
  const ids = original.rows.map((r) => r.event_id_cnty!);

  beforeAll(async () => {
    db = testDatabase();
    report = await importFile(db.executor, FIXTURE, 'acled', { recordedBy: 'interop-acled test' });
    const out = new Collector();
    const result = await exportGraph(db.executor, 'acled', out);
    out.end();
    await once(out, 'finish');
    exported = { text: out.text, skipped: result.skipped };
  });
  afterAll(async () => {
    await db.close();
  });

  it('accepts ACLED’s optional population_best column, reporting it as left out', () => {
    expect(report.skipped).toEqual([
      { what: 'column population_best', count: 6, reason: expect.stringMatching(/population/) },
    ]);
  });

  it('gives back all ten rows, every column as ACLED coded it', () => {
    const { header, rows } = rowsOf(exported.text);
    expect(header).toEqual([...ACLED_COLUMNS]);
    const byId = new Map(rows.map((r) => [r.event_id_cnty, r]));
    expect(ids.filter((id) => byId.has(id))).toEqual(ids);
    expect(exported.skipped.filter((s) => /syr1000/i.test(s.id))).toEqual([]);
    // Every column of every row, compared; a list of what differs, so a failure names the fields.
    const lost = Object.fromEntries(
      original.rows.map((r) => [r.event_id_cnty, differences(r, byId.get(r.event_id_cnty!))]),
    );
    expect(lost).toEqual(Object.fromEntries(ids.map((id) => [id, []])));
  });

  it('keeps what the first export lost: ids, types, dates with their precision, actors in their columns', () => {
    const byId = new Map(rowsOf(exported.text).rows.map((r) => [r.event_id_cnty, r]));
    // "07 May 2022", precision 2, came back as 2022-05-01 with precision 3; "15 May 2022" (3) as 2022-05.
    expect(byId.get('SYR100001')).toMatchObject({
      event_date: '2022-05-07',
      year: '2022',
      time_precision: '2',
      event_type: 'Violence against civilians',
      sub_event_type: 'Attack',
      civilian_targeting: 'Civilian targeting',
      latitude: '32.6189',
      source_scale: 'National',
    });
    expect(byId.get('SYR100004')).toMatchObject({ event_date: '2022-05-15', time_precision: '3' });
    // A release (Strategic developments / Other) and a protest were left out as type "other".
    expect(byId.get('SYR100002')).toMatchObject({
      disorder_type: 'Strategic developments',
      sub_event_type: 'Other',
      source: 'SANA; Syrian Observatory for Human Rights',
    });
    expect(byId.get('SYR100003')).toMatchObject({ interaction: '60', tags: 'crowd size=around 200' });
    // actor1 was picked alphabetically: the associated intelligence branch became actor1.
    expect(byId.get('SYR100004')).toMatchObject({
      actor1: 'Military Forces of Syria (2000-)',
      assoc_actor_1: 'Air Force Intelligence',
      assoc_actor_2: 'Journalists (Syria); Teachers (Syria)',
      admin3: 'Jasim',
      geo_precision: '2',
    });
  });

  it('is read by pandas: the codebook’s columns, every date YYYY-MM-DD, numbers numeric, no value lost', async () => {
    const all = path.join(tmp, 'store.csv');
    const ten = path.join(tmp, 'ten.csv');
    writeFileSync(all, exported.text);
    const { rows } = rowsOf(exported.text);
    writeFileSync(
      ten,
      [
        ACLED_COLUMNS,
        ...rows.filter((r) => ids.includes(r.event_id_cnty!)).map((r) => ACLED_COLUMNS.map((c) => r[c]!)),
      ]
        .map(csvLine)
        .join(''),
    );
    // The sample graph's events are in the store's export, mapped from the graph.
    expect(rows.map((r) => r.event_id_cnty)).toEqual(
      expect.arrayContaining(['ev-amnesty-releases-2022', 'ev-arrests-since-2011']),
    );
    const { files } = await pythonJson<{
      files: {
        rows: number;
        columns_are_codebook: boolean;
        bad_dates: string[];
        not_numeric: string[];
        nan_where_given: Record<string, number>;
        years_match_dates: boolean;
        time_precisions: number[];
      }[];
    }>('tools', 'acled_check.py', [all, ten]);
    const [store, round] = files;
    expect(store!.rows).toBe(rows.length);
    expect(round!.rows).toBe(10);
    for (const f of [store!, round!]) {
      expect(f).toMatchObject({
        columns_are_codebook: true,
        bad_dates: [],
        not_numeric: [],
        nan_where_given: {},
        years_match_dates: true,
      });
    }
    expect(round!.time_precisions).toEqual([1, 2, 3]);
  });
});

describe('ACLED export and clearance', () => {
  it('leaves out the coordinates a row gave its location when the location claim is hidden from the caller', async () => {
    const db = testDatabase();
    const id = `SYRC${String(Date.now()).slice(-7)}`;
    const { header, rows } = rowsOf(readFileSync(FIXTURE, 'utf8'));
    const row: Row = {
      ...rows.find((r) => r.latitude !== '')!,
      event_id_cnty: id,
      notes: `Hidden location ${id}.`,
    };
    const file = path.join(tmp, `${id}.csv`);
    writeFileSync(file, `${csvLine(header)}\n${csvLine(header.map((h) => row[h] ?? ''))}\n`);
    await importFile(db.executor, file, 'acled', { recordedBy: 'interop-acled clearance test' });
    // The location claim of the row (cl-acled-<event>--place) is restricted: where it happened is hidden.
    const restrict = statement<{ id: string }>(
      'test.acled.restrictPlace',
      `MATCH (c:Claim)-[:ABOUT]->(:Event)
       WHERE c.slot ENDS WITH '--place' AND c.property = 'OCCURRED_IN' AND c.slot CONTAINS toLower($id)
       SET c.sensitivity = 'restricted' RETURN count(c) AS n`,
    );
    const exportAs = async (visible: string[]) => {
      const out = new Collector();
      await exportGraph(db.executor.forRequest('acled-clearance-test', visible), 'acled', out);
      out.end();
      await once(out, 'finish');
      return rowsOf(out.text).rows.find((r) => r.event_id_cnty === id);
    };
    const all = ['public', 'restricted', 'confidential'];
    const seen = await exportAs(all);
    expect(seen).toMatchObject({
      latitude: row.latitude ? expect.stringMatching(/\d/) : '',
      location: row.location,
    });
    expect((await db.executor.write(restrict, { id }))[0]!.n).toBe(1);
    // An analyst still sees where; a viewer gets the row without its location and without its coordinates.
    expect(await exportAs(all)).toMatchObject({ location: row.location, latitude: seen!.latitude });
    expect(await exportAs(['public'])).toMatchObject({ location: '', latitude: '', longitude: '' });
  });
});
