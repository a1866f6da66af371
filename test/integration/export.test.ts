import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/graph/database.js';
import type { Executor } from '../../src/graph/executor.js';
import { ACLED_COLUMNS, csvField, csvLine } from '../../src/io/export/acled.js';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { xmlEscape } from '../../src/io/export/graphml.js';
import { sha256 } from '../../src/model/text.js';
import { dataDir } from '../../src/paths.js';
import { loadBundle, SAMPLE_BUNDLE } from '../../src/services/import.js';
import { exportGraph, type ExportFormat } from '../../src/services/export.js';
import { testDatabase } from '../helpers/app.js';
import { uniq, writeBundle } from '../helpers/bundles.js';
import { FtmModel, isFtmDate } from '../helpers/ftm-schema.js';
import { derivedId, FTM_ID } from '../../src/io/export/ftm-values.js';
import { parse as parseYaml } from 'yaml';

/**
 * The four exports against the real Neo4j: the sample graph (loaded by the global setup) and a fixture of
 * our own with a restricted actor, awkward characters (CSV and XML specials, Arabic, an emoji) and a
 * deaths figure. Other test files may write to the same database meanwhile, so assertions look for the
 * records they know rather than counting the whole graph.
 */

const u = uniq();
const MARK = `RESTRICTEDEXPORT${u}`;
const TEXT = `Report ${u}: on 15 June 2022 security forces released detainees in Town ${u}. The officer supervised. Three detainees died, "witnesses" said — شهود 🙂 — per the monitor.`;
const SUMMARY = `Detainees released, said "witnesses", in Town ${u}\nشهود 🙂`;
const SPECIAL = `Forces <A&B> "q" 'x' ${u}`;

const ids = {
  source: `src-t${u}`,
  monitor: `ac-t${u}`,
  forces: `ac-t${u}-forces`,
  detainees: `ac-t${u}-det`,
  officer: `ac-t${u}-res`,
  town: `pl-t${u}`,
  gov: `pl-t${u}-gov`,
  country: `pl-t${u}-cty`,
  event: `ev-t${u}`,
  released: `cl-t${u}-rel`,
  deaths: `cl-t${u}-deaths`,
};

function fixture() {
  const claim = (id: string, subject: string, quote: string, extra: Record<string, unknown> = {}) => ({
    id: `cl-t${u}-${id}`,
    subject,
    summary: `${id} ${u}`,
    source: ids.source,
    quotes: [quote],
    attributedTo: [ids.monitor],
    ...extra,
  });
  return {
    format: 'hrkg-bundle/1',
    recordedBy: 'export test',
    recordedAt: '2026-11-25T10:00:00Z',
    sources: [
      {
        id: ids.source,
        text: TEXT,
        sha256: sha256(TEXT),
        title: `Report ${u}`,
        language: 'en',
        publisher: ids.monitor,
        published: { precision: 'day', value: '2022-06-20', qualifier: 'exact' },
      },
    ],
    actors: [
      { id: ids.monitor, type: 'organization', name: `Monitor ${u}` },
      { id: ids.forces, type: 'public_body', name: SPECIAL },
      { id: ids.detainees, type: 'group', name: `Detainees ${u}` },
      { id: ids.officer, type: 'person', name: `Officer ${MARK}`, sensitivity: 'restricted' },
    ],
    places: [
      { id: ids.town, type: 'city', name: `Town ${u}` },
      { id: ids.gov, type: 'governorate', name: `Gov ${u}` },
      {
        id: ids.country,
        type: 'country',
        name: `Country ${u}`,
        identifiers: [{ scheme: 'iso3166', value: 'LB' }],
      },
    ],
    events: [
      {
        id: ids.event,
        type: 'release_batch',
        name: `Release ${u}`,
        date: { precision: 'day', value: '2022-06-15', qualifier: 'exact' },
      },
    ],
    claims: [
      claim('rel', ids.event, 'security forces released detainees', { summary: SUMMARY }),
      claim('occ', ids.event, `in Town ${u}`, { relation: { type: 'OCCURRED_IN', object: ids.town } }),
      claim('town', ids.town, `Town ${u}`, { relation: { type: 'PART_OF', object: ids.gov } }),
      claim('gov', ids.gov, `Report ${u}`, { relation: { type: 'PART_OF', object: ids.country } }),
      claim('impl', ids.forces, 'security forces released', {
        relation: { type: 'INVOLVED_IN', object: ids.event, role: 'implementer' },
      }),
      claim('vict', ids.detainees, 'released detainees', {
        relation: { type: 'INVOLVED_IN', object: ids.event, role: 'victim' },
      }),
      claim('perp', ids.officer, 'The officer supervised', {
        relation: { type: 'INVOLVED_IN', object: ids.event, role: 'perpetrator' },
      }),
      claim('about', ids.officer, 'The officer supervised', { summary: `About ${MARK}` }),
      claim('deaths', ids.event, 'Three detainees died', {
        figure: { measure: 'deaths_in_custody', value: 3, qualifier: 'exact', unit: 'people' },
        // Hop 2 is the restricted officer: hidden from public exports, the primary source otherwise.
        attributedTo: [ids.monitor, ids.officer],
      }),
    ],
  };
}

