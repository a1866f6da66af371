/**
 * What a plan of ours must not contain, and the exceptions we accept, each with its reason
 * (test/integration/cypher-plans.test.ts EXPLAINs every statement of ./registry.ts against them).
 *
 * - AllNodesScan: reading every node of the graph.
 * - NodeByLabelScan of a large label (LARGE_LABELS): reading every event, claim or excerpt to answer.
 * - CartesianProduct: two independent reads multiplied row by row.
 * - Eager: the whole input materialised before the next step (memory grows with the rows).
 *
 * Selective statements (SELECTIVE, issue #17: their work must not grow with the graph) are held to more:
 * no scan of a whole index (NodeIndexScan and its kin), of any label, of every node or relationship. ALLOWED
 * cannot excuse these.
 */

/** One operator of a plan, as the driver's result summary gives it (summary.plan). */
export interface PlanNode {
  readonly operatorType: string;
  readonly arguments?: Readonly<Record<string, unknown>>;
  readonly children?: readonly PlanNode[];
}

/**
 * Labels whose every node is too many to read per request. Entity is every event, actor and place, so a scan
 * of it reads every event too. Small labels (Migration, ApiKey, Merge, BundleLoad...) may be scanned.
 */
export const LARGE_LABELS: readonly string[] = ['Event', 'Claim', 'Excerpt', 'Entity'];

export type Rule =
  'AllNodesScan' | `NodeByLabelScan(${string})` | 'CartesianProduct' | 'Eager' | `Selective(${string})`;

export interface Violation {
  readonly rule: Rule;
  /** The operator's details as Neo4j prints them (variables, labels, what made it Eager). */
  readonly details: string;
}

/** The operator's name without the runtime suffix Neo4j 5 adds ("Eager@neo4j" -> "Eager"). */
function operatorName(op: PlanNode): string {
  return op.operatorType.replace(/@.*$/, '');
}

function details(op: PlanNode): string {
  const d = op.arguments?.Details ?? op.arguments?.details;
  return typeof d === 'string' ? d : '';
}

