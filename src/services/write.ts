import { randomUUID } from 'node:crypto';
import { actorLabel, clearance, type Viewer } from '../model/access.js';
import { AppError, badInput, checkId, ErrorCode, requireRole } from '../errors.js';
import type { Executor, Tx } from '../graph/executor.js';
import { runMutation, type MutationOutcome } from '../graph/mutation.js';
import type {
  ClaimRecord,
  EntityRecord,
  NodeRecord,
  RelationRecord,
  SourceRecord,
} from '../graph/records.js';
import * as store from '../graph/stores/write.js';
import { relationId } from '../model/ids.js';
import type { EntityRow, ExcerptRow, RelationRow, SourceRow } from '../model/rows.js';
import type { Sensitivity } from '../model/enums.js';
import { codePointLength, sha256 } from '../model/text.js';
import { checkNamesKept } from './names.js';
import type { RecordsService } from './records.js';
import {
  actorAt,
  assertWellFormed,
  checkClaimInput,
  checkDates,
  type CheckedClaim,
  checkFacilityKind,
  checkRelation,
  checkType,
  type CreateEntityArgs,
  DEFAULT_MAX_SOURCE_BYTES,
  defined,
  entityAt,
  EntityMeta,
  type EntityPatchArgs,
  entityView,
  fuzzy,
  ID_PREFIX,
  type IngestSourceArgs,
  KIND_OF,
  type LinkEntitiesArgs,
  type Maybe,
  notFoundAt,
  parse,
  Reason,
  type RecordClaimArgs,
  resolveExcerpts,
  SourceMeta,
  type WriteOptions,
} from './write-input.js';
import {
  checkFigureLinks,
  checkLinkClaims,
  checkLinkInput,
  claimRows,
  figureSensitivityOf,
  hopExcerpts,
  relationChange,
  writeClaim,
} from './write-claim.js';
import { sourceDifferences, type SourceFieldDifference } from './source-differences.js';
import { checkHopActors, checkPublishedVia } from './corrections-input.js';

/**
 * The write API for evidence: sources, claims, entities and links, added by analysts. Input is checked
 * before any database work where it can be; whatever needs the graph (ids, the stored text of a source,
 * current versions) is checked inside the mutation's transaction, so a refused request writes nothing.
 * Results are re-read through the request's records service, so they resolve exactly as reads do.
 */

export class WriteService {
  private readonly maxSourceBytes: number;

  constructor(
    private readonly executor: Executor,
    private readonly records: RecordsService,
    private readonly viewer: Viewer,
    private readonly requestId?: string,
    options: WriteOptions = {},
  ) {
    this.maxSourceBytes = options.maxSourceBytes ?? DEFAULT_MAX_SOURCE_BYTES;
  }

  private mutate<R>(
    operation: string,
    input: unknown,
    idempotencyKey: Maybe<string>,
    work: (tx: Tx) => Promise<MutationOutcome<R>>,
  ): Promise<R> {
    return runMutation(
      this.executor,
      { operation, viewer: this.viewer, input, idempotencyKey, requestId: this.requestId },
      work,
    ).then((r) => r.result);
  }

  /** Analyst or above; confidential records are for admins only. */
  private sensitivity(value: Maybe<string>): Sensitivity {
    const s = (value ?? 'public') as Sensitivity;
    if (s === 'confidential') requireRole(this.viewer, 'admin', 'Marking records confidential');
    return s;
  }

  private visible(sensitivity: string): boolean {
    return clearance(this.viewer.role).includes(sensitivity as Sensitivity);
  }

