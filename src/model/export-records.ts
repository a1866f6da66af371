import type { FuzzyDate } from './fuzzy-date.js';
import type { EntityKind } from './graph-model.js';
import type { FigureAmount, FigureDates, FigureValue } from './shapes.js';

/**
 * The records the exports read, declared once: the graph layer (src/graph/stores/export.ts) pages them
 * out of the database, decoded, and the file formats (src/io/export, src/io/bundle/export.ts) write them.
 * Plain data: no driver types, JSON properties already parsed.
 */

export type { EntityKind };

export interface Identifier {
  scheme: string;
  value: string;
}

export interface Alias {
  value: string;
  lang: string;
}

export interface PlaceNode {
  id: string;
  type: string;
  name: string;
  identifiers: Identifier[];
}

/** A place with the visible places it lies in (PART_OF, nearest first). */
export interface PlaceRef extends PlaceNode {
  ancestors: (PlaceNode & { depth: number })[];
}

interface EntityBase {
  id: string;
  type: string;
  name: string;
  lang: string;
  aliases: Alias[];
  description: string | null;
  identifiers: Identifier[];
}

export interface ExportActor extends EntityBase {
  /** LOCATED_IN places. */
  locatedIn: PlaceRef[];
  /** Visible sources of the visible claims about the actor. */
  proofSourceIds: string[];
}

export interface Involvement {
  actorId: string;
  name: string;
  type: string;
  role: string | null;
}

export interface ExportEvent extends EntityBase {
  date: FuzzyDate | null;
  endDate: FuzzyDate | null;
  /** OCCURRED_IN places. */
  occurredIn: PlaceRef[];
  /** INVOLVED_IN actors with their roles. */
  involvements: Involvement[];
  /** Visible sources of the visible claims about the event or naming it as their object. */
  proofSourceIds: string[];
}

export interface AcledClaim {
  id: string;
  summary: string;
  status: string;
  fact: string | null;
  /** Publisher names (or titles, when a source has no visible publisher) of the claim's sources. */
  publishers: string[];
  /** What the claim speaks of in its dataset (an ACLED row's field: cl-acled-syr1--inter1), or null. */
  slot: string | null;
  kind: string;
  property: string;
  /** An attribute's or figure's value, parsed; null for relations and statements. */
  value: unknown;
  subjectId: string | null;
  /** A relation's other end (an actor's event, the event's place), or a figure's id. */
  objectId: string | null;
  recordedAt: string;
  /** A later release of its dataset, visible to the caller, said otherwise. */
  superseded: boolean;
}

export interface AcledFigure extends FigureAmount {
  id: string;
  /**
   * Status of the figure's claim; 'superseded' when a later release of its dataset the caller may see said
   * otherwise; null when the caller may not see that claim.
   */
  claimStatus: string | null;
}

export interface ExportAcledEvent extends Omit<ExportEvent, 'proofSourceIds'> {
  /** Visible claims about the event or naming it as their object. */
  claims: AcledClaim[];
  figures: AcledFigure[];
  /** For an event imported from ACLED: the coordinates its row gave its location (latitude, longitude claims). */
  placeClaims: Omit<AcledClaim, 'publishers'>[];
}

export interface ExportSource {
  id: string;
  title: string;
  /** The text, when the reader was asked for it. */
  text: string | null;
  sha256: string;
  language: string;
  url: string | null;
  retrievedAt: string | null;
  published: FuzzyDate | null;
  reliability: string;
  notes: string | null;
  publisher: { id: string; name: string; type: string } | null;
  /** The outlets that carried it (visible ones), nearest to the reader first. */
  publishedVia?: { actorId: string; url: string | null }[];
}

export interface ExportClaim {
  id: string;
  kind: string;
  fact: string | null;
  summary: string;
  subjectId: string | null;
  subjectKind: string | null;
  property: string;
  role: string | null;
  objectId: string | null;
  status: string;
  confidence: number | null;
  recordedBy: string;
  recordedAt: string;
  /** Relation claims: the post held, and when the relationship held. */
  position: string | null;
  periodStart: FuzzyDate | null;
  periodEnd: FuzzyDate | null;
  /** Excerpts in visible sources, by source then offset. */
  excerpts: { id: string; exact: string; sourceId: string }[];
  /** Visible hops of the attribution chain, nearest first. */
  attribution: { hop: number; agentId: string; capacity: string | null }[];
}

export interface ExportExcerpt {
  id: string;
  exact: string;
  prefix: string;
  suffix: string;
  start: number;
  end: number;
  sourceId: string;
}

export interface ExportRelation {
  id: string;
  type: string;
  role: string | null;
  fromId: string;
  fromKind: EntityKind;
  toId: string;
  toKind: EntityKind;
  /** The type (event, actor or place type) of the end node. */
  toType: string;
  /** Ids of the visible claims that assert the relationship. */
  claimIds: string[];
  summaries: string[];
  /** Dates of the end node, when it is an event. */
  toDate: FuzzyDate | null;
  toEndDate: FuzzyDate | null;
  /** The post held (MEMBER_OF, COMMANDS). */
  position: string | null;
  /** When it held: the earliest start and latest end its visible, unretracted claims give. */
  periodStart: FuzzyDate | null;
  periodEnd: FuzzyDate | null;
}

