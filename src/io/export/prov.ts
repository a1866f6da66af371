import type {
  ExportAgent,
  ExportClaim,
  ExportExcerpt,
  ExportReader,
  ExportResult,
  ExportSource,
  Progress,
  Sink,
  Skipped,
} from './index.js';

/**
 * W3C PROV-JSON (https://www.w3.org/submissions/prov-json/): one JSON document, streamed section by
 * section (each section is one pass over the graph's pages, so memory does not grow with the graph).
 *
 * - entity: sources (hrkg:Source); excerpts (hrkg:Excerpt) carrying the W3C Web Annotation selectors
 *   flattened into attributes (TextQuoteSelector oa:exact/oa:prefix/oa:suffix, TextPositionSelector
 *   oa:start/oa:end in code points, oa:hasSource); claims (hrkg:Claim); and the actors that are the primary
 *   source of a claim (PROV lets one thing be both an agent and an entity). prov:Quotation is a kind of
 *   derivation in PROV, not of entity: it types the excerpt's wasDerivedFrom only (PROV-XML writes a record
 *   typed with a PROV subtype as that subtype's element, so an entity typed prov:Quotation read back as a
 *   relation).
 * - agent: publishers and actors in attribution chains (prov:Organization / prov:Person / prov:Agent) and
 *   the recorders of claims (recorder:<name>).
 * - activity: the recording of each claim, associated with its recorder, generating the claim.
 * - wasDerivedFrom: excerpt -> source (prov:type prov:Quotation); claim -> excerpt; claim -> the last hop
 *   of its attribution chain with prov:type prov:PrimarySource, which is how PROV-JSON writes
 *   hadPrimarySource ("unnamed reliable sources" told SOHR).
 * - wasAttributedTo: claim -> hop 1 (who the source reports); a claim without one (imported claims: a
 *   dataset's rows name no speaker) -> the publisher of each source it quotes (prov:type
 *   hrkg:SourcePublisher: ACLED for ACLED imports), else the recorder who entered it (prov:type hrkg:Recorder:
 *   a file that names no publisher); source -> publisher. Every claim written is attributed.
 * - wasInfluencedBy: claim <- intermediate hops of chains longer than two; source <- each outlet of its
 *   publishedVia chain (prov:type hrkg:PublishedVia, hrkg:hop 1 = nearest the reader, hrkg:url).
 * A hop's capacity ("director of the monitor, speaking for it") is the prov:role of its attribution or
 * influence.
 * Relation identifiers are blank nodes derived from the records' ids, so the same graph always gives the
 * same document.
 */

export const PROV_PREFIXES = {
  hrkg: 'urn:hrkg:',
  recorder: 'urn:hrkg:recorder:',
  oa: 'http://www.w3.org/ns/oa#',
  dcterms: 'http://purl.org/dc/terms/',
  schema: 'https://schema.org/',
};