  async ingestSource(
    input: IngestSourceArgs,
    idempotencyKey?: Maybe<string>,
  ): Promise<{ source: SourceRecord; created: boolean; differences: SourceFieldDifference[] }> {
    requireRole(this.viewer, 'analyst', 'Ingesting sources');
    assertWellFormed(input, ['input']);
    const text = input.text;
    if (!text.trim()) throw badInput('input.text is empty', ['input', 'text']);
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > this.maxSourceBytes) {
      throw new AppError(
        ErrorCode.LIMIT_EXCEEDED,
        `input.text is ${bytes} bytes of UTF-8; the limit is ${this.maxSourceBytes}`,
        { inputPath: ['input', 'text'], limit: this.maxSourceBytes },
      );
    }
    const meta = parse(
      SourceMeta,
      {
        title: input.title,
        language: input.language,
        url: input.url,
        retrievedAt: input.retrievedAt,
        notes: input.notes,
      },
      ['input'],
    );
    const published = fuzzy(input.published, ['input', 'published']);
    if (input.publisherId != null) checkId(input.publisherId, ['input', 'publisherId']);
    const publishedVia = checkPublishedVia(input.publishedVia, ['input', 'publishedVia']);
    const sensitivity = this.sensitivity(input.sensitivity);
    const hash = sha256(text);
    const row: SourceRow = {
      id: `src-${hash.slice(0, 16)}`,
      title: meta.title,
      text,
      sha256: hash,
      length: codePointLength(text),
      language: meta.language,
      url: meta.url ?? null,
      retrievedAt: meta.retrievedAt ?? null,
      published,
      reliability: input.reliability ?? 'unknown',
      sensitivity,
      publisherId: input.publisherId ?? null,
      notes: meta.notes ?? null,
      publishedVia,
    };

