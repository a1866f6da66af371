import { statement, type Statement } from '../executor.js';
import { RELATION_TYPES, assertLabel, assertRelType, type RelationType } from '../../model/graph-model.js';

/**
 * Admin statements: merging duplicate entities (and undoing it) and reading the audit log. Values are
 * parameters; the only interpolations are relationship types and labels from the model's allow-list.
 *
 * A merge moves every relationship of the allow-list that touches the duplicate; history lives apart from
 * the records themselves: on a (:Merge) node, linked (:Merge)-[:KEEPS]->(kept) and -[:MERGES]->(duplicate),
 * and on a (duplicate)-[:SAME_AS]->(kept) judgement. Those three types exist only here.
 */

/** Structural relationships that point at an entity, with the label of the node at their other end. */
export const LINK_TYPES = {
  ABOUT: 'Claim',
  OBJECT: 'Claim',
  ATTRIBUTED_TO: 'Claim',
  PUBLISHED_BY: 'Source',
  FIGURE_OF: 'Figure',
  DURING: 'Figure',
  GIVES_NAME: 'Claim',
  PUBLISHED_VIA: 'Source',
} as const;
export type LinkType = keyof typeof LINK_TYPES;
export const LINK_TYPE_LIST = Object.keys(LINK_TYPES) as LinkType[];

/** Every relationship type a merge moves: entity relationships and the structural links above. */
export type MoveType = RelationType | LinkType;
export const MOVE_TYPES: readonly MoveType[] = [...RELATION_TYPES, ...LINK_TYPE_LIST];

/** Relationships that record merges; left behind on a merged node on purpose. */
export const HISTORY_TYPES = ['SAME_AS', 'KEEPS', 'MERGES'] as const;

/** Property types a moved relationship may carry; they are restored with their type on undo. */
export const RESTORABLE_TYPES: ReadonlySet<string> = new Set([
  'STRING NOT NULL',
  'BOOLEAN NOT NULL',
  'INTEGER NOT NULL',
  'FLOAT NOT NULL',
  'DATE NOT NULL',
  'ZONED DATETIME NOT NULL',
  'LOCAL DATETIME NOT NULL',
  'ZONED TIME NOT NULL',
  'LOCAL TIME NOT NULL',
  'DURATION NOT NULL',
  'LIST<NOTHING> NOT NULL',
  'LIST<STRING NOT NULL> NOT NULL',
  'LIST<BOOLEAN NOT NULL> NOT NULL',
  'LIST<INTEGER NOT NULL> NOT NULL',
  'LIST<FLOAT NOT NULL> NOT NULL',
]);

/** A relationship property with its Cypher type (valueType), so undo restores it as it was. */
export interface TypedProp {
  k: string;
  t: string;
  v: unknown;
}

/** The kept entity's properties a merge changes (and undo restores): $kept of finishMerge/finishUnmerge. */
export interface KeptProps {
  aliasesJson: string | null;
  names: string[] | null;
  identifiersJson: string | null;
  identifierKeys: string[] | null;
  version: number | null;
}

/** One move per relationship, as the move statement of its type takes it (see moveStatement). */
export interface MoveRow {
  eid: string;
  out: boolean;
  mode: 'create' | 'union' | 'drop';
  overrides: Record<string, unknown>;
  targetId: string | null;
  added: string[];
}

/** One claim to point at another subject/object (see retargetClaims). */
export interface RetargetRow {
  id: string;
  subject: boolean;
  object: boolean;
  versionIf: number | null;
  versionThen: number | null;
}

/** What undo expects to find on the kept entity (see unmergeChecks). */
export interface UndoCheck {
  type: MoveType;
  otherId: string;
  targetId: string | null;
}

/** The moves of one type to undo (see unmoveStatement). */
export type UnmoveRows = {
  recreate: { out: boolean; otherId: string; props: TypedProp[] }[];
  targets: { otherId: string; targetId: string; remove: string[]; keepIfEmpty: boolean }[];
  links: { otherId: string; props: TypedProp[] }[];
};

