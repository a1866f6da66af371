import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { actorLabel, clearance, type Viewer } from '../model/access.js';
import { AppError, badInput, checkId, ErrorCode, requireRole } from '../errors.js';
import type { Executor, Tx } from '../graph/executor.js';
import { runMutation, type Change, type MutationOutcome } from '../graph/mutation.js';
import type {
  ClaimRecord,
  EntityRecord,
  NodeRecord,
  RelationRecord,
  SourceRecord,
} from '../graph/records.js';
import * as store from '../graph/stores/write.js';
import type { FoundNode } from '../graph/stores/write.js';
import {
  attributeClaimValue,
  figureClaimValue,
  relationClaimValue,
  statementClaimValue,
} from '../model/claims.js';
import { excerptId, figureIdOf, relationId } from '../model/ids.js';
import { locateQuote } from '../model/quotes.js';
import type { ClaimRow, EntityRow, ExcerptRow, FigureRow, RelationRow, SourceRow } from '../model/rows.js';
import {
  ActorInput,
  Alias,
  AttributeValue,
  ClaimInput,
  ExternalIdentifier,
  FigureValue,
  SourceInput,
} from '../io/bundle/schema.js';
import { ACTOR_TYPES, EVENT_TYPES, PLACE_TYPES, type Sensitivity } from '../model/enums.js';
import { FuzzyDateInput, normalizeFuzzyDate, type FuzzyDate } from '../model/fuzzy-date.js';
import { RELATIONS, relationAllows, type EntityKind, type RelationType } from '../model/graph-model.js';
import { codePointLength, codePoints, isWellFormed, selectorAt, sha256 } from '../model/text.js';
import type { RecordsService } from './records.js';

/**
 * The write API for evidence: sources, claims, entities and links, added by analysts. Input is checked
 * before any database work where it can be; whatever needs the graph (ids, the stored text of a source,
 * current versions) is checked inside the mutation's transaction, so a refused request writes nothing.
 * Results are re-read through the request's reader, so they resolve exactly as reads do.
 */

export const DEFAULT_MAX_SOURCE_BYTES = 5 * 1024 * 1024;
/** Ids longer than this cannot be ours; refused before they reach the database. */
const MAX_EXCERPTS = 50;
const MAX_ATTRIBUTION = 10;
const MAX_LINK_CLAIMS = 100;
const MAX_ALIASES = 100;
const MAX_IDENTIFIERS = 50;
const MAX_QUOTE_CODE_POINTS = 5000;
const MAX_REASON = 2000;

export interface WriteOptions {
  /** Largest source text accepted, in bytes of UTF-8 (default 5 MB). */
  maxSourceBytes?: number;
}

type Maybe<T> = T | null | undefined;
type Path = (string | number)[];

export interface FuzzyDateArgs {
  value?: Maybe<string>;
  precision: string;
  qualifier?: Maybe<string>;
  earliest?: Maybe<string>;
  latest?: Maybe<string>;
  text?: Maybe<string>;
}

export interface IngestSourceArgs {
  text: string;
  title: string;
  language: string;
  publisherId?: Maybe<string>;
  url?: Maybe<string>;
  retrievedAt?: Maybe<string>;
  published?: Maybe<FuzzyDateArgs>;
  reliability?: Maybe<string>;
  sensitivity?: Maybe<string>;
  notes?: Maybe<string>;
}

export interface ExcerptArgs {
  quote?: Maybe<string>;
  start?: Maybe<number>;
  end?: Maybe<number>;
}