    const result = await this.mutate('ingestSource', input, idempotencyKey, async (tx) => {
      const actorIds = [...(row.publisherId ? [row.publisherId] : []), ...publishedVia.map((h) => h.actorId)];
      if (actorIds.length) {
        const found = await store.findNodes(tx, actorIds);
        if (row.publisherId) actorAt(found, row.publisherId, ['input', 'publisherId']);
        checkHopActors(found, publishedVia, ['input', 'publishedVia']);
      }
      const merged = await store.mergeSource(tx, row);
      if (!merged.visible) {
        // The same text is one source (sha256 is unique), so this text cannot get a source of the caller's;
        // the refusal names nothing of the stored one (no id, no metadata, not even that it is restricted).
        throw new AppError(ErrorCode.CONFLICT, 'This text cannot be ingested with your key', {
          inputPath: ['input', 'text'],
        });
      }
      const differences = merged.stored ? sourceDifferences(input, row, merged.stored) : [];
      const out = { id: merged.id, created: merged.created, differences };
      // Nothing written: no audit record (an empty one would say a change happened).
      if (!merged.created) return { result: out, affectedIds: [], changes: [], wroteNothing: true };
      // The audit keeps the text's hash and length, not 5 MB of text.
      const { text: _text, ...after } = row;
      return { result: out, affectedIds: [merged.id], changes: [{ id: merged.id, before: null, after }] };
    });
    return {
      source: await this.records.source(result.id),
      created: result.created,
      differences: result.differences,
    };
  }

  async recordClaim(input: RecordClaimArgs, idempotencyKey?: Maybe<string>): Promise<ClaimRecord> {
    requireRole(this.viewer, 'analyst', 'Recording claims');
    let sensitivity: Sensitivity = 'public';
    let figureSensitivity: Sensitivity | null = null;
    const checked = checkClaimInput(input, () => {
      sensitivity = this.sensitivity(input.sensitivity);
      if (input.figure?.sensitivity != null) {
        figureSensitivity = figureSensitivityOf(sensitivity, this.sensitivity(input.figure.sensitivity));
      }
    });
    const claimId = `cl-${randomUUID()}`;
    const result = await this.mutate('recordClaim', input, idempotencyKey, async (tx) => {
      const { excerpts, hopExcerpts } = await this.claimEvidence(tx, input, checked);
      const rows = claimRows(input, checked, {
        claimId,
        sensitivity,
        figureSensitivity,
        recordedBy: actorLabel(this.viewer),
        excerptIds: excerpts.map((e) => e.id),
        hopExcerptIds: hopExcerpts.map((e) => e?.id ?? null),
      });
      return writeClaim(tx, input, rows, excerpts, hopExcerpts);
    });
    return this.claim(result.id);
  }

  /**
   * What recording a claim needs from the graph, checked in its transaction: the subject, object and
   * attribution agents exist and fit the relation, and the excerpts are the source's own words.
   */
  private async claimEvidence(
    tx: Tx,
    input: RecordClaimArgs,
    checked: CheckedClaim,
  ): Promise<{ excerpts: ExcerptRow[]; hopExcerpts: (ExcerptRow | null)[] }> {
    const { relation, attributedTo } = checked;
    const ids = [input.subjectId, ...attributedTo, ...(relation ? [relation.objectId] : [])];
    const found = await store.findNodes(tx, ids);
    const subjectKind = entityAt(found, input.subjectId, ['input', 'subjectId']);
    if (relation) {
      const objectKind = entityAt(found, relation.objectId, ['input', 'relation', 'objectId']);
      if (relation.objectId === input.subjectId) {
        throw badInput('an entity cannot be related to itself', ['input', 'relation', 'objectId']);
      }
      checkRelation(relation.type, relation.role, subjectKind, objectKind, ['input', 'relation'], {
        position: relation.position,
        fromType: found.get(input.subjectId)?.type,
        toType: found.get(relation.objectId)?.type,
      });
    }
    attributedTo.forEach((id, i) => actorAt(found, id, checked.hops[i]!.path));
    if (checked.figure) await checkFigureLinks(tx, input.figure?.shareOfClaimId, checked.figure);
    const text = await store.sourceText(tx, input.sourceId);
    if (text === null) throw notFoundAt('Source', input.sourceId, ['input', 'sourceId']);
    const excerpts = resolveExcerpts(input.sourceId, text, input.excerpts);
    return { excerpts, hopExcerpts: hopExcerpts(input.sourceId, text, checked) };
  }

  async createEntity(input: CreateEntityArgs, idempotencyKey?: Maybe<string>): Promise<EntityRecord> {
    requireRole(this.viewer, 'analyst', 'Creating entities');
    assertWellFormed(input, ['input']);
    const kind = KIND_OF[input.kind];
    checkType(kind, input.type, ['input', 'type']);
    const meta = parse(
      EntityMeta,
      {
        name: input.name,
        lang: input.lang ?? 'en',
        description: input.description,
        aliases: input.aliases ?? [],
        identifiers: input.identifiers ?? [],
      },
      ['input'],
    );
    const date = fuzzy(input.date, ['input', 'date']);
    const endDate = fuzzy(input.endDate, ['input', 'endDate']);
    checkDates(kind, date, endDate, ['input']);
    checkFacilityKind(kind, input.type, input.facilityKind, ['input', 'facilityKind']);
    const row: EntityRow = {
      id: `${ID_PREFIX[kind]}${randomUUID()}`,
      kind,
      type: input.type,
      name: meta.name,
      lang: meta.lang,
      aliases: meta.aliases,
      description: meta.description ?? null,
      identifiers: meta.identifiers,
      sensitivity: this.sensitivity(input.sensitivity),
      date,
      endDate,
      facilityKind: input.facilityKind ?? null,
    };
    const result = await this.mutate('createEntity', input, idempotencyKey, async (tx) => {
      await store.createEntity(tx, row);
      return {
        result: { id: row.id },
        affectedIds: [row.id],
        changes: [{ id: row.id, before: null, after: { ...entityView(row), version: 1 } }],
      };
    });
    return this.records.entity(result.id);
  }

  async updateEntity(
    id: string,
    version: number,
    patch: EntityPatchArgs,
    idempotencyKey?: Maybe<string>,
  ): Promise<EntityRecord> {
    requireRole(this.viewer, 'analyst', 'Updating entities');
    assertWellFormed(patch, ['patch']);
    checkId(id, ['id']);
    const given = (k: keyof EntityPatchArgs) => patch[k] !== undefined;
    const fields = Object.keys(patch).filter((k) => given(k as keyof EntityPatchArgs));
    if (!fields.length) throw badInput('the patch changes nothing', ['patch']);
    for (const k of ['name', 'lang', 'aliases', 'identifiers', 'type'] as const) {
      if (patch[k] === null) throw badInput(`patch.${k} cannot be cleared`, ['patch', k]);
    }
    // Checked against the current entity only where it matters (type, dates); the rest now.
    const meta = parse(
      EntityMeta.partial(),
      defined({
        name: patch.name,
        lang: patch.lang,
        description: patch.description,
        aliases: patch.aliases,
        identifiers: patch.identifiers,
      }),
      ['patch'],
    );
    const date = given('date') ? fuzzy(patch.date, ['patch', 'date']) : undefined;
    const endDate = given('endDate') ? fuzzy(patch.endDate, ['patch', 'endDate']) : undefined;

    const result = await this.mutate('updateEntity', { id, version, patch }, idempotencyKey, async (tx) => {
      const bumped = await store.bumpEntityVersion(tx, id);
      if (!bumped || !this.visible(bumped.sensitivity)) throw notFoundAt('Entity', id, ['id']);
      const current = bumped.version - 1;
      if (current !== version) {
        throw new AppError(
          ErrorCode.VERSION_CONFLICT,
          `Entity ${id} is at version ${current}, not ${version}: read it again and reapply your change`,
          { id, inputPath: ['version'], currentVersion: current },
        );
      }
      const before: EntityRow = {
        id,
        kind: bumped.__kind,
        type: bumped.type,
        name: bumped.name,
        lang: bumped.lang,
        aliases: bumped.aliases,
        description: bumped.description,
        identifiers: bumped.identifiers,
        sensitivity: bumped.sensitivity,
        date: bumped.date,
        endDate: bumped.endDate,
        facilityKind: bumped.facilityKind ?? null,
      };
      const next: EntityRow = {
        ...before,
        type: patch.type ?? before.type,
        name: meta.name ?? before.name,
        lang: meta.lang ?? before.lang,
        aliases: meta.aliases ?? before.aliases,
        identifiers: meta.identifiers ?? before.identifiers,
        description: given('description') ? (meta.description ?? null) : before.description,
        date: date === undefined ? before.date : date,
        endDate: endDate === undefined ? before.endDate : endDate,
        facilityKind: given('facilityKind') ? (patch.facilityKind ?? null) : before.facilityKind,
      };
      if (given('type')) checkType(next.kind, next.type, ['patch', 'type']);
      if (given('type') || given('facilityKind')) {
        checkFacilityKind(next.kind, next.type, next.facilityKind, [
          'patch',
          given('facilityKind') ? 'facilityKind' : 'type',
        ]);
      }
      if (given('date') || given('endDate')) checkDates(next.kind, next.date, next.endDate, ['patch']);
      await checkNamesKept(tx, id, next, patch);
      await store.setEntityFields(tx, next);
      const was = entityView(before);
      const now = entityView(next);
      const changed = Object.keys(now).filter((k) => JSON.stringify(was[k]) !== JSON.stringify(now[k]));
      const pick = (v: Record<string, unknown>, version: number) =>
        Object.fromEntries([...changed.map((k) => [k, v[k]]), ['version', version]]);
      return {
        result: { id },
        affectedIds: [id],
        changes: [{ id, before: pick(was, current), after: pick(now, current + 1) }],
      };
    });
    return this.records.entity(result.id);
  }

  async linkEntities(input: LinkEntitiesArgs, idempotencyKey?: Maybe<string>): Promise<RelationRecord> {
    requireRole(this.viewer, 'analyst', 'Linking entities');
    const { claimIds, type, role, position } = checkLinkInput(input);

    return this.mutate('linkEntities', input, idempotencyKey, async (tx) => {
      const found = await store.findNodes(tx, [input.fromId, input.toId, ...claimIds]);
      const fromKind = entityAt(found, input.fromId, ['input', 'fromId']);
      const toKind = entityAt(found, input.toId, ['input', 'toId']);
      checkRelation(type, role, fromKind, toKind, ['input'], {
        position,
        fromType: found.get(input.fromId)?.type,
        toType: found.get(input.toId)?.type,
      });
      checkLinkClaims(found, input);
      const row: RelationRow = {
        id: relationId(type, input.fromId, input.toId, role, position),
        type,
        fromId: input.fromId,
        toId: input.toId,
        role,
        position,
        claimIds,
      };
      const merged = await store.mergeRelation(tx, row);
      if (!merged) throw notFoundAt('Entity', input.fromId, ['input', 'fromId']);
      const relation: RelationRecord = { ...row, position, claimIds: merged.claimIds };
      return { result: relation, affectedIds: [row.id], changes: [relationChange(row, merged)] };
    });
  }

  disputeClaim(id: string, reason: string, idempotencyKey?: Maybe<string>): Promise<ClaimRecord> {
    return this.changeStatus('disputeClaim', 'disputed', id, reason, idempotencyKey);
  }

  retractClaim(id: string, reason: string, idempotencyKey?: Maybe<string>): Promise<ClaimRecord> {
    return this.changeStatus('retractClaim', 'retracted', id, reason, idempotencyKey);
  }

  private async changeStatus(
    operation: string,
    status: 'disputed' | 'retracted',
    id: string,
    reason: string,
    idempotencyKey: Maybe<string>,
  ): Promise<ClaimRecord> {
    requireRole(this.viewer, 'analyst', status === 'disputed' ? 'Disputing claims' : 'Retracting claims');
    assertWellFormed(reason, ['reason']);
    checkId(id, ['id']);
    const why = parse(Reason, reason, ['reason']);
    const result = await this.mutate(operation, { id, reason }, idempotencyKey, async (tx) => {
      // Checked in this transaction before anything is written: a claim the caller may not see (itself,
      // its subject, object or evidence) is refused exactly like a missing one, and its status is not told.
      const was = await store.bumpClaimVersion(tx, id);
      if (!was || !this.visible(was.sensitivity)) throw notFoundAt('Claim', id, ['id']);
      // Retraction is final; a status is never set to itself.
      if (was.status === 'retracted' || was.status === status) {
        throw new AppError(ErrorCode.CONFLICT, `Claim ${id} is already ${was.status}`, {
          id,
          inputPath: ['id'],
          status: was.status,
        });
      }
      const by = actorLabel(this.viewer);
      const changedAt = await store.setClaimStatus(tx, {
        id,
        status,
        reason: why,
        at: new Date().toISOString(),
        by,
      });
      const { sensitivity: _s, version, ...before } = was;
      return {
        result: { id },
        affectedIds: [id],
        changes: [
          {
            id,
            before: { ...before, version: version - 1 },
            after: { status, statusReason: why, statusChangedAt: changedAt, statusChangedBy: by, version },
          },
        ],
      };
    });
    return this.claim(result.id);
  }

  async setSensitivity(id: string, sensitivity: string, idempotencyKey?: Maybe<string>): Promise<NodeRecord> {
    requireRole(this.viewer, 'analyst', 'Setting sensitivity');
    checkId(id, ['id']);
    const next = this.sensitivity(sensitivity);
    const result = await this.mutate('setSensitivity', { id, sensitivity }, idempotencyKey, async (tx) => {
      const was = await store.lockSensitive(tx, id);
      // Records the caller may not see (confidential below admin, or a claim whose subject, object or
      // evidence is hidden) are refused as if absent, before anything is written.
      if (!was || !was.visible || !this.visible(was.sensitivity)) throw notFoundAt('Record', id, ['id']);
      await store.setSensitivity(tx, id, next);
      const version = was.version;
      return {
        result: { id },
        affectedIds: [id],
        changes: [
          {
            id,
            before: { sensitivity: was.sensitivity, ...(version === null ? {} : { version }) },
            after: { sensitivity: next, ...(version === null ? {} : { version: version + 1 }) },
          },
        ],
      };
    });
    const node = await this.records.node(result.id);
    if (!node) throw notFoundAt('Record', id, ['id']);
    return node;
  }

  private async claim(id: string): Promise<ClaimRecord> {
    const [claim] = await this.records.claims([id]);
    if (!claim) throw notFoundAt('Claim', id, ['id']);
    return claim;
  }
}