/** A slow consumer with a tiny buffer, so the exporter has to wait for 'drain'. */
class Collector extends Writable {
  private readonly chunks: string[] = [];
  constructor() {
    super({ highWaterMark: 256, decodeStrings: false });
  }
  override _write(chunk: unknown, _enc: BufferEncoding, cb: (err?: Error | null) => void) {
    this.chunks.push(String(chunk));
    setImmediate(cb);
  }
  get text() {
    return this.chunks.join('');
  }
}

async function run(executor: Executor, format: ExportFormat, pageSize?: number) {
  const out = new Collector();
  const progress: [number, number][] = [];
  const result = await exportGraph(executor, format, out, {
    onProgress: (d, t) => progress.push([d, t]),
    pageSize,
  });
  // exportGraph leaves the stream open (its caller owns it); end it to flush what is still buffered.
  out.end();
  await once(out, 'finish');
  return { text: out.text, result, progress };
}

interface Ftm {
  id: string;
  schema: string;
  properties: Record<string, string[]>;
}

const parseNdjson = (text: string) =>
  text
    .split('\n')
    .filter((l) => l)
    .map((l) => JSON.parse(l) as Ftm);

/** RFC 4180 parser (quoted fields with doubled quotes, CRLF records, line breaks inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i += 1;
      } else {
        field += ch;
        i += 1;
      }
    } else if (ch === '"') {
      if (field !== '') throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
      i += 1;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      i += 1;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else if (ch === '\n' || ch === '\r') {
      throw new Error(`bare line break outside quotes at ${i}`);
    } else {
      field += ch;
      i += 1;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || row.length) throw new Error('last record not terminated by CRLF');
  return rows;
}

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * A strict XML well-formedness check (in addition to fast-xml-parser): one declaration, one root, balanced
 * tags, quoted unique attributes, and only the predefined or numeric entity references. Returns the tree.
 */
function parseXml(xml: string): XmlElement {
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (!decl) throw new Error('missing XML declaration');
  const ENTITY = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
  const decode = (s: string, where: string) => {
    if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(s)) throw new Error(`bare & in ${where}`);
    return s.replace(ENTITY, (_m, e: string) =>
      e === 'amp'
        ? '&'
        : e === 'lt'
          ? '<'
          : e === 'gt'
            ? '>'
            : e === 'quot'
              ? '"'
              : e === 'apos'
                ? "'"
                : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))),
    );
  };
  const NAME = '[A-Za-z_][\\w.:-]*';
  const tag = new RegExp(`^<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`);
  const attr = new RegExp(`(${NAME})\\s*=\\s*(?:"([^"<]*)"|'([^'<]*)')`, 'g');
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let i = decl[0].length;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (text) {
      if (text.includes('>')) throw new Error(`unescaped > in text at ${i}`);
      const top = stack[stack.length - 1];
      if (top) top.text += decode(text, 'text');
      else if (text.trim()) throw new Error(`text outside the root at ${i}`);
    }
    if (lt < 0) break;
    const m = tag.exec(xml.slice(lt));
    if (!m) throw new Error(`malformed tag at ${lt}: ${xml.slice(lt, lt + 80)}`);
    const [whole, close, name, attrText, selfClose] = m as unknown as [
      string,
      string,
      string,
      string,
      string,
    ];
    if (close) {
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name}> at ${lt}`);
    } else {
      const attrs: Record<string, string> = {};
      for (const a of attrText.matchAll(attr)) {
        if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]} at ${lt}`);
        attrs[a[1]!] = decode(a[2] ?? a[3] ?? '', `attribute ${a[1]}`);
      }
      const el: XmlElement = { name, attrs, children: [], text: '' };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(el);
      else if (root) throw new Error('second root element');
      else root = el;
      if (!selfClose) stack.push(el);
    }
    i = lt + whole.length;
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (!root) throw new Error('no root element');
  return root;
}

