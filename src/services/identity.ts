import { INPUT_LIMITS } from '../limits.js';
import { randomUUID } from 'node:crypto';
import { actorLabel, type Viewer } from '../model/access.js';
import { AppError, badInput, checkId, ErrorCode, requireRole } from '../errors.js';
import type { Executor } from '../graph/executor.js';
import { runMutation } from '../graph/mutation.js';
import type { EntityRecord } from '../graph/records.js';
import * as store from '../graph/stores/identity.js';
import type { PlaceRef, PriorJudgement, StoredJudgement } from '../graph/stores/identity.js';
import { IDENTIFIER_SCHEMES } from '../model/enums.js';
import { identifierKey } from '../model/identifiers.js';
import type { FuzzyDate } from '../model/fuzzy-date.js';
import { compareNames, isArabic, normalizeName, transliterate } from '../model/names.js';
import { pageSize } from './pagination.js';
import type { RecordsService } from './records.js';

/**
 * Identity use cases: an entity by external identifier, candidates that may be the same entity under
 * another name (retrieved in one statement, scored here), and analysts' same-as judgements. A judgement
 * is a (a)-[:SAME_AS {judgement, by, at, note}]->(b) link written through runMutation (audited); unlike
 * the links admin merges write, it has no mergeId and merges nothing.
 */

const MAX_NOTE = INPUT_LIMITS.note;
const MAX_IDENTIFIER = INPUT_LIMITS.identifierValue;
const CANDIDATES_PAGE = { default: 10, max: 50 };
/** How many candidates the statement hands over for scoring, and how many full-text hits it asks for. */
const POOL = 200;
const TEXT_LIMIT = 100;

/** API judgement ↔ the judgement stored on SAME_AS links (the vocabulary admin merges also use). */
export const STORED_JUDGEMENT = { same: 'positive', not_same: 'negative', unsure: 'unsure' } as const;
export type MatchJudgement = keyof typeof STORED_JUDGEMENT;
const API_JUDGEMENT: Record<string, MatchJudgement> = {
  positive: 'same',
  negative: 'not_same',
  unsure: 'unsure',
};

/** How the score is made: the names weigh most; the rest corroborates or contradicts. */
export const WEIGHTS = {
  name: 0.7,
  /** A name found only by the full-text index (shared indexed words the keys do not show). */
  textOnlyName: 0.3,
  identifier: 0.3,
  sameType: 0.1,
  datesOverlap: 0.1,
  datesDisjoint: -0.25,
  sharedPlace: 0.1,
} as const;

/** An entity with what matching compares: its record (names, type, dates, identifiers) and places. */
export interface MatchSubject {
  entity: EntityRecord;
  places: PlaceRef[];
}

export interface MatchCandidateOut {
  entity: EntityRecord;
  score: number;
  reasons: string[];
}

export interface SameAsJudgementOut {
  id: string;
  entityId: string;
  candidateId: string;
  entity: EntityRecord | null;
  candidate: EntityRecord | null;
  judgement: MatchJudgement;
  by: string;
  at: string;
  note: string | null;
  mergeId: string | null;
  undoneAt: string | null;
  nextStep: string | null;
}

const quoted = (name: string) => (isArabic(name) ? `"${name}" (${transliterate(name)})` : `"${name}"`);
const namesOf = (e: EntityRecord) => [e.name, ...e.aliases.map((a) => a.value)];
const identifierKeysOf = (e: EntityRecord) => e.identifiers.map((i) => identifierKey(i.scheme, i.value));

/** The days an event may cover: from its date's earliest to its end date's (or date's) latest. */
function span(e: EntityRecord): { from: string | null; to: string | null; text: string } | null {
  const from = e.date?.earliest ?? null;
  const to = e.endDate?.latest ?? e.date?.latest ?? null;
  if (!from && !to) return null;
  // The value as the source dates it, else its bounds (the source's own wording can be a sentence).
  const show = (d: FuzzyDate | null) => d?.value ?? `${d?.earliest ?? '…'}..${d?.latest ?? '…'}`;
  const text = e.endDate ? `${show(e.date)} – ${show(e.endDate)}` : show(e.date);
  return { from, to, text };
}

/** Open bounds overlap everything; ISO days compare as strings. */
function overlaps(
  a: { from: string | null; to: string | null },
  b: { from: string | null; to: string | null },
) {
  return !(
    (a.to !== null && b.from !== null && a.to < b.from) ||
    (b.to !== null && a.from !== null && b.to < a.from)
  );
}

/**
 * Scores a candidate against the entity (pure; the statement decided it is a candidate at all). Kind is
 * already the same. Returns null when nothing speaks for it.
 */