/** A relationship's properties as [{k, t, v}] (key, Cypher value type, value), so undo can restore the type. */
const TYPED_PROPS = (r: string) => `[key IN keys(${r}) | {k: key, t: valueType(${r}[key]), v: ${r}[key]}]`;

/** The value of typed property `p` (see TYPED_PROPS) as the type it was stored with. */
const DECODE = (p: string) => `CASE ${p}.t
    WHEN 'INTEGER NOT NULL' THEN toInteger(${p}.v)
    WHEN 'FLOAT NOT NULL' THEN toFloat(${p}.v)
    WHEN 'DATE NOT NULL' THEN date(${p}.v)
    WHEN 'ZONED DATETIME NOT NULL' THEN datetime(${p}.v)
    WHEN 'LOCAL DATETIME NOT NULL' THEN localdatetime(${p}.v)
    WHEN 'ZONED TIME NOT NULL' THEN time(${p}.v)
    WHEN 'LOCAL TIME NOT NULL' THEN localtime(${p}.v)
    WHEN 'DURATION NOT NULL' THEN duration(${p}.v)
    WHEN 'LIST<INTEGER NOT NULL> NOT NULL' THEN [x IN ${p}.v | toInteger(x)]
    WHEN 'LIST<FLOAT NOT NULL> NOT NULL' THEN [x IN ${p}.v | toFloat(x)]
    ELSE ${p}.v END`;

/** A relationship `r` of `e` to `o`, as the merge plan reads it. */
const REL = (e: string) => `{eid: elementId(r), type: type(r), out: startNode(r) = ${e}, otherId: o.id,
    otherLabels: labels(o), otherSubjectId: o.subjectId, otherObjectId: o.objectId, otherVersion: o.version,
    props: ${TYPED_PROPS('r')}}`;

/** The entity properties a merge reads and changes (variable: the node). */
const ENTITY_PROPS = (n: string) => `${n} {.id, .kind, .name, .lang, .aliasesJson, .names, .identifiersJson,
    .identifierKeys, .version, .sensitivity, .type, _labels: labels(${n})}`;

/** Both ends of a merge as they stand, and whether either was merged before (refused with a clear error). */
export const mergeEnds = statement<{ keepId: string; mergeId: string }>(
  'merge.mergeEnds',
  `UNWIND [$keepId, $mergeId] AS id
   CALL (id) {
     OPTIONAL MATCH (n:Entity {id: id})
     RETURN ${ENTITY_PROPS('n')} AS entity
   }
   RETURN id, entity,
     head(COLLECT { MATCH (m:Merged {id: id}) WHERE m.mergedInto IS NOT NULL RETURN m.mergedInto }) AS mergedInto`,
);

/**
 * Takes the write locks of both ends of a merge, whether they are entities or merged already, in id
 * order (so two merges of one pair wait for each other instead of deadlocking). Everything a merge reads
 * is read after this, so it sees what the transaction that held the locks before committed.
 */
export const lockMergeEnds = statement<{ ids: string[] }>(
  'merge.lockMergeEnds',
  `UNWIND $ids AS id
   CALL (id) {
     MATCH (n:Entity {id: id}) RETURN n
     UNION
     MATCH (n:Merged {id: id}) RETURN n
   }
   WITH n ORDER BY n.id, elementId(n)
   SET n._lock = true
   REMOVE n._lock
   RETURN count(n) AS locked`,
);

/**
 * Every relationship of the move types that touches either entity (read under lockMergeEnds). One row,
 * or none when either stopped being an entity meanwhile (the merge then fails).
 */
