import { badInput } from '../errors.js';
import * as qb from '../graph/queries/export-bundle.js';
import { RELATION_TYPES } from '../model/graph-model.js';
import { bundleFromRows, writeBundleJson, type ExportRows } from '../io/bundle/export.js';
import type { Executor, Params, Row, Statement } from '../graph/executor.js';
import * as q from '../graph/queries/export.js';
import { writeAcled, ACLED_COUNTED } from '../io/export/acled.js';
import { writeFtm, FTM_COUNTED } from '../io/export/ftm.js';
import { writeGraphml, GRAPHML_COUNTED } from '../io/export/graphml.js';
import {
  Progress,
  Sink,
  type EntityKind,
  type ExportAcledEvent,
  type ExportActor,
  type ExportAgent,
  type ExportClaim,
  type ExportCounts,
  type ExportEvent,
  type ExportExcerpt,
  type ExportFigure,
  type ExportNode,
  type ExportReader,
  type ExportRelation,
  type ExportResult,
  type ExportSource,
  type PlaceRef,
} from '../io/export/index.js';
import { writeProv, PROV_COUNTED } from '../io/export/prov.js';
import type { FuzzyDate } from '../model/fuzzy-date.js';

/**
 * Exports of the whole graph to other human-rights tooling: FollowTheMoney NDJSON, ACLED-style CSV,
 * PROV-JSON and GraphML (formats in src/io/export). The graph is read in pages with keyset cursors, each
 * page one named statement; output is streamed to `out` with backpressure and never held whole. What the
 * executor's clearance hides is absent from every format (an executor from `forRequest(id, ['public'])`
 * exports public records only; the base executor everything). The stream is not ended here: the caller
 * owns it (it may be stdout).
 */

export type ExportFormat = 'ftm' | 'acled' | 'prov' | 'graphml';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['ftm', 'acled', 'prov', 'graphml'];

/** Records per statement; sources carry their text, so fewer of them; entities carry their relationships, so half. */
const PAGE = 1000;
const TEXT_PAGE = 20;

type Writer = (reader: ExportReader, sink: Sink, progress: Progress) => Promise<ExportResult>;

const WRITERS: Record<ExportFormat, { write: Writer; counted: readonly (keyof ExportCounts)[] }> = {
  ftm: { write: writeFtm, counted: FTM_COUNTED },
  acled: { write: writeAcled, counted: ACLED_COUNTED },
  prov: { write: writeProv, counted: PROV_COUNTED },
  graphml: { write: writeGraphml, counted: GRAPHML_COUNTED },
};

export async function exportGraph(
  executor: Executor,
  format: ExportFormat,
  out: NodeJS.WritableStream,
  opts?: {
    onProgress?: (done: number, total: number) => void;
    /** Records per statement (default 1000; sources with their text at most 20 per statement). */
    pageSize?: number;
  },
): Promise<{ records: number; skipped: { id: string; reason: string }[] }> {
  const writer = WRITERS[format];
  if (!writer)
    throw badInput(`Unknown export format ${JSON.stringify(format)}: use ${EXPORT_FORMATS.join(', ')}`);
  const pageSize = opts?.pageSize ?? PAGE;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw badInput('pageSize must be a positive integer');
  const reader = new GraphExportReader(executor, pageSize);
  const counts = await reader.counts(writer.counted);
  const total = writer.counted.reduce((n, k) => n + counts[k], 0);
  return writer.write(reader, new Sink(out), new Progress(total, opts?.onProgress));
}

const json = <T>(v: unknown, fallback: T): T =>
  typeof v === 'string' && v ? (JSON.parse(v) as T) : fallback;
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function kindOf(labels: unknown): EntityKind {
  const l = (labels as string[] | null) ?? [];
  return l.includes('Event') ? 'Event' : l.includes('Actor') ? 'Actor' : 'Place';
}

function place(m: Record<string, unknown>): PlaceRef {
  return {
    id: String(m.id),
    type: String(m.type),
    name: String(m.name),
    identifiers: json(m.identifiersJson, []),
    ancestors: ((m.ancestors as Record<string, unknown>[]) ?? []).map((a) => ({
      id: String(a.id),
      type: String(a.type),
      name: String(a.name),
      identifiers: json(a.identifiersJson, []),
      depth: Number(a.depth),
    })),
  };
}

