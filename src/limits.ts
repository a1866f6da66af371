/**
 * Request limits, in one place: what one request may ask for and receive. Each is enforced before the work it
 * bounds (documents before execution, text budgets before a text is read, the response size before it is
 * serialized) and refused with LIMIT_EXCEEDED. README ("Limits") lists them; the configurable ones are read
 * by src/config.ts.
 */

/** Ids in arguments: longer is refused before any statement runs. */
export const MAX_ID_LENGTH = 512;

/** Sizes of the write API's inputs, refused with BAD_USER_INPUT and the input's path. */
export const INPUT_LIMITS = {
  /** Excerpts one claim cites. */
  excerpts: 50,
  /** Hops of a claim's attribution chain. */
  attribution: 10,
  /** Claims one link cites. */
  linkClaims: 100,
  aliases: 100,
  identifiers: 50,
  /** A quoted passage, in code points. */
  quoteCodePoints: 5000,
  /** Why a claim is disputed or retracted, a merge made or undone, a judgement given. */
  note: 2000,
  /** An identifier's value (entityByIdentifier). */
  identifierValue: 500,
} as const;

/** Limits on documents, enforced before any resolver or database work. */
export const DOCUMENT_LIMITS = {
  maxDepth: 12,
  maxAliases: 30,
  maxDirectives: 10,
  maxTokens: 4000,
  /** Objects an answer may hold at most, each list multiplying what it holds by its size (src/cost.ts). */
  maxCost: 500_000,
} as const;

/**
 * How much source text one request may read (Source.text): whole texts and slices together, in code points.
 * One whole text may be longer than that on its own (a request that reads it reads no other text).
 */
export const TEXT_LIMITS = {
  codePointsPerRequest: 1_000_000,
  /** Code points in one slice (Source.text(start, end)). */
  maxSliceCodePoints: 100_000,
  /**
   * Code points Neo4j may load for one request's texts: every distinct range of a source reads the whole
   * text in the database, so each counts the source's full length (two 5 MB texts, or many slices of small
   * ones).
   */
  readCodePointsPerRequest: 12_000_000,
} as const;

/** Page sizes of the paged root fields, by GraphQL coordinate: default when absent, refused above max. */
export const PAGES = {
  'Query.search': { default: 20, max: 100 },
  'Query.events': { default: 20, max: 100 },
  'Query.actors': { default: 20, max: 100 },
  'Query.places': { default: 20, max: 100 },
  'Query.sources': { default: 20, max: 100 },
  'Query.timeline': { default: 100, max: 500 },
  'Query.conflicts': { default: 20, max: 100 },
  'Query.provenance': { default: 100, max: 500 },
  'Query.auditLog': { default: 20, max: 100 },
  'Query.matchCandidates': { default: 10, max: 50 },
  /** `limit`: nodes of a neighbourhood. */
  'Query.neighborhood': { default: 100, max: 500 },
  'Query.paths': { default: 3, max: 10 },
  'Query.pathSearch': { default: 3, max: 10 },
  /** `ids`: records of one nodes() call. */
  'Query.nodes': { default: 100, max: 100 },
} as const;

/**
 * The lists of records under a record (Entity.claims, Claim.excerpts, ...) take `first`. Without it a list
 * holds at most its default and answers LIMIT_EXCEEDED when the record has more, rather than dropping evidence
 * silently; with it, at most `first` (up to max), in its stable order. The cost counts each list by the same
 * number. Records with more: page with provenance(id, first, after), events(filter), neighborhood.
 */
export const NESTED_LIST = { default: 50, max: 500 } as const;

/** The lists under a relation, a conflict or a figure: the claims behind it. */
export const RELATION_LIST = { default: 20, max: 500 } as const;

/** The lists under a claim (excerpts, sources, attribution, conflicts): usually a handful. */
export const CLAIM_LIST = { default: 10, max: 500 } as const;

