import type {
  AcledClaim,
  AcledFigure,
  EntityKind,
  ExportAcledEvent,
  ExportActor,
  ExportAgent,
  ExportClaim,
  ExportCounts,
  ExportEvent,
  ExportExcerpt,
  ExportFigure,
  ExportNode,
  ExportReader,
  ExportRelation,
  ExportSource,
  Involvement,
  PlaceNode,
  PlaceRef,
} from '../../model/export-records.js';
import { earliestOf, latestOf, type FuzzyDate } from '../../model/fuzzy-date.js';
import type { Executor, Row, Statement } from '../executor.js';
import * as q from '../queries/export.js';
import { json, num, str, strs } from '../values.js';

/**
 * The exports' reads (src/services/export.ts): the graph in pages of typed records, decoded once here.
 * Every page is one named statement with a keyset cursor (the last id of the page before), so memory
 * does not grow with the graph; what the executor's clearance hides is absent.
 */

/** Sources carry their text (up to megabytes each), so a page of them is smaller. */
const TEXT_PAGE = 20;

type Props = Record<string, unknown>;
/** A list of maps, as COLLECT returns them (absent: empty). */
const maps = (v: unknown): Props[] => (Array.isArray(v) ? (v as Props[]) : []);

function kindOf(labels: unknown): EntityKind {
  const l = strs(labels);
  return l.includes('Event') ? 'Event' : l.includes('Actor') ? 'Actor' : 'Place';
}

function placeNode(m: Props): PlaceNode {
  return {
    id: String(m.id),
    type: String(m.type),
    name: String(m.name),
    identifiers: json(m.identifiersJson, []),
  };
}

function placeRef(m: Props): PlaceRef {
  return {
    ...placeNode(m),
    ancestors: maps(m.ancestors).map((a) => ({ ...placeNode(a), depth: Number(a.depth) })),
  };
}

function entityBase(m: Props) {
  return {
    id: String(m.id),
    type: String(m.type),
    name: String(m.name),
    lang: String(m.lang ?? 'en'),
    aliases: json<{ value: string; lang: string }[]>(m.aliasesJson, []),
    description: str(m.description),
    identifiers: json<{ scheme: string; value: string }[]>(m.identifiersJson, []),
  };
}

function involvement(m: Props): Involvement {
  return { actorId: String(m.actorId), name: String(m.name), type: String(m.type), role: str(m.role) };
}

function eventBase(row: Row) {
  const m = row.entity as Props;
  return {
    ...entityBase(m),
    date: json<FuzzyDate | null>(m.dateJson, null),
    endDate: json<FuzzyDate | null>(m.endDateJson, null),
    occurredIn: maps(row.places).map(placeRef),
    involvements: maps(row.involvements).map(involvement),
  };
}

function toSource(row: Row): ExportSource {
  const s = row.source as Props;
  const pub = row.publisher as Props | null;
  return {
    id: String(s.id),
    title: String(s.title),
    text: str(s.text),
    sha256: String(s.sha256),
    language: String(s.language),
    url: str(s.url),
    retrievedAt: str(s.retrievedAt),
    published: json<FuzzyDate | null>(s.publishedJson, null),
    reliability: String(s.reliability ?? 'unknown'),
    notes: str(s.notes),
    publisher: pub ? { id: String(pub.id), name: String(pub.name), type: String(pub.type) } : null,
    publishedVia: ((row.publishedVia as Props[] | null) ?? []).map((h) => ({
      actorId: String(h.actorId),
      url: str(h.url),
    })),
  };
}

function toActor(row: Row): ExportActor {
  return {
    ...entityBase(row.entity as Props),
    locatedIn: maps(row.places).map(placeRef),
    proofSourceIds: strs(row.proof),
  };
}

function toEvent(row: Row): ExportEvent {
  return { ...eventBase(row), proofSourceIds: strs(row.proof) };
}

function acledFigure(f: Props): AcledFigure {
  return {
    id: String(f.id),
    measure: String(f.measure),
    value: num(f.value),
    min: num(f.min),
    max: num(f.max),
    qualifier: String(f.qualifier),
    unit: String(f.unit),
    subgroup: str(f.subgroup),
    claimStatus: str(f.claimStatus),
  };
}

