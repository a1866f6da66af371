import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '../../src/graph/executor.js';
import { ACLED_PUBLISHER } from '../../src/io/import/acled.js';
import { projectRoot } from '../../src/paths.js';
import { exportGraph, type ExportFormat } from '../../src/services/export.js';
import { importFile, loadBundle, SAMPLE_BUNDLE } from '../../src/services/import.js';
import { startPrivateNeo4j, type PrivateNeo4j } from '../helpers/private-neo4j.js';
import { pythonJson } from '../helpers/python.js';

/**
 * Our PROV-JSON and GraphML exports, read by the field's own libraries (test/interop/prov_check.py with the W3C
 * `prov` package; test/interop/graphml_check.py with networkx and igraph). A private Neo4j holds exactly the
 * sample graph, then the sample plus one FtM and one ACLED import of test/fixtures, so counts are the graph's.
 */

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hrkg-interop-prov-'));
const FIXTURES = path.join(projectRoot, 'test/fixtures');
const U = 'interop';

type Counts = Record<string, number>;
interface ProvCheck {
  json: Counts;
  read: Counts;
  xml: Counts;
  lost: Record<string, string[]>;
  provn: { ok: boolean; bytes: number; error: string | null };
  claims: number;
  attributed: number;
  unattributed: string[];
  attributedTo: Record<string, string[]>;
}

type AttrTypes = Record<string, Record<string, number>>;
interface GraphmlCheck {
  nodes: Record<string, { networkx: Record<string, unknown> | null; igraph: Record<string, unknown> | null }>;
  declared: {
    nodes: number;
    edges: number;
    keys: Record<string, { for: string; name: string; type: string }>;
  };
  networkx: {
    nodes: number;
    edges: number;
    directed: boolean;
    nodeAttributes: AttrTypes;
    edgeAttributes: AttrTypes;
  };
  igraph: {
    nodes: number;
    edges: number;
    directed: boolean;
    nodeAttributes: AttrTypes;
    edgeAttributes: AttrTypes;
  };
  problems: string[];
  problemCount: number;
}

/** Exports the graph in a format to a file; returns the file and what the exporter reported. */
async function exportTo(executor: Executor, format: ExportFormat, name: string) {
  const file = path.join(tmp, name);
  const out = createWriteStream(file);
  const result = await exportGraph(executor, format, out);
  out.end();
  await once(out, 'finish');
  return { file, result, text: readFileSync(file, 'utf8') };
}

function fixture(name: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, readFileSync(path.join(FIXTURES, name), 'utf8').replaceAll('__U__', U));
  return file;
}

/** The subject of the ACLED latitude claim of row 1 of the fixture (its location), from our PROV export. */
function locationOfRow1(doc: ProvDoc): string {
  const claim = Object.entries(doc.entity!).find(([id]) => id.startsWith(`hrkg:cl-acled-lbn${U}1--latitude`));
  const subject = claim?.[1]['hrkg:subject'] as { $: string } | undefined;
  if (!subject) throw new Error('no latitude claim for ACLED row 1');
  return subject.$.replace(/^hrkg:/, '');
}

/** Nodes whose attributes the tests look at, as both libraries read them. */
const SAMPLE_NODES = [
  'ev-amnesty-decree-2022',
  'ev-amnesty-releases-2022',
  'ev-iranian-supervision-of-prisons',
  'ev-arrests-since-2011',
  'ac-sohr',
];

type Stage = 'sample' | 'imports';
interface Exported {
  text: string;
  records: number;
}

let store: PrivateNeo4j;
const prov = {} as Record<Stage, ProvCheck & { doc: ProvDoc }>;
const graphml = {} as Record<Stage, GraphmlCheck & Exported>;
const arsal = { id: '' };

type ProvDoc = Record<string, Record<string, Record<string, unknown>>>;