/** A local name safe in a PROV qualified name: anything outside [A-Za-z0-9_.-] percent-encoded. */
function local(id: string): string {
  return Array.from(new TextEncoder().encode(id))
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9_.-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

export const qn = (id: string) => `hrkg:${local(id)}`;
export const recorderQn = (name: string) => `recorder:${local(name)}`;
const qualified = (name: string) => ({ $: name, type: 'prov:QUALIFIED_NAME' });
const blank = (...parts: string[]) => `_:${parts.map(local).join('.')}`;

type Attrs = Record<string, unknown>;

/** Drops null and undefined attributes (PROV-JSON has no null). */
function attrs(a: Attrs): Attrs {
  return Object.fromEntries(Object.entries(a).filter(([, v]) => v !== null && v !== undefined));
}

const AGENT_TYPE: Readonly<Record<string, string>> = {
  person: 'prov:Person',
  organization: 'prov:Organization',
  public_body: 'prov:Organization',
  state: 'prov:Organization',
};

export function sourceRecord(s: ExportSource): Attrs {
  return attrs({
    'prov:type': qualified('hrkg:Source'),
    'prov:label': s.title,
    'dcterms:title': s.title,
    'dcterms:language': s.language,
    'hrkg:sha256': s.sha256,
    'schema:url': s.url ? { $: s.url, type: 'xsd:anyURI' } : null,
    'hrkg:retrievedAt': s.retrievedAt ? { $: s.retrievedAt, type: 'xsd:dateTime' } : null,
    'hrkg:published': s.published ? (s.published.text ?? s.published.value) : null,
    'hrkg:reliability': s.reliability,
  });
}

export function excerptRecord(x: ExportExcerpt): Attrs {
  return {
    'prov:type': [
      qualified('hrkg:Excerpt'),
      qualified('oa:TextQuoteSelector'),
      qualified('oa:TextPositionSelector'),
    ],
    'prov:value': x.exact,
    'oa:hasSource': qualified(qn(x.sourceId)),
    'oa:exact': x.exact,
    'oa:prefix': x.prefix,
    'oa:suffix': x.suffix,
    'oa:start': x.start,
    'oa:end': x.end,
  };
}

export function claimRecord(c: ExportClaim): Attrs {
  return attrs({
    'prov:type': qualified('hrkg:Claim'),
    'prov:label': c.summary,
    'hrkg:kind': c.kind,
    'hrkg:property': c.property,
    'hrkg:role': c.role,
    'hrkg:position': c.position,
    'hrkg:periodStart': c.periodStart?.value ?? null,
    'hrkg:periodEnd': c.periodEnd?.value ?? null,
    'hrkg:subject': c.subjectId ? qualified(qn(c.subjectId)) : null,
    'hrkg:object': c.objectId ? qualified(qn(c.objectId)) : null,
    'hrkg:status': c.status,
    'hrkg:confidence': c.confidence,
    'hrkg:fact': c.fact,
  });
}

export function agentRecord(a: ExportAgent): Attrs {
  return {
    'prov:type': qualified(AGENT_TYPE[a.type] ?? 'prov:Agent'),
    'prov:label': a.name,
    'hrkg:actorType': a.type,
  };
}

/** The hops of a chain: hop 1 (attributed), the intermediate ones, and the last (primary source). */
export function chain(c: ExportClaim): {
  first?: string;
  middle: { hop: number; agentId: string }[];
  primary?: { hop: number; agentId: string };
} {
  const hops = [...c.attribution].sort((a, b) => a.hop - b.hop);
  const first = hops.find((h) => h.hop === 1)?.agentId;
  const last = hops[hops.length - 1];
  const primary = last && last.hop > 1 ? last : undefined;
  const middle = hops.filter((h) => h.hop > 1 && h !== primary);
  return { first, middle, primary };
}

/** Writes `"name": { "id": {...}, ... }` from pages of entries. */
class Section {
  private count = 0;
  constructor(
    private readonly sink: Sink,
    private readonly name: string,
  ) {}

  /** Every section follows the prefix declarations, hence the leading comma. */
  async open() {
    await this.sink.write(`,\n${JSON.stringify(this.name)}: {`);
  }

  async add(entries: [string, Attrs][]) {
    if (!entries.length) return;
    const body = entries
      .map(([id, a]) => `${this.count++ === 0 ? '' : ','}\n  ${JSON.stringify(id)}: ${JSON.stringify(a)}`)
      .join('');
    await this.sink.write(body);
  }

  async close() {
    await this.sink.write(this.count ? '\n}' : '}');
    return this.count;
  }
}

/** What the agent and entity sections wrote: the relations after them refer to these only. */
interface Written {
  agents: Map<string, ExportAgent>;
  recorders: Set<string>;
  /** Publisher of each source written whose publisher was written as an agent. */
  publisherOf: Map<string, string>;
  /** The publishedVia hops of written sources whose outlet was written as an agent. */
  outlets: Entry[];
  sourceIds: Set<string>;
  excerptIds: Set<string>;
  /** Claims written as entities: later passes only relate these (the graph may change during the export). */
  claimIds: Set<string>;
  /** Agents that are the primary source of a claim, written as entities too. */
  primarySources: Set<string>;
}

type Entry = [string, Attrs];
type Fill = (s: Section) => Promise<void>;

const recording = (c: ExportClaim) => qn(`recording-${c.id}`);

function recorderAgent(name: string): Entry {
  return [recorderQn(name), { 'prov:type': qualified('prov:Agent'), 'prov:label': name }];
}

/** An agent that is the primary source of a claim, as an entity. */
function primarySourceEntity(agent: ExportAgent): Entry {
  return [qn(agent.id), { 'prov:type': qualified('hrkg:Actor'), 'prov:label': agent.name }];
}

function activityEntry(c: ExportClaim): Entry {
  return [
    recording(c),
    attrs({
      'prov:type': qualified('hrkg:Recording'),
      'prov:startTime': c.recordedAt || null,
      'prov:endTime': c.recordedAt || null,
    }),
  ];
}

function generationEntry(c: ExportClaim): Entry {
  return [
    blank('gen', c.id),
    attrs({ 'prov:entity': qn(c.id), 'prov:activity': recording(c), 'prov:time': c.recordedAt || null }),
  ];
}

/** The recording of a claim, associated with its recorder (when the recorder is an agent written). */
function associationEntries(c: ExportClaim, recorders: ReadonlySet<string>): Entry[] {
  if (!recorders.has(c.recordedBy)) return [];
  return [[blank('assoc', c.id), { 'prov:activity': recording(c), 'prov:agent': recorderQn(c.recordedBy) }]];
}

/** An excerpt derived from its source, as a quotation. */
function quotationEntry(x: ExportExcerpt): Entry {
  return [
    blank('quote', x.id),
    {
      'prov:generatedEntity': qn(x.id),
      'prov:usedEntity': qn(x.sourceId),
      'prov:type': qualified('prov:Quotation'),
    },
  ];
}

/** A claim derived from its excerpts (those written) and from its primary source (when written). */
function derivationEntries(c: ExportClaim, w: Pick<Written, 'excerptIds' | 'primarySources'>): Entry[] {
  const entries: Entry[] = [];
  for (const x of c.excerpts) {
    if (!w.excerptIds.has(x.id)) continue;
    entries.push([
      blank('support', c.id, x.id),
      { 'prov:generatedEntity': qn(c.id), 'prov:usedEntity': qn(x.id) },
    ]);
  }
  const p = chain(c).primary;
  if (p && w.primarySources.has(p.agentId)) {
    entries.push([
      blank('primary', c.id),
      {
        'prov:generatedEntity': qn(c.id),
        'prov:usedEntity': qn(p.agentId),
        'prov:type': qualified('prov:PrimarySource'),
        'hrkg:hop': p.hop,
      },
    ]);
  }
  return entries;
}

/**
 * A claim attributed to hop 1 of its chain (when written as an agent); without one, to the publishers of the
 * sources it quotes (those written as agents); without those, to its recorder.
 */
function attributionEntries(
  c: ExportClaim,
  w: Pick<Written, 'agents' | 'publisherOf' | 'recorders'>,
): Entry[] {
  const first = chain(c).first;
  if (first && w.agents.has(first)) {
    const said = { 'prov:entity': qn(c.id), 'prov:agent': qn(first), 'hrkg:hop': 1, ...roleOf(c, 1) };
    return [[blank('said', c.id), said]];
  }
  const publishers = [...new Set(c.excerpts.map((x) => w.publisherOf.get(x.sourceId)))]
    .filter((p): p is string => p !== undefined)
    .sort();
  if (publishers.length)
    return publishers.map((p): Entry => [
      blank('pub', c.id, p),
      { 'prov:entity': qn(c.id), 'prov:agent': qn(p), 'prov:type': qualified('hrkg:SourcePublisher') },
    ]);
  if (!w.recorders.has(c.recordedBy)) return [];
  return [
    [
      blank('rec', c.id),
      {
        'prov:entity': qn(c.id),
        'prov:agent': recorderQn(c.recordedBy),
        'prov:type': qualified('hrkg:Recorder'),
      },
    ],
  ];
}

/** The capacity a hop's agent spoke in, as PROV's role attribute (none when not recorded). */
function roleOf(c: ExportClaim, hop: number): { 'prov:role'?: string } {
  const capacity = c.attribution.find((h) => h.hop === hop)?.capacity;
  return capacity ? { 'prov:role': capacity } : {};
}

function publicationEntry([src, pub]: [string, string]): Entry {
  return [blank('published', src), { 'prov:entity': qn(src), 'prov:agent': qn(pub) }];
}

/** A source influenced by the outlets that carried it (those written as agents), numbered over them. */
function outletEntries(src: ExportSource, agents: ReadonlyMap<string, ExportAgent>): Entry[] {
  return (src.publishedVia ?? [])
    .filter((h) => agents.has(h.actorId))
    .map((h, i): Entry => [
      blank('via', src.id, String(i + 1)),
      {
        'prov:influencee': qn(src.id),
        'prov:influencer': qn(h.actorId),
        'prov:type': 'hrkg:PublishedVia',
        'hrkg:hop': i + 1,
        ...(h.url ? { 'hrkg:url': h.url } : {}),
      },
    ]);
}

/** A claim influenced by the intermediate hops of its chain (those written as agents). */
function influenceEntries(c: ExportClaim, agents: ReadonlyMap<string, ExportAgent>): Entry[] {
  return chain(c)
    .middle.filter((h) => agents.has(h.agentId))
    .map((h) => [
      blank('hop', c.id, String(h.hop)),
      {
        'prov:influencee': qn(c.id),
        'prov:influencer': qn(h.agentId),
        'hrkg:hop': h.hop,
        ...roleOf(c, h.hop),
      },
    ]);
}

/** Agents first: their names are needed again for the primary-source entities. */
async function fillAgents(reader: ExportReader, s: Section, w: Written): Promise<void> {
  for await (const page of reader.agents()) {
    for (const a of page) w.agents.set(a.id, a);
    await s.add(page.map((a) => [qn(a.id), agentRecord(a)]));
  }
  w.recorders = new Set(await reader.recorders());
  await s.add([...w.recorders].map(recorderAgent));
}

/** Sources, their excerpts (in sources written), claims and the primary sources of claims. */
async function fillEntities(reader: ExportReader, s: Section, w: Written, progress: Progress): Promise<void> {
  for await (const page of reader.sources({ withText: false })) {
    await s.add(page.map((src) => [qn(src.id), sourceRecord(src)]));
    for (const src of page) w.sourceIds.add(src.id);
    for (const src of page)
      if (src.publisher && w.agents.has(src.publisher.id)) w.publisherOf.set(src.id, src.publisher.id);
    for (const src of page) w.outlets.push(...outletEntries(src, w.agents));
    progress.tick(page.length);
  }
  for await (const page of reader.excerpts()) {
    const quoted = page.filter((x) => w.sourceIds.has(x.sourceId));
    await s.add(quoted.map((x) => [qn(x.id), excerptRecord(x)]));
    for (const x of quoted) w.excerptIds.add(x.id);
    progress.tick(page.length);
  }
  for await (const page of reader.claims()) {
    await s.add(page.map((c) => [qn(c.id), claimRecord(c)]));
    for (const c of page) {
      w.claimIds.add(c.id);
      const p = chain(c).primary;
      if (p && w.agents.has(p.agentId)) w.primarySources.add(p.agentId);
    }
    progress.tick(page.length);
  }
  await s.add([...w.primarySources].sort().map((id) => primarySourceEntity(w.agents.get(id)!)));
}

/** The relation sections, in order; each walks the claims written again (one statement per page). */
function relationSections(reader: ExportReader, w: Written): [string, Fill][] {
  const perClaim = (entries: (c: ExportClaim) => Entry[]) => async (s: Section) => {
    for await (const page of reader.claims())
      await s.add(page.filter((c) => w.claimIds.has(c.id)).flatMap(entries));
  };
  const quotations = async (s: Section) => {
    for await (const page of reader.excerpts())
      await s.add(page.filter((x) => w.excerptIds.has(x.id)).map(quotationEntry));
  };
  const attributions = perClaim((c) => attributionEntries(c, w));
  return [
    ['activity', perClaim((c) => [activityEntry(c)])],
    ['wasGeneratedBy', perClaim((c) => [generationEntry(c)])],
    ['wasAssociatedWith', perClaim((c) => associationEntries(c, w.recorders))],
    [
      'wasDerivedFrom',
      async (s) => {
        await quotations(s);
        await perClaim((c) => derivationEntries(c, w))(s);
      },
    ],
    [
      'wasAttributedTo',
      async (s) => {
        await attributions(s);
        await s.add([...w.publisherOf].map(publicationEntry));
      },
    ],
    [
      'wasInfluencedBy',
      async (s) => {
        await s.add(w.outlets);
        await perClaim((c) => influenceEntries(c, w.agents))(s);
      },
    ],
  ];
}

export async function writeProv(reader: ExportReader, sink: Sink, progress: Progress): Promise<ExportResult> {
  const skipped: Skipped[] = [];
  let records = 0;
  const section = async (name: string, fill: Fill) => {
    const s = new Section(sink, name);
    await s.open();
    await fill(s);
    records += await s.close();
  };

  // Prefix declarations are not records; the sections after them are.
  await sink.write(`{\n"prefix": ${JSON.stringify(PROV_PREFIXES, null, 2)}`);
  const w: Written = {
    agents: new Map(),
    recorders: new Set(),
    publisherOf: new Map(),
    outlets: [],
    sourceIds: new Set(),
    excerptIds: new Set(),
    claimIds: new Set(),
    primarySources: new Set(),
  };
  await section('agent', (s) => fillAgents(reader, s, w));
  await section('entity', (s) => fillEntities(reader, s, w, progress));
  for (const [name, fill] of relationSections(reader, w)) await section(name, fill);
  await sink.write('\n}\n');
  return { records, skipped };
}

export const PROV_COUNTED = ['sources', 'excerpts', 'claims'] as const;