describe('exports', () => {
  let db: Database;
  let publicExecutor: Executor;
  const sampleText = readFileSync(path.join(dataDir, 'sohr-2022-amnesty-release-batches.txt'), 'utf8');
  const outputs = new Map<string, Awaited<ReturnType<typeof run>>>();
  const full = async (format: ExportFormat) => {
    if (!outputs.has(format)) outputs.set(format, await run(db.executor, format));
    return outputs.get(format)!;
  };

  beforeAll(async () => {
    db = testDatabase();
    await loadBundle(db.executor, writeBundle(fixture()));
    publicExecutor = db.executor.forRequest('t', ['public']);
  });
  afterAll(() => db.close());

  describe('FollowTheMoney', () => {
    it('validates every entity of the whole graph against the FtM 3.8 schema files', async () => {
      const { text, result } = await full('ftm');
      const entities = parseNdjson(text);
      expect(entities.length).toBe(result.records);
      const model = new FtmModel();
      expect(model.validate(entities)).toEqual([]);
      // Ids Aleph signs as they are: letters, digits and inner "-" (no "_", no "." separator), each once.
      expect(entities.map((e) => e.id).filter((id) => !FTM_ID.test(id))).toEqual([]);
      expect(new Set(entities.map((e) => e.id)).size).toBe(entities.length);
    });

    it('has a validator that refuses what FtM would refuse', () => {
      const problems = new FtmModel().validate([
        { id: 'a', schema: 'Thing', properties: { name: ['x'] } },
        { id: 'b', schema: 'Event', properties: { name: ['x'], date: ['2022-02-30'], colour: ['red'] } },
        { id: 'c', schema: 'UnknownLink', properties: { subject: ['b'] } },
        { id: 'd', schema: 'Membership', properties: { member: ['e'], organization: ['f'] } },
        { id: 'f', schema: 'Person', properties: { name: [1] } },
        { id: 'g', schema: 'Document', properties: { title: ['no file name'] } },
        {
          id: 'h',
          schema: 'Article',
          properties: { title: ['an article needs none'], publishedAt: ['2022-05'] },
        },
      ]);
      expect(problems).toEqual([
        'a: schema Thing is abstract',
        'b: date (date) has an invalid value "2022-02-30"',
        'b: Event has no property colour',
        'c: UnknownLink requires object',
        'd: member references e, which is not in the export',
        'd: organization references f (Person), not a Organization',
        'f: name has a value that is not a non-empty string: 1',
        'g: Document requires fileName',
      ]);
    });

    it('maps the sample: the decree as an Event, SOHR, the article, links and documentation', async () => {
      const entities = parseNdjson((await full('ftm')).text);
      const byId = new Map(entities.map((e) => [e.id, e]));
      // Entities made from a relationship carry its graph id as recordId.
      const byRecord = new Map(
        entities.filter((e) => e.schema !== 'Documentation').map((e) => [e.properties.recordId?.[0], e]),
      );
      const decree = byId.get('ev-amnesty-decree-2022')!;
      expect(decree.schema).toBe('Event');
      expect(decree.properties.date).toEqual(['2022-04-30']);
      expect(decree.properties.country).toEqual(['sy']);
      expect(decree.properties.organizer).toEqual(['ac-syrian-president']);
      expect(byId.get('ac-sohr')).toMatchObject({
        schema: 'Organization',
        properties: { name: ['Syrian Observatory for Human Rights'] },
      });
      expect(byId.get('ac-sohr')!.properties.alias).toContain('المرصد السوري لحقوق الإنسان');
      expect(byId.get('ac-regime-security-services')!.schema).toBe('PublicBody');
      expect(byId.get('ac-syrian-regime')!.schema).toBe('PublicBody');
      expect(byId.get('ac-syrian-president')!.schema).toBe('Person');
      expect(byId.get('ac-reliable-sources')!.schema).toBe('LegalEntity');

      const article = byId.get('src-sohr-amnesty-2022')!;
      expect(article.schema).toBe('Article');
      expect(article.properties).toMatchObject({
        title: ['Al-Assad’s pardon | Releasing detainees shrinks'],
        publisher: ['Syrian Observatory for Human Rights'],
        language: ['eng'],
        bodyText: [sampleText],
      });
      // "Not before May 2022" is a bound, not a publication date.
      expect(article.properties.publishedAt).toBeUndefined();

      // Dates at their own precision, never an invented day.
      expect(byId.get('ev-iranian-supervision-of-prisons')!.properties).toMatchObject({
        startDate: ['2013-05'],
        endDate: ['2015-10'],
      });
      expect(byId.get('ev-arrests-since-2011')!.properties.startDate).toEqual(['2011-03']);
      const releases = byId.get('ev-amnesty-releases-2022')!;
      expect(releases.properties.location).toEqual(
        expect.arrayContaining(['Rif Dimashq, Syria', 'Daraa, Syria', 'Aleppo, Syria']),
      );
      expect(releases.properties.involved).toEqual(
        expect.arrayContaining(['ac-regime-security-services', 'ac-criminal-case-detainees']),
      );
      for (const e of entities)
        for (const [prop, values] of Object.entries(e.properties))
          if (/date|At$/i.test(prop) && prop !== 'modifiedAt')
            for (const v of values) expect(isFtmDate(v)).toBe(true);

      // INVOLVED_IN -> UnknownLink with the role and the event's date.
      const issuer = 'rel-involved_in-ac-syrian-president-ev-amnesty-decree-2022-issuer';
      expect(byRecord.get(issuer)).toEqual({
        id: derivedId('relationship', issuer),
        schema: 'UnknownLink',
        properties: {
          summary: ['The president of the Syrian regime issued the amnesty on 30 April.'],
          recordId: [issuer],
          subject: ['ac-syrian-president'],
          object: ['ev-amnesty-decree-2022'],
          role: ['issuer'],
          date: ['2022-04-30'],
        },
      });
      const sample = parseYaml(readFileSync(SAMPLE_BUNDLE, 'utf8')) as Record<string, { id: string }[]>;
      const sampleIds = new Set([...sample.actors!, ...sample.events!].map((x) => x.id));
      const involvements = entities.filter(
        (e) =>
          e.schema === 'UnknownLink' &&
          e.properties.recordId![0]!.startsWith('rel-involved_in-') &&
          sampleIds.has(e.properties.subject![0]!) &&
          sampleIds.has(e.properties.object![0]!),
      );
      expect(involvements).toHaveLength(14);
      expect(byRecord.get('rel-member_of-ac-sohr-activists-ac-sohr')).toMatchObject({
        schema: 'Membership',
        properties: { member: ['ac-sohr-activists'], organization: ['ac-sohr'] },
      });
      expect(byRecord.get('rel-member_of-ac-syrian-president-ac-syrian-regime')!.schema).toBe('Membership');
      expect(byRecord.get('rel-pursuant_to-ev-amnesty-releases-2022-ev-amnesty-decree-2022')).toMatchObject({
        schema: 'UnknownLink',
        properties: { role: ['pursuant to'] },
      });

      // Claims: Documentation from the article to their subject, with the exact words.
      expect(byId.get('cl-f10-president-issued-decree')).toMatchObject({
        schema: 'Documentation',
        properties: {
          document: ['src-sohr-amnesty-2022'],
          entity: ['ac-syrian-president'],
          role: ['INVOLVED_IN (issuer)'],
          description: ['amnesty issued by the Syrian regime’s president on April 30'],
          recordId: ['cl-f10-president-issued-decree'],
        },
      });
      // The publisher: Documentation of its own (it was "src-….publisher", which Aleph signed to the Article).
      expect(byId.get(derivedId('publisher', 'src-sohr-amnesty-2022'))!.properties).toEqual({
        document: ['src-sohr-amnesty-2022'],
        entity: ['ac-sohr'],
        role: ['publisher'],
      });
      // The events point at the article they come from.
      expect(decree.properties.proof).toEqual(['src-sohr-amnesty-2022']);
    });

    it('lists what FtM cannot hold (places, figures, claims about places) with reasons', async () => {
      const { text, result } = await full('ftm');
      const skipped = new Map(result.skipped.map((s) => [s.id, s.reason]));
      expect(skipped.get('pl-syria')).toMatch(/no schema for places/);
      expect(skipped.get('cl-f17-daraa-in-syria')).toMatch(/about a place/);
      expect([...skipped.keys()].filter((id) => id.startsWith('fg-'))).not.toHaveLength(0);
      expect(text).not.toContain('"id":"pl-');
    });
  });

  describe('ACLED', () => {
    it('writes the exact header and one well-formed row per event with an ACLED equivalent', async () => {
      const { text, result } = await full('acled');
      expect(text.split('\r\n')[0]).toBe(ACLED_COLUMNS.join(','));
      const rows = parseCsv(text);
      expect(rows[0]).toEqual([...ACLED_COLUMNS]);
      for (const r of rows) expect(r).toHaveLength(ACLED_COLUMNS.length);
      expect(rows.length - 1).toBe(result.records);
      const ids = rows.slice(1).map((r) => r[0]);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('maps the releases to one location, the country code and SOHR as source, dated by a full day', async () => {
      const rows = parseCsv((await full('acled')).text);
      const get = (id: string) => {
        const r = rows.find((x) => x[0] === id);
        return r && Object.fromEntries(ACLED_COLUMNS.map((c, i) => [c, r[i]!]));
      };
      const releases = get('ev-amnesty-releases-2022')!;
      expect(releases).toMatchObject({
        // Only "after 30 April 2022" is known, with no end: that day, at ACLED's coarsest precision.
        event_date: '2022-04-30',
        year: '2022',
        time_precision: '3',
        disorder_type: 'Strategic developments',
        event_type: 'Strategic developments',
        sub_event_type: 'Other',
        actor1: 'Regime security services',
        inter1: '1',
        actor2: 'Persons arrested in recent months in criminal cases',
        inter2: '7',
        interaction: '17',
        iso: '760',
        country: 'Syria',
        source: 'Syrian Observatory for Human Rights',
        fatalities: '0',
      });
      // Released in three governorates: ACLED codes one location per row, here the country holding them.
      expect(releases).toMatchObject({ admin1: '', location: 'Syria', geo_precision: '3' });
      expect(releases.notes).toContain('Nearly 1,160 prisoners were released under the amnesty.');
      expect(releases.notes).toContain('Nearly 1,168 detainees and prisoners');
      expect(get('ev-arrests-since-2011')).toMatchObject({
        event_date: '2011-03-01',
        time_precision: '3',
        sub_event_type: 'Arrests',
        actor1: 'Regime security services',
        interaction: '10',
      });
    });

    it('reports the events it leaves out, with reasons', async () => {
      const { result } = await full('acled');
      const skipped = new Map(result.skipped.map((s) => [s.id, s.reason]));
      expect(skipped.get('ev-amnesty-decree-2022')).toMatch(/decree/);
      expect(skipped.get('ev-reporting-obligation-2022')).toMatch(/obligation/);
      expect(skipped.get('ev-iranian-supervision-of-prisons')).toMatch(/supervision/);
      expect(skipped.get('ev-deaths-in-regime-prisons')).toMatch(/no date/);
      expect(skipped.get('ev-defector-releases-2022')).toMatch(/no date/);
    });

    it('keeps commas, quotes, line breaks and Arabic intact, and takes fatalities from a deaths figure', async () => {
      const rows = parseCsv((await full('acled')).text);
      const r = rows.find((x) => x[0] === ids.event)!;
      const row = Object.fromEntries(ACLED_COLUMNS.map((c, i) => [c, r[i]!]));
      expect(row).toMatchObject({
        event_date: '2022-06-15',
        time_precision: '1',
        actor1: `Officer ${MARK}`,
        assoc_actor_1: SPECIAL,
        actor2: `Detainees ${u}`,
        iso: '422',
        country: `Country ${u}`,
        admin1: `Gov ${u}`,
        location: `Town ${u}`,
        geo_precision: '1',
        source: `Monitor ${u}`,
        fatalities: '3',
      });
      expect(row.notes).toContain(SUMMARY);
    });

    it('quotes CSV fields as RFC 4180 says', () => {
      expect(csvField('plain')).toBe('plain');
      expect(csvField('a,b')).toBe('"a,b"');
      expect(csvField('say "hi"')).toBe('"say ""hi"""');
      expect(csvField('line 1\nline 2')).toBe('"line 1\nline 2"');
      expect(csvField('ريف دمشق')).toBe('ريف دمشق');
      const fields = ['a,b', 'say "hi"', 'l1\r\nl2', 'ريف دمشق، حلب', '', '🙂'];
      expect(parseCsv(csvLine(fields))).toEqual([fields]);
    });
  });

  describe('PROV-JSON', () => {
    it('attributes F15 to SOHR, with the unnamed sources as primary source and its excerpt quoted from its source', async () => {
      const { text } = await full('prov');
      const doc = JSON.parse(text) as Record<string, Record<string, Record<string, unknown>>>;
      const claim = 'hrkg:cl-f15-deaths-105000';
      expect(doc.entity![claim]).toMatchObject({ 'prov:type': { $: 'hrkg:Claim' } });
      expect(doc.agent!['hrkg:ac-sohr']).toMatchObject({ 'prov:type': { $: 'prov:Organization' } });
      const attributed = Object.values(doc.wasAttributedTo!).filter((r) => r['prov:entity'] === claim);
      expect(attributed).toEqual([{ 'prov:entity': claim, 'prov:agent': 'hrkg:ac-sohr', 'hrkg:hop': 1 }]);
      const derived = Object.values(doc.wasDerivedFrom!).filter((r) => r['prov:generatedEntity'] === claim);
      expect(derived).toContainEqual({
        'prov:generatedEntity': claim,
        'prov:usedEntity': 'hrkg:ac-reliable-sources',
        'prov:type': { $: 'prov:PrimarySource', type: 'prov:QUALIFIED_NAME' },
        'hrkg:hop': 2,
      });
      expect(doc.entity!['hrkg:ac-reliable-sources']).toBeDefined();
      expect(doc.agent!['hrkg:ac-reliable-sources']).toBeDefined();

      const excerpts = derived.filter((r) => !r['prov:type']).map((r) => String(r['prov:usedEntity']));
      expect(excerpts).toHaveLength(1);
      const ex = doc.entity![excerpts[0]!]!;
      // An excerpt is an entity; prov:Quotation (a kind of derivation) types its derivation from the source.
      expect(ex['prov:type']).toContainEqual({ $: 'hrkg:Excerpt', type: 'prov:QUALIFIED_NAME' });
      expect(ex['prov:type']).not.toContainEqual({ $: 'prov:Quotation', type: 'prov:QUALIFIED_NAME' });
      const points = Array.from(sampleText);
      const start = ex['oa:start'] as number;
      const end = ex['oa:end'] as number;
      expect(ex['oa:exact']).toBe(points.slice(start, end).join(''));
      expect(ex['oa:exact']).toContain('exceeded 105,000 people');
      expect(ex['oa:prefix']).toBe(points.slice(Math.max(0, start - 32), start).join(''));
      expect(ex['oa:suffix']).toBe(points.slice(end, end + 32).join(''));
      expect(Object.values(doc.wasDerivedFrom!)).toContainEqual({
        'prov:generatedEntity': excerpts[0],
        'prov:usedEntity': 'hrkg:src-sohr-amnesty-2022',
        'prov:type': { $: 'prov:Quotation', type: 'prov:QUALIFIED_NAME' },
      });
      expect(Object.values(doc.wasAttributedTo!)).toContainEqual({
        'prov:entity': 'hrkg:src-sohr-amnesty-2022',
        'prov:agent': 'hrkg:ac-sohr',
      });
    });

    it('counts offsets in code points (an emoji counts once) and resolves every reference', async () => {
      const { text, result } = await full('prov');
      const doc = JSON.parse(text) as Record<string, Record<string, Record<string, unknown>>>;
      const fixtureExcerpt = Object.values(doc.entity!).find(
        (e) => e['oa:exact'] === 'Three detainees died' && e['oa:hasSource'] !== undefined,
      )!;
      const points = Array.from(TEXT);
      expect(
        points.slice(fixtureExcerpt['oa:start'] as number, fixtureExcerpt['oa:end'] as number).join(''),
      ).toBe('Three detainees died');
      const declared = (section: string) => new Set(Object.keys(doc[section] ?? {}));
      const entities = declared('entity');
      const agents = declared('agent');
      const activities = declared('activity');
      const refs: [string, string, Set<string>][] = [
        ['wasDerivedFrom', 'prov:generatedEntity', entities],
        ['wasDerivedFrom', 'prov:usedEntity', entities],
        ['wasAttributedTo', 'prov:entity', entities],
        ['wasAttributedTo', 'prov:agent', agents],
        ['wasGeneratedBy', 'prov:entity', entities],
        ['wasGeneratedBy', 'prov:activity', activities],
        ['wasAssociatedWith', 'prov:activity', activities],
        ['wasAssociatedWith', 'prov:agent', agents],
        ['wasInfluencedBy', 'prov:influencee', entities],
        ['wasInfluencedBy', 'prov:influencer', agents],
      ];
      for (const [section, key, targets] of refs)
        for (const r of Object.values(doc[section] ?? {}))
          expect(targets.has(String(r[key])), `${section}.${key} ${String(r[key])}`).toBe(true);
      const total = [
        'entity',
        'agent',
        'activity',
        'wasDerivedFrom',
        'wasAttributedTo',
        'wasGeneratedBy',
        'wasAssociatedWith',
        'wasInfluencedBy',
      ]
        .map((s) => Object.keys(doc[s] ?? {}).length)
        .reduce((a, b) => a + b, 0);
      expect(result.records).toBe(total);
    });
  });

  describe('GraphML', () => {
    it('is well-formed, declares its keys and has one node per exported entity and figure', async () => {
      const { text, result } = await full('graphml');
      // A real XML parser loads it (as Gephi's and Cytoscape's readers would), with the same node count.
      expect(XMLValidator.validate(text)).toBe(true);
      const parsed = new XMLParser({
        ignoreAttributes: false,
        isArray: (name) => ['node', 'edge', 'key', 'data'].includes(name),
      }).parse(text) as {
        graphml: { graph: { node?: unknown[]; edge?: unknown[] } };
      };
      const root = parseXml(text);
      expect(root.name).toBe('graphml');
      expect(parsed.graphml.graph.node?.length).toBe(
        root.children.find((c) => c.name === 'graph')!.children.filter((c) => c.name === 'node').length,
      );
      const keys = new Map(
        root.children.filter((c) => c.name === 'key').map((k) => [k.attrs.id!, k.attrs.for!]),
      );
      const graph = root.children.find((c) => c.name === 'graph')!;
      const nodes = graph.children.filter((c) => c.name === 'node');
      const edges = graph.children.filter((c) => c.name === 'edge');
      expect(nodes.length + edges.length).toBe(result.records);
      const nodeIds = new Set(nodes.map((n) => n.attrs.id!));
      expect(nodeIds.size).toBe(nodes.length);
      expect(new Set(edges.map((e) => e.attrs.id)).size).toBe(edges.length);
      for (const e of edges) {
        expect(nodeIds.has(e.attrs.source!), e.attrs.source).toBe(true);
        expect(nodeIds.has(e.attrs.target!), e.attrs.target).toBe(true);
      }
      for (const el of [...nodes, ...edges])
        for (const d of el.children) {
          expect(d.name).toBe('data');
          expect(keys.get(d.attrs.key!)).toBe(el.name);
        }

      // Every FtM entity from an actor or event is a node, as are the places and figures FtM leaves out.
      const ftm = await full('ftm');
      // (Derived FtM entities, such as a unit's Position, have hashed ids of FtM's own: not nodes.)
      for (const e of parseNdjson(ftm.text).filter((x) => /^(ac|ev)-[^.]*$/.test(x.id)))
        expect(nodeIds.has(e.id)).toBe(true);
      for (const s of ftm.result.skipped.filter((x) => /^(pl|fg)-/.test(x.id)))
        expect(nodeIds.has(s.id)).toBe(true);

      const label = (id: string) =>
        nodes.find((n) => n.attrs.id === id)!.children.find((d) => d.attrs.key === 'label')!.text;
      expect(label(ids.forces)).toBe(SPECIAL);
      expect(text).toContain(xmlEscape(SPECIAL));
      const decreeIssuer = edges.find(
        (e) => e.attrs.id === 'rel-involved_in-ac-syrian-president-ev-amnesty-decree-2022-issuer',
      )!;
      expect(Object.fromEntries(decreeIssuer.children.map((d) => [d.attrs.key, d.text]))).toEqual({
        edge_type: 'INVOLVED_IN',
        role: 'issuer',
        claims: '1',
        weight: '1',
      });
      expect(label('fg-f4-released-1168')).toBe('nearly 1,168');
    });

    it('escapes XML specials and drops characters XML cannot carry', () => {
      expect(xmlEscape(`<a & "b" 'c'>`)).toBe('&lt;a &amp; &quot;b&quot; &apos;c&apos;&gt;');
      expect(xmlEscape('bell\u0007')).toBe('bell\uFFFD');
      expect(xmlEscape('ريف 🙂')).toBe('ريف 🙂');
    });
  });

  describe('redaction', () => {
    it.each(['ftm', 'acled', 'prov', 'graphml'] as const)(
      '%s: a restricted actor is absent with public clearance and present with full clearance',
      async (format) => {
        const hidden = await run(publicExecutor, format);
        expect(hidden.text).not.toContain(MARK);
        expect(hidden.text).not.toContain(ids.officer);
        // The public part of the fixture is still there.
        expect(hidden.text).toContain(`Monitor ${u}`);
        const shown = await full(format);
        expect(shown.text).toContain(MARK);
        if (format !== 'acled') expect(shown.text).toContain(ids.officer);
      },
    );

    it('pages through the graph with keyset cursors: small pages give the same records', async () => {
      // The sample and this file's fixture do not change while other test files write their own records.
      const sample = parseYaml(readFileSync(SAMPLE_BUNDLE, 'utf8')) as Record<string, { id: string }[]>;
      const mine = new Set(
        ['sources', 'actors', 'places', 'events', 'claims'].flatMap((k) => sample[k]!.map((x) => x.id)),
      );
      const ours = (id: string) => mine.has(id) || id.includes(u);
      const pick = {
        // An entity of ours, or one derived from ours (a link, Documentation: it names them).
        ftm: (text: string) =>
          parseNdjson(text)
            .filter((e) => ours(e.id) || Object.values(e.properties).some((v) => v.some(ours)))
            .map((e) => JSON.stringify(e)),
        acled: (text: string) =>
          parseCsv(text)
            .filter((r) => ours(r[0]!))
            .map((r) => r.join('|')),
        prov: (text: string) => {
          const doc = JSON.parse(text) as Record<string, Record<string, Record<string, unknown>>>;
          return Object.entries(doc.entity!)
            .concat(Object.entries(doc.wasDerivedFrom!))
            .filter(([id, r]) => ours(id.slice(5)) || ours(String(r['prov:generatedEntity']).slice(5)))
            .map((x) => JSON.stringify(x));
        },
        graphml: (text: string) =>
          text.split('\n').filter((l) => {
            const m = /<(?:node id|edge id="[^"]*" source)="([^"]*)"/.exec(l);
            return m && ours(m[1]!);
          }),
      };
      for (const format of ['ftm', 'acled', 'prov', 'graphml'] as const) {
        const small = pick[format]((await run(db.executor, format, 7)).text);
        const large = pick[format]((await full(format)).text);
        expect(new Set(small).size, format).toBe(small.length);
        expect([...small].sort(), format).toEqual([...large].sort());
        // More records than one small page holds (ACLED has three rows of ours).
        expect(small.length, format).toBeGreaterThanOrEqual(format === 'acled' ? 3 : 8);
      }
    });

    it('reports progress as it goes', async () => {
      const { progress } = await run(publicExecutor, 'ftm');
      expect(progress.length).toBeGreaterThan(0);
      for (let i = 1; i < progress.length; i += 1)
        expect(progress[i]![0]).toBeGreaterThanOrEqual(progress[i - 1]![0]);
      for (const [done, total] of progress) expect(done).toBeLessThanOrEqual(total);
    });
  });
});