export function scoreCandidate(
  subject: MatchSubject,
  candidate: MatchSubject,
  found: { textScore?: number; judged?: PriorJudgement | null } = {},
): { score: number; reasons: string[] } | null {
  const reasons: string[] = [];
  let score = 0;

  let best: { a: string; b: string; score: number; how: string } | null = null;
  for (const a of namesOf(subject.entity)) {
    for (const b of namesOf(candidate.entity)) {
      const m = compareNames(a, b);
      if (m.score > (best?.score ?? 0) || (best && m.score === best.score && m.how === 'identical')) {
        best = { a, b, ...m };
      }
    }
  }
  if (best) {
    score += WEIGHTS.name * best.score;
    const pair = `${quoted(best.a)} ~ ${quoted(best.b)}`;
    if (best.how === 'identical') reasons.push(`same name: "${best.b}"`);
    else if (best.how === 'normalised')
      reasons.push(`name ${quoted(best.a)} matches ${quoted(best.b)} (normalised: ${normalizeName(best.a)})`);
    else if (best.how === 'equivalent')
      reasons.push(`known names of one actor: ${quoted(best.a)} and ${quoted(best.b)}`);
    else if (best.how === 'words') reasons.push(`names share words: ${pair}`);
    else reasons.push(`similar names: ${pair}`);
  } else if ((found.textScore ?? 0) > 0) {
    score += WEIGHTS.name * WEIGHTS.textOnlyName;
    reasons.push('names share indexed words (full-text match)');
  }

  const shared = identifierKeysOf(subject.entity).filter((k) =>
    identifierKeysOf(candidate.entity).includes(k),
  );
  if (shared.length) {
    score += WEIGHTS.identifier;
    reasons.push(`same identifier: ${shared.join(', ')}`);
  }
  if (!best && !shared.length && !(found.textScore ?? 0)) return null;

  if (subject.entity.type === candidate.entity.type) {
    score += WEIGHTS.sameType;
    reasons.push(`same type: ${candidate.entity.type}`);
  }

  const sa = span(subject.entity);
  const sb = span(candidate.entity);
  if (sa && sb) {
    if (overlaps(sa, sb)) {
      score += WEIGHTS.datesOverlap;
      reasons.push(`dates overlap: ${sa.text} and ${sb.text}`);
    } else {
      score += WEIGHTS.datesDisjoint;
      reasons.push(`dates do not overlap: ${sa.text} and ${sb.text}`);
    }
  }

  const candidatePlaces = new Set(candidate.places.map((p) => p.id));
  const common = subject.places.filter((p) => candidatePlaces.has(p.id));
  if (common.length) {
    score += WEIGHTS.sharedPlace;
    reasons.push(`shared place: ${common.map((p) => p.name).join(', ')}`);
  }

  if (found.judged && found.judged.judgement !== 'negative') {
    reasons.push(
      `judged ${API_JUDGEMENT[found.judged.judgement] ?? found.judged.judgement} by ${found.judged.by} at ${found.judged.at}`,
    );
  }
  return { score: Math.round(Math.min(1, Math.max(0, score)) * 1000) / 1000, reasons };
}

function nextStep(j: Omit<SameAsJudgementOut, 'nextStep'>): string | null {
  if (j.mergeId) {
    return j.undoneAt
      ? `Recorded by merge ${j.mergeId}, which was undone at ${j.undoneAt}.`
      : `Recorded by merge ${j.mergeId}: ${j.entityId} was merged into ${j.candidateId}.`;
  }
  if (j.judgement === 'same') {
    return (
      `Recorded only: ${j.entityId} and ${j.candidateId} stay separate entities. Merging is for admins: ` +
      'mergeEntities(keepId, mergeId, note) merges them, and unmergeEntities undoes it.'
    );
  }
  if (j.judgement === 'not_same') {
    return `matchCandidates no longer proposes this pair, unless it is judged again.`;
  }
  return 'Recorded; matchCandidates still proposes this pair.';
}

/** A stored same-as link as the API shows it: the API's judgement, and what to do next. */
function toJudgement(stored: StoredJudgement): SameAsJudgementOut {
  const j = { ...stored, judgement: API_JUDGEMENT[stored.judgement] ?? 'unsure' };
  return { ...j, nextStep: nextStep(j) };
}

export class IdentityService {
  constructor(
    private readonly executor: Executor,
    private readonly records: RecordsService,
    private readonly viewer: Viewer,
    private readonly requestId?: string,
  ) {}

  async entityByIdentifier(scheme: string, value: string): Promise<EntityRecord | null> {
    if (!(IDENTIFIER_SCHEMES as readonly string[]).includes(scheme)) {
      throw badInput(`scheme must be one of ${IDENTIFIER_SCHEMES.join(', ')}`, ['scheme']);
    }
    const trimmed = value.trim();
    if (!trimmed || trimmed.length > MAX_IDENTIFIER) {
      throw badInput(`value must be 1 to ${MAX_IDENTIFIER} characters`, ['value']);
    }
    const entity = await store.entityByIdentifier(this.executor, identifierKey(scheme, trimmed));
    this.records.primeNodes([entity]);
    return entity;
  }