export const mergeSnapshot = statement<{ keepId: string; mergeId: string; moveTypes: readonly MoveType[] }>(
  'merge.mergeSnapshot',
  `MATCH (k:Entity {id: $keepId}), (x:Entity {id: $mergeId})
   RETURN elementId(x) AS xEid,
     COLLECT { MATCH (x)-[r]-(o) WHERE type(r) IN $moveTypes RETURN ${REL('x')} } AS mergedRels,
     COLLECT { MATCH (k)-[r]-(o) WHERE type(r) IN $moveTypes RETURN ${REL('k')} } AS keptRels`,
);

/**
 * Moves relationships of one type from the duplicate to the kept entity. Each row: eid (the old
 * relationship), out (whether the duplicate is its start), mode: create (a copy with the old properties,
 * then row.overrides), union (add row.added to the claimIds of the kept entity's relationship row.targetId)
 * or drop (the kept entity already has it). The old relationship is deleted in every mode. Every row must
 * find its relationship and the kept entity: otherwise no row comes back and the transaction fails.
 */
type MoveParams = { keepId: string; rows: MoveRow[] };

function moveStatement(type: MoveType): Statement<MoveParams> {
  const t = assertRelType(type);
  return statement<MoveParams>(
    `merge.move.${type}`,
    `UNWIND $rows AS row
     MATCH (a)-[old:${t}]->(b) WHERE elementId(old) = row.eid
     MATCH (k:Entity {id: $keepId})
     WITH row, old, CASE WHEN row.out THEN k ELSE a END AS s, CASE WHEN row.out THEN b ELSE k END AS e
     CALL (row, old, s, e) {
       WITH row, old, s, e WHERE row.mode = 'create'
       CREATE (s)-[n:${t}]->(e)
       SET n = properties(old)
       SET n += row.overrides
     }
     CALL (row, s, e) {
       WITH row, s, e WHERE row.mode = 'union'
       MATCH (s)-[u:${t}]->(e) WHERE u.id = row.targetId
       SET u.claimIds = coalesce(u.claimIds, []) + [c IN row.added WHERE NOT c IN coalesce(u.claimIds, [])]
     }
     DELETE old
     WITH count(*) AS moved WHERE moved = size($rows)
     RETURN moved`,
    { mustMatch: true },
  );
}

export const moveRels: Readonly<Record<MoveType, Statement<MoveParams>>> = Object.fromEntries(
  MOVE_TYPES.map((type) => [type, moveStatement(type)]),
) as Record<MoveType, Statement<MoveParams>>;

/**
 * Points claims at another subject/object. Rows: {id, subject, object (booleans: which to change),
 * versionIf, versionThen}: the version becomes versionThen when versionIf is null or still current (the
 * claim unchanged since the merge), else it moves on by one. Only values equal to $from change. Every
 * claim must still exist, or the transaction fails.
 */
export const retargetClaims = statement<{ rows: RetargetRow[]; from: string; to: string }>(
  'merge.retargetClaims',
  `UNWIND $rows AS row
   MATCH (c:Claim {id: row.id})
   SET c.subjectId = CASE WHEN row.subject AND c.subjectId = $from THEN $to ELSE c.subjectId END,
       c.objectId = CASE WHEN row.object AND c.objectId = $from THEN $to ELSE c.objectId END,
       c.version = CASE WHEN row.versionIf IS NULL OR c.version = row.versionIf THEN row.versionThen
                        ELSE coalesce(c.version, 0) + 1 END
   WITH count(*) AS changed WHERE changed = size($rows)
   RETURN changed`,
  { mustMatch: true },
);

/** Figures' subjectId follows their FIGURE_OF link. Every figure must still exist. */
export const retargetFigures = statement<{ ids: string[]; from: string; to: string }>(
  'merge.retargetFigures',
  `UNWIND $ids AS id
   MATCH (f:Figure {id: id})
   SET f.subjectId = CASE WHEN f.subjectId = $from THEN $to ELSE f.subjectId END
   WITH count(*) AS changed WHERE changed = size($ids)
   RETURN changed`,
  { mustMatch: true },
);