/** Labels a label scan reads: "e:Event", "x:Entity|Figure", "n:Actor&Entity". */
function scannedLabels(op: PlanNode): string[] {
  const m = /^\s*`?[\w ]*`?\s*:\s*(.+)$/.exec(details(op));
  return m ? m[1]!.split(/[|&:]/).map((l) => l.trim().replace(/`/g, '')) : [];
}

/** Everything in the plan tree the rules refuse (before exceptions). */
export function violations(plan: PlanNode): Violation[] {
  const out: Violation[] = [];
  const visit = (op: PlanNode) => {
    const name = operatorName(op);
    if (name === 'AllNodesScan') out.push({ rule: 'AllNodesScan', details: details(op) });
    if (/^(Union|Intersection|Subtraction)?NodeByLabels?Scan$/.test(name)) {
      for (const label of scannedLabels(op)) {
        if (LARGE_LABELS.includes(label))
          out.push({ rule: `NodeByLabelScan(${label})`, details: details(op) });
      }
    }
    if (name === 'CartesianProduct') out.push({ rule: 'CartesianProduct', details: details(op) });
    if (name === 'Eager') out.push({ rule: 'Eager', details: details(op) });
    for (const child of op.children ?? []) visit(child);
  };
  visit(plan);
  return out;
}

/** All operator names of a plan tree (for reports and for checking the walk reaches subqueries). */
export function operators(plan: PlanNode): string[] {
  return [operatorName(plan), ...(plan.children ?? []).flatMap(operators)];
}

/**
 * Accepted exceptions: `<statement name pattern> <rule>` -> why, one line each. In a pattern `*` stands for any
 * characters but a dot (`merge.move.*`: every relationship type; `listing.actors*`: every embed), `**` for
 * any characters (`listing.events.**`: every order, embed and anchor). An entry no
 * statement needs any more fails the test, so the list only ever holds what is true today.
 */
export const ALLOWED: Readonly<Record<string, string>> = {
  // Label scans: the known costs of reading everything, or nearly.
  'listing.events.*.by-date-index NodeByLabelScan(Event)':
    'undated events (dateEarliest IS NULL, which no index answers) are read only once the dated run out; +total counts every match',
  'listing.events.DATE_DESC* NodeByLabelScan(Event)':
    'no index gives the latest-date order (a computed key): every visible event is read and sorted; an actor or place filter anchors instead',
  'listing.events.NAME_ASC* NodeByLabelScan(Event)':
    'no index gives the lower-cased name order: every visible event is read and sorted; an actor or place filter anchors instead',
  'listing.timeline* NodeByLabelScan(Event)':
    'the unanchored timeline sorts every visible event by its earliest date (it does not use the event_date index as listing.events does)',
  'identity.matchCandidates NodeByLabelScan(Event)':
    'name keys are computed at query time from stored names (identity.ts): every event is keyed when the entity is an event',
  'export.counts NodeByLabelScan(Event)':
    'progress counts of a whole export: every visible record is counted once',
  'export.counts NodeByLabelScan(Claim)':
    'progress counts of a whole export: every visible record is counted once',
  'export.recorders NodeByLabelScan(Claim)':
    'the recorders of a whole export: every visible claim is read once per export',
  'bundleExport.relations NodeByLabelScan(Entity)':
    'a whole-bundle export reads every relationship once, from every visible entity',
  'eventPlaces.allEvents NodeByLabelScan(Event)':
    'once per restore: every restored event is placed (a backup leaves the derived IN_PLACE rows out)',
  'backup.unkeyedNodes AllNodesScan':
    'once per backup: every node is checked to have a key label, so that a backup never leaves a record out silently',
  'backup.anyRecord AllNodesScan':
    'once per restore: the target store must hold no records (stops at the first)',

  // Cartesian products of reads that return one row each by construction.
  'listing.events.** CartesianProduct':
    'the count subquery (or WITH null AS total) times the page subquery: one row each',
  'listing.actors* CartesianProduct':
    'the count subquery (or WITH null AS total) times the page subquery: one row each',
  'listing.places* CartesianProduct':
    'the count subquery (or WITH null AS total) times the page subquery: one row each',
  'listing.sources* CartesianProduct':
    'the count subquery (or WITH null AS total) times the page subquery: one row each',
  'audit.log* CartesianProduct':
    'the count subquery (or WITH null AS total) times the page subquery: one row each',
  'export.counts CartesianProduct': 'one count subquery per kind, one row each',
  'audit.changeMark CartesianProduct': 'two counts from the count store, one row each',
  'explore.search CartesianProduct':
    'the count subquery (no rows unless $withTotal) times the page subquery: one row each',
  'explore.paths.* CartesianProduct':
    'the two ends, each an OPTIONAL CALL of at most one node looked up by unique id',
  'identity.recordJudgement CartesianProduct': 'both ends by unique id, one node each',
  'merge.mergeSnapshot CartesianProduct': 'both ends of the merge by unique id, one node each',
  'merge.finishMerge CartesianProduct': 'both ends of the merge by unique id, one node each',
  'merge.move.* CartesianProduct':
    'per row, the relationship by element id times the kept entity by unique id',
  'merge.unmove.* CartesianProduct': 'both ends by element id, one node each',
  'merge.finishUnmerge CartesianProduct':
    'the merge by unique id times both ends by element id, one node each',
  'import.upsertFigures CartesianProduct': 'per row, the subject and the claim by unique id, one node each',
  'write.insertFigure CartesianProduct':
    'the subject and the claim by unique id, one node each (import.upsertFigures body)',
  'import.upsertRelations.* CartesianProduct': 'per row, both ends by unique id, one node each',
  'import.supersede CartesianProduct': 'per row, the new claim and its source by unique id, one node each',
  'import.supersede Eager':
    'reads whether the older claim is superseded, then MERGEs SUPERSEDES: over one batch (at most 2,000 rows) of one load',
  'backup.restoreRelationships.* CartesianProduct': 'per row, both ends by element id, one node each',
  'write.mergeRelation.* CartesianProduct': 'both ends by unique id, one node each',

  // Eager in writes: what a statement reads after writing it, over inputs that are small by construction.
  'backup.restoreNodes.* Eager':
    'properties set by dynamic key (SET n[p.k]) conflict with every property read; a restore batch is at most 1,000 new nodes',
  'backup.restoreRelationships.* Eager':
    'properties set by dynamic key (SET r[p.k]) conflict with every property read; a restore batch is at most 1,000 relationships',
  'eventPlaces.clear Eager':
    'one batch of at most 500 ids (stores/event-places.ts): their IN_PLACE rows read, then deleted',
  'eventPlaces.clearActors Eager':
    'one batch of at most 500 ids (stores/event-places.ts): their WITH_ACTOR rows read, then deleted',
  'idempotency.claim Eager': 'one key: reads back the marker it set on MERGE',
  'keys.revoke Eager': 'one key: sets revokedAt after testing it',
  'import.upsertEntities Eager':
    'one batch (at most 2,000 rows, stores/import.ts) held while versions and sensitivities are read and set',
  'import.upsertSources Eager':
    'one batch (at most 2,000 rows, stores/import.ts) held while sensitivities are read and set',
  'import.upsertClaims Eager':
    'one batch (at most 2,000 rows, stores/import.ts) held while versions and sensitivities are read and set',
  'import.upsertFigures Eager':
    'one batch (at most 2,000 rows, stores/import.ts) held while sensitivities are read and set',
  'write.insertClaim Eager': 'one claim (import.upsertClaims body with a single row)',
  'write.insertFigure Eager': 'one figure (import.upsertFigures body with a single row)',
  'write.mergeSource Eager': 'one source: reads back the _created marker it set on MERGE',
  'write.mergeRelation.* Eager': 'one relationship: reads its claim ids before the MERGE that sets them',
  'write.bumpEntityVersion Eager': 'one entity: the version is read and incremented under its lock',
  'write.bumpClaimVersion Eager': 'one claim: the version is read and incremented under its lock',
  'write.setClaimStatus Eager': 'one claim: returns the status time it sets',
  'write.lockSensitive Eager': 'one record: the lock marker is set and removed before reading it',
  'merge.move.* Eager': "one merge's relationships of one type: each read, copied and deleted",
  'merge.unmove.* Eager': "one merge's relationships of one type: each re-created, trimmed or deleted",
  'merge.unmergeSnapshot Eager': 'one merge record, locked before it is read',
  'merge.finishMerge Eager': 'one merge: labels removed from the node it reads, the merge record created',
  'merge.finishUnmerge Eager': 'one merge: labels restored on the node it reads',
  'corrections.lockSource Eager': 'one source: the version is read and incremented under its lock',
  'corrections.lockClaim Eager': 'one claim: the version is read and incremented under its lock',
  'corrections.updateSource Eager':
    'one source: its version snapshot created, its publisher and publishedVia (at most 10 hops) replaced',
  'corrections.amendClaim Eager':
    'one claim and its figure: the implicit as-of re-read after the values it sets',
  'corrections.leaveRelation.* Eager': 'one relationship: its claim ids read and rewritten',
  'names.insertNameEvidence Eager': 'one name record: its id set on the relationship it creates',
  'names.* CartesianProduct': 'the claim and the entity by unique id, one node each (per row when upserting)',
  'names.upsertNames Eager':
    "one batch of a bundle's name records (at most 2,000 rows, stores/import.ts): ids read, then set",
};

/**
 * Statements whose work must not grow with the graph (issue #17), by name pattern as in ALLOWED: their
 * plans may only seek (by unique or index key, a full-text term, a relationship walk from what was sought).
 */
export const SELECTIVE: readonly string[] = [
  'explore.search',
  'explore.neighborhood.*',
  'explore.paths.*',
  'identity.entityByIdentifier',
  'importReuse.byIdentifier',
  'listing.events.DATE_ASC*.by-place-date',
  'listing.events.DATE_ASC*.by-actor-date',
  'listing.timeline*.by-actor-date',
];

/**
 * Selective statements that page in an index's own order (name pattern, as in SELECTIVE): each seek of the
 * index named must reach a Limit before any sort (Top, PartialTop, Sort), so that reading stops at the page
 * instead of ranking every row of the range. Neo4j gives the order only when ORDER BY names every property
 * of the composite index; a sort over the seek means that was lost.
 */
export const READ_IN_INDEX_ORDER: Readonly<Record<string, string>> = {
  'listing.events.DATE_ASC*.by-place-date': 'IN_PLACE(placeId, at, key, eventId)',
  'listing.events.DATE_ASC*.by-actor-date': 'WITH_ACTOR(actorId, key, eventId)',
  'listing.timeline*.by-actor-date': 'WITH_ACTOR(actorId, key, eventId)',
};

/** Operators that read a whole index, label, or the graph: refused in a selective statement's plan. */
const SCANS =
  /^(Partitioned)?(AllNodesScan|(Union|Intersection|Subtraction)?NodeByLabels?Scan|NodeIndex(Contains|EndsWith)?Scan|(Directed|Undirected)(RelationshipIndex(Contains|EndsWith)?Scan|RelationshipTypeScan|AllRelationshipsScan|UnionRelationshipTypesScan))$/;

/** Whether a SELECTIVE (or ALLOWED) name pattern names the statement. */
export function names(pattern: string, statement: string): boolean {
  return matches(pattern, statement);
}

/** What a selective statement's plan must not hold (nothing when the statement is not selective). */
export function selectiveViolations(statement: string, plan: PlanNode): Violation[] {
  if (!SELECTIVE.some((pattern) => matches(pattern, statement))) return [];
  const out: Violation[] = [];
  const ordered = Object.entries(READ_IN_INDEX_ORDER).find(([pattern]) => matches(pattern, statement))?.[1];
  // The nearest Limit or sort above each operator, on the way down.
  const visit = (op: PlanNode, above: string | null) => {
    const name = operatorName(op);
    if (SCANS.test(name)) out.push({ rule: `Selective(${name})`, details: details(op) });
    if (ordered && /IndexSeek/.test(name) && details(op).includes(ordered) && above !== 'Limit')
      out.push({ rule: `Selective(${above ?? 'NoLimit'})`, details: details(op) });
    const next = /^(Limit|Top|PartialTop|Sort|PartialSort)$/.test(name) ? name : above;
    for (const child of op.children ?? []) visit(child, next);
  };
  visit(plan, null);
  return out;
}

function matches(pattern: string, statement: string): boolean {
  const re = pattern
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*?/g, (star) => (star === '**' ? '.*' : '[^.]*'));
  return new RegExp(`^${re}$`).test(statement);
}

/** The allow-list key that accepts a violation of a statement, or undefined. */
export function allowedBy(statement: string, rule: Rule): string | undefined {
  return Object.keys(ALLOWED).find((key) => {
    const cut = key.lastIndexOf(' ');
    return key.slice(cut + 1) === rule && matches(key.slice(0, cut), statement);
  });
}