  async matchCandidates(id: string, first?: number | null): Promise<MatchCandidateOut[]> {
    checkId(id, ['id']);
    const n = pageSize(first, CANDIDATES_PAGE);
    const found = await store.matchCandidates(this.executor, id, { textLimit: TEXT_LIMIT, pool: POOL });
    if (!found)
      throw new AppError(ErrorCode.NOT_FOUND, `Entity ${JSON.stringify(id)} does not exist`, { id });
    const subject: MatchSubject = { entity: found.entity, places: found.places };
    const scored: MatchCandidateOut[] = [];
    for (const c of found.candidates) {
      const result = scoreCandidate(
        subject,
        { entity: c.entity, places: c.places },
        { textScore: c.textScore, judged: c.judged },
      );
      // Nothing left in favour (e.g. a shared word, but dates that exclude each other): not a candidate.
      if (result && result.score > 0) scored.push({ entity: c.entity, ...result });
    }
    scored.sort((a, b) => b.score - a.score || (a.entity.id < b.entity.id ? -1 : 1));
    const page = scored.slice(0, n);
    this.records.primeNodes(page.map((c) => c.entity));
    return page;
  }

  async judgements(id: string): Promise<SameAsJudgementOut[]> {
    checkId(id, ['id']);
    const stored = await store.judgementsOf(this.executor, id);
    if (!stored)
      throw new AppError(ErrorCode.NOT_FOUND, `Entity ${JSON.stringify(id)} does not exist`, { id });
    const out = stored.map(toJudgement);
    this.records.primeNodes(out.flatMap((j) => [j.entity, j.candidate]));
    return out;
  }

  async judge(args: {
    id: string;
    candidateId: string;
    judgement: MatchJudgement;
    note?: string | null;
    idempotencyKey?: string | null;
  }): Promise<SameAsJudgementOut> {
    requireRole(this.viewer, 'analyst', 'Judging matches');
    checkId(args.id, ['id']);
    checkId(args.candidateId, ['candidateId']);
    if (args.id === args.candidateId) throw badInput('candidateId must differ from id', ['candidateId']);
    const stored = STORED_JUDGEMENT[args.judgement];
    if (!stored) throw badInput('judgement must be same, not_same or unsure', ['judgement']);
    const note = args.note?.trim() || null;
    if (note && note.length > MAX_NOTE)
      throw badInput(`note must be at most ${MAX_NOTE} characters`, ['note']);
    const { id, candidateId } = args;
    const { result } = await runMutation(
      this.executor,
      {
        operation: 'judgeMatch',
        viewer: this.viewer,
        input: { id, candidateId, judgement: args.judgement, note },
        idempotencyKey: args.idempotencyKey,
        requestId: this.requestId,
      },
      async (tx) => {
        const ends = await store.judgementEnds(tx, id, candidateId);
        const kindOf = (eid: string, argPath: string): string => {
          const end = ends.find((r) => r.id === eid);
          if (end?.kind) return end.kind;
          if (end?.mergedInto) {
            throw new AppError(
              ErrorCode.CONFLICT,
              `${argPath} ${JSON.stringify(eid)} was merged into ${end.mergedInto}; judge that one`,
              { inputPath: [argPath], mergedInto: end.mergedInto },
            );
          }
          throw new AppError(ErrorCode.NOT_FOUND, `${argPath}: no entity ${JSON.stringify(eid)}`, {
            inputPath: [argPath],
            id: eid,
          });
        };
        const kind = kindOf(id, 'id');
        const otherKind = kindOf(candidateId, 'candidateId');
        if (kind !== otherKind) {
          throw badInput(
            `Only entities of one kind can be the same: ${id} is an ${kind}, ${candidateId} an ${otherKind}`,
            ['candidateId'],
          );
        }
        const sid = `sameas-${randomUUID()}`;
        const recorded = await store.recordJudgement(tx, {
          id,
          candidateId,
          sid,
          judgement: stored,
          by: actorLabel(this.viewer),
          keyId: this.viewer.keyId,
          note,
        });
        // Entities are re-read after the commit (a replayed request returns this without them).
        const { entity: _e, candidate: _c, ...plain } = toJudgement(recorded);
        return {
          result: plain,
          affectedIds: [id, candidateId, sid],
          changes: [{ id: sid, before: null, after: { from: id, to: candidateId, judgement: stored, note } }],
        };
      },
    );
    const [entity, candidate] = await Promise.all([this.entityOrNull(id), this.entityOrNull(candidateId)]);
    return { ...result, entity, candidate };
  }

  private async entityOrNull(id: string): Promise<EntityRecord | null> {
    const n = await this.records.node(id);
    return n && (n.__kind === 'Event' || n.__kind === 'Actor' || n.__kind === 'Place') ? n : null;
  }
}
