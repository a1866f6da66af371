import { z } from 'zod';
import type {
  CreateEntityInput,
  EntityPatch,
  ExcerptInput,
  FuzzyDateInput as FuzzyDateInputArg,
  IngestSourceInput,
  LinkEntitiesInput,
  RecordClaimInput,
} from '../generated/graphql.js';
import { INPUT_LIMITS } from '../limits.js';
import { AppError, badInput, checkId, ErrorCode } from '../errors.js';
import type { FoundNode } from '../graph/stores/write.js';
import {
  ActorInput,
  Alias,
  AttributeValue,
  AttributionHop,
  ClaimInput,
  ExternalIdentifier,
  FigureValue,
  RelationValue,
  SourceInput,
} from '../io/bundle/schema.js';
import { ACTOR_TYPES, EVENT_TYPES, PLACE_TYPES } from '../model/enums.js';
import { FuzzyDateInput, normalizeFuzzyDate, periodProblem, type FuzzyDate } from '../model/fuzzy-date.js';
import {
  facilityKindProblem,
  relationProblems,
  type EntityKind,
  type RelationType,
} from '../model/graph-model.js';
import { excerptId, figureIdOf } from '../model/ids.js';
import { locateQuote } from '../model/quotes.js';
import type { EntityRow, ExcerptRow, FigureRow } from '../model/rows.js';
import { codePointLength, codePoints, isWellFormed, selectorAt } from '../model/text.js';

/**
 * The write API's arguments and how they are checked: shapes, sizes and vocabularies with zod (the
 * bundle format's own schemas, so a mutation and a bundle accept the same values), refused with the
 * offending input path. Pure: nothing here reads the graph; services/write.ts checks what needs it.
 */

export const DEFAULT_MAX_SOURCE_BYTES = 5 * 1024 * 1024;
/** Ids longer than this cannot be ours; refused before they reach the database. */
export const MAX_EXCERPTS = INPUT_LIMITS.excerpts;
export const MAX_ATTRIBUTION = INPUT_LIMITS.attribution;
export const MAX_LINK_CLAIMS = INPUT_LIMITS.linkClaims;
export const MAX_ALIASES = INPUT_LIMITS.aliases;
export const MAX_IDENTIFIERS = INPUT_LIMITS.identifiers;
export const MAX_QUOTE_CODE_POINTS = INPUT_LIMITS.quoteCodePoints;
export const MAX_REASON = INPUT_LIMITS.note;

export interface WriteOptions {
  /** Largest source text accepted, in bytes of UTF-8 (default 5 MB). */
  maxSourceBytes?: number;
}

export type Maybe<T> = T | null | undefined;
export type Path = (string | number)[];

/*
 * The write API's arguments are the GraphQL inputs of schema/write.graphql, as codegen types them: one
 * declaration (the SDL), checked here with the bundle format's zod schemas.
 */
export type FuzzyDateArgs = FuzzyDateInputArg;
export type IngestSourceArgs = IngestSourceInput;
export type ExcerptArgs = ExcerptInput;
export type RecordClaimArgs = RecordClaimInput;
export type CreateEntityArgs = CreateEntityInput;
export type EntityPatchArgs = EntityPatch;
export type LinkEntitiesArgs = LinkEntitiesInput;

export const KIND_OF: Record<CreateEntityArgs['kind'], EntityKind> = {
  EVENT: 'Event',
  ACTOR: 'Actor',
  PLACE: 'Place',
};
export const ID_PREFIX: Record<EntityKind, string> = { Event: 'ev-', Actor: 'ac-', Place: 'pl-' };
export const TYPES: Record<EntityKind, readonly string[]> = {
  Event: EVENT_TYPES,
  Actor: ACTOR_TYPES,
  Place: PLACE_TYPES,
};
export const ENTITY_KINDS = new Set<string>(['Event', 'Actor', 'Place']);

// Field rules shared with the bundle format, so the two ways in accept the same values.
export const Lang = Alias.shape.lang;
export const SourceMeta = z.object({
  title: SourceInput.shape.title,
  language: Lang,
  url: SourceInput.shape.url,
  retrievedAt: SourceInput.shape.retrievedAt,
  notes: SourceInput.shape.notes,
});
export const ClaimMeta = z.object({
  summary: ClaimInput.shape.summary,
  fact: ClaimInput.shape.fact,
  confidence: ClaimInput.shape.confidence,
});
export const FigureMeta = FigureValue.omit({
  periodStart: true,
  periodEnd: true,
  asOf: true,
  shareOf: true,
  during: true,
  sensitivity: true,
});
export const EntityMeta = z.object({
  name: ActorInput.shape.name,
  lang: Lang,
  description: ActorInput.shape.description,
  aliases: z.array(Alias).max(MAX_ALIASES),
  identifiers: z.array(ExternalIdentifier).max(MAX_IDENTIFIERS),
});
export const Reason = z.string().trim().min(1, 'give a reason').max(MAX_REASON);

export const at = (path: Path) => path.join('.');

