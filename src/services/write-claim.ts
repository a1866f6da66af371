import type { Change, MutationOutcome } from '../graph/mutation.js';
import type { Tx } from '../graph/executor.js';
import * as store from '../graph/stores/write.js';
import type { FoundNode } from '../graph/stores/write.js';
import {
  attributeClaimValue,
  figureClaimValue,
  relationClaimValue,
  shareOfProblem,
  statementClaimValue,
} from '../model/claims.js';
import { SENSITIVITIES, type Sensitivity } from '../model/enums.js';
import { badInput, checkId } from '../errors.js';
import type { RelationType } from '../model/graph-model.js';
import { figureIdOf, relationId } from '../model/ids.js';
import type { ClaimRow, ExcerptRow, FigureRow, RelationRow } from '../model/rows.js';
import {
  assertWellFormed,
  at,
  checkPosition,
  MAX_LINK_CLAIMS,
  notFoundAt,
  resolveExcerpts,
  type CheckedClaim,
  type LinkEntitiesArgs,
  type Path,
  type RecordClaimArgs,
} from './write-input.js';

/** The rows of a recorded claim, and how they are written: pure construction apart from the writes. */

/** The rows a claim writes: the claim itself, and the figure or relationship it asserts. */
export function claimRows(
  input: RecordClaimArgs,
  checked: CheckedClaim,
  c: {
    claimId: string;
    sensitivity: Sensitivity;
    /** The figure's own, stricter sensitivity (figureSensitivityOf), or null: the claim's. */
    figureSensitivity?: Sensitivity | null;
    recordedBy: string;
    excerptIds: string[];
    hopExcerptIds: (string | null)[];
  },
): { claim: ClaimRow; figure: FigureRow | null; relation: RelationRow | null } {
  const { relation, figure, attribute, meta, attributedTo, hops, detailed } = checked;
  const attribution = hops.map((h, i) => ({ capacity: h.capacity, excerptId: c.hopExcerptIds[i] ?? null }));
  const base = {
    id: c.claimId,
    fact: meta.fact ?? null,
    subjectId: input.subjectId,
    summary: meta.summary,
    status: 'asserted',
    confidence: meta.confidence ?? null,
    sensitivity: c.sensitivity,
    recordedBy: c.recordedBy,
    recordedAt: new Date().toISOString(),
    excerptIds: c.excerptIds,
    attributedTo,
    ...(detailed ? { attribution } : {}),
  };
  if (relation) {
    const { role, position, periodStart, periodEnd } = relation;
    return {
      claim: {
        ...base,
        ...relationClaimValue(relation.type, relation.objectId, role),
        position,
        periodStart,
        periodEnd,
      },
      figure: null,
      relation: {
        id: relationId(relation.type, input.subjectId, relation.objectId, role, position),
        type: relation.type,
        fromId: input.subjectId,
        toId: relation.objectId,
        role,
        position,
        claimIds: [c.claimId],
      },
    };
  }
  if (figure) {
    const row: FigureRow = {
      ...figure,
      id: figureIdOf(c.claimId),
      claimId: c.claimId,
      subjectId: input.subjectId,
      sensitivity: c.figureSensitivity ?? c.sensitivity,
    };
    return { claim: { ...base, ...figureClaimValue(row) }, figure: row, relation: null };
  }
  const value = attribute ? attributeClaimValue(attribute.property, attribute.value) : statementClaimValue();
  return { claim: { ...base, ...value }, figure: null, relation: null };
}

/** Writes a claim's rows in the mutation's transaction; the changes and ids its audit record lists. */
export async function writeClaim(
  tx: Tx,
  input: RecordClaimArgs,
  rows: { claim: ClaimRow; figure: FigureRow | null; relation: RelationRow | null },
  claimExcerpts: ExcerptRow[],
  hopExcerpts: (ExcerptRow | null)[] = [],
): Promise<MutationOutcome<{ id: string }>> {
  const { claim } = rows;
  // The words naming attribution hops are excerpts of the source too, stored once with the claim's.
  const excerpts = [
    ...new Map([...claimExcerpts, ...hopExcerpts].filter((e) => e !== null).map((e) => [e.id, e])).values(),
  ];
  const existing = await store.existingExcerpts(
    tx,
    excerpts.map((e) => e.id),
  );
  await store.insertExcerpts(tx, excerpts);
  if (!(await store.insertClaim(tx, claim)))
    throw notFoundAt('Entity', input.subjectId, ['input', 'subjectId']);
  const changes: Change[] = excerpts
    .filter((e) => !existing.has(e.id))
    .map(({ id, ...e }) => ({ id, before: null, after: e }));
  const { recordedAt: _at, ...claimAfter } = claim;
  changes.push({ id: claim.id, before: null, after: { ...claimAfter, sourceId: input.sourceId } });
  const affectedIds = [claim.id, input.subjectId, ...excerpts.map((e) => e.id)];
  if (rows.figure) {
    await store.insertFigure(tx, rows.figure);
    const { id, ...after } = rows.figure;
    changes.push({ id, before: null, after });
    affectedIds.push(id);
  }
  if (rows.relation) {
    const merged = await store.mergeRelation(tx, rows.relation);
    if (!merged) throw notFoundAt('Entity', rows.relation.toId, ['input', 'relation', 'objectId']);
    changes.push(relationChange(rows.relation, merged));
    affectedIds.push(rows.relation.id);
  }
  return { result: { id: claim.id }, affectedIds, changes };
}