beforeAll(async () => {
  // The sample's load is one transaction: give it the time two busy cores need.
  store = await startPrivateNeo4j('interop-prov', 1, { NEO4J_TX_TIMEOUT_MS: '300000' });
  const executor = store.dbs[0]!.executor;
  await loadBundle(executor, SAMPLE_BUNDLE);
  for (const stage of ['sample', 'imports'] as const) {
    if (stage === 'imports') {
      await importFile(executor, fixture('ftm-entities.ndjson'), 'ftm', { recordedBy: 'ftm importer' });
      await importFile(executor, fixture('acled-events.csv'), 'acled', { recordedBy: 'acled importer' });
    }
    const p = await exportTo(executor, 'prov', `${stage}.prov.json`);
    prov[stage] = {
      ...(await pythonJson<ProvCheck>('tools', 'prov_check.py', [p.file])),
      doc: JSON.parse(p.text) as ProvDoc,
    };
    const g = await exportTo(executor, 'graphml', `${stage}.graphml`);
    const wanted = [...SAMPLE_NODES];
    if (stage === 'imports') {
      arsal.id = locationOfRow1(prov.imports.doc);
      wanted.push(arsal.id);
    }
    graphml[stage] = {
      ...(await pythonJson<GraphmlCheck>('tools', 'graphml_check.py', [g.file, ...wanted])),
      text: g.text,
      records: g.result.records,
    };
  }
}, 900_000);

