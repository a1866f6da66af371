import DataLoader from 'dataloader';
import { AppError, badInput, ErrorCode } from '../errors.js';
import type { Executor } from '../graph/executor.js';
import { createLoaders, type Loaders } from '../graph/loaders.js';
import type {
  ClaimDetails,
  ClaimList,
  ClaimRecord,
  EntityRecord,
  ExcerptRecord,
  FigureRecord,
  NodeRecord,
  RelationRecord,
  SourceRecord,
} from '../graph/records.js';
import * as store from '../graph/stores/records.js';
import { RELATION_LIST, TEXT_LIMITS } from '../limits.js';
import { pageSize } from './pagination.js';
import { earliestOf, latestOf, type FuzzyDate } from '../model/fuzzy-date.js';

const NODES_MAX = { default: 100, max: 100 };

/**
 * Read use cases behind the GraphQL types: follow entity → claim → excerpt → source, figures and
 * conflicts. One instance per request (its loaders cache and batch within the request only).
 */
export class RecordsService {
  private readonly loaders: Loaders;
  /** Source texts by range ("" for whole texts): one batched statement per range and level. */
  private readonly textLoaders = new Map<string, DataLoader<string, string | null>>();
  /** Code points of source text this request has read, and the one long text it read whole, if any. */
  private textUsed = 0;
  /** Code points Neo4j loaded for this request's texts, by distinct (source, range) read. */
  private textRead = 0;
  private readonly rangesRead = new Set<string>();
  private longText: string | undefined;

  constructor(private readonly executor: Executor) {
    this.loaders = createLoaders(executor);
  }

  /**
   * A source's text (Source.text): whole, or a slice by code points [start, end) clamped to the text, within
   * the request's text budget (TEXT_LIMITS). The text is read here only, never with the source's other fields.
   */
  async sourceText(source: SourceRecord, start?: number | null, end?: number | null): Promise<string> {
    const whole = (start ?? null) === null && (end ?? null) === null;
    let from: number | null = null;
    let to: number | null = null;
    if (!whole) {
      if ((start ?? 0) < 0 || (end ?? 0) < 0) {
        throw badInput('start and end are code-point offsets and cannot be negative', ['text']);
      }
      if (end !== null && end !== undefined && end < (start ?? 0)) {
        throw badInput(`end (${end}) is before start (${start ?? 0})`, ['text']);
      }
      from = Math.min(start ?? 0, source.length);
      to = Math.min(end ?? from + TEXT_LIMITS.maxSliceCodePoints, source.length);
      if (to - from > TEXT_LIMITS.maxSliceCodePoints) {
        throw new AppError(
          ErrorCode.LIMIT_EXCEEDED,
          `A slice of a source's text is at most ${TEXT_LIMITS.maxSliceCodePoints} code points; this one is ${to - from}`,
          { limit: TEXT_LIMITS.maxSliceCodePoints },
        );
      }
    }
    this.spendText(source, whole ? source.length : to! - from!, whole);
    this.spendRead(source, from, to);
    return (await this.textLoader(from, to).load(source.id)) ?? '';
  }

  /** Each distinct range makes Neo4j load the whole text once: counted against the read budget. */
  private spendRead(source: SourceRecord, from: number | null, to: number | null) {
    const key = `${source.id}:${from}:${to}`;
    if (this.rangesRead.has(key)) return;
    if (this.textRead > 0 && this.textRead + source.length > TEXT_LIMITS.readCodePointsPerRequest) {
      throw new AppError(
        ErrorCode.LIMIT_EXCEEDED,
        `Reading these texts would make the database load more than ${TEXT_LIMITS.readCodePointsPerRequest} code points of source text for one request; ask for fewer ranges, or one wider slice`,
        { limit: TEXT_LIMITS.readCodePointsPerRequest, sourceId: source.id },
      );
    }
    this.rangesRead.add(key);
    this.textRead += source.length;
  }

  /** Counts `size` code points against the request's budget, or refuses with LIMIT_EXCEEDED. */
  private spendText(source: SourceRecord, size: number, whole: boolean) {
    const budget = TEXT_LIMITS.codePointsPerRequest;
    // The long text read whole may be read again (the response limit bounds repeats); nothing else may.
    if (this.longText !== undefined) {
      if (whole && this.longText === source.id) return;
    } else if (this.textUsed + size <= budget) {
      this.textUsed += size;
      return;
    } else if (whole && this.textUsed === 0) {
      this.longText = source.id;
      return;
    }
    throw new AppError(
      ErrorCode.LIMIT_EXCEEDED,
      `A request may read ${budget} code points of source text (or one longer text alone); ask for this text in its own request, or for a slice with text(start, end)`,
      { limit: budget, sourceId: source.id },
    );
  }

  private textLoader(start: number | null, end: number | null): DataLoader<string, string | null> {
    const key = start === null ? '' : `${start}:${end}`;
    let loader = this.textLoaders.get(key);
    if (!loader) {
      loader = new DataLoader(async (ids) => {
        const byId = await store.sourceTexts(this.executor, [...ids], { start, end });
        return ids.map((id) => byId.get(id) ?? null);
      });
      this.textLoaders.set(key, loader);
    }
    return loader;
  }