export interface RecordClaimArgs {
  subjectId: string;
  summary: string;
  sourceId: string;
  excerpts: readonly ExcerptArgs[];
  relation?: Maybe<{ type: string; objectId: string; role?: Maybe<string> }>;
  figure?: Maybe<{
    measure: string;
    value?: Maybe<number>;
    min?: Maybe<number>;
    max?: Maybe<number>;
    qualifier?: Maybe<string>;
    unit: string;
    subgroup?: Maybe<string>;
    text?: Maybe<string>;
    periodStart?: Maybe<FuzzyDateArgs>;
    periodEnd?: Maybe<FuzzyDateArgs>;
    asOf?: Maybe<FuzzyDateArgs>;
  }>;
  attribute?: Maybe<{ property: string; value?: Maybe<string>; date?: Maybe<FuzzyDateArgs> }>;
  attributedTo?: Maybe<readonly string[]>;
  confidence?: Maybe<number>;
  sensitivity?: Maybe<string>;
  fact?: Maybe<string>;
}

interface AliasArgs {
  value: string;
  lang: string;
}
interface IdentifierArgs {
  scheme: string;
  value: string;
}

export interface CreateEntityArgs {
  kind: 'EVENT' | 'ACTOR' | 'PLACE';
  type: string;
  name: string;
  lang?: Maybe<string>;
  aliases?: Maybe<readonly AliasArgs[]>;
  description?: Maybe<string>;
  identifiers?: Maybe<readonly IdentifierArgs[]>;
  sensitivity?: Maybe<string>;
  date?: Maybe<FuzzyDateArgs>;
  endDate?: Maybe<FuzzyDateArgs>;
}

export interface EntityPatchArgs {
  name?: Maybe<string>;
  lang?: Maybe<string>;
  aliases?: Maybe<readonly AliasArgs[]>;
  description?: Maybe<string>;
  identifiers?: Maybe<readonly IdentifierArgs[]>;
  type?: Maybe<string>;
  date?: Maybe<FuzzyDateArgs>;
  endDate?: Maybe<FuzzyDateArgs>;
}

export interface LinkEntitiesArgs {
  type: string;
  fromId: string;
  toId: string;
  role?: Maybe<string>;
  claimIds: readonly string[];
}

const KIND_OF: Record<CreateEntityArgs['kind'], EntityKind> = {
  EVENT: 'Event',
  ACTOR: 'Actor',
  PLACE: 'Place',
};
const ID_PREFIX: Record<EntityKind, string> = { Event: 'ev-', Actor: 'ac-', Place: 'pl-' };
const TYPES: Record<EntityKind, readonly string[]> = {
  Event: EVENT_TYPES,
  Actor: ACTOR_TYPES,
  Place: PLACE_TYPES,
};
const ENTITY_KINDS = new Set<string>(['Event', 'Actor', 'Place']);

// Field rules shared with the bundle format, so the two ways in accept the same values.
const Lang = Alias.shape.lang;
const SourceMeta = z.object({
  title: SourceInput.shape.title,
  language: Lang,
  url: z.string().url().max(2000).nullish(),
  retrievedAt: SourceInput.shape.retrievedAt,
  notes: SourceInput.shape.notes,
});
const ClaimMeta = z.object({
  summary: ClaimInput.shape.summary,
  fact: ClaimInput.shape.fact,
  confidence: ClaimInput.shape.confidence,
});
const FigureMeta = FigureValue.omit({
  periodStart: true,
  periodEnd: true,
  asOf: true,
  shareOf: true,
  during: true,
});
const EntityMeta = z.object({
  name: ActorInput.shape.name,
  lang: Lang,
  description: ActorInput.shape.description,
  aliases: z.array(Alias).max(MAX_ALIASES),
  identifiers: z.array(ExternalIdentifier).max(MAX_IDENTIFIERS),
});
const Reason = z.string().trim().min(1, 'give a reason').max(MAX_REASON);

const at = (path: Path) => path.join('.');

/** Parses with a zod schema; the first problem becomes BAD_USER_INPUT at its path (all are listed). */
function parse<S extends z.ZodType>(schema: S, value: unknown, path: Path): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const full = (p: readonly PropertyKey[]) => [
    ...path,
    ...p.map((k) => (typeof k === 'number' ? k : String(k))),
  ];
  const first = r.error.issues[0]!;
  const inputPath = full(first.path);
  throw badInput(`${at(inputPath)}: ${first.message}`, inputPath, {
    problems: r.error.issues.map((i) => ({ inputPath: full(i.path), message: i.message })),
  });
}