function entityBase(m: Record<string, unknown>) {
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

function eventBase(row: Row) {
  const m = row.entity as Record<string, unknown>;
  return {
    ...entityBase(m),
    date: json<FuzzyDate | null>(m.dateJson, null),
    endDate: json<FuzzyDate | null>(m.endDateJson, null),
    occurredIn: (row.places as Record<string, unknown>[]).map(place),
    involvements: row.involvements as ExportEvent['involvements'],
  };
}

function node(row: Row): ExportNode {
  return { id: String(row.id), kind: kindOf(row.labels), type: String(row.type), name: String(row.name) };
}

/** Reads the graph for the writers, page by page, through the executor (and so its clearance). */
class GraphExportReader implements ExportReader {
  constructor(
    private readonly executor: Executor,
    private readonly pageSize: number,
  ) {}

  private async *pages<T>(
    stmt: Statement,
    decode: (row: Row) => T,
    idOf: (t: T) => string,
    limit = this.pageSize,
    params: Params = {},
  ): AsyncGenerator<T[]> {
    let after: string | null = null;
    for (;;) {
      const rows = await this.executor.read(stmt, { ...params, after, limit });
      if (!rows.length) return;
      // The statement orders by id before LIMIT; sorting again keeps the page (and its cursor) in id order.
      const items = rows.map(decode).sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));
      yield items;
      if (rows.length < limit) return;
      after = idOf(items[items.length - 1]!);
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
    return this.pages(
      q.exportSources,
      (row) => {
        const s = row.source as Record<string, unknown>;
        const pub = row.publisher as Record<string, unknown> | null;
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
        };
      },
      (s) => s.id,
      withText ? Math.min(TEXT_PAGE, this.pageSize) : this.pageSize,
      { withText },
    );
  }

  actors(): AsyncIterable<ExportActor[]> {
    return this.pages(
      q.exportActors,
      (row) => ({
        ...entityBase(row.entity as Record<string, unknown>),
        locatedIn: (row.places as Record<string, unknown>[]).map(place),
        proofSourceIds: row.proof as string[],
      }),
      (a) => a.id,
    );
  }

  events(): AsyncIterable<ExportEvent[]> {
    return this.pages(
      q.exportEvents,
      (row) => ({ ...eventBase(row), proofSourceIds: row.proof as string[] }),
      (e) => e.id,
    );
  }

  acledEvents(): AsyncIterable<ExportAcledEvent[]> {
    return this.pages(
      q.exportAcledEvents,
      (row) => ({
        ...eventBase(row),
        claims: row.claims as ExportAcledEvent['claims'],
        figures: (row.figures as Record<string, unknown>[]).map((f) => ({
          id: String(f.id),
          measure: String(f.measure),
          value: num(f.value),
          min: num(f.min),
          max: num(f.max),
          qualifier: String(f.qualifier),
          unit: String(f.unit),
          subgroup: str(f.subgroup),
          claimStatus: str(f.claimStatus),
        })),
      }),
      (e) => e.id,
    );
  }

  places(): AsyncIterable<ExportNode[]> {
    return this.pages(q.exportPlaces, node, (n) => n.id);
  }

  nodes(): AsyncIterable<ExportNode[]> {
    return this.pages(q.exportNodes, node, (n) => n.id);
  }

  async *relations(): AsyncIterable<ExportRelation[]> {
    const pages = this.pages(
      q.exportRelations,
      (row) => ({ id: String(row.id), fromKind: kindOf(row.labels), relations: row.relations as Row[] }),
      (e) => e.id,
      Math.max(1, Math.floor(this.pageSize / 2)),
      { relationTypes: q.EXPORT_RELATION_TYPES },
    );
    for await (const page of pages) {
      yield page.flatMap((from) =>
        from.relations.map((r) => ({
          id: String(r.id),
          type: String(r.type),
          role: str(r.role),
          fromId: from.id,
          fromKind: from.fromKind,
          toId: String(r.toId),
          toKind: kindOf(r.toLabels),
          toType: String(r.toType),
          claimIds: r.claimIds as string[],
          summaries: r.summaries as string[],
          toDate: json<FuzzyDate | null>(r.toDateJson, null),
          toEndDate: json<FuzzyDate | null>(r.toEndDateJson, null),
        })),
      );
    }
  }

  claims(): AsyncIterable<ExportClaim[]> {
    return this.pages(
      q.exportClaims,
      (row) => {
        const c = row.claim as Record<string, unknown>;
        const subject = row.subject as { id: string; labels: string[] } | null;
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
          excerpts: row.excerpts as ExportClaim['excerpts'],
          attribution: row.attribution as ExportClaim['attribution'],
        };
      },
      (c) => c.id,
    );
  }

  excerpts(): AsyncIterable<ExportExcerpt[]> {
    return this.pages(
      q.exportExcerpts,
      (row) => {
        const x = row.excerpt as Record<string, unknown>;
        return {
          id: String(x.id),
          exact: String(x.exact),
          prefix: String(x.prefix ?? ''),
          suffix: String(x.suffix ?? ''),
          start: Number(x.start),
          end: Number(x.end),
          sourceId: String(row.sourceId),
        };
      },
      (x) => x.id,
    );
  }

  figures(): AsyncIterable<ExportFigure[]> {
    return this.pages(
      q.exportFigures,
      (row) => {
        const f = row.figure as Record<string, unknown>;
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
          subjectId: str(row.subjectId),
          shareOfId: str(row.shareOfId),
          duringId: str(row.duringId),
          claimId: str(f.claimId),
          claimStatus: str(row.claimStatus),
        };
      },
      (f) => f.id,
    );
  }

  agents(): AsyncIterable<ExportAgent[]> {
    return this.pages(
      q.exportAgents,
      (row) => {
        const a = row.agent as Record<string, unknown>;
        return { id: String(a.id), type: String(a.type), name: String(a.name) };
      },
      (a) => a.id,
    );
  }

  async recorders(): Promise<string[]> {
    const rows = await this.executor.read(q.exportRecorders);
    return rows.map((r) => String(r.name));
  }
}