  /** Seeds this request's loaders with records a root statement already returned (no extra round trip). */
  primeNodes(records: readonly (NodeRecord | null | undefined)[]): void {
    for (const r of records) if (r) this.loaders.node.prime(r.id, r);
  }

  /**
   * Seeds the loaders with claims fetched together with their details (CLAIM_DETAILS), so that
   * Claim.excerpts / sources / attribution / subject / object / conflicts resolve from memory.
   * Returns the claim records.
   */
  primeClaimDetails(details: readonly ClaimDetails[]): ClaimRecord[] {
    return details.map((d) => {
      this.loaders.node.prime(d.claim.id, d.claim);
      this.loaders.excerptsOfClaim.prime(d.claim.id, d.excerpts);
      for (const e of d.excerpts) this.loaders.node.prime(e.id, e);
      for (const s of d.sources) {
        this.loaders.node.prime(s.source.id, s.source);
        this.loaders.publisherOf.prime(s.source.id, s.publisher?.id ?? null);
        if (s.publisher) this.loaders.node.prime(s.publisher.id, s.publisher);
      }
      this.loaders.attributionOfClaim.prime(
        d.claim.id,
        d.attribution.map((h) => ({
          hop: h.hop,
          agentId: h.agent.id,
          capacity: h.capacity,
          excerpt: h.excerpt,
        })),
      );
      for (const h of d.attribution) this.loaders.node.prime(h.agent.id, h.agent);
      this.primeNodes([d.subject, d.object, ...d.conflicts]);
      this.loaders.conflictsOfClaim.prime(d.claim.id, d.conflicts);
      return d.claim;
    });
  }

  /** Seeds the loaders with claims a statement returned with or without their details; returns them. */
  primeClaims(list: ClaimList): ClaimRecord[] {
    if (list.detailed) return this.primeClaimDetails(list.details);
    this.primeNodes(list.claims);
    return list.claims;
  }

  primePublisher(sourceId: string, publisherId: string | null): void {
    this.loaders.publisherOf.prime(sourceId, publisherId);
  }

  primeRelations(entityId: string, relations: RelationRecord[]): void {
    this.loaders.relationsOf.prime(entityId, relations);
  }

  primeClaimsAbout(entityId: string, claims: ClaimRecord[]): void {
    this.loaders.claimsAbout.prime(entityId, claims);
  }

  primeFigures(entityId: string, figures: FigureRecord[]): void {
    this.loaders.figuresOf.prime(entityId, figures);
  }

  primeClaimsOfFigure(figureId: string, claims: ClaimRecord[]): void {
    this.loaders.claimsOfFigure.prime(figureId, claims);
  }

  /** Several records by id, in the order asked (null for ids that do not exist), at most 100 at once. */
  async nodes(ids: readonly string[]): Promise<(NodeRecord | null)[]> {
    if (ids.length > NODES_MAX.max) pageSize(ids.length, NODES_MAX, 'ids');
    return Promise.all(ids.map((id) => this.node(id)));
  }

  node(id: string): Promise<NodeRecord | null> {
    return this.loaders.node.load(id);
  }

  /**
   * A record whose claims the query asks for: for an entity, the record and its claims with their details
   * come in one statement and prime the loaders; anything else is read as by node().
   */
  async nodeWithClaims(id: string): Promise<NodeRecord | null> {
    const found = await store.entityWithClaims(this.executor, id);
    if (!found) return this.node(id);
    this.loaders.node.prime(id, found.entity);
    const claims = this.primeClaimDetails(found.claims);
    // Only when they are all of them: a record with more reads its claims through the loader instead.
    if (found.allClaims) this.primeClaimsAbout(id, claims);
    return found.entity;
  }

  async entity(id: string): Promise<EntityRecord> {
    const n = await this.loaders.node.load(id);
    if (!n || !(n.__kind === 'Event' || n.__kind === 'Actor' || n.__kind === 'Place')) {
      throw new Error(`Dangling reference to entity ${id}`);
    }
    return n;
  }

  async source(id: string): Promise<SourceRecord> {
    const n = await this.loaders.node.load(id);
    if (!n || n.__kind !== 'Source') throw new Error(`Dangling reference to source ${id}`);
    return n;
  }

  async figure(id: string): Promise<FigureRecord | null> {
    const n = await this.loaders.node.load(id);
    return n && n.__kind === 'Figure' ? n : null;
  }

  async claims(ids: readonly string[]): Promise<ClaimRecord[]> {
    const nodes = await this.loaders.node.loadMany([...ids]);
    return nodes.filter((n): n is ClaimRecord => !(n instanceof Error) && n?.__kind === 'Claim');
  }

