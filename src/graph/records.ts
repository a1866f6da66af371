import { json, num, str, strs } from './values.js';
import type { FuzzyDate } from '../model/fuzzy-date.js';
import type { EntityKind } from '../model/graph-model.js';
import type { EntityRow } from '../model/rows.js';
import type { FigureDates, FigureValue, SourceFields } from '../model/shapes.js';

/**
 * Plain records the graph layer hands upwards (codegen maps GraphQL types onto them). Nothing here is
 * a driver type; JSON-encoded properties are decoded once, here.
 */

/** An entity as stored: the row it was written from (model/rows.ts), and its version. */
export interface EntityRecord extends Omit<EntityRow, 'kind'> {
  __kind: EntityKind;
  version: number;
}

/** A source without its text: Source.text reads the text on its own, only when selected. */
export interface SourceRecord extends Omit<SourceFields, 'text'> {
  __kind: 'Source';
  dataset: string | null;
  version: number;
}

export interface ExcerptRecord {
  __kind: 'Excerpt';
  id: string;
  exact: string;
  start: number;
  end: number;
  prefix: string;
  suffix: string;
  sourceId: string;
}

export interface ClaimRecord {
  __kind: 'Claim';
  id: string;
  kind: 'relation' | 'figure' | 'attribute' | 'statement';
  fact: string | null;
  summary: string;
  subjectId: string;
  property: string;
  role: string | null;
  objectId: string | null;
  valueJson: string | null;
  status: string;
  confidence: number | null;
  sensitivity: string;
  recordedBy: string;
  recordedAt: string;
  slot: string | null;
  /** Relation claims: the post held, and when the relationship held (see ClaimRow). */
  position: string | null;
  periodStart: FuzzyDate | null;
  periodEnd: FuzzyDate | null;
  version: number;
}

export interface FigureRecord extends FigureValue, FigureDates {
  __kind: 'Figure';
  id: string;
  subjectId: string;
  claimId: string;
  sensitivity: string;
}

export interface RelationRecord {
  id: string;
  type: string;
  role: string | null;
  fromId: string;
  toId: string;
  claimIds: string[];
  /** The post held (MEMBER_OF, COMMANDS), part of the relationship's identity. */
  position: string | null;
}

export interface AttributionRecord {
  hop: number;
  agentId: string;
  /** In what capacity the agent spoke (null: not recorded). */
  capacity: string | null;
  /** The words naming the hop, when recorded and in a source the caller may see. */
  excerpt: ExcerptRecord | null;
}

export type NodeRecord = EntityRecord | SourceRecord | ExcerptRecord | ClaimRecord | FigureRecord;

type Props = Record<string, unknown>;

/** Turns a node (labels + properties, as toNative gives it) into its record. */
export function toRecord(node: { labels: string[]; properties: Props }): NodeRecord | null {
  const p = node.properties;
  const l = node.labels;
  if (l.includes('Event') || l.includes('Actor') || l.includes('Place')) {
    return {
      __kind: l.includes('Event') ? 'Event' : l.includes('Actor') ? 'Actor' : 'Place',
      id: String(p.id),
      type: String(p.type),
      name: String(p.name),
      lang: String(p.lang ?? 'en'),
      aliases: json(p.aliasesJson, []),
      description: str(p.description),
      identifiers: json(p.identifiersJson, []),
      sensitivity: String(p.sensitivity ?? 'public'),
      date: json(p.dateJson, null),
      endDate: json(p.endDateJson, null),
      facilityKind: str(p.facilityKind),
      version: num(p.version) ?? 1,
    };
  }
  if (l.includes('Source')) {
    return {
      __kind: 'Source',
      id: String(p.id),
      title: String(p.title),
      sha256: String(p.sha256),
      length: num(p.length) ?? 0,
      language: String(p.language),
      url: str(p.url),
      retrievedAt: str(p.retrievedAt),
      published: json(p.publishedJson, null),
      reliability: String(p.reliability ?? 'unknown'),
      sensitivity: String(p.sensitivity ?? 'public'),
      notes: str(p.notes),
      dataset: str(p.dataset),
      version: num(p.version) ?? 1,
    };
  }
  if (l.includes('Excerpt')) {
    return {
      __kind: 'Excerpt',
      id: String(p.id),
      exact: String(p.exact),
      start: num(p.start) ?? 0,
      end: num(p.end) ?? 0,
      prefix: String(p.prefix ?? ''),
      suffix: String(p.suffix ?? ''),
      sourceId: String(p.sourceId ?? ''),
    };
  }
  if (l.includes('Claim')) {
    return {
      __kind: 'Claim',
      id: String(p.id),
      kind: String(p.kind) as ClaimRecord['kind'],
      fact: str(p.fact),
      summary: String(p.summary),
      subjectId: String(p.subjectId),
      property: String(p.property),
      role: str(p.role),
      objectId: str(p.objectId),
      valueJson: str(p.valueJson),
      status: String(p.status ?? 'asserted'),
      confidence: num(p.confidence),
      sensitivity: String(p.sensitivity ?? 'public'),
      recordedBy: String(p.recordedBy ?? ''),
      recordedAt: String(p.recordedAt ?? ''),
      slot: str(p.slot),
      position: str(p.position),
      periodStart: json(p.periodStartJson, null),
      periodEnd: json(p.periodEndJson, null),
      version: num(p.version) ?? 1,
    };
  }
  if (l.includes('Figure')) {
    return {
      __kind: 'Figure',
      id: String(p.id),
      measure: String(p.measure),
      value: num(p.value),
      min: num(p.min),
      max: num(p.max),
      qualifier: String(p.qualifier),
      unit: String(p.unit),
      subgroup: str(p.subgroup),
      text: str(p.text),
      duration: str(p.duration),
      sex: str(p.sex),
      ageGroup: str(p.ageGroup),
      category: str(p.category),
      periodStart: json(p.periodStartJson, null),
      periodEnd: json(p.periodEndJson, null),
      asOf: json(p.asOfJson, null),
      subjectId: String(p.subjectId),
      claimId: String(p.claimId),
      sensitivity: String(p.sensitivity ?? 'public'),
    };
  }
  return null;
}

