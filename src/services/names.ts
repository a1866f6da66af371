import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import { actorLabel, clearance, type Viewer } from '../model/access.js';
import { AppError, badInput, checkId, ErrorCode, requireRole } from '../errors.js';
import type { Executor, Tx } from '../graph/executor.js';
import { runMutation, type Change } from '../graph/mutation.js';
import type { EntityRecord } from '../graph/records.js';
import * as names from '../graph/stores/names.js';
import type { NameEvidenceRecord } from '../graph/stores/names.js';
import * as store from '../graph/stores/write.js';
import { Alias, ExternalIdentifier } from '../io/bundle/schema.js';
import { SENSITIVITIES, type Sensitivity } from '../model/enums.js';
import type { EntityRow, NameEvidenceRow } from '../model/rows.js';
import type { RecordsService } from './records.js';
import { assertWellFormed, type Maybe, notFoundAt, parse, Reason } from './write-input.js';

/**
 * Aliases and identifiers with evidence: addAlias / addIdentifier cite the claim that gives the name (a
 * claim the caller may see, not retracted, about that entity) and add the name to the entity's list;
 * retractAlias / retractIdentifier take it out of the list with a reason. Each is one audited write that
 * increments the entity's version; the GIVES_NAME records are never deleted (NameEvidenceRow).
 *
 * Clearance: a name on an entity is seen by everyone who may see the entity (its lists feed search and
 * exports), so a name may cite only a claim no more sensitive than the entity; the records' claims are
 * shown only to callers who may see them (NameEvidence).
 */

/** A name as the mutations take it: an alias (value, lang) or an identifier (scheme, value). */
type Name =
  { kind: 'alias'; value: string; lang: string } | { kind: 'identifier'; scheme: string; value: string };

const same = (a: Name, b: Name) =>
  a.kind === b.kind &&
  a.value === b.value &&
  (a.kind === 'alias' ? a.lang === (b as typeof a).lang : a.scheme === (b as typeof a).scheme);
const qualifierOf = (n: Name) => (n.kind === 'alias' ? n.lang : n.scheme);
const listOf = (e: EntityRow, n: Name): Name[] =>
  n.kind === 'alias'
    ? e.aliases.map((a) => ({ kind: 'alias' as const, ...a }))
    : e.identifiers.map((i) => ({ kind: 'identifier' as const, ...i }));
function withList(e: EntityRow, kind: Name['kind'], list: Name[]): EntityRow {
  return kind === 'alias'
    ? { ...e, aliases: list.map((a) => ({ value: a.value, lang: (a as { lang: string }).lang })) }
    : { ...e, identifiers: list.map((i) => ({ scheme: (i as { scheme: string }).scheme, value: i.value })) };
}
const field = (kind: Name['kind']) => (kind === 'alias' ? 'aliases' : 'identifiers');
const argOf = (kind: Name['kind']) => (kind === 'alias' ? 'alias' : 'identifier');

function rowOf(e: EntityRecord): EntityRow {
  return {
    id: e.id,
    kind: e.__kind,
    type: e.type,
    name: e.name,
    lang: e.lang,
    aliases: e.aliases,
    description: e.description,
    identifiers: e.identifiers,
    sensitivity: e.sensitivity,
    date: e.date,
    endDate: e.endDate,
  };
}

export class NamesService {
  private readonly evidence: DataLoader<string, NameEvidenceRecord[]>;

  constructor(
    private readonly executor: Executor,
    private readonly records: RecordsService,
    private readonly viewer: Viewer,
    private readonly requestId?: string,
  ) {
    this.evidence = new DataLoader(async (ids) => {
      const found = await names.nameEvidenceOfEntities(executor, [...ids]);
      return ids.map((id) => found.get(id) ?? []);
    });
  }

  /** The entity's name records whose claims the caller may see, current ones first. */
  nameEvidence(entityId: string): Promise<NameEvidenceRecord[]> {
    return this.evidence.load(entityId);
  }