/** Parses with a zod schema; the first problem becomes BAD_USER_INPUT at its path (all are listed). */
export function parse<S extends z.ZodType>(schema: S, value: unknown, path: Path): z.output<S> {
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
export function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}

/** Strings that cannot be encoded as UTF-8 would be silently altered by the database: refused. */
export function assertWellFormed(value: unknown, path: Path): void {
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

export function notFoundAt(what: string, id: string, path: Path): AppError {
  return new AppError(ErrorCode.NOT_FOUND, `${what} ${JSON.stringify(id)} does not exist`, {
    id,
    inputPath: path,
  });
}

export function fuzzy(input: Maybe<FuzzyDateArgs>, path: Path): FuzzyDate | null {
  if (!input) return null;
  const parsed = parse(FuzzyDateInput, defined(input), path);
  const { date, problems } = normalizeFuzzyDate(parsed);
  if (!date) throw badInput(`${at(path)}: ${problems.join('; ')}`, path, { problems });
  return date;
}

export function entityAt(found: Map<string, FoundNode>, id: string, path: Path): EntityKind {
  const n = found.get(id);
  if (!n) throw notFoundAt('Entity', id, path);
  if (!ENTITY_KINDS.has(n.kind)) {
    throw badInput(`${at(path)}: ${id} is a ${n.kind}, not an event, actor or place`, path);
  }
  return n.kind as EntityKind;
}

export function actorAt(found: Map<string, FoundNode>, id: string, path: Path): void {
  const n = found.get(id);
  if (!n) throw notFoundAt('Actor', id, path);
  if (n.kind !== 'Actor') throw badInput(`${at(path)}: ${id} is a ${n.kind}, not an actor`, path);
}

export function checkRelation(
  type: RelationType,
  role: Maybe<string>,
  fromKind: EntityKind,
  toKind: EntityKind,
  path: Path,
  more: { position?: string | null; fromType?: string | null; toType?: string | null } = {},
): void {
  const [problem] = relationProblems(type, fromKind, toKind, role, {
    position: more.position,
    fromType: more.fromType ?? undefined,
    toType: more.toType ?? undefined,
  });
  if (!problem) return;
  const where = [...path, problem.field];
  // The kinds are the caller's own records: say where, as the other messages of a whole input do.
  throw badInput(problem.field === 'type' ? `${at(where)}: ${problem.message}` : problem.message, where);
}

/** A facility kind only on a place of type facility (model/graph-model.ts facilityKindProblem). */
export function checkFacilityKind(
  kind: EntityKind,
  type: string,
  facilityKind: Maybe<string>,
  path: Path,
): void {
  const problem = facilityKindProblem(kind, type, facilityKind);
  if (problem) throw badInput(`${at(path)}: ${problem}`, path);
}

export function checkType(kind: EntityKind, type: string, path: Path): void {
  if (!TYPES[kind].includes(type)) {
    throw badInput(`${at(path)}: an ${kind.toLowerCase()} type is one of ${TYPES[kind].join(', ')}`, path);
  }
}

export function checkDates(
  kind: EntityKind,
  date: FuzzyDate | null,
  endDate: FuzzyDate | null,
  path: Path,
): void {
  if (kind !== 'Event' && (date || endDate)) {
    throw badInput('only events have dates', [...path, date ? 'date' : 'endDate']);
  }
  if (date?.earliest && endDate?.latest && endDate.latest < date.earliest) {
    throw badInput(`ends (${endDate.latest}) before it starts (${date.earliest})`, [...path, 'endDate']);
  }
}

/** The entity as its audit record shows it. */
export function entityView(e: EntityRow): Record<string, unknown> {
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
    ...(e.facilityKind ? { facilityKind: e.facilityKind } : {}),
  };
}