/** The excerpt of each attribution hop that gives words naming it, in the claim's source (else null). */
export function hopExcerpts(sourceId: string, text: string, checked: CheckedClaim): (ExcerptRow | null)[] {
  return checked.hops.map((h, i) =>
    h.excerpt
      ? resolveExcerpts(sourceId, text, [h.excerpt], () => ['input', 'attribution', i, 'excerpt'])[0]!
      : null,
  );
}

export function relationChange(
  row: RelationRow,
  merged: { before: string[] | null; claimIds: string[] },
): Change {
  const after = {
    type: row.type,
    fromId: row.fromId,
    toId: row.toId,
    role: row.role,
    ...(row.position ? { position: row.position } : {}),
    claimIds: merged.claimIds,
  };
  return { id: row.id, before: merged.before ? { claimIds: merged.before } : null, after };
}

/**
 * A figure's own sensitivity: as strict as its claim's or stricter (a looser one would change nothing, the
 * figure being hidden with its claim, and would read as a promise it cannot keep): refused.
 */
export function figureSensitivityOf(claim: Sensitivity, figure: Sensitivity): Sensitivity {
  if (SENSITIVITIES.indexOf(figure) < SENSITIVITIES.indexOf(claim)) {
    throw badInput(
      `input.figure.sensitivity: a figure is at least as restricted as its claim (${claim}), not ${figure}`,
      ['input', 'figure', 'sensitivity'],
    );
  }
  return figure;
}

/**
 * The whole a share is part of and the event a figure covers, checked in the claim's transaction: both
 * visible to the caller (NOT_FOUND otherwise, as for a missing id), the whole a figure claim that is not
 * retracted, in the part's unit or the part in percent (model/claims.ts shareOfProblem, the bundle
 * loader's rule), the event an event.
 */
export async function checkFigureLinks(
  tx: Tx,
  shareOf: string | null | undefined,
  figure: Pick<NonNullable<CheckedClaim['figure']>, 'unit' | 'duringId'>,
  p: Path = ['input', 'figure'],
): Promise<void> {
  if (shareOf) {
    const whole = await store.figureClaim(tx, shareOf);
    if (!whole) throw notFoundAt('Claim', shareOf, [...p, 'shareOfClaimId']);
    const problem = shareOfProblem({ claimId: '', unit: figure.unit }, { claimId: shareOf, ...whole });
    if (problem) throw badInput(`${at([...p, 'shareOfClaimId'])}: ${problem}`, [...p, 'shareOfClaimId']);
  }
  if (figure.duringId) {
    const found = await store.findNodes(tx, [figure.duringId]);
    const n = found.get(figure.duringId);
    if (!n) throw notFoundAt('Event', figure.duringId, [...p, 'duringId']);
    if (n.kind !== 'Event') {
      throw badInput(`${at([...p, 'duringId'])}: ${figure.duringId} is a ${n.kind}, not an event`, [
        ...p,
        'duringId',
      ]);
    }
  }
}

/** linkEntities' input, checked before any database work: its ends, its claims (1 to MAX_LINK_CLAIMS), its post. */
export function checkLinkInput(input: LinkEntitiesArgs) {
  assertWellFormed(input, ['input']);
  checkId(input.fromId, ['input', 'fromId']);
  checkId(input.toId, ['input', 'toId']);
  if (input.fromId === input.toId) {
    throw badInput('an entity cannot be related to itself', ['input', 'toId']);
  }
  const claimIds = [...new Set(input.claimIds)];
  if (claimIds.length < 1 || claimIds.length > MAX_LINK_CLAIMS) {
    throw badInput(`cite 1 to ${MAX_LINK_CLAIMS} claims asserting the link`, ['input', 'claimIds']);
  }
  input.claimIds.forEach((c, i) => checkId(c, ['input', 'claimIds', i]));
  return {
    claimIds,
    type: input.type as RelationType,
    role: input.role ?? null,
    position: checkPosition(input.position, ['input', 'position']),
  };
}

/** The claims a link cites, as found in the transaction: each a visible claim, not retracted, about an end. */
export function checkLinkClaims(found: Map<string, FoundNode>, input: LinkEntitiesArgs): void {
  input.claimIds.forEach((cid, i) => {
    const p: Path = ['input', 'claimIds', i];
    const c = found.get(cid);
    if (!c) throw notFoundAt('Claim', cid, p);
    if (c.kind !== 'Claim') throw badInput(`${at(p)}: ${cid} is a ${c.kind}, not a claim`, p);
    if (c.status === 'retracted') throw badInput(`${at(p)}: claim ${cid} is retracted`, p);
    const ends = [input.fromId, input.toId];
    // Evidence for a link must at least be about one of its ends.
    if (!ends.includes(c.subjectId ?? '') && !ends.includes(c.objectId ?? '')) {
      throw badInput(`${at(p)}: claim ${cid} is about neither ${input.fromId} nor ${input.toId}`, p);
    }
  });
}
