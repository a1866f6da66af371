import type { NameEvidenceRow } from '../../model/rows.js';
import type { Executor, Row, Tx } from '../executor.js';
import * as q from '../queries/names.js';
import { str } from '../values.js';

/** Aliases and identifiers with evidence: reads and writes of GIVES_NAME records (queries/names.ts). */

export interface CitedClaim {
  status: string;
  subjectId: string;
  sensitivity: string;
}

/** The claim, when it exists and the caller may see it. */
export async function citedClaim(tx: Tx, id: string): Promise<CitedClaim | null> {
  const [row] = await tx.run(q.citedClaim, { id });
  if (!row) return null;
  return {
    status: String(row.status),
    subjectId: String(row.subjectId),
    sensitivity: String(row.sensitivity),
  };
}

/** The records of one name on an entity: their ids, claims and whether retracted. */
export async function namesOf(
  tx: Tx,
  p: { entityId: string; kind: string; value: string; qualifier: string },
): Promise<{ id: string; claimId: string; retracted: boolean }[]> {
  const rows = await tx.run(q.namesOf, p);
  return rows.map((r) => ({ id: String(r.id), claimId: String(r.claimId), retracted: Boolean(r.retracted) }));
}

/** The names (kind, value, lang or scheme) the entity has on evidence now. */
export async function currentNames(
  tx: Tx,
  entityId: string,
): Promise<{ kind: 'alias' | 'identifier'; value: string; qualifier: string }[]> {
  const rows = await tx.run(q.currentNames, { entityId });
  return rows.map((r) => ({
    kind: r.kind === 'identifier' ? 'identifier' : 'alias',
    value: String(r.value),
    qualifier: String(r.qualifier),
  }));
}

export async function insertNameEvidence(tx: Tx, r: NameEvidenceRow): Promise<boolean> {
  return (await tx.run(q.insertNameEvidence, { r })).length === 1;
}

export async function retractNameEvidence(
  tx: Tx,
  p: { entityId: string; ids: string[]; by: string; at: string; reason: string },
): Promise<void> {
  await tx.run(q.retractNameEvidence, p);
}

/** A name record as the read side sees it. */
export interface NameEvidenceRecord {
  id: string;
  kind: 'alias' | 'identifier';
  value: string;
  lang: string | null;
  scheme: string | null;
  claimId: string;
  reason: string | null;
  addedBy: string;
  addedAt: string;
  retractedBy: string | null;
  retractedAt: string | null;
  retractReason: string | null;
}

/** Each entity's name records whose claim the caller may see. */
export async function nameEvidenceOfEntities(
  executor: Executor,
  ids: string[],
): Promise<Map<string, NameEvidenceRecord[]>> {
  const rows = await executor.read(q.nameEvidenceOfEntities, { ids });
  return new Map(
    rows.map((row) => [
      String(row.id),
      ((row.names as Row[] | null) ?? []).map((g) => ({
        id: String(g.id),
        kind: g.kind === 'identifier' ? 'identifier' : 'alias',
        value: String(g.value),
        lang: str(g.lang),
        scheme: str(g.scheme),
        claimId: String(g.claimId),
        reason: str(g.reason),
        addedBy: String(g.addedBy),
        addedAt: String(g.addedAt),
        retractedBy: str(g.retractedBy),
        retractedAt: str(g.retractedAt),
        retractReason: str(g.retractReason),
      })),
    ]),
  );
}