/** GraphQL gives explicit nulls; the shared zod rules default only missing values. */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}

/** Strings that cannot be encoded as UTF-8 would be silently altered by the database: refused. */
function assertWellFormed(value: unknown, path: Path): void {
  if (typeof value === 'string') {
    if (!isWellFormed(value)) {
      throw badInput(`${at(path)} is not well-formed Unicode (it contains a lone surrogate)`, path);
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => assertWellFormed(v, [...path, i]));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) assertWellFormed(v, [...path, k]);
  }
}

function notFoundAt(what: string, id: string, path: Path): AppError {
  return new AppError(ErrorCode.NOT_FOUND, `${what} ${JSON.stringify(id)} does not exist`, {
    id,
    inputPath: path,
  });
}

function fuzzy(input: Maybe<FuzzyDateArgs>, path: Path): FuzzyDate | null {
  if (!input) return null;
  const parsed = parse(FuzzyDateInput, defined(input), path);
  const { date, problems } = normalizeFuzzyDate(parsed);
  if (!date) throw badInput(`${at(path)}: ${problems.join('; ')}`, path, { problems });
  return date;
}

function entityAt(found: Map<string, FoundNode>, id: string, path: Path): EntityKind {
  const n = found.get(id);
  if (!n) throw notFoundAt('Entity', id, path);
  if (!ENTITY_KINDS.has(n.kind)) {
    throw badInput(`${at(path)}: ${id} is a ${n.kind}, not an event, actor or place`, path);
  }
  return n.kind as EntityKind;
}

function actorAt(found: Map<string, FoundNode>, id: string, path: Path): void {
  const n = found.get(id);
  if (!n) throw notFoundAt('Actor', id, path);
  if (n.kind !== 'Actor') throw badInput(`${at(path)}: ${id} is a ${n.kind}, not an actor`, path);
}

function checkRelation(
  type: RelationType,
  role: Maybe<string>,
  fromKind: EntityKind,
  toKind: EntityKind,
  path: Path,
): void {
  const spec = RELATIONS[type];
  if (!relationAllows(type, fromKind, toKind)) {
    throw badInput(
      `${at([...path, 'type'])}: ${type} does not join ${fromKind} to ${toKind} (${spec.description})`,
      [...path, 'type'],
    );
  }
  if (spec.hasRole && !role) throw badInput(`${type} needs a role`, [...path, 'role']);
  if (!spec.hasRole && role) throw badInput(`${type} takes no role`, [...path, 'role']);
}

function checkType(kind: EntityKind, type: string, path: Path): void {
  if (!TYPES[kind].includes(type)) {
    throw badInput(`${at(path)}: an ${kind.toLowerCase()} type is one of ${TYPES[kind].join(', ')}`, path);
  }
}

function checkDates(kind: EntityKind, date: FuzzyDate | null, endDate: FuzzyDate | null, path: Path): void {
  if (kind !== 'Event' && (date || endDate)) {
    throw badInput('only events have dates', [...path, date ? 'date' : 'endDate']);
  }
  if (date?.earliest && endDate?.latest && endDate.latest < date.earliest) {
    throw badInput(`ends (${endDate.latest}) before it starts (${date.earliest})`, [...path, 'endDate']);
  }
}