export interface ExportFigure extends FigureValue {
  id: string;
  subjectId: string | null;
  shareOfId: string | null;
  duringId: string | null;
  claimId: string | null;
  claimStatus: string | null;
}

export interface ExportNode {
  id: string;
  kind: EntityKind;
  type: string;
  name: string;
  /** Events: their dates (null otherwise, and where a reader does not fetch them). */
  date: FuzzyDate | null;
  endDate: FuzzyDate | null;
  /**
   * Places: the coordinates their standing (unretracted, unsuperseded) latitude and longitude claims give,
   * the most recently recorded of each; null when none.
   */
  latitude: number | null;
  longitude: number | null;
}

export interface ExportAgent {
  id: string;
  type: string;
  name: string;
}

export interface ExportCounts {
  sources: number;
  actors: number;
  events: number;
  places: number;
  claims: number;
  excerpts: number;
  figures: number;
}

/**
 * What the format writers read, one page at a time (keyset-paginated, redacted by the executor's
 * clearance). Each iterable yields pages in id order.
 */
export interface ExportReader {
  /** Counts of the given kinds (the others are 0). */
  counts(kinds: readonly (keyof ExportCounts)[]): Promise<ExportCounts>;
  sources(opts: { withText: boolean }): AsyncIterable<ExportSource[]>;
  actors(): AsyncIterable<ExportActor[]>;
  events(): AsyncIterable<ExportEvent[]>;
  acledEvents(): AsyncIterable<ExportAcledEvent[]>;
  places(): AsyncIterable<ExportNode[]>;
  nodes(): AsyncIterable<ExportNode[]>;
  relations(): AsyncIterable<ExportRelation[]>;
  claims(): AsyncIterable<ExportClaim[]>;
  excerpts(): AsyncIterable<ExportExcerpt[]>;
  figures(): AsyncIterable<ExportFigure[]>;
  agents(): AsyncIterable<ExportAgent[]>;
  recorders(): Promise<string[]>;
}

/*
 * The lossless hrkg-bundle/1 export (src/io/bundle/export.ts) reads every record as stored, with what the
 * bundle needs to write it back: ids of publishers, subjects, objects, attribution and quotes.
 */

export interface BundleSourceRecord {
  id: string;
  text: string;
  sha256: string;
  title: string;
  /** Id of the visible publisher. */
  publisher: string | null;
  language: string;
  url: string | null;
  retrievedAt: string | null;
  published: FuzzyDate | null;
  reliability: string | null;
  sensitivity: string;
  notes: string | null;
  /** The dataset the source is a release of, if any. */
  dataset: string | null;
  /** The outlets that carried it (visible ones), nearest to the reader first. */
  publishedVia: { actor: string; url: string | null; published: FuzzyDate | null }[];
}

export interface BundleEntityRecord {
  id: string;
  type: string;
  name: string;
  lang: string | null;
  aliases: Alias[];
  identifiers: Identifier[];
  description: string | null;
  sensitivity: string;
  date: FuzzyDate | null;
  endDate: FuzzyDate | null;
  /** Places of type facility: what kind. */
  facilityKind: string | null;
  /** Current names given with evidence: the exported claims giving each (qualifier: lang or scheme). */
  names?: { kind: string; value: string; qualifier: string; claim: string }[];
}

/** The figure a figure claim asserts, with the claims and event it refers to. */
export interface BundleFigureRecord extends FigureValue, FigureDates {
  sensitivity: string;
  /** Id of the (exportable) figure claim this figure is a share of. */
  shareOf: string | null;
  /** Id of the visible event whose period the figure covers. */
  during: string | null;
}

export interface BundleClaimRecord {
  id: string;
  fact: string | null;
  /** What an imported claim speaks of in its dataset (model/ids.ts importedClaimId). */
  slot: string | null;
  kind: string;
  summary: string;
  property: string;
  role: string | null;
  /** The asserted value (attribute claims), parsed; null when there is none. */
  value: unknown;
  status: string | null;
  statusReason: string | null;
  statusChangedAt: string | null;
  statusChangedBy: string | null;
  confidence: number | null;
  sensitivity: string;
  recordedBy: string;
  recordedAt: string;
  subject: string;
  object: string | null;
  /** Exact quotes at their code-point offsets, by source then offset. */
  quotes: { source: string; exact: string; start: number; end: number }[];
  /** Attribution chain, nearest first. */
  attributedTo: string[];
  figure: BundleFigureRecord | null;
  /** Relation claims: the post held and when the relationship held. */
  position: string | null;
  periodStart: FuzzyDate | null;
  periodEnd: FuzzyDate | null;
  /** Each hop's capacity and the words naming it (in attributedTo's order), when any hop has either. */
  attribution?: {
    actor: string;
    capacity: string | null;
    quote: { source: string; exact: string; start: number; end: number } | null;
  }[];
}

export interface BundleRelationRecord {
  type: string;
  fromId: string;
  toId: string;
  role: string | null;
  claimIds: string[];
  /** The post held (MEMBER_OF, COMMANDS). */
  position: string | null;
}

/** Everything a bundle export writes, each list in id order (relations by their ends). */
export interface BundleRecords {
  sources: BundleSourceRecord[];
  actors: BundleEntityRecord[];
  places: BundleEntityRecord[];
  events: BundleEntityRecord[];
  claims: BundleClaimRecord[];
  relations: BundleRelationRecord[];
}
