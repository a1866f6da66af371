import type { FuzzyDate } from './fuzzy-date.js';
import type { EntityKind, RelationType } from './graph-model.js';
import type { FigureDates, FigureValue, SourceFields } from './shapes.js';

/**
 * The rows the graph is written from, whoever makes them: the bundle loader, the importers and the write
 * API all produce these shapes, and the stores write them. One declaration each.
 */

/** A problem with input or a clash with the stored graph, at a JSON path of the input (claims[3].quotes[0]). */
export interface Problem {
  path: string;
  message: string;
}

export interface SourceRow extends SourceFields {
  publisherId: string | null;
  /**
   * The dataset this file is a release of (an import's --dataset; ACLED: "acled"), or null. Between two
   * releases of one dataset by one publisher, the newer file's claim in a slot supersedes the older's.
   */
  dataset?: string | null;
  /** The outlets that carried it to the reader, nearest to the reader first (hop 1); absent: none. */
  publishedVia?: PublicationHopRow[];
}

/** One outlet of a source's publishedVia chain (its hop number is its position, from 1). */
export interface PublicationHopRow {
  actorId: string;
  url: string | null;
  published: FuzzyDate | null;
}

export interface EntityRow {
  id: string;
  kind: EntityKind;
  type: string;
  name: string;
  lang: string;
  aliases: { value: string; lang: string }[];
  description: string | null;
  identifiers: { scheme: string; value: string }[];
  sensitivity: string;
  date: FuzzyDate | null;
  endDate: FuzzyDate | null;
  /** Places of type facility: what kind of facility (model/enums.ts FACILITY_KINDS); absent otherwise. */
  facilityKind?: string | null;
}

export interface ExcerptRow {
  id: string;
  sourceId: string;
  exact: string;
  start: number;
  end: number;
  prefix: string;
  suffix: string;
}

export type ClaimKind = 'relation' | 'figure' | 'attribute' | 'statement';

/** What a claim asserts, by kind: the fields model/claims.ts derives (one rule for every writer). */
export interface ClaimValue {
  kind: ClaimKind;
  /** Relation type, figure measure, attribute name, or "statement". */
  property: string;
  role: string | null;
  /** Object entity (relation claims) or the asserted figure's id (figure claims). */
  objectId: string | null;
  /** JSON of the asserted value (attribute claims; figure claims carry a copy of the figure). */
  valueJson: string | null;
  /** Claims with equal conflictKey on the same subject are about the same measure; differing valueKey = conflict. */
  conflictKey: string | null;
  valueKey: string | null;
  /**
   * The values the claim allows, as a numeric interval (figures: the number; dates: days since
   * 1970-01-01). Two claims conflict when their intervals are disjoint: "late April" and "30 April"
   * agree, 1,160 and 1,168 do not. Null bounds are open.
   */
  valueLow: number | null;
  valueHigh: number | null;
  /**
   * When a figure claim's number was true (YYYY-MM-DD bounds of the figure's as-of date; null: open or none).
   * Two figure claims speak of the same time when their as-of intervals overlap.
   */
  asOfEarliest: string | null;
  asOfLatest: string | null;
  /**
   * The figure has neither an as-of date nor a period: it is compared as of its sources' publication date
   * (read from the sources when compared, so a source the caller may not see plays no part).
   */
  asOfFromSource: boolean;
}

export interface ClaimRow extends ClaimValue {
  id: string;
  fact: string | null;
  subjectId: string;
  summary: string;
  status: string;
  /** Why and when the status last changed, and by whom (absent: never changed). */
  statusReason?: string | null;
  statusChangedAt?: string | null;
  statusChangedBy?: string | null;
  confidence: number | null;
  sensitivity: string;
  recordedBy: string;
  recordedAt: string;
  excerptIds: string[];
  /** Attribution chain, nearest first. */
  attributedTo: string[];
  /**
   * What the claim speaks of in its dataset, the same in every release of it (an ACLED event's field: the
   * claim id without the file): an import's claims only. See SourceRow.dataset and model/ids.ts importedClaimId.
   */
  slot?: string | null;
  /** Relation claims: the post held (MEMBER_OF, COMMANDS), part of the relationship's identity. */
  position?: string | null;
  /** Relation claims: when the relationship held, stored on the claim as a figure's period is. */
  periodStart?: FuzzyDate | null;
  periodEnd?: FuzzyDate | null;
  /** Detail of each hop of attributedTo, in its order (absent: none recorded). */
  attribution?: AttributionHopRow[];
}

/**
 * An alias or identifier an entity was given on the evidence of a claim: the relationship
 * (:Claim)-[:GIVES_NAME]->(:Entity). Never deleted: a retraction sets retractedAt/By/Reason, and the name
 * leaves the entity's aliases or identifiers (the lists search and exports use) while the record stays.
 */
export interface NameEvidenceRow {
  /** nm-<uuid>: the record's id (audit, backup). */
  id: string;
  claimId: string;
  entityId: string;
  kind: 'alias' | 'identifier';
  value: string;
  /** Aliases: the name's language. */
  lang: string | null;
  /** Identifiers: the dataset. */
  scheme: string | null;
  reason: string | null;
  addedBy: string;
  addedAt: string;
  retractedBy?: string | null;
  retractedAt?: string | null;
  retractReason?: string | null;
}

/** One hop's detail: the speaker's capacity and the excerpt (in the claim's source) naming the hop. */
export interface AttributionHopRow {
  capacity: string | null;
  excerptId: string | null;
}

export interface FigureRow extends FigureValue, FigureDates {
  id: string;
  claimId: string;
  subjectId: string;
  shareOfId: string | null;
  duringId: string | null;
  sensitivity: string;
}

export interface RelationRow {
  /** Deterministic (model/ids.ts relationId): the same assertion from two claims is one relationship listing both. */
  id: string;
  type: RelationType;
  fromId: string;
  toId: string;
  role: string | null;
  claimIds: string[];
  /** The post held (MEMBER_OF, COMMANDS): part of the id, like the role (model/ids.ts relationId). */
  position?: string | null;
}

/** A complete, validated set of rows, written in one transaction (a bundle, an import). */
export interface RecordSet {
  recordedBy: string;
  recordedAt: string;
  sources: SourceRow[];
  entities: EntityRow[];
  excerpts: ExcerptRow[];
  claims: ClaimRow[];
  figures: FigureRow[];
  relations: RelationRow[];
  /** Aliases and identifiers the bundle's entities list with the claims giving them (absent: none). */
  names?: NameEvidenceRow[];
}