  addAlias(entityId: string, alias: unknown, claimId: string, reason: Maybe<string>, key?: Maybe<string>) {
    const a = parse(Alias, alias, ['alias']);
    return this.add('addAlias', entityId, { kind: 'alias', ...a }, claimId, reason, key);
  }

  addIdentifier(
    entityId: string,
    identifier: unknown,
    claimId: string,
    reason: Maybe<string>,
    key?: Maybe<string>,
  ) {
    const i = parse(ExternalIdentifier, identifier, ['identifier']);
    return this.add('addIdentifier', entityId, { kind: 'identifier', ...i }, claimId, reason, key);
  }

  retractAlias(entityId: string, alias: unknown, reason: string, key?: Maybe<string>) {
    const a = parse(Alias, alias, ['alias']);
    return this.retract('retractAlias', entityId, { kind: 'alias', ...a }, reason, key);
  }

  retractIdentifier(entityId: string, identifier: unknown, reason: string, key?: Maybe<string>) {
    const i = parse(ExternalIdentifier, identifier, ['identifier']);
    return this.retract('retractIdentifier', entityId, { kind: 'identifier', ...i }, reason, key);
  }

  private async add(
    operation: string,
    entityId: string,
    name: Name,
    claimId: string,
    reason: Maybe<string>,
    idempotencyKey: Maybe<string>,
  ): Promise<EntityRecord> {
    requireRole(this.viewer, 'analyst', 'Adding names');
    checkId(entityId, ['entityId']);
    checkId(claimId, ['claimId']);
    const why = reason == null ? null : parse(Reason, reason, ['reason']);
    const input = { entityId, [argOf(name.kind)]: name, claimId, reason: why };
    assertWellFormed(input, []);
    await this.mutate(operation, input, idempotencyKey, async (tx) => {
      const { before, version } = await this.lockEntity(tx, entityId);
      const claim = await names.citedClaim(tx, claimId);
      if (!claim) throw notFoundAt('Claim', claimId, ['claimId']);
      if (claim.status === 'retracted') throw badInput(`claim ${claimId} is retracted`, ['claimId']);
      if (claim.subjectId !== entityId) {
        throw badInput(`claim ${claimId} is about another entity, not ${entityId}`, ['claimId']);
      }
      const rank = (s: string) => SENSITIVITIES.indexOf(s as Sensitivity);
      if (rank(claim.sensitivity) > rank(before.sensitivity)) {
        throw badInput(
          `claim ${claimId} is ${claim.sensitivity} and the entity ${before.sensitivity}: a name on the entity is seen by all who see it`,
          ['claimId'],
        );
      }
      const records = await names.namesOf(tx, {
        entityId,
        kind: name.kind,
        value: name.value,
        qualifier: qualifierOf(name),
      });
      if (records.some((r) => r.claimId === claimId && !r.retracted)) {
        throw new AppError(ErrorCode.CONFLICT, `claim ${claimId} already gives this ${argOf(name.kind)}`, {
          inputPath: ['claimId'],
        });
      }
      const list = listOf(before, name);
      const next = list.some((n) => same(n, name)) ? before : withList(before, name.kind, [...list, name]);
      await store.setEntityFields(tx, next);
      const row: NameEvidenceRow = {
        id: `nm-${randomUUID()}`,
        claimId,
        entityId,
        kind: name.kind,
        value: name.value,
        lang: name.kind === 'alias' ? name.lang : null,
        scheme: name.kind === 'identifier' ? name.scheme : null,
        reason: why,
        addedBy: actorLabel(this.viewer),
        addedAt: new Date().toISOString(),
      };
      if (!(await names.insertNameEvidence(tx, row))) throw notFoundAt('Claim', claimId, ['claimId']);
      const { id, ...after } = row;
      return {
        result: { id: entityId },
        affectedIds: [entityId, id, claimId],
        changes: [entityChange(before, next, name.kind, version), { id, before: null, after }],
      };
    });
    return this.records.entity(entityId);
  }