/** The entity as its audit record shows it. */
function entityView(e: EntityRow): Record<string, unknown> {
  return {
    kind: e.kind,
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

/** Where each excerpt sits in the stored text, verified; refused with the bundle loader's codes. */
function resolveExcerpts(sourceId: string, text: string, excerpts: readonly ExcerptArgs[]): ExcerptRow[] {
  const points = codePoints(text);
  const rows = new Map<string, ExcerptRow>();
  excerpts.forEach((e, i) => {
    const p: Path = ['input', 'excerpts', i];
    let start = e.start ?? null;
    let end = e.end ?? null;
    if (start !== null && end !== null && end > points.length) {
      throw badInput(
        `${at(p)}: offsets ${start}-${end} lie outside the text (${points.length} code points)`,
        [...p, 'end'],
        { length: points.length },
      );
    }
    if (e.quote != null) {
      const given = start !== null && end !== null;
      const found = locateQuote(text, points, given ? { exact: e.quote, start: start!, end: end! } : e.quote);
      if ('problem' in found) {
        const message = `${at(p)}: ${found.problem} (${sourceId})`;
        if (given) {
          throw new AppError(ErrorCode.EXCERPT_MISMATCH, message, {
            inputPath: p,
            candidates: found.candidates ?? [],
          });
        }
        if (found.candidates?.length) {
          throw new AppError(ErrorCode.QUOTE_AMBIGUOUS, message, {
            inputPath: [...p, 'quote'],
            candidates: found.candidates,
          });
        }
        throw new AppError(ErrorCode.QUOTE_NOT_FOUND, message, { inputPath: [...p, 'quote'] });
      }
      start = found.start;
      end = found.end;
    }
    const sel = selectorAt(points, start!, end!);
    if (!sel.exact.trim()) throw badInput(`${at(p)}: the words at ${start}-${end} are only white space`, p);
    const id = excerptId(sourceId, sel.start, sel.end);
    rows.set(id, { id, sourceId, ...sel });
  });
  return [...rows.values()];
}

/** Shape checks of excerpts that need no text. */
function checkExcerptShapes(excerpts: readonly ExcerptArgs[]): void {
  if (excerpts.length < 1 || excerpts.length > MAX_EXCERPTS) {
    throw badInput(`give 1 to ${MAX_EXCERPTS} excerpts`, ['input', 'excerpts']);
  }
  excerpts.forEach((e, i) => {
    const p: Path = ['input', 'excerpts', i];
    const hasStart = e.start != null;
    const hasEnd = e.end != null;
    if (hasStart !== hasEnd) {
      throw badInput(`${at(p)}: give both start and end, or neither`, [...p, hasStart ? 'end' : 'start']);
    }
    if (e.quote == null && !hasStart) {
      throw badInput(`${at(p)}: give the quote, its start and end offsets, or both`, p);
    }
    if (e.quote != null && !e.quote.trim()) throw badInput(`${at(p)}: the quote is empty`, [...p, 'quote']);
    if (e.quote != null && codePointLength(e.quote) > MAX_QUOTE_CODE_POINTS) {
      throw badInput(`${at(p)}: a quote is at most ${MAX_QUOTE_CODE_POINTS} characters`, [...p, 'quote']);
    }
    if (hasStart) {
      if (e.start! < 0) throw badInput(`${at(p)}: start must be 0 or more`, [...p, 'start']);
      if (e.end! <= e.start!) throw badInput(`${at(p)}: end must be after start`, [...p, 'end']);
    }
  });
}

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
  ): Promise<{ source: SourceRecord; created: boolean }> {
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
    };

    const result = await this.mutate('ingestSource', input, idempotencyKey, async (tx) => {
      if (row.publisherId) {
        actorAt(await store.findNodes(tx, [row.publisherId]), row.publisherId, ['input', 'publisherId']);
      }
      const merged = await store.mergeSource(tx, row);
      if (!merged.created && !this.visible(merged.sensitivity)) {
        throw new AppError(ErrorCode.CONFLICT, 'This text is already stored, in a source you cannot see', {
          inputPath: ['input', 'text'],
        });
      }
      // The audit keeps the text's hash and length, not 5 MB of text.
      const { text: _text, ...after } = row;
      const changes: Change[] = merged.created ? [{ id: merged.id, before: null, after }] : [];
      return { result: { id: merged.id, created: merged.created }, affectedIds: [merged.id], changes };
    });
    return { source: await this.records.source(result.id), created: result.created };
  }

  async recordClaim(input: RecordClaimArgs, idempotencyKey?: Maybe<string>): Promise<ClaimRecord> {
    requireRole(this.viewer, 'analyst', 'Recording claims');
    assertWellFormed(input, ['input']);
    checkId(input.subjectId, ['input', 'subjectId']);
    checkId(input.sourceId, ['input', 'sourceId']);
    const meta = parse(
      ClaimMeta,
      defined({ summary: input.summary, fact: input.fact, confidence: input.confidence }),
      ['input'],
    );
    checkExcerptShapes(input.excerpts);
    const asserted = [input.relation, input.figure, input.attribute].filter((x) => x != null).length;
    if (asserted > 1) {
      throw badInput('a claim asserts at most one of relation, figure or attribute', ['input']);
    }
    const attributedTo = [...(input.attributedTo ?? [])];
    if (attributedTo.length > MAX_ATTRIBUTION) {
      throw badInput(`at most ${MAX_ATTRIBUTION} attribution hops`, ['input', 'attributedTo']);
    }
    attributedTo.forEach((id, i) => checkId(id, ['input', 'attributedTo', i]));
    const relation = input.relation;
    if (relation) checkId(relation.objectId, ['input', 'relation', 'objectId']);
    const sensitivity = this.sensitivity(input.sensitivity);

    const claimId = `cl-${randomUUID()}`;
    let figure: Omit<FigureRow, 'id' | 'claimId' | 'subjectId' | 'sensitivity'> | null = null;
    if (input.figure) {
      const p: Path = ['input', 'figure'];
      const f = input.figure;
      const m = parse(
        FigureMeta,
        defined({
          measure: f.measure,
          value: f.value,
          min: f.min,
          max: f.max,
          qualifier: f.qualifier ?? 'exact',
          unit: f.unit,
          subgroup: f.subgroup,
          text: f.text,
        }),
        p,
      );
      if (m.value == null && m.min == null && m.max == null)
        throw badInput('give a value, or min and/or max', p);
      if (m.min != null && m.max != null && m.min > m.max) {
        throw badInput(`min ${m.min} is above max ${m.max}`, [...p, 'min']);
      }
      figure = {
        measure: m.measure,
        value: m.value ?? null,
        min: m.min ?? null,
        max: m.max ?? null,
        qualifier: m.qualifier,
        unit: m.unit,
        subgroup: m.subgroup ?? null,
        text: m.text ?? null,
        periodStart: fuzzy(f.periodStart, [...p, 'periodStart']),
        periodEnd: fuzzy(f.periodEnd, [...p, 'periodEnd']),
        asOf: fuzzy(f.asOf, [...p, 'asOf']),
        shareOfId: null,
        duringId: null,
      };
    }
    let attribute: { property: string; value: unknown } | null = null;
    if (input.attribute) {
      const p: Path = ['input', 'attribute'];
      const a = input.attribute;
      const property = parse(AttributeValue.shape.property, a.property, [...p, 'property']);
      if ((a.value == null) === (a.date == null)) throw badInput('give exactly one of value or date', p);
      if (a.value != null && (!a.value.trim() || a.value.length > 5000)) {
        throw badInput('value must be 1 to 5000 characters', [...p, 'value']);
      }
      attribute = { property, value: a.value ?? fuzzy(a.date, [...p, 'date']) };
    }

    const result = await this.mutate('recordClaim', input, idempotencyKey, async (tx) => {
      const ids = [input.subjectId, ...attributedTo, ...(relation ? [relation.objectId] : [])];
      const found = await store.findNodes(tx, ids);
      const subjectKind = entityAt(found, input.subjectId, ['input', 'subjectId']);
      if (relation) {
        const objectKind = entityAt(found, relation.objectId, ['input', 'relation', 'objectId']);
        if (relation.objectId === input.subjectId) {
          throw badInput('an entity cannot be related to itself', ['input', 'relation', 'objectId']);
        }
        checkRelation(relation.type as RelationType, relation.role, subjectKind, objectKind, [
          'input',
          'relation',
        ]);
      }
      attributedTo.forEach((id, i) => actorAt(found, id, ['input', 'attributedTo', i]));
      const text = await store.sourceText(tx, input.sourceId);
      if (text === null) throw notFoundAt('Source', input.sourceId, ['input', 'sourceId']);
      const excerpts = resolveExcerpts(input.sourceId, text, input.excerpts);

      const base = {
        id: claimId,
        fact: meta.fact ?? null,
        subjectId: input.subjectId,
        summary: meta.summary,
        status: 'asserted',
        confidence: meta.confidence ?? null,
        sensitivity,
        recordedBy: actorLabel(this.viewer),
        recordedAt: new Date().toISOString(),
        excerptIds: excerpts.map((e) => e.id),
        attributedTo,
      };
      let claim: ClaimRow;
      let figureRow: FigureRow | null = null;
      let relationRow: RelationRow | null = null;
      if (relation) {
        const role = relation.role ?? null;
        claim = { ...base, ...relationClaimValue(relation.type, relation.objectId, role) };
        relationRow = {
          id: relationId(relation.type, input.subjectId, relation.objectId, role),
          type: relation.type as RelationType,
          fromId: input.subjectId,
          toId: relation.objectId,
          role,
          claimIds: [claimId],
        };
      } else if (figure) {
        figureRow = {
          ...figure,
          id: figureIdOf(claimId),
          claimId,
          subjectId: input.subjectId,
          sensitivity,
        };
        claim = { ...base, ...figureClaimValue(figureRow) };
      } else if (attribute) {
        claim = { ...base, ...attributeClaimValue(attribute.property, attribute.value) };
      } else {
        claim = { ...base, ...statementClaimValue() };
      }

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
      changes.push({ id: claimId, before: null, after: { ...claimAfter, sourceId: input.sourceId } });
      const affectedIds = [claimId, input.subjectId, ...excerpts.map((e) => e.id)];
      if (figureRow) {
        await store.insertFigure(tx, figureRow);
        const { id, ...after } = figureRow;
        changes.push({ id, before: null, after });
        affectedIds.push(id);
      }
      if (relationRow) {
        const merged = await store.mergeRelation(tx, relationRow);
        if (!merged) throw notFoundAt('Entity', relation!.objectId, ['input', 'relation', 'objectId']);
        changes.push(relationChange(relationRow, merged));
        affectedIds.push(relationRow.id);
      }
      return { result: { id: claimId }, affectedIds, changes };
    });
    return this.claim(result.id);
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
      };
      if (given('type')) checkType(next.kind, next.type, ['patch', 'type']);
      if (given('date') || given('endDate')) checkDates(next.kind, next.date, next.endDate, ['patch']);
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
    const type = input.type as RelationType;
    const role = input.role ?? null;

    const result = await this.mutate('linkEntities', input, idempotencyKey, async (tx) => {
      const found = await store.findNodes(tx, [input.fromId, input.toId, ...claimIds]);
      const fromKind = entityAt(found, input.fromId, ['input', 'fromId']);
      const toKind = entityAt(found, input.toId, ['input', 'toId']);
      checkRelation(type, role, fromKind, toKind, ['input']);
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
      const row: RelationRow = {
        id: relationId(type, input.fromId, input.toId, role),
        type,
        fromId: input.fromId,
        toId: input.toId,
        role,
        claimIds,
      };
      const merged = await store.mergeRelation(tx, row);
      if (!merged) throw notFoundAt('Entity', input.fromId, ['input', 'fromId']);
      const relation: RelationRecord = { ...row, claimIds: merged.claimIds };
      return { result: relation, affectedIds: [row.id], changes: [relationChange(row, merged)] };
    });
    return result;
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

function relationChange(row: RelationRow, merged: { before: string[] | null; claimIds: string[] }): Change {
  const after = {
    type: row.type,
    fromId: row.fromId,
    toId: row.toId,
    role: row.role,
    claimIds: merged.claimIds,
  };
  return { id: row.id, before: merged.before ? { claimIds: merged.before } : null, after };
}
