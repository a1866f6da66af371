import { EQUIVALENTS } from '../../model/actor-names.js';
import { IDENTIFIER_RULES } from '../../model/identifiers.js';
import { NAME_RULES } from '../../model/names.js';
import type { Executor, Row, Tx } from '../executor.js';
import * as q from '../queries/identity.js';
import { fromProjection, type EntityRecord } from '../records.js';
import { num, str } from '../values.js';

/**
 * Identity reads and writes: an entity by external identifier, the candidates matchCandidates scores,
 * and same-as judgements, decoded into typed records (judgements keep the stored vocabulary:
 * positive, negative, unsure).
 */

/** Lucene's special characters (escaped) and whitespace variants (a plain space), for the name query. */
const LUCENE_ESCAPE: Readonly<Record<string, string>> = Object.freeze({
  ...Object.fromEntries([...'+-&|!(){}[]^"~*?:\\/'].map((c) => [c, `\\${c}`])),
  ...Object.fromEntries([...'\t\n\r\u00a0'].map((c) => [c, ' '])),
});

export interface PlaceRef {
  id: string;
  name: string;
}

/** The newest same-as judgement between an entity and a candidate (stored vocabulary). */
export interface PriorJudgement {
  judgement: string;
  by: string;
  at: string;
  mergeId?: string | null;
}

/** A candidate as the statement found it: its record, places, full-text score and prior judgement. */
export interface FoundCandidate {
  entity: EntityRecord;
  places: PlaceRef[];
  textScore: number;
  judged: PriorJudgement | null;
}

/** A same-as link as stored: judgement is positive, negative or unsure. */
export interface StoredJudgement {
  id: string;
  entityId: string;
  candidateId: string;
  /** Null when that end is not (or no longer) an entity, e.g. merged. */
  entity: EntityRecord | null;
  candidate: EntityRecord | null;
  judgement: string;
  by: string;
  at: string;
  note: string | null;
  mergeId: string | null;
  undoneAt: string | null;
}

/** One end of a judgement as the caller may see it: kind when an entity, mergedInto when merged. */
export interface JudgementEnd {
  id: string;
  kind: string | null;
  mergedInto: string | null;
}

const entityOf = (v: unknown) => (fromProjection(v) as EntityRecord | null) ?? null;
const placesOf = (v: unknown): PlaceRef[] =>
  ((v as Row[] | null) ?? []).map((p) => ({ id: String(p.id), name: String(p.name) }));

function toPriorJudgement(v: unknown): PriorJudgement | null {
  if (!v || typeof v !== 'object') return null;
  const j = v as Row;
  return { judgement: String(j.judgement), by: String(j.by), at: String(j.at), mergeId: str(j.mergeId) };
}

function toStoredJudgement(row: Row): StoredJudgement {
  return {
    id: String(row.id),
    entityId: String(row.entityId),
    candidateId: String(row.candidateId),
    entity: entityOf(row.entity),
    candidate: entityOf(row.candidate),
    judgement: String(row.judgement),
    by: str(row.by) ?? '',
    at: str(row.at) ?? '',
    note: str(row.note),
    mergeId: str(row.mergeId),
    undoneAt: str(row.undoneAt),
  };
}

/** The first visible entity (recorded first) with the canonical identifier key "scheme:value", or null. */
export async function entityByIdentifier(executor: Executor, key: string): Promise<EntityRecord | null> {
  const [row] = await executor.read(q.entityByIdentifier, { key });
  return entityOf(row?.entity);
}

/**
 * The visible entity `id` with its places, and up to `pool` candidates (key matches first, then by
 * full-text score; at most `textLimit` full-text hits asked for); null when there is no such entity.
 */
export async function matchCandidates(
  executor: Executor,
  id: string,
  limits: { textLimit: number; pool: number },
): Promise<{ entity: EntityRecord; places: PlaceRef[]; candidates: FoundCandidate[] } | null> {
  const [row] = await executor.read(q.matchCandidates, {
    id,
    nameRules: NAME_RULES,
    identifierRules: IDENTIFIER_RULES,
    equivalents: EQUIVALENTS,
    luceneEscape: LUCENE_ESCAPE,
    textLimit: limits.textLimit,
    pool: limits.pool,
  });
  if (!row) return null;
  return {
    entity: entityOf(row.entity)!,
    places: placesOf(row.places),
    candidates: ((row.candidates as Row[] | null) ?? []).map((c) => ({
      entity: entityOf(c.entity)!,
      places: placesOf(c.places),
      textScore: num(c.textScore) ?? 0,
      judged: toPriorJudgement(c.judged),
    })),
  };
}

/** Every same-as link of the entity (or merged entity) `id`, newest first; null when there is none visible. */
export async function judgementsOf(executor: Executor, id: string): Promise<StoredJudgement[] | null> {
  const [row] = await executor.read(q.judgementsOf, { id });
  return row ? ((row.judgements as Row[] | null) ?? []).map(toStoredJudgement) : null;
}

/** Both ends of a judgement, one per id found (visible entity or merged entity). */
export async function judgementEnds(tx: Tx, id: string, candidateId: string): Promise<JudgementEnd[]> {
  const rows = await tx.run(q.judgementEnds, { id, candidateId });
  return rows.map((r) => ({ id: String(r.id), kind: str(r.kind), mergedInto: str(r.mergedInto) }));
}

/** Records a judgement (both ends checked in the same transaction) and returns it as stored. */
export async function recordJudgement(tx: Tx, j: q.JudgementParams): Promise<StoredJudgement> {
  const [row] = await tx.run(q.recordJudgement, j);
  return toStoredJudgement(row!.judgement as Row);
}