const BUNDLE_PAGE = { sources: 200, rows: 2_000 };

/**
 * Writes the graph, as the executor's clearance sees it, as one hrkg-bundle/1 JSON document. Read in
 * one transaction (a consistent view, bounded by NEO4J_TX_TIMEOUT_MS), written to the stream after it.
 */
export async function exportBundle(
  executor: Executor,
  out: NodeJS.WritableStream,
): Promise<{ counts: Record<string, number> }> {
  const rows = await executor.readTx('export.bundle', async (tx) => {
    const all = async (stmt: Statement, limit: number, params: Record<string, unknown> = {}) => {
      const found: Row[] = [];
      let after = '';
      for (;;) {
        const page = await tx.run(stmt, { ...params, after, limit });
        found.push(...page);
        if (page.length < limit) return found;
        after = String(page[page.length - 1]!.id);
      }
    };
    return {
      sources: await all(qb.exportSources, BUNDLE_PAGE.sources),
      actors: await all(qb.exportEntities, BUNDLE_PAGE.rows, { kind: 'Actor' }),
      places: await all(qb.exportEntities, BUNDLE_PAGE.rows, { kind: 'Place' }),
      events: await all(qb.exportEntities, BUNDLE_PAGE.rows, { kind: 'Event' }),
      claims: await all(qb.exportClaims, BUNDLE_PAGE.rows),
      relations: await tx.run(qb.exportRelations, { types: RELATION_TYPES }),
    } as unknown as ExportRows;
  });
  const doc = bundleFromRows(rows, executor.visible);
  await writeBundleJson(doc, out);
  return {
    counts: {
      sources: rows.sources.length,
      actors: rows.actors.length,
      places: rows.places.length,
      events: rows.events.length,
      claims: rows.claims.length,
      links: Array.isArray(doc.links) ? doc.links.length : 0,
    },
  };
}