/** A projection made with nodeProjection / CLAIM_DETAILS (properties plus _labels) as a record. */
export function fromProjection(map: unknown): NodeRecord | null {
  if (!map || typeof map !== 'object') return null;
  const { _labels, ...properties } = map as Record<string, unknown> & { _labels?: string[] };
  return toRecord({ labels: _labels ?? [], properties });
}

/** What CLAIM_DETAILS returns for one claim, decoded. */
export interface ClaimDetails {
  claim: ClaimRecord;
  excerpts: ExcerptRecord[];
  sources: { source: SourceRecord; publisher: EntityRecord | null }[];
  attribution: { hop: number; agent: EntityRecord; capacity: string | null; excerpt: ExcerptRecord | null }[];
  subject: NodeRecord | null;
  object: NodeRecord | null;
  conflicts: ClaimRecord[];
}

export function decodeClaimDetails(map: unknown): ClaimDetails {
  const m = map as Record<string, unknown>;
  return {
    claim: fromProjection(m) as ClaimRecord,
    excerpts: ((m._excerpts as unknown[]) ?? []).map((e) => fromProjection(e) as ExcerptRecord),
    sources: ((m._sources as Record<string, unknown>[]) ?? []).map((s) => ({
      source: fromProjection(s) as SourceRecord,
      publisher: fromProjection(s._publisher) as EntityRecord | null,
    })),
    attribution: (
      (m._attribution as { hop: number; agent: unknown; capacity?: string | null; excerpt?: unknown }[]) ?? []
    ).map((h) => ({
      hop: h.hop,
      agent: fromProjection(h.agent) as EntityRecord,
      capacity: h.capacity ?? null,
      excerpt: fromProjection(h.excerpt) as ExcerptRecord | null,
    })),
    subject: fromProjection(m._subject),
    object: fromProjection(m._object),
    conflicts: ((m._conflicts as unknown[]) ?? []).map((c) => fromProjection(c) as ClaimRecord),
  };
}

/** A relationship map {id, type, role, fromId, toId, claimIds}, as the statements project it. */
export function toRelationRecord(map: unknown): RelationRecord {
  const r = map as Record<string, unknown>;
  return {
    id: String(r.id),
    type: String(r.type),
    role: str(r.role),
    position: str(r.position),
    fromId: String(r.fromId),
    toId: String(r.toId),
    claimIds: strs(r.claimIds),
  };
}

/**
 * Claims a statement returned either with their details (CLAIM_DETAILS, when the selection needs their
 * nested fields) or bare: RecordsService.primeClaims seeds the loaders with either.
 */
export type ClaimList =
  { detailed: true; details: ClaimDetails[] } | { detailed: false; claims: ClaimRecord[] };

/** A list of claim projections, decoded as details when the statement embedded them. */
export function decodeClaimList(items: unknown, detailed: boolean): ClaimList {
  const list = (items as unknown[] | null) ?? [];
  return detailed
    ? { detailed: true, details: list.map(decodeClaimDetails) }
    : { detailed: false, claims: list.map((c) => fromProjection(c) as ClaimRecord) };
}