  /**
   * When a relationship held: the earliest start and the latest end its claims give. Only the claims the
   * caller may see count (a relationship's claimIds are already the visible ones), and not retracted ones.
   */
  async relationPeriod(
    claimIds: readonly string[],
  ): Promise<{ start: FuzzyDate | null; end: FuzzyDate | null } | null> {
    boundedAggregate('period', claimIds);
    const claims = (await this.claims(claimIds)).filter((c) => c.status !== 'retracted');
    const start = earliestOf(claims.map((c) => c.periodStart));
    const end = latestOf(claims.map((c) => c.periodEnd));
    return start || end ? { start, end } : null;
  }

  /**
   * When a relationship was first and last cited: the earliest and latest publication dates among the
   * sources (the caller may see) of its visible, unretracted claims.
   */
  async relationCited(
    claimIds: readonly string[],
  ): Promise<{ first: FuzzyDate | null; last: FuzzyDate | null }> {
    boundedAggregate('firstCited and lastCited', claimIds);
    const claims = (await this.claims(claimIds)).filter((c) => c.status !== 'retracted');
    const sources = (await Promise.all(claims.map((c) => this.sourcesOfClaim(c.id)))).flat();
    const dates = sources.map((s) => s.published);
    return { first: earliestOf(dates), last: latestOf(dates) };
  }

  async claimsAbout(entityId: string, statuses?: readonly string[] | null): Promise<ClaimRecord[]> {
    const all = await this.loaders.claimsAbout.load(entityId);
    return statuses?.length ? all.filter((c) => statuses.includes(c.status)) : all;
  }

  async relationsOf(entityId: string, types?: readonly string[] | null): Promise<RelationRecord[]> {
    const all = await this.loaders.relationsOf.load(entityId);
    return types?.length ? all.filter((r) => types.includes(r.type)) : all;
  }

  async involvements(eventId: string): Promise<RelationRecord[]> {
    return (await this.loaders.relationsOf.load(eventId)).filter(
      (r) => r.type === 'INVOLVED_IN' && r.toId === eventId,
    );
  }

  figuresOf(entityId: string): Promise<FigureRecord[]> {
    return this.loaders.figuresOf.load(entityId);
  }

  excerptsOfClaim(claimId: string): Promise<ExcerptRecord[]> {
    return this.loaders.excerptsOfClaim.load(claimId);
  }

  async sourcesOfClaim(claimId: string): Promise<SourceRecord[]> {
    const excerpts = await this.loaders.excerptsOfClaim.load(claimId);
    const ids = [...new Set(excerpts.map((e) => e.sourceId))];
    return Promise.all(ids.map((id) => this.source(id)));
  }

  async attribution(
    claimId: string,
  ): Promise<{ hop: number; agent: EntityRecord; capacity: string | null; excerpt: ExcerptRecord | null }[]> {
    const hops = await this.loaders.attributionOfClaim.load(claimId);
    return Promise.all(
      hops.map(async (h) => ({
        hop: h.hop,
        agent: await this.entity(h.agentId),
        capacity: h.capacity,
        excerpt: h.excerpt,
      })),
    );
  }

  /** The later release's claim that supersedes this one (the first, if several releases did), or null. */
  async supersededBy(claimId: string): Promise<ClaimRecord | null> {
    return (await this.loaders.supersedingClaims.load(claimId))[0] ?? null;
  }

  supersedes(claimId: string): Promise<ClaimRecord[]> {
    return this.loaders.supersededClaims.load(claimId);
  }

  conflictsOfClaim(claimId: string): Promise<ClaimRecord[]> {
    return this.loaders.conflictsOfClaim.load(claimId);
  }

  claimsOfFigure(figureId: string): Promise<ClaimRecord[]> {
    return this.loaders.claimsOfFigure.load(figureId);
  }

  /** Claims that disagree with any claim asserting this figure. */
  async conflictsOfFigure(figureId: string): Promise<ClaimRecord[]> {
    const own = await this.loaders.claimsOfFigure.load(figureId);
    const lists = await Promise.all(own.map((c) => this.loaders.conflictsOfClaim.load(c.id)));
    const seen = new Set(own.map((c) => c.id));
    return lists.flat().filter((c) => !seen.has(c.id) && seen.add(c.id));
  }

  async figureShareOf(figureId: string): Promise<FigureRecord | null> {
    const links = await this.loaders.figureLinks.load(figureId);
    return links.shareOfId ? this.figure(links.shareOfId) : null;
  }

  async figureDuring(figureId: string): Promise<EntityRecord | null> {
    const links = await this.loaders.figureLinks.load(figureId);
    return links.duringId ? this.entity(links.duringId) : null;
  }

  async publisher(sourceId: string): Promise<EntityRecord | null> {
    const id = await this.loaders.publisherOf.load(sourceId);
    return id ? this.entity(id) : null;
  }
}

/** A relationship's aggregate fields read at most Relation.claims' largest page of claims (limits.ts). */
function boundedAggregate(field: string, claimIds: readonly string[]): void {
  if (claimIds.length > RELATION_LIST.max) {
    throw new AppError(
      ErrorCode.LIMIT_EXCEEDED,
      `Relation.${field} are computed over at most ${RELATION_LIST.max} claims; this relationship has ${claimIds.length}: read them with provenance(id, first, after)`,
      { limit: RELATION_LIST.max, count: claimIds.length },
    );
  }
}
