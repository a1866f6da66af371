import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/graph/database.js';
import { statement } from '../../src/graph/executor.js';
import { importFile, loadBundle, SAMPLE_BUNDLE } from '../../src/services/import.js';
import { startTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { startPrivateNeo4j, type PrivateNeo4j } from '../helpers/private-neo4j.js';

/**
 * Importers reuse stored records instead of making duplicates (services/import-reuse.ts), in a Neo4j of
 * this file's own: the sample graph, then an FtM file as the followthemoney library writes it (country
 * codes in lower case) and an ACLED file naming Syria, its governorates and Syrian state actors as ACLED
 * does. Counting Syrias needs a store no other test file imports into.
 */

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hrkg-reuse-'));

/** FtM entities about Syria: `country` in lower case, as FtM writes it. */
const FTM = [
  {
    id: 'afi-directorate',
    schema: 'PublicBody',
    properties: { name: ['Air Force Intelligence Directorate'], country: ['sy'] },
  },
  {
    id: 'general-intelligence',
    schema: 'PublicBody',
    properties: { name: ['General Intelligence Directorate'], country: ['sy'] },
  },
  {
    id: 'raid-nawa',
    schema: 'Event',
    properties: {
      name: ['Raid in Nawa'],
      startDate: ['2022-05-02'],
      country: ['sy'],
      organizer: ['afi-directorate'],
    },
  },
]
  .map((e) => JSON.stringify(e))
  .join('\n');

const ACLED_HEADER =
  'event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp';

/** ACLED rows as ACLED names things: its state actors with their period, governorates in its spelling. */
const ACLED_ROWS: Record<string, string>[] = [
  {
    event_id_cnty: 'SYR9001',
    event_date: '2022-05-03',
    event_type: 'Violence against civilians',
    sub_event_type: 'Attack',
    actor1: 'Military Forces of Syria (2000-)',
    assoc_actor_1: 'Air Force Intelligence',
    inter1: '1',
    actor2: 'Civilians (Syria)',
    inter2: '7',
    admin1: 'Daraa',
    admin2: 'Daraa',
    location: 'Nawa',
    notes: 'Regime forces shot a man dead in Nawa.',
    fatalities: '1',
  },
  {
    event_id_cnty: 'SYR9002',
    event_date: '2022-05-04',
    event_type: 'Strategic developments',
    sub_event_type: 'Arrests',
    actor1: 'Government of Syria (2000-)',
    inter1: '1',
    actor2: 'Civilians (Syria)',
    inter2: '7',
    admin1: 'Rural Damascus',
    admin2: 'Darayya',
    location: 'Darayya',
    notes: 'The regime arrested two former detainees in Darayya.',
    fatalities: '0',
  },
  {
    // ACLED's own spelling of Daraa: near the sample's name, not equal to any of its names.
    event_id_cnty: 'SYR9003',
    event_date: '2022-05-05',
    event_type: 'Strategic developments',
    sub_event_type: 'Arrests',
    actor1: 'Military Forces of Syria (2000-)',
    inter1: '1',
    admin1: 'Dara',
    admin2: 'Izra',
    location: 'Izra',
    notes: 'Soldiers arrested a man at a checkpoint in Izra.',
    fatalities: '0',
  },
];

function acledCsv(): string {
  const columns = ACLED_HEADER.split(',');
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const defaults = { year: '2022', time_precision: '1', country: 'Syria', iso: '760', region: 'Middle East' };
  const rows = ACLED_ROWS.map((r) => columns.map((c) => cell({ ...defaults, ...r }[c] ?? '')).join(','));
  return [ACLED_HEADER, ...rows].join('\n');
}

const FTM_FILE = path.join(tmp, 'syria.ftm.ndjson');
const ACLED_FILE = path.join(tmp, 'syria.acled.csv');

const syrias = statement(
  'test.reuse.syrias',
  `MATCH (n:Place)
   WHERE any(x IN n.names WHERE toLower(x) = 'syria')
      OR any(k IN coalesce(n.identifierKeys, []) WHERE toUpper(k) = 'ISO3166:SY')
   RETURN n.id AS id ORDER BY id`,
);

const entity = statement(
  'test.reuse.entity',
  `MATCH (n:Entity {id: $id})
   RETURN n.name AS name, n.type AS type, n.version AS version, n.names AS names,
          n.identifierKeys AS identifierKeys, n.description AS description`,
);

/** Claims quoting the source whose title starts with $title, about or pointing at $id. */
const importClaimsOn = statement(
  'test.reuse.claimsOn',
  `MATCH (s:Source) WHERE s.title STARTS WITH $title
   MATCH (c:Claim)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(s)
   WHERE c.subjectId = $id OR c.objectId = $id
   RETURN DISTINCT c.id AS id, c.kind AS kind, c.property AS property, c.subjectId AS subject, c.objectId AS object
   ORDER BY id`,
);

const entityByName = statement(
  'test.reuse.byName',
  `MATCH (n:Entity) WHERE n.name = $name AND ($type IS NULL OR n.type = $type) RETURN n.id AS id ORDER BY id`,
);

const partOf = statement(
  'test.reuse.partOf',
  `MATCH (:Entity {id: $id})-[:PART_OF]->(p:Place) RETURN p.id AS id ORDER BY id`,
);

const totals = statement(
  'test.reuse.totals',
  `CALL () { MATCH (n) WHERE n:Entity OR n:Claim OR n:Source OR n:Excerpt OR n:Figure RETURN count(n) AS nodes }
   CALL () { MATCH ()-[r]->() WHERE NOT type(r) IN ['AUDITED'] RETURN count(r) AS rels }
   RETURN nodes, rels`,
);

interface Candidate {
  entity: { id: string; name: string };
  score: number;
  reasons: string[];
}
const CANDIDATES = `query($id: ID!) { matchCandidates(id: $id, first: 50) { entity { id name } score reasons } }`;
const BY_IDENTIFIER = `query($scheme: String!, $value: String!) { entityByIdentifier(scheme: $scheme, value: $value) { id name } }`;

let neo: PrivateNeo4j;
let db: Database;
let app: TestApp;
let reports: Awaited<ReturnType<typeof importFile>>[] = [];

beforeAll(async () => {
  writeFileSync(FTM_FILE, `${FTM}\n`);
  writeFileSync(ACLED_FILE, `${acledCsv()}\n`);
  // A cold store's first writes plan every statement: on a loaded machine that takes longer than 30 s.
  neo = await startPrivateNeo4j('reuse', 1, { NEO4J_TX_TIMEOUT_MS: '240000' });
  db = neo.dbs[0]!;
  await loadBundle(db.executor, SAMPLE_BUNDLE);
  reports = [
    await importFile(db.executor, FTM_FILE, 'ftm'),
    await importFile(db.executor, ACLED_FILE, 'acled'),
  ];
  app = await startTestApp({ db, config: testConfig({ NEO4J_URI: db.uri }) });
});

afterAll(async () => {
  await app?.close();
  await neo?.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function idOf(name: string, type: string | null = null): Promise<string> {
  const rows = await db.executor.read(entityByName, { name, type });
  expect(rows, name).toHaveLength(1);
  return String(rows[0]!.id);
}

async function candidates(id: string): Promise<Candidate[]> {
  const res = await app.graphql(CANDIDATES, { id });
  expect(res.errors).toBeUndefined();
  return (res.data as unknown as { matchCandidates: Candidate[] }).matchCandidates;
}

describe('an FtM and an ACLED import after the sample', () => {
  it('leave one Syria, the sample’s, unchanged, with the imports’ claims about it', async () => {
    expect((await db.executor.read(syrias)).map((r) => r.id)).toEqual(['pl-syria']);
    const syria = (await db.executor.read(entity, { id: 'pl-syria' }))[0]!;
    expect(syria).toMatchObject({
      name: 'Syria',
      type: 'country',
      names: ['Syria', 'Syrian Arab Republic', 'سوريا'],
      identifierKeys: ['wikidata:Q858', 'iso3166:SY'],
    });
    expect(Number(syria.version)).toBe(1);

    // FtM: the entities' country claims point at pl-syria (found by its ISO code, "sy" in the file).
    const ftm = await db.executor.read(importClaimsOn, { title: 'FollowTheMoney file', id: 'pl-syria' });
    expect(ftm.map((c) => [c.property, c.object])).toEqual(
      expect.arrayContaining([
        ['LOCATED_IN', 'pl-syria'],
        ['OCCURRED_IN', 'pl-syria'],
      ]),
    );
    expect(ftm).toHaveLength(3);
    // ACLED: its governorates are the sample's (by name and parent), PART_OF pl-syria by ACLED's rows too.
    const acled = await db.executor.read(importClaimsOn, { title: 'ACLED file', id: 'pl-syria' });
    expect(acled.map((c) => [c.subject, c.property])).toEqual(
      expect.arrayContaining([
        ['pl-daraa', 'PART_OF'],
        ['pl-rif-dimashq', 'PART_OF'],
      ]),
    );
    expect(reports.map((r) => r.counts.reused)).toEqual([1, 3]);
  });

  it('reuse the sample’s governorates by exact name or alias, and leave a near name to a candidate', async () => {
    // "Rural Damascus" is an alias of Rif Dimashq; the sample's records keep their fields.
    expect((await db.executor.read(entity, { id: 'pl-rif-dimashq' }))[0]).toMatchObject({
      name: 'Rif Dimashq',
      identifierKeys: ['iso3166:SY-RD'],
    });
    const darayya = await idOf('Darayya', 'district');
    expect((await db.executor.read(partOf, { id: darayya })).map((r) => r.id)).toEqual(['pl-rif-dimashq']);
    // ACLED's district "Daraa" is a place of its own under the sample's governorate Daraa.
    const district = await idOf('Daraa', 'district');
    expect((await db.executor.read(partOf, { id: district })).map((r) => r.id)).toEqual(['pl-daraa']);
    // ACLED's "Dara" is not "Daraa": a place of its own, proposed as a candidate for the sample's.
    const dara = await idOf('Dara', 'governorate');
    expect(dara).not.toBe('pl-daraa');
    const list = await candidates(dara);
    const daraa = list.find((c) => c.entity.id === 'pl-daraa');
    expect(daraa, JSON.stringify(list.slice(0, 5))).toBeDefined();
    expect(daraa!.reasons).toContain('same type: governorate');
    expect(daraa!.reasons).toContain('shared place: Syria');
  });

  it('entityByIdentifier(iso3166, "sy" or "SY") finds pl-syria', async () => {
    for (const value of ['sy', 'SY', ' Sy ']) {
      const res = await app.graphql(BY_IDENTIFIER, { scheme: 'iso3166', value });
      expect(res.errors).toBeUndefined();
      expect(res.data, value).toEqual({ entityByIdentifier: { id: 'pl-syria', name: 'Syria' } });
    }
    const q = await app.graphql(BY_IDENTIFIER, { scheme: 'wikidata', value: 'q858' });
    expect(q.data).toEqual({ entityByIdentifier: { id: 'pl-syria', name: 'Syria' } });
  });

  it('make nothing new when the same files are imported again', async () => {
    const before = (await db.executor.read(totals))[0]!;
    const again = [
      await importFile(db.executor, FTM_FILE, 'ftm'),
      await importFile(db.executor, ACLED_FILE, 'acled'),
    ];
    expect((await db.executor.read(totals))[0]).toEqual(before);
    expect(again.map((r) => r.counts.reused)).toEqual([1, 3]);
    expect((await db.executor.read(syrias)).map((r) => r.id)).toEqual(['pl-syria']);
  });
});

describe('matchCandidates across the imports', () => {
  it('ranks ACLED’s "Air Force Intelligence" above an unrelated agency for the Air Force Intelligence Directorate', async () => {
    const afi = await idOf('Air Force Intelligence Directorate');
    const list = await candidates(afi);
    const rank = (name: string) => list.findIndex((c) => c.entity.name === name);
    expect(rank('Air Force Intelligence'), JSON.stringify(list)).toBeGreaterThanOrEqual(0);
    expect(rank('Air Force Intelligence')).toBeLessThan(
      rank('General Intelligence Directorate') < 0 ? list.length : rank('General Intelligence Directorate'),
    );
    const best = list[rank('Air Force Intelligence')]!;
    expect(best.score).toBeGreaterThan(0.5);
    expect(best.reasons[0]).toMatch(/names share words/);
  });

  it('offers ACLED’s "Government of Syria (2000-)" for the sample’s Syrian regime, and the other way round', async () => {
    const gov = await idOf('Government of Syria (2000-)');
    const forRegime = await candidates('ac-syrian-regime');
    const offered = forRegime.find((c) => c.entity.id === gov);
    expect(offered, JSON.stringify(forRegime.slice(0, 5))).toBeDefined();
    expect(offered!.reasons[0]).toBe(
      'known names of one actor: "Syrian regime" and "Government of Syria (2000-)"',
    );
    expect((await candidates(gov)).map((c) => c.entity.id)).toContain('ac-syrian-regime');
    // Offered, not merged: both records stay.
    expect((await db.executor.read(entity, { id: 'ac-syrian-regime' }))[0]).toMatchObject({
      name: 'Syrian regime',
    });
  });
});

describe('what a name alone does not make the same record', () => {
  it('a person is not reused for an FtM LegalEntity of that name, nor an area with a parent for a bare location text', async () => {
    // The sample holds the president, a person; an ACLED row makes the area Tell Shihab under Daraa.
    const row: Record<string, string> = {
      event_id_cnty: 'SYR9101',
      event_date: '2022-05-06',
      year: '2022',
      time_precision: '1',
      country: 'Syria',
      iso: '760',
      region: 'Middle East',
      event_type: 'Strategic developments',
      sub_event_type: 'Arrests',
      actor1: 'Military Forces of Syria (2000-)',
      inter1: '1',
      admin1: 'Daraa',
      admin2: 'Daraa',
      admin3: 'Tell Shihab',
      location: 'Tell Shihab',
      notes: 'Soldiers arrested a man in Tell Shihab.',
      fatalities: '0',
    };
    const acled = path.join(tmp, 'tell-shihab.csv');
    const columns = ACLED_HEADER.split(',');
    writeFileSync(acled, `${ACLED_HEADER}\n${columns.map((c) => row[c] ?? '').join(',')}\n`);
    await importFile(db.executor, acled, 'acled');
    const areas = async () =>
      (await db.executor.read(entityByName, { name: 'Tell Shihab', type: 'area' })).map((r) => r.id);
    expect(await areas()).toHaveLength(1);
    const file = path.join(tmp, 'names-alone.ndjson');
    const lines = [
      {
        id: 'le-president',
        schema: 'LegalEntity',
        properties: { name: ['President of the Syrian regime'] },
      },
      {
        id: 'ev-tell-shihab-text',
        schema: 'Event',
        properties: { name: ['Meeting in Tell Shihab'], location: ['Tell Shihab'] },
      },
    ];
    writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const report = await importFile(db.executor, file, 'ftm');
    expect(report.counts.reused).toBe(0);
    const named = async (name: string) =>
      (await db.executor.read(entityByName, { name, type: null })).map((r) => r.id);
    // The person stays the sample's alone; the file's LegalEntity is a record of its own.
    expect(await named('President of the Syrian regime')).toHaveLength(2);
    expect(await named('President of the Syrian regime')).toContain('ac-syrian-president');
    // "Tell Shihab" with no parent is not the area of that name in Daraa.
    expect(await areas()).toHaveLength(2);
  });
});
