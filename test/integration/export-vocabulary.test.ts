import { once } from 'node:events';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/graph/database.js';
import type { Executor } from '../../src/graph/executor.js';
import { resolveBundle } from '../../src/io/bundle/resolve.js';
import { sha256 } from '../../src/model/text.js';
import { exportBundle, exportGraph, type ExportFormat } from '../../src/services/export.js';
import { loadBundle } from '../../src/services/import.js';
import { testDatabase } from '../helpers/app.js';
import { uniq, writeBundle } from '../helpers/bundles.js';
import { FtmModel } from '../helpers/ftm-schema.js';

/**
 * The command and detention vocabulary in the exports, against the real Neo4j: FtM (Membership for
 * membership and a unit's parent, Position + Occupancy for command, detention reported as skipped),
 * GraphML and PROV (position and period), and the bundle (position, period, facility kind, links with a
 * position), which resolves back to the same rows. Other files write to the same database meanwhile, so
 * assertions look for this file's own records.
 */

const u = uniq();
const TEXT =
  `Report ${u}: Colonel X headed Branch ${u} from 2012 to 2015; the branch answers to the directorate ` +
  `and runs the prison, where a detainee was held for years until his release. A restricted aside.`;
const ids = {
  source: `src-v${u}`,
  hidden: `src-v${u}-hid`,
  colonel: `ac-v${u}-col`,
  detainee: `ac-v${u}-det`,
  branch: `ac-v${u}-br`,
  directorate: `ac-v${u}-dir`,
  prison: `pl-v${u}-pr`,
};
const HIDDEN_TEXT = `Hidden ${u}: Colonel X headed Branch ${u} from 2009.`;

function fixture() {
  const claim = (id: string, subject: string, quote: string, extra: Record<string, unknown> = {}) => ({
    id: `cl-v${u}-${id}`,
    subject,
    summary: `${id} ${u}`,
    source: ids.source,
    quotes: [quote],
    ...extra,
  });
  return {
    format: 'hrkg-bundle/1',
    recordedBy: 'vocabulary export test',
    recordedAt: '2026-11-30T10:00:00Z',
    sources: [
      {
        id: ids.source,
        text: TEXT,
        sha256: sha256(TEXT),
        title: `Report ${u}`,
        language: 'en',
        published: { precision: 'day', value: '2022-06-20', qualifier: 'exact' },
      },
      {
        id: ids.hidden,
        text: HIDDEN_TEXT,
        sha256: sha256(HIDDEN_TEXT),
        title: `Hidden ${u}`,
        language: 'en',
        sensitivity: 'restricted',
        published: { precision: 'month', value: '2024-01', qualifier: 'exact' },
      },
    ],
    actors: [
      { id: ids.colonel, type: 'person', name: `Colonel ${u}` },
      { id: ids.detainee, type: 'person', name: `Detainee ${u}` },
      { id: ids.branch, type: 'organization', name: `Branch ${u}` },
      { id: ids.directorate, type: 'public_body', name: `Directorate ${u}` },
    ],
    places: [{ id: ids.prison, type: 'facility', name: `Prison ${u}`, facilityKind: 'intelligence_branch' }],
    claims: [
      claim('cmd', ids.colonel, 'Colonel X headed', {
        relation: {
          type: 'COMMANDS',
          object: ids.branch,
          position: 'head of branch',
          periodStart: { precision: 'year', value: '2012', qualifier: 'exact' },
          periodEnd: { precision: 'year', value: '2015', qualifier: 'exact' },
        },
      }),
      // A restricted source gives an earlier start: only full clearance sees it.
      {
        ...claim('cmd-hidden', ids.colonel, 'Colonel X headed', {
          relation: {
            type: 'COMMANDS',
            object: ids.branch,
            position: 'head of branch',
            periodStart: { precision: 'year', value: '2009', qualifier: 'exact' },
          },
        }),
        source: ids.hidden,
        sensitivity: 'restricted',
      },
      claim('mem', ids.colonel, `Branch ${u}`, {
        relation: { type: 'MEMBER_OF', object: ids.branch, position: 'officer' },
      }),
      claim('sub', ids.branch, 'the branch answers to the directorate', {
        relation: { type: 'SUBORDINATE_TO', object: ids.directorate },
      }),
      claim('ops', ids.branch, 'runs the prison', { relation: { type: 'OPERATES', object: ids.prison } }),
      claim('held', ids.detainee, 'a detainee was held for years', {
        relation: {
          type: 'HELD_IN',
          object: ids.prison,
          periodEnd: { precision: 'year', value: '2022', qualifier: 'exact' },
        },
      }),
      claim('rel', ids.detainee, 'until his release', {
        relation: { type: 'RELEASED_FROM', object: ids.prison },
      }),
      claim('about', ids.colonel, 'Colonel X headed'),
    ],
    links: [
      {
        type: 'MEMBER_OF',
        from: ids.colonel,
        to: ids.directorate,
        position: 'liaison',
        claims: [`cl-v${u}-about`],
      },
    ],
  };
}