  private async retract(
    operation: string,
    entityId: string,
    name: Name,
    reason: string,
    idempotencyKey: Maybe<string>,
  ): Promise<EntityRecord> {
    requireRole(this.viewer, 'analyst', 'Retracting names');
    checkId(entityId, ['entityId']);
    const why = parse(Reason, reason, ['reason']);
    const input = { entityId, [argOf(name.kind)]: name, reason: why };
    assertWellFormed(input, []);
    await this.mutate(operation, input, idempotencyKey, async (tx) => {
      const { before, version } = await this.lockEntity(tx, entityId);
      const list = listOf(before, name);
      if (!list.some((n) => same(n, name))) {
        throw badInput(`not among the entity's current ${field(name.kind)}`, [argOf(name.kind)]);
      }
      const next = withList(
        before,
        name.kind,
        list.filter((n) => !same(n, name)),
      );
      await store.setEntityFields(tx, next);
      const records = (
        await names.namesOf(tx, {
          entityId,
          kind: name.kind,
          value: name.value,
          qualifier: qualifierOf(name),
        })
      ).filter((r) => !r.retracted);
      const by = actorLabel(this.viewer);
      const at = new Date().toISOString();
      await names.retractNameEvidence(tx, { entityId, ids: records.map((r) => r.id), by, at, reason: why });
      const changes: Change[] = [
        entityChange(before, next, name.kind, version),
        ...records.map((r) => ({
          id: r.id,
          before: { retractedAt: null },
          after: { retractedBy: by, retractedAt: at, retractReason: why },
        })),
      ];
      return { result: { id: entityId }, affectedIds: [entityId, ...records.map((r) => r.id)], changes };
    });
    return this.records.entity(entityId);
  }

  /** Write-locks the entity by incrementing its version; NOT_FOUND when missing or hidden from the caller. */
  private async lockEntity(tx: Tx, entityId: string): Promise<{ before: EntityRow; version: number }> {
    const bumped = await store.bumpEntityVersion(tx, entityId);
    if (!bumped || !clearance(this.viewer.role).includes(bumped.sensitivity as Sensitivity)) {
      throw notFoundAt('Entity', entityId, ['entityId']);
    }
    return { before: rowOf(bumped), version: bumped.version - 1 };
  }

  private mutate<R>(
    operation: string,
    input: unknown,
    idempotencyKey: Maybe<string>,
    work: Parameters<typeof runMutation<R>>[2],
  ): Promise<R> {
    return runMutation(
      this.executor,
      { operation, viewer: this.viewer, input, idempotencyKey, requestId: this.requestId },
      work,
    ).then((r) => r.result);
  }
}

/** The entity's list before and after, with its version, for the audit record. */
function entityChange(before: EntityRow, next: EntityRow, kind: Name['kind'], version: number): Change {
  const f = field(kind);
  return {
    id: before.id,
    before: { [f]: before[f], version },
    after: { [f]: next[f], version: version + 1 },
  };
}

/**
 * updateEntity's rule for names with evidence: a new complete list of aliases or identifiers must keep
 * every name a claim gives (addAlias, addIdentifier), as the record of it would otherwise say a name the
 * entity no longer has. Such a name leaves with retractAlias / retractIdentifier, which keeps why.
 */
export async function checkNamesKept(
  tx: Tx,
  id: string,
  next: Pick<EntityRow, 'aliases' | 'identifiers'>,
  patch: { aliases?: unknown; identifiers?: unknown },
): Promise<void> {
  const given = { aliases: patch.aliases != null, identifiers: patch.identifiers != null };
  if (!given.aliases && !given.identifiers) return;
  for (const n of await names.currentNames(tx, id)) {
    const list = n.kind === 'alias' ? 'aliases' : 'identifiers';
    if (!given[list]) continue;
    const kept =
      n.kind === 'alias'
        ? next.aliases.some((a) => a.value === n.value && a.lang === n.qualifier)
        : next.identifiers.some((x) => x.value === n.value && x.scheme === n.qualifier);
    if (!kept) {
      const how = n.kind === 'alias' ? 'retractAlias' : 'retractIdentifier';
      throw badInput(
        `${n.kind} "${n.value}" (${n.qualifier}) is given by a claim: take it out with ${how}, with a reason`,
        ['patch', list],
      );
    }
  }
}