/** Nested lists that are not NESTED_LIST, by coordinate. */
export const NESTED_LIST_KINDS: Readonly<Record<string, { default: number; max: number }>> = {
  'Relation.claims': RELATION_LIST,
  'GraphEdge.claims': RELATION_LIST,
  'Conflict.claims': RELATION_LIST,
  'Figure.claims': RELATION_LIST,
  'Claim.excerpts': CLAIM_LIST,
  'Claim.sources': CLAIM_LIST,
  'Claim.attribution': CLAIM_LIST,
  'Claim.conflicts': CLAIM_LIST,
  'Claim.supersedes': CLAIM_LIST,
  'Figure.conflicts': CLAIM_LIST,
  'StatisticValue.sources': CLAIM_LIST,
  'Source.history': CLAIM_LIST,
  'Claim.history': CLAIM_LIST,
};

/**
 * Lists whose length the model bounds (a path has at most maxLength + 1 nodes) or that hold no records
 * (aliases, identifiers): the size the cost assumes for each. Any other list without `first` is refused by
 * the cost check's completeness test (test/unit/cost.test.ts).
 */
export const ASSUMED_LIST_SIZES: Record<string, number> = {
  'Path.nodes': 7,
  'Path.hops': 6,
  'Entity.aliases': 20,
  'Event.aliases': 20,
  'Actor.aliases': 20,
  'Place.aliases': 20,
  'Entity.identifiers': 20,
  'Event.identifiers': 20,
  'Actor.identifiers': 20,
  'Place.identifiers': 20,
  'AuditRecord.affectedIds': 20,
  'ViewerInfo.clearance': 3,
  'DatabaseInfo.migrations': 20,
  'MatchCandidate.reasons': 10,
  /** One per field of IngestSourceInput that can differ (title … publisherId, publishedVia). */
  'IngestSourcePayload.differences': 10,
  'Query.sameAsJudgements': 50,
  /** Groups of statistics (by subject, measure and subgroup) and the figures in each: more is refused. */
  'Query.statistics': 100,
  'StatisticGroup.figures': 50,
  /** A claim's roles in a provenance: at most one of each ProvenanceRole. */
  'ProvenanceEdge.roles': 7,
  /** Ids only (no records), among the conflict's claims. */
  'Conflict.implicitAsOf': 20,
  /** At most MAX_PUBLICATION_HOPS (model/graph-model.ts), now and in each earlier version. */
  'Source.publishedVia': 10,
  'SourceVersion.publishedVia': 10,
};

/**
 * Fields computed over a relationship's claims (and their sources) without a list of their own: each costs
 * what reading its claims does (Relation.claims' default page), and refuses a relationship with more than
 * Relation.claims' largest page (LIMIT_EXCEEDED), so the work per request stays bounded.
 */
export const AGGREGATE_FIELDS: Readonly<Record<string, number>> = {
  'Relation.period': RELATION_LIST.default,
  'Relation.firstCited': RELATION_LIST.default,
  'Relation.lastCited': RELATION_LIST.default,
};

/**
 * Lists that hold the items of a page their parent field already counted (connection edges, a timeline's
 * entries, a neighbourhood's nodes): multiplied by 1.
 */
export const PAGE_ITEM_LISTS: ReadonlySet<string> = new Set([
  'SearchConnection.edges',
  'EventConnection.edges',
  'ActorConnection.edges',
  'PlaceConnection.edges',
  'SourceConnection.edges',
  'ConflictConnection.edges',
  'AuditConnection.edges',
  'Timeline.entries',
  'Neighborhood.nodes',
  'PathSearch.paths',
  'Neighborhood.edges',
  'Provenance.claims',
  'Provenance.edges',
]);

/** The response, measured before it is serialized (MAX_RESPONSE_BYTES overrides the default). */
export const RESPONSE_LIMITS = {
  maxBytes: 32 * 1024 * 1024,
  /** A response the client does not read within this long (no byte written) is dropped. */
  writeTimeoutMs: 30_000,
} as const;

/**
 * Exports over HTTP (GET /export/{format}) running at once: one per API key, and a few in all, so that
 * whole-graph reads cannot take the database from everyone else. A request over either limit is answered
 * 429 TOO_MANY_REQUESTS with Retry-After (an export's length is not known beforehand: a fixed hint).
 */
export const EXPORT_LIMITS = {
  perKey: 1,
  total: 2,
  retryAfterSeconds: 10,
} as const;

/** Body sizes by role, checked from Content-Length before a body is read. */
export const BODY_LIMITS = {
  /** Anonymous callers and viewers only read: their documents and variables are small. */
  readerBytes: 256 * 1024,
} as const;