afterAll(async () => {
  await store?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const STAGES = ['sample', 'imports'] as const;
const entitiesTyped = (doc: ProvDoc, type: string) =>
  Object.entries(doc.entity!).filter(([, e]) =>
    [e['prov:type']].flat().some((t) => (t as { $?: string } | undefined)?.$ === type),
  );

describe('PROV-JSON read by the prov library', () => {
  it.each(STAGES)('%s: read back through PROV-XML with every record of every kind', (stage) => {
    const c = prov[stage];
    // The library reads what our sections declare, and PROV-XML gives back the same records.
    expect(c.read).toEqual(c.json);
    expect(c.xml).toEqual(c.read);
    expect(c.lost).toEqual({});
    expect(c.provn).toMatchObject({ ok: true, error: null });
    expect(c.provn.bytes).toBeGreaterThan(0);
    // Excerpts are entities; each one's derivation from its source is the quotation.
    const excerpts = entitiesTyped(c.doc, 'hrkg:Excerpt');
    expect(excerpts.length).toBeGreaterThan(0);
    for (const [, e] of excerpts) expect(JSON.stringify(e['prov:type'])).not.toContain('prov:Quotation');
    expect(c.xml['wasDerivedFrom:Quotation']).toBe(excerpts.length);
    expect(c.xml.entity).toBe(Object.keys(c.doc.entity!).length);
  });

  it.each(STAGES)('%s: every claim is attributed to someone', (stage) => {
    const c = prov[stage];
    expect(c.claims).toBe(entitiesTyped(c.doc, 'hrkg:Claim').length);
    expect(c.claims).toBeGreaterThan(0);
    expect(c.unattributed).toEqual([]);
    expect(c.attributed).toBe(c.claims);
  });

  it('keeps the attribution a claim was recorded with (hop 1 of its chain), and adds none', () => {
    for (const stage of STAGES)
      expect(prov[stage].attributedTo['hrkg:cl-f15-deaths-105000']).toEqual(['hrkg:ac-sohr']);
  });

  it('attributes imported ACLED claims to ACLED, and FtM claims of a file naming no publisher to their recorder', () => {
    const { attributedTo, doc } = prov.imports;
    const acled = Object.keys(attributedTo).filter((id) => id.startsWith(`hrkg:cl-acled-lbn${U}`));
    const ftm = Object.keys(attributedTo).filter((id) => id.startsWith('hrkg:cl-ftm-'));
    expect(acled.length).toBeGreaterThanOrEqual(30);
    expect(ftm.length).toBeGreaterThanOrEqual(10);
    for (const id of acled) expect(attributedTo[id], id).toEqual([`hrkg:${ACLED_PUBLISHER.id}`]);
    for (const id of ftm) expect(attributedTo[id], id).toEqual(['recorder:ftm%20importer']);
    // Our document says on what grounds: the publisher of the quoted source, or the recorder.
    const how = (claim: string) =>
      Object.values(doc.wasAttributedTo!)
        .filter((r) => r['prov:entity'] === claim)
        .map((r) => (r['prov:type'] as { $: string } | undefined)?.$);
    expect(how(acled[0]!)).toEqual(['hrkg:SourcePublisher']);
    expect(how(ftm[0]!)).toEqual(['hrkg:Recorder']);
    expect(how('hrkg:cl-f15-deaths-105000')).toEqual([undefined]);
    expect(doc.agent!['hrkg:ac-acled']).toMatchObject({ 'prov:type': { $: 'prov:Organization' } });
  });
});

describe('GraphML read by networkx and igraph', () => {
  it.each(STAGES)('%s: both read every node and edge the export wrote, with typed attributes', (stage) => {
    const g = graphml[stage];
    expect(g.problems).toEqual([]);
    expect(g.declared.nodes + g.declared.edges).toBe(g.records);
    for (const lib of [g.networkx, g.igraph]) {
      expect(lib).toMatchObject({ nodes: g.declared.nodes, edges: g.declared.edges, directed: true });
      // Every edge has a numeric weight (the claims behind it).
      expect(lib.edgeAttributes.weight).toEqual({ float: g.declared.edges });
    }
    expect(g.declared.keys.weight).toEqual({ for: 'edge', name: 'weight', type: 'double' });
    expect(g.networkx.nodeAttributes.start).toEqual({ str: expect.any(Number) as number });
    expect(g.networkx.nodeAttributes.end).toEqual({ str: expect.any(Number) as number });
  });

  it('gives events their start and end days and dates as recorded', () => {
    const nodes = graphml.sample.nodes;
    const nx = (id: string) => nodes[id]!.networkx!;
    expect(nx('ev-amnesty-decree-2022')).toMatchObject({
      start: '2022-04-30',
      end: '2022-04-30',
      date: '2022-04-30',
    });
    // May 2013 to October 2015, two month-precision dates: the first and last days they allow.
    expect(nx('ev-iranian-supervision-of-prisons')).toMatchObject({
      start: '2013-05-01',
      end: '2015-10-31',
      date: '2013-05',
      endDate: '2015-10',
    });
    // "Since March 2011": open-ended, so no end; "after the decree", no recorded date but a first day.
    expect(nx('ev-arrests-since-2011')).toMatchObject({ start: '2011-03-01', date: '2011-03' });
    expect(nx('ev-arrests-since-2011').end).toBeUndefined();
    expect(nx('ev-amnesty-releases-2022')).toMatchObject({ start: '2022-04-30' });
    expect(nx('ev-amnesty-releases-2022').date).toBeUndefined();
    // An actor has none of these.
    expect(Object.keys(nx('ac-sohr')).sort()).toEqual(['kind', 'label', 'type']);
  });

  it('gives an event every value its figures claim, and their extent as numbers', () => {
    const { networkx, igraph } = graphml.sample.nodes['ev-amnesty-releases-2022']!;
    // Two sources' counts of the releases (about 1,160 and nearly 1,168): both kept, neither chosen.
    expect(networkx!.figures).toMatch(/(^|; )people_released=1160\|1168(;|$)/);
    expect(networkx).toMatchObject({ people_released_min: 1160, people_released_max: 1168 });
    expect(igraph).toMatchObject({ people_released_min: 1160, people_released_max: 1168 });
    expect(graphml.sample.declared.keys.fig_people_released_min).toEqual({
      for: 'node',
      name: 'people_released_min',
      type: 'double',
    });
  });

  it('gives places the coordinates their claims give, as floats', () => {
    const { networkx, igraph } = graphml.imports.nodes[arsal.id]!;
    expect(networkx).toMatchObject({ latitude: 34.1794, longitude: 36.4206, kind: 'Place' });
    expect(igraph).toMatchObject({ latitude: 34.1794, longitude: 36.4206 });
    expect(graphml.imports.networkx.nodeAttributes.latitude).toEqual({ float: expect.any(Number) as number });
  });
});