/** A merge to complete: its ends, id, kind, note and who, and the kept entity's new names. */
export type FinishMergeParams = {
  keepId: string;
  mergeId: string;
  id: string;
  kind: string;
  note: string;
  by: string;
  kept: KeptProps;
};

/**
 * Completes a merge: the kept entity's names and identifiers, the duplicate hidden from reads (no Entity
 * or kind label) but kept whole, the merge record and the SAME_AS judgement. Returns the relationship
 * types still attached to the duplicate besides history, which must be none (the caller checks). When
 * either end is no longer an entity it matches nothing, and the transaction fails.
 */
export const finishMerge = statement<
  FinishMergeParams & { movedJson: string; historyTypes: readonly string[] }
>(
  'merge.finishMerge',
  `MATCH (k:Entity {id: $keepId}), (x:Entity {id: $mergeId})
   SET k.aliasesJson = $kept.aliasesJson, k.names = $kept.names,
       k.identifiersJson = $kept.identifiersJson, k.identifierKeys = $kept.identifierKeys,
       k.version = toInteger($kept.version)
   REMOVE x:Entity:Event:Actor:Place
   SET x:Merged, x.mergedInto = $keepId
   CREATE (m:Merge {id: $id, keepId: $keepId, mergeId: $mergeId, kind: $kind, note: $note, judgement: 'same',
                    by: $by, at: datetime(), movedJson: $movedJson})
   CREATE (m)-[:KEEPS]->(k), (m)-[:MERGES]->(x)
   CREATE (x)-[:SAME_AS {judgement: 'positive', by: $by, at: m.at, mergeId: $id}]->(k)
   RETURN COLLECT { MATCH (x)-[r]-() WHERE NOT type(r) IN $historyTypes RETURN DISTINCT type(r) } AS leftBehind`,
  { mustMatch: true },
);

/** A merge record with its kept entity (null when that was merged away since). */
export const mergeById = statement<{ id: string }>(
  'merge.mergeById',
  `MATCH (m:Merge {id: $id})
   OPTIONAL MATCH (k:Entity {id: m.keepId})
   RETURN m {.*} AS merge, k {.*, _labels: labels(k)} AS kept`,
);

/** A merge to undo, locked (so two undos cannot both pass the check), with both entities as they stand now. */
export const unmergeSnapshot = statement<{ id: string }>(
  'merge.unmergeSnapshot',
  `MATCH (m:Merge {id: $id})
   SET m._lock = true
   REMOVE m._lock
   WITH m
   OPTIONAL MATCH (m)-[:MERGES]->(x)
   OPTIONAL MATCH (m)-[:KEEPS]->(k)
   RETURN m {.*} AS merge, elementId(x) AS xEid, labels(x) AS mergedLabels, x.mergedInto AS mergedInto,
     elementId(k) AS kEid, ${ENTITY_PROPS('k')} AS kept, k.mergedInto AS keptMergedInto`,
);

/**
 * What undo relies on, checked before it changes anything. $checks lists what the merge left on the kept
 * entity ({type, otherId, targetId (entity relationships) or null}); missing returns those no longer
 * there, otherMissing the other ends ($entityOthers) that are no longer entities, so undo refuses rather
 * than guesses.
 */
export const unmergeChecks = statement<{ kEid: string; checks: UndoCheck[]; entityOthers: string[] }>(
  'merge.unmergeChecks',
  `MATCH (k) WHERE elementId(k) = $kEid
   RETURN [c IN $checks WHERE NOT EXISTS {
       MATCH (k)-[r]-(o) WHERE type(r) = c.type AND o.id = c.otherId AND (c.targetId IS NULL OR r.id = c.targetId)
     } | c] AS missing,
     [id IN $entityOthers WHERE NOT EXISTS { MATCH (:Entity {id: id}) }] AS otherMissing`,
);