/** Where each excerpt sits in the stored text, verified; refused with the bundle loader's codes. */
export function resolveExcerpts(
  sourceId: string,
  text: string,
  excerpts: readonly ExcerptArgs[],
  pathOf: (i: number) => Path = (i) => ['input', 'excerpts', i],
): ExcerptRow[] {
  const points = codePoints(text);
  const rows = new Map<string, ExcerptRow>();
  excerpts.forEach((e, i) => {
    const p = pathOf(i);
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
export function checkExcerptShapes(excerpts: readonly ExcerptArgs[]): void {
  if (excerpts.length < 1 || excerpts.length > MAX_EXCERPTS) {
    throw badInput(`give 1 to ${MAX_EXCERPTS} excerpts`, ['input', 'excerpts']);
  }
  excerpts.forEach((e, i) => checkExcerptShape(e, ['input', 'excerpts', i]));
}

/** Shape checks of one excerpt at input path `p`. */
function checkExcerptShape(e: ExcerptArgs, p: Path): void {
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
}

/** A relation claim's relationship, checked as far as it can be without the graph. */
export interface CheckedRelation {
  type: RelationType;
  objectId: string;
  role: string | null;
  /** The post held, trimmed (MEMBER_OF, COMMANDS); null when none. */
  position: string | null;
  periodStart: FuzzyDate | null;
  periodEnd: FuzzyDate | null;
}

/** A position as given (trimmed, 1 to 300 characters), or null; the bundle format's rule. */
export function checkPosition(position: Maybe<string>, path: Path): string | null {
  if (position == null) return null;
  return parse(RelationValue.shape.position.unwrap().unwrap(), position, path);
}

/** A period's ends: each a fuzzy date, and the start not after the end. */
export function checkPeriod(
  start: Maybe<FuzzyDateArgs>,
  end: Maybe<FuzzyDateArgs>,
  path: Path,
): { periodStart: FuzzyDate | null; periodEnd: FuzzyDate | null } {
  const periodStart = fuzzy(start, [...path, 'periodStart']);
  const periodEnd = fuzzy(end, [...path, 'periodEnd']);
  const problem = periodProblem(periodStart, periodEnd);
  if (problem) throw badInput(`${at([...path, 'periodEnd'])}: ${problem}`, [...path, 'periodEnd']);
  return { periodStart, periodEnd };
}

/** A recordClaim input, checked as far as it can be without the graph. */
export interface CheckedClaim {
  meta: z.output<typeof ClaimMeta>;
  relation: CheckedRelation | null;
  figure: Omit<FigureRow, 'id' | 'claimId' | 'subjectId' | 'sensitivity'> | null;
  attribute: { property: string; value: unknown } | null;
  attributedTo: string[];
  /** Each hop's capacity and words, in attributedTo's order; the input path of each hop's actor id. */
  hops: { capacity: string | null; excerpt: ExcerptArgs | null; path: Path }[];
  /** Whether the input gave `attribution` (hop detail) rather than `attributedTo`. */
  detailed: boolean;
}

/** The attribution chain of a recordClaim input: attributedTo, or attribution with detail (not both). */
function checkAttribution(input: RecordClaimArgs): Pick<CheckedClaim, 'attributedTo' | 'hops' | 'detailed'> {
  const detailed = input.attribution != null;
  if (detailed && input.attributedTo != null) {
    throw badInput('give attribution or attributedTo, not both', ['input', 'attribution']);
  }
  const key = detailed ? 'attribution' : 'attributedTo';
  const given = input.attribution ?? (input.attributedTo ?? []).map((actorId) => ({ actorId }));
  if (given.length > MAX_ATTRIBUTION) {
    throw badInput(`at most ${MAX_ATTRIBUTION} attribution hops`, ['input', key]);
  }
  const hops = given.map(
    (h: { actorId: string; capacity?: string | null; excerpt?: ExcerptArgs | null }, i) => {
      const p: Path = ['input', key, i];
      const path: Path = detailed ? [...p, 'actorId'] : p;
      checkId(h.actorId, path);
      const capacity =
        h.capacity == null ? null : parse(AttributionHop.shape.capacity, h.capacity, [...p, 'capacity']);
      if (h.excerpt) checkExcerptShape(h.excerpt, [...p, 'excerpt']);
      return { capacity: capacity ?? null, excerpt: h.excerpt ?? null, path };
    },
  );
  return { attributedTo: given.map((h) => h.actorId), hops, detailed };
}

/**
 * Checks a recordClaim input before any database work: shapes, sizes, one assertion at most. `between`
 * runs after the ids and before the assertion's values (the caller's sensitivity check, in the order the
 * API has always refused in).
 */
export function checkClaimInput(input: RecordClaimArgs, between: () => void = () => {}): CheckedClaim {
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
  const attribution = checkAttribution(input);
  if (input.relation) checkId(input.relation.objectId, ['input', 'relation', 'objectId']);
  between();
  let relation: CheckedRelation | null = null;
  if (input.relation) {
    const p: Path = ['input', 'relation'];
    const r = input.relation;
    relation = {
      type: r.type as RelationType,
      objectId: r.objectId,
      role: r.role ?? null,
      position: checkPosition(r.position, [...p, 'position']),
      ...checkPeriod(r.periodStart, r.periodEnd, p),
    };
  }

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
        duration: f.duration,
        sex: f.sex,
        ageGroup: f.ageGroup,
        category: f.category,
      }),
      p,
    );
    if (f.shareOfClaimId != null) checkId(f.shareOfClaimId, [...p, 'shareOfClaimId']);
    if (f.duringId != null) checkId(f.duringId, [...p, 'duringId']);
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
      duration: m.duration ?? null,
      sex: m.sex ?? null,
      ageGroup: m.ageGroup ?? null,
      category: m.category ?? null,
      periodStart: fuzzy(f.periodStart, [...p, 'periodStart']),
      periodEnd: fuzzy(f.periodEnd, [...p, 'periodEnd']),
      asOf: fuzzy(f.asOf, [...p, 'asOf']),
      // Checked against the graph by services/write.ts (claimEvidence), in the transaction.
      shareOfId: f.shareOfClaimId ? figureIdOf(f.shareOfClaimId) : null,
      duringId: f.duringId ?? null,
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

  return { meta, relation, figure, attribute, ...attribution };
}