function acledClaim(c: Props): Omit<AcledClaim, 'publishers'> {
  return {
    id: String(c.id),
    summary: String(c.summary),
    status: String(c.status ?? 'asserted'),
    fact: str(c.fact),
    slot: str(c.slot),
    kind: String(c.kind),
    property: String(c.property),
    value: json<unknown>(c.valueJson, null),
    subjectId: str(c.subjectId),
    objectId: str(c.objectId),
    recordedAt: String(c.recordedAt ?? ''),
    superseded: c.superseded === true,
  };
}

function toAcledEvent(row: Row): ExportAcledEvent {
  return {
    ...eventBase(row),
    claims: maps(row.claims).map((c) => ({ ...acledClaim(c), publishers: strs(c.publishers) })),
    figures: maps(row.figures).map(acledFigure),
    placeClaims: maps(row.placeClaims).map(acledClaim),
  };
}

/** The value of the first claim giving a property (claims ordered newest first), as a finite number. */
function coordinate(claims: Props[], property: 'latitude' | 'longitude'): number | null {
  const claim = claims.find((c) => c.property === property);
  const v = claim ? json<unknown>(claim.valueJson, null) : null;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function toNode(row: Row): ExportNode {
  const coordinates = maps(row.coordinates);
  return {
    id: String(row.id),
    kind: kindOf(row.labels),
    type: String(row.type),
    name: String(row.name),
    date: json<FuzzyDate | null>(row.dateJson, null),
    endDate: json<FuzzyDate | null>(row.endDateJson, null),
    latitude: coordinate(coordinates, 'latitude'),
    longitude: coordinate(coordinates, 'longitude'),
  };
}

/** The outgoing relationships of one start node (a row of export.relations). */
function toRelations(row: Row): ExportRelation[] {
  const fromId = String(row.id);
  const fromKind = kindOf(row.labels);
  return maps(row.relations).map((r) => ({
    id: String(r.id),
    type: String(r.type),
    role: str(r.role),
    fromId,
    fromKind,
    toId: String(r.toId),
    toKind: kindOf(r.toLabels),
    toType: String(r.toType),
    claimIds: strs(r.claimIds),
    summaries: strs(r.summaries),
    toDate: json<FuzzyDate | null>(r.toDateJson, null),
    toEndDate: json<FuzzyDate | null>(r.toEndDateJson, null),
    ...relationPeriod(r),
  }));
}

/** A relationship's position, and the span of its claims' periods (as Relation.period reads it). */
function relationPeriod(r: Props): Pick<ExportRelation, 'position' | 'periodStart' | 'periodEnd'> {
  const periods = maps(r.periods);
  return {
    position: str(r.position),
    periodStart: earliestOf(periods.map((p) => json<FuzzyDate | null>(p.start, null))),
    periodEnd: latestOf(periods.map((p) => json<FuzzyDate | null>(p.end, null))),
  };
}

function toClaim(row: Row): ExportClaim {
  const c = row.claim as Props;
  const subject = row.subject as Props | null;
  return {
    id: String(c.id),
    kind: String(c.kind),
    fact: str(c.fact),
    summary: String(c.summary),
    subjectId: subject ? String(subject.id) : null,
    subjectKind: subject ? kindOf(subject.labels) : null,
    property: String(c.property),
    role: str(c.role),
    objectId: str(c.objectId),
    status: String(c.status ?? 'asserted'),
    confidence: num(c.confidence),
    recordedBy: String(c.recordedBy ?? ''),
    recordedAt: String(c.recordedAt ?? ''),
    position: str(c.position),
    periodStart: json<FuzzyDate | null>(c.periodStartJson, null),
    periodEnd: json<FuzzyDate | null>(c.periodEndJson, null),
    excerpts: maps(row.excerpts).map((x) => ({
      id: String(x.id),
      exact: String(x.exact),
      sourceId: String(x.sourceId),
    })),
    attribution: maps(row.attribution).map((h) => ({
      hop: Number(h.hop),
      agentId: String(h.agentId),
      capacity: h.capacity == null ? null : String(h.capacity),
    })),
  };
}

function toExcerpt(row: Row): ExportExcerpt {
  const x = row.excerpt as Props;
  return {
    id: String(x.id),
    exact: String(x.exact),
    prefix: String(x.prefix ?? ''),
    suffix: String(x.suffix ?? ''),
    start: Number(x.start),
    end: Number(x.end),
    sourceId: String(row.sourceId),
  };
}

function toFigure(row: Row): ExportFigure {
  const f = row.figure as Props;
  return {
    id: String(f.id),
    measure: String(f.measure),
    value: num(f.value),
    min: num(f.min),
    max: num(f.max),
    qualifier: String(f.qualifier),
    unit: String(f.unit),
    subgroup: str(f.subgroup),
    text: str(f.text),
    duration: str(f.duration),
    sex: str(f.sex),
    ageGroup: str(f.ageGroup),
    category: str(f.category),
    subjectId: str(row.subjectId),
    shareOfId: str(row.shareOfId),
    duringId: str(row.duringId),
    claimId: str(f.claimId),
    claimStatus: str(row.claimStatus),
  };
}

function toAgent(row: Row): ExportAgent {
  const a = row.agent as Props;
  return { id: String(a.id), type: String(a.type), name: String(a.name) };
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Reads the graph for the export writers, page by page, through the executor (and so its clearance). */
class GraphExportReader implements ExportReader {
  constructor(
    private readonly executor: Executor,
    private readonly pageSize: number,
  ) {}

  /** Pages of a statement's rows, decoded, in id order; the cursor is the last id of the page before. */
  private async *pages<P extends q.PageParams, T extends { id: string }>(
    stmt: Statement<P>,
    decode: (row: Row) => T,
    limit = this.pageSize,
    params: Omit<P, keyof q.PageParams> = {} as Omit<P, keyof q.PageParams>,
  ): AsyncGenerator<T[]> {
    let after: string | null = null;
    for (;;) {
      const rows: Row[] = await this.executor.read(stmt, { ...params, after, limit } as P);
      if (!rows.length) return;
      // The statement orders by id before LIMIT; sorting again keeps the page (and its cursor) in id order.
      const items: T[] = rows.map(decode).sort(byId);
      yield items;
      if (rows.length < limit) return;
      after = items[items.length - 1]!.id;
    }
  }

  async counts(kinds: readonly (keyof ExportCounts)[]): Promise<ExportCounts> {
    const [row] = await this.executor.read(q.exportCounts, { kinds });
    const n = (k: keyof ExportCounts) => Number(row?.[k] ?? 0);
    return {
      sources: n('sources'),
      actors: n('actors'),
      events: n('events'),
      places: n('places'),
      claims: n('claims'),
      excerpts: n('excerpts'),
      figures: n('figures'),
    };
  }

  sources({ withText }: { withText: boolean }): AsyncIterable<ExportSource[]> {
    const limit = withText ? Math.min(TEXT_PAGE, this.pageSize) : this.pageSize;
    return this.pages(q.exportSources, toSource, limit, { withText });
  }

  actors(): AsyncIterable<ExportActor[]> {
    return this.pages(q.exportActors, toActor);
  }

  events(): AsyncIterable<ExportEvent[]> {
    return this.pages(q.exportEvents, toEvent);
  }

  acledEvents(): AsyncIterable<ExportAcledEvent[]> {
    return this.pages(q.exportAcledEvents, toAcledEvent);
  }

  places(): AsyncIterable<ExportNode[]> {
    return this.pages(q.exportPlaces, toNode);
  }

  nodes(): AsyncIterable<ExportNode[]> {
    return this.pages(q.exportNodes, toNode);
  }

  /** Pages over start nodes (half as many: each carries its relationships), flattened to relationships. */
  async *relations(): AsyncIterable<ExportRelation[]> {
    const pages = this.pages(
      q.exportRelations,
      (row) => ({ id: String(row.id), relations: toRelations(row) }),
      Math.max(1, Math.floor(this.pageSize / 2)),
      { relationTypes: q.EXPORT_RELATION_TYPES },
    );
    for await (const page of pages) yield page.flatMap((from) => from.relations);
  }

  claims(): AsyncIterable<ExportClaim[]> {
    return this.pages(q.exportClaims, toClaim);
  }

  excerpts(): AsyncIterable<ExportExcerpt[]> {
    return this.pages(q.exportExcerpts, toExcerpt);
  }

  figures(): AsyncIterable<ExportFigure[]> {
    return this.pages(q.exportFigures, toFigure);
  }

  agents(): AsyncIterable<ExportAgent[]> {
    return this.pages(q.exportAgents, toAgent);
  }

  async recorders(): Promise<string[]> {
    const rows = await this.executor.read(q.exportRecorders, {});
    return rows.map((r) => String(r.name));
  }
}

/** The graph as the executor's clearance sees it, for the export writers, `pageSize` records a statement. */
export function exportReader(executor: Executor, pageSize: number): ExportReader {
  return new GraphExportReader(executor, pageSize);
}

/* The lossless bundle export: every record as stored, read in one transaction. */