/**
 * Undoes the moves of one type. $recreate: the original relationships on the duplicate ({out, otherId,
 * props: typed}); $targets: entity relationships on the kept entity that lose the claim ids the merge
 * added ({otherId, targetId, remove, keepIfEmpty}), deleted when no claim is left (unless it had none
 * before the merge either); $links: structural links the merge
 * created on the kept entity ({otherId, props}), deleted.
 */
type UnmoveParams = { xEid: string; kEid: string } & UnmoveRows;

function unmoveStatement(type: MoveType): Statement<UnmoveParams> {
  const t = assertRelType(type);
  const otherLabel = assertLabel(type in LINK_TYPES ? LINK_TYPES[type as LinkType] : 'Entity');
  return statement<UnmoveParams>(
    `merge.unmove.${type}`,
    `MATCH (x) WHERE elementId(x) = $xEid
     MATCH (k) WHERE elementId(k) = $kEid
     CALL (x) {
       UNWIND $recreate AS row
       MATCH (o:${otherLabel} {id: row.otherId})
       WITH row, CASE WHEN row.out THEN x ELSE o END AS s, CASE WHEN row.out THEN o ELSE x END AS e
       CREATE (s)-[n:${t}]->(e)
       FOREACH (p IN row.props | SET n[p.k] = ${DECODE('p')})
     }
     CALL (k) {
       UNWIND $targets AS row
       MATCH (k)-[r:${t}]-(o:${otherLabel} {id: row.otherId}) WHERE r.id = row.targetId
       WITH row, r, [c IN coalesce(r.claimIds, []) WHERE NOT c IN row.remove] AS rest
       SET r.claimIds = rest
       WITH row, r, rest WHERE size(rest) = 0 AND NOT row.keepIfEmpty
       DELETE r
     }
     CALL (k) {
       UNWIND $links AS row
       MATCH (k)<-[r:${t}]-(o:${otherLabel} {id: row.otherId})
       WHERE size(keys(r)) = size(row.props) AND all(p IN row.props WHERE r[p.k] = ${DECODE('p')})
       WITH row, collect(r)[0] AS r
       DELETE r
     }
     RETURN 1 AS done`,
    { mustMatch: true },
  );
}

export const unmoveRels: Readonly<Record<MoveType, Statement<UnmoveParams>>> = Object.fromEntries(
  MOVE_TYPES.map((type) => [type, unmoveStatement(type)]),
) as Record<MoveType, Statement<UnmoveParams>>;

/**
 * Completes an undo: the kept entity's properties ($kept, computed by the caller), the duplicate's labels
 * back, the merge record and its SAME_AS judgement marked undone (never deleted).
 */
export const finishUnmerge = statement<{
  id: string;
  xEid: string;
  kEid: string;
  kept: KeptProps;
  by: string;
  note: string;
}>(
  'merge.finishUnmerge',
  `MATCH (m:Merge {id: $id})
   MATCH (x) WHERE elementId(x) = $xEid
   MATCH (k) WHERE elementId(k) = $kEid
   SET k.aliasesJson = $kept.aliasesJson, k.names = $kept.names,
       k.identifiersJson = $kept.identifiersJson, k.identifierKeys = $kept.identifierKeys,
       k.version = toInteger($kept.version)
   REMOVE x:Merged, x.mergedInto
   SET x:Entity
   FOREACH (_ IN CASE WHEN x.kind = 'Event' THEN [1] ELSE [] END | SET x:Event)
   FOREACH (_ IN CASE WHEN x.kind = 'Actor' THEN [1] ELSE [] END | SET x:Actor)
   FOREACH (_ IN CASE WHEN x.kind = 'Place' THEN [1] ELSE [] END | SET x:Place)
   SET m.undoneAt = datetime(), m.undoneBy = $by, m.undoNote = $note
   WITH m, x, k
   OPTIONAL MATCH (x)-[s:SAME_AS {mergeId: $id}]->(k)
   SET s.undoneAt = m.undoneAt, s.undoneBy = $by
   RETURN m {.*} AS merge`,
  { mustMatch: true },
);