class Collector extends Writable {
  private readonly chunks: string[] = [];
  override _write(chunk: unknown, _enc: BufferEncoding, cb: (err?: Error | null) => void) {
    this.chunks.push(String(chunk));
    cb();
  }
  get text() {
    return this.chunks.join('');
  }
}

async function run(executor: Executor, format: ExportFormat) {
  const out = new Collector();
  const result = await exportGraph(executor, format, out);
  out.end();
  await once(out, 'finish');
  return { text: out.text, result };
}

async function bundleText(executor: Executor) {
  const out = new Collector();
  await exportBundle(executor, out);
  out.end();
  await once(out, 'finish');
  return out.text;
}

type Ftm = { id: string; schema: string; properties: Record<string, string[]> };
const mine = <T extends { id: string }>(list: T[] | undefined) =>
  (list ?? []).filter((x) => x.id.includes(u));

describe('exports of the command and detention vocabulary', () => {
  let db: Database;
  let analyst: Executor;
  let publicExecutor: Executor;

  beforeAll(async () => {
    db = testDatabase();
    await loadBundle(db.executor, writeBundle(fixture()));
    analyst = db.executor.forRequest('t', ['public', 'restricted']);
    publicExecutor = db.executor.forRequest('t', ['public']);
  });
  afterAll(() => db.close());

  it('a reload that changes a claim position or period is refused: evidence is never changed in place', async () => {
    const changed = fixture();
    const cmd = changed.claims[0]! as unknown as { relation: Record<string, unknown> };
    cmd.relation.position = 'deputy';
    cmd.relation.periodEnd = { precision: 'year', value: '2016', qualifier: 'exact' };
    await expect(loadBundle(db.executor, writeBundle(changed))).rejects.toThrow(
      new RegExp(`cl-v${u}-cmd is already recorded with another position, periodEnd`),
    );
    // The same file again changes nothing.
    await loadBundle(db.executor, writeBundle(fixture()));
  });

  it('FtM: Membership, Position and Occupancy that validate, detention listed as skipped', async () => {
    const { text, result } = await run(analyst, 'ftm');
    const entities = text
      .split('\n')
      .filter((l) => l)
      .map((l) => JSON.parse(l) as Ftm);
    expect(new FtmModel().validate(entities)).toEqual([]);
    const byId = new Map(entities.map((e) => [e.id, e]));
    const rel = (type: string, from: string, to: string, suffix = '') =>
      // Found by the relationship's graph id, kept as recordId (the FtM id is a hash of it).
      [...byId.values()].find((e) =>
        e.properties.recordId?.[0]?.startsWith(`rel-${type}-${from}-${to}${suffix}`),
      );

    const occupancy = rel('commands', ids.colonel, ids.branch)!;
    expect(occupancy.schema).toBe('Occupancy');
    expect(occupancy.properties).toMatchObject({
      holder: [ids.colonel],
      startDate: ['2009'],
      endDate: ['2015'],
    });
    const post = byId.get(occupancy.properties.post![0]!)!;
    expect(post).toMatchObject({
      schema: 'Position',
      properties: { name: ['head of branch'], organization: [ids.branch] },
    });
    expect(rel('member_of', ids.colonel, ids.branch)).toMatchObject({
      schema: 'Membership',
      properties: { member: [ids.colonel], organization: [ids.branch], role: ['officer'] },
    });
    expect(rel('member_of', ids.colonel, ids.directorate)).toMatchObject({
      schema: 'Membership',
      properties: { role: ['liaison'] },
    });
    expect(rel('subordinate_to', ids.branch, ids.directorate)).toMatchObject({
      schema: 'Membership',
      properties: { member: [ids.branch], organization: [ids.directorate], role: ['subordinate unit'] },
    });

    const skipped = new Map(result.skipped.map((s) => [s.id, s.reason]));
    expect(skipped.get(`rel-held_in-${ids.detainee}-${ids.prison}`)).toMatch(
      /FtM has no schema for detention in a facility \(HELD_IN\)/,
    );
    expect(skipped.get(`rel-released_from-${ids.detainee}-${ids.prison}`)).toMatch(/RELEASED_FROM/);
    expect(skipped.get(`rel-operates-${ids.branch}-${ids.prison}`)).toMatch(/operator \(OPERATES\)/);
    expect(skipped.get(ids.prison)).toMatch(/no schema for places/);
  });

  it('FtM with public clearance: the period spans only the claims it may see', async () => {
    const { text } = await run(publicExecutor, 'ftm');
    const occupancy = text
      .split('\n')
      .filter((l) => l.includes(`rel-commands-${ids.colonel}`))
      .map((l) => JSON.parse(l) as Ftm)[0]!;
    expect(occupancy.properties).toMatchObject({ startDate: ['2012'], endDate: ['2015'] });
  });

  it('GraphML and PROV carry the position and the period', async () => {
    const graphml = (await run(analyst, 'graphml')).text;
    const edge = graphml
      .split('\n')
      .find((l) => l.includes(`id="rel-commands-${ids.colonel}-${ids.branch}`))!;
    expect(edge).toContain('<data key="edge_type">COMMANDS</data>');
    expect(edge).toContain('<data key="position">head of branch</data>');
    expect(edge).toContain('<data key="period_start">2009</data>');
    expect(edge).toContain('<data key="period_end">2015</data>');
    expect(graphml).toContain('<key id="position" for="edge" attr.name="position" attr.type="string"/>');
    const held = graphml.split('\n').find((l) => l.includes(`id="rel-held_in-${ids.detainee}`))!;
    expect(held).toContain('<data key="period_end">2022</data>');

    const prov = JSON.parse((await run(analyst, 'prov')).text) as {
      entity: Record<string, Record<string, unknown>>;
    };
    const claim = Object.entries(prov.entity).find(([k]) => k.endsWith(`cl-v${u}-cmd`))![1];
    expect(claim).toMatchObject({
      'hrkg:position': 'head of branch',
      'hrkg:periodStart': '2012',
      'hrkg:periodEnd': '2015',
    });
  });

  it('the bundle export carries position, period, facility kind and links, and resolves to the same rows', async () => {
    const doc = JSON.parse(await bundleText(analyst)) as Record<string, { id: string }[]> & {
      links: { from: string; to: string; type: string }[];
    };
    const exported = {
      format: 'hrkg-bundle/1',
      recordedBy: 'vocabulary export test',
      recordedAt: '2026-11-30T10:00:00Z',
      sources: mine(doc.sources),
      actors: mine(doc.actors),
      places: mine(doc.places),
      claims: mine(doc.claims),
      links: (doc.links ?? []).filter((l) => l.from.includes(u)),
    };
    expect(exported.places).toEqual([expect.objectContaining({ facilityKind: 'intelligence_branch' })]);
    expect(exported.claims.find((c) => c.id === `cl-v${u}-cmd`)).toMatchObject({
      relation: {
        type: 'COMMANDS',
        position: 'head of branch',
        periodStart: { value: '2012' },
        periodEnd: { value: '2015' },
      },
    });
    expect(exported.links).toEqual([
      {
        type: 'MEMBER_OF',
        from: ids.colonel,
        to: ids.directorate,
        claims: [`cl-v${u}-about`],
        position: 'liaison',
      },
    ]);
    const noText = async () => '';
    const original = await resolveBundle(fixture(), noText);
    const again = await resolveBundle(exported, noText);
    const sortById = <T extends { id: string }>(l: T[]) => [...l].sort((a, b) => a.id.localeCompare(b.id));
    expect(sortById(again.relations)).toEqual(sortById(original.relations));
    const claimFacts = (l: typeof original.claims) =>
      sortById(l).map((c) => ({ id: c.id, position: c.position, start: c.periodStart, end: c.periodEnd }));
    expect(claimFacts(again.claims)).toEqual(claimFacts(original.claims));
    expect(again.entities.find((e) => e.id === ids.prison)?.facilityKind).toBe('intelligence_branch');
  });
});
