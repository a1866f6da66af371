import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { normalizeFuzzyDate, periodProblem, type FuzzyDate, FuzzyDateInput } from '../../model/fuzzy-date.js';
import {
  facilityKindProblem,
  kindOfId,
  relationProblems,
  type EntityKind,
  type RelationType,
} from '../../model/graph-model.js';
import { isWellFormed, selectorAt, sha256, codePoints } from '../../model/text.js';
import {
  attributeClaimValue,
  figureClaimValue,
  relationClaimValue,
  shareOfProblem,
  statementClaimValue,
} from '../../model/claims.js';
import { excerptId, relationId } from '../../model/ids.js';
import { nameEvidenceRows } from './names.js';
import { claimBase, entityRow, figureRow, type EntityInput, type FigureInput } from './rows.js';
import { locateQuote } from '../../model/quotes.js';
import type {
  NameEvidenceRow,
  AttributionHopRow,
  ClaimRow,
  ClaimValue,
  EntityRow,
  ExcerptRow,
  FigureRow,
  Problem,
  RecordSet,
  RelationRow,
  SourceRow,
} from '../../model/rows.js';
import type { StoreDump } from '../../model/store.js';
import { BundleInput, type ClaimInput } from './schema.js';
import { checkStoreSection } from './store.js';

/**
 * Turns a bundle file into rows ready to write, or into the complete list of its problems. Nothing here
 * touches the database: a bundle is validated whole before a single statement runs.
 */

export type { Problem };

export class BundleError extends Error {
  constructor(readonly problems: Problem[]) {
    super(
      `The bundle has ${problems.length} problem(s):\n${problems
        .slice(0, 50)
        .map((p) => `  ${p.path}: ${p.message}`)
        .join('\n')}${problems.length > 50 ? `\n  ... and ${problems.length - 50} more` : ''}`,
    );
    this.name = 'BundleError';
  }
}

/** A bundle, resolved: the rows it writes, and a backup's store section, checked, with the sources' texts. */
/**
 * A resolved bundle; a backup also has its store section and its readable part as written (`readable`:
 * the document without `store`), which the restore checks against what the restored store exports.
 */
export type ResolvedBundle = RecordSet & { store?: StoreDump; readable?: Record<string, unknown> };

/** Reads a YAML or JSON bundle file and resolves it; source files are read relative to it. */
export async function loadBundleFile(file: string): Promise<ResolvedBundle> {
  const raw = await readFile(file, 'utf8');
  let doc: unknown;
  try {
    doc = file.endsWith('.json') ? JSON.parse(raw) : parseYaml(raw, { prettyErrors: true });
  } catch (err) {
    throw new BundleError([
      { path: '(file)', message: `cannot parse ${path.basename(file)}: ${(err as Error).message}` },
    ]);
  }
  return resolveBundle(doc, async (rel) => readFile(path.resolve(path.dirname(file), rel), 'utf8'));
}

type ReadText = (relativePath: string) => Promise<string>;

function zodPath(p: readonly PropertyKey[]): string {
  return p.reduce<string>(
    (acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)),
    '',
  );
}

/** A parsed bundle, or BundleError with every schema problem at its path. */
function parseBundle(doc: unknown): BundleInput {
  const parsed = BundleInput.safeParse(doc);
  if (!parsed.success) {
    throw new BundleError(
      parsed.error.issues.map((i) => ({ path: zodPath(i.path) || '(root)', message: i.message })),
    );
  }
  return parsed.data;
}

export async function resolveBundle(doc: unknown, readText: ReadText): Promise<ResolvedBundle> {
  const parsed = parseBundle(doc);
  const r = new BundleResolution(parsed);
  r.addEntities();
  await r.addSources(readText);
  r.addClaims();
  r.addLinks();
  r.addNames();
  const rows = r.result();
  if (!parsed.store) return rows;
  // A backup: its store section is checked against the model and against what the readable part says.
  const { store, problems } = checkStoreSection(parsed.store, rows);
  if (problems.length) throw new BundleError(problems);
  const { store: _store, ...readable } = doc as Record<string, unknown>;
  return { ...rows, store, readable };
}

/**
 * A bundle's rows as they are resolved, and every problem found on the way. Ids are unique across the
 * whole bundle, whatever their kind; entities come first (sources name their publisher, claims their
 * subject), then sources (claims quote them), claims, and links between the entities claims are about.
 */
class BundleResolution {
  private readonly problems: Problem[] = [];
  private readonly seen = new Map<string, string>();
  private readonly entities: EntityRow[] = [];
  private readonly entityKinds = new Map<string, EntityKind>();
  /** Each entity's type (actor, place or event type), for relations that need one. */
  private readonly entityTypes = new Map<string, string>();
  private readonly sources: SourceRow[] = [];
  private readonly sourceTexts = new Map<string, { text: string; points: string[] }>();
  private readonly excerpts = new Map<string, ExcerptRow>();
  private readonly claims: ClaimRow[] = [];
  private readonly figures: FigureRow[] = [];
  private readonly relations = new Map<string, RelationRow>();
  private readonly names: NameEvidenceRow[] = [];

  constructor(private readonly b: BundleInput) {}

  /** Aliases and identifiers listed with the claims giving them (names.ts). */
  addNames() {
    this.names.push(...nameEvidenceRows(this.b, (path, message) => this.problem(path, message)));
  }

  private problem(path: string, message: string) {
    this.problems.push({ path, message });
  }

  private fuzzy(p: string, input: z.output<typeof FuzzyDateInput> | null | undefined): FuzzyDate | null {
    if (!input) return null;
    const { date, problems } = normalizeFuzzyDate(input);
    problems.forEach((m) => this.problem(p, m));
    return date ?? null;
  }

  private register(id: string, p: string) {
    const before = this.seen.get(id);
    if (before) this.problem(p, `duplicate id ${id} (also at ${before})`);
    else this.seen.set(id, p);
  }

  addEntities() {
    const add = (kind: EntityKind, list: EntityInput[], key: string) => {
      list.forEach((e, i) => {
        const p = `${key}[${i}]`;
        this.register(e.id, `${p}.id`);
        this.entityKinds.set(e.id, kind);
        this.entityTypes.set(e.id, e.type);
        const facilityKind = 'facilityKind' in e ? e.facilityKind : null;
        const fk = facilityKindProblem(kind, e.type, facilityKind);
        if (fk) this.problem(`${p}.facilityKind`, fk);
        const ev = kind === 'Event' ? (e as BundleInput['events'][number]) : undefined;
        const date = this.fuzzy(`${p}.date`, ev?.date);
        const endDate = this.fuzzy(`${p}.endDate`, ev?.endDate);
        if (date?.earliest && endDate?.latest && endDate.latest < date.earliest) {
          this.problem(`${p}.endDate`, `ends (${endDate.latest}) before it starts (${date.earliest})`);
        }
        this.entities.push(entityRow(e, kind, date, endDate));
      });
    };
    add('Actor', this.b.actors, 'actors');
    add('Place', this.b.places, 'places');
    add('Event', this.b.events, 'events');
  }

  /** Sources with their texts (inline, or read from files); the same text twice is one source. */
  async addSources(readText: ReadText) {
    for (const [i, s] of this.b.sources.entries()) {
      const p = `sources[${i}]`;
      this.register(s.id, `${p}.id`);
      let text: string;
      try {
        text = s.text ?? (await readText(s.file!));
      } catch (err) {
        this.problem(`${p}.file`, `cannot read ${s.file}: ${(err as Error).message}`);
        continue;
      }
      if (!text.length) this.problem(`${p}.text`, 'the source text is empty');
      if (!isWellFormed(text)) this.problem(`${p}.text`, 'the source text is not well-formed Unicode');
      const hash = sha256(text);
      if (hash !== s.sha256) this.problem(`${p}.sha256`, `the text's sha256 is ${hash}, not ${s.sha256}`);
      if (s.publisher && this.entityKinds.get(s.publisher) !== 'Actor') {
        this.problem(`${p}.publisher`, `no actor ${s.publisher} in the bundle`);
      }
      s.publishedVia.forEach((h, j) => {
        if (this.entityKinds.get(h.actor) !== 'Actor') {
          this.problem(`${p}.publishedVia[${j}].actor`, `no actor ${h.actor} in the bundle`);
        }
      });
      const points = codePoints(text);
      this.sourceTexts.set(s.id, { text, points });
      this.sources.push({
        id: s.id,
        title: s.title,
        text,
        sha256: hash,
        length: points.length,
        language: s.language,
        url: s.url ?? null,
        retrievedAt: s.retrievedAt ?? null,
        published: this.fuzzy(`${p}.published`, s.published),
        reliability: s.reliability,
        sensitivity: s.sensitivity,
        publisherId: s.publisher ?? null,
        dataset: s.dataset ?? null,
        notes: s.notes ?? null,
        publishedVia: s.publishedVia.map((h, j) => ({
          actorId: h.actor,
          url: h.url ?? null,
          published: this.fuzzy(`${p}.publishedVia[${j}].published`, h.published),
        })),
      });
    }
    const hashes = new Map<string, string>();
    for (const s of this.sources) {
      const other = hashes.get(s.sha256);
      if (other)
        this.problem(`sources`, `${s.id} has the same text as ${other}: the same text is one source`);
      hashes.set(s.sha256, s.id);
    }
  }

  addClaims() {
    const figureClaims = new Map(this.b.claims.map((c) => [c.id, c] as const));
    for (const [i, c] of this.b.claims.entries()) {
      const p = `claims[${i}]`;
      this.register(c.id, `${p}.id`);
      const subjectKind = this.entityKinds.get(c.subject);
      if (!subjectKind) this.problem(`${p}.subject`, `no entity ${c.subject} in the bundle`);
      for (const [h, a] of c.attributedTo.entries()) {
        if (this.entityKinds.get(a) !== 'Actor')
          this.problem(`${p}.attributedTo[${h}]`, `no actor ${a} in the bundle`);
      }
      const base = claimBase(c, this.b, this.evidence(c, p), this.attributionHops(c, p));
      if (c.relation) {
        this.claims.push(this.relationClaim(c, base, p, subjectKind));
      } else if (c.figure) {
        this.claims.push(this.figureClaim(c, c.figure, base, p, figureClaims));
      } else if (c.attribute) {
        const a = c.attribute;
        const value = typeof a.value === 'object' ? this.fuzzy(`${p}.attribute.value`, a.value) : a.value;
        this.claims.push({ ...base, ...attributeClaimValue(a.property, value) });
      } else {
        this.claims.push({ ...base, ...statementClaimValue() });
      }
    }
  }

  /** The detail of each attribution hop: its actor, capacity and the excerpt its quote names (claim's source). */
  private attributionHops(c: ClaimInput, p: string): AttributionHopRow[] | null {
    if (!c.attribution) return null;
    const source = this.sourceTexts.get(c.source);
    return c.attribution.map((h, i) => {
      if (this.entityKinds.get(h.actor) !== 'Actor')
        this.problem(`${p}.attribution[${i}].actor`, `no actor ${h.actor} in the bundle`);
      const q = h.quote;
      let excerptId: string | null = null;
      if (q != null && typeof q !== 'string' && q.source != null && q.source !== c.source) {
        this.problem(
          `${p}.attribution[${i}].quote.source`,
          `a hop's words are in the claim's source ${c.source}`,
        );
      } else if (q != null && source) {
        excerptId = this.excerptOf(source, c.source, q, `${p}.attribution[${i}].quote`);
      }
      return { capacity: h.capacity ?? null, excerptId };
    });
  }

  /** One quote in a source as an excerpt (registered once); its id, or null with a problem. */
  private excerptOf(
    source: { text: string; points: string[] },
    sourceId: string,
    q: Parameters<typeof locateQuote>[2],
    p: string,
  ): string | null {
    const at = locateQuote(source.text, source.points, q);
    if ('problem' in at) {
      this.problem(p, `${at.problem} (${sourceId})`);
      return null;
    }
    const sel = selectorAt(source.points, at.start, at.end);
    const exId = excerptId(sourceId, sel.start, sel.end);
    if (!this.excerpts.has(exId)) this.excerpts.set(exId, { id: exId, sourceId, ...sel });
    return exId;
  }

  /** Evidence: each quote exactly once in its source (or at the offsets given), as an excerpt; their ids. */
  private evidence(c: ClaimInput, p: string): string[] {
    const excerptIds: string[] = [];
    if (!this.sourceTexts.has(c.source)) {
      this.problem(`${p}.source`, `no source ${c.source} in the bundle`);
      return excerptIds;
    }
    c.quotes.forEach((q, qi) => {
      // A quote may name another source of the bundle: a claim cited by several sources.
      const sourceId = (typeof q === 'string' ? null : q.source) ?? c.source;
      const source = this.sourceTexts.get(sourceId);
      if (!source) {
        this.problem(`${p}.quotes[${qi}].source`, `no source ${sourceId} in the bundle`);
        return;
      }
      const at = locateQuote(source.text, source.points, q);
      if ('problem' in at) {
        this.problem(`${p}.quotes[${qi}]`, `${at.problem} (${sourceId})`);
        return;
      }
      const sel = selectorAt(source.points, at.start, at.end);
      const exId = excerptId(sourceId, sel.start, sel.end);
      if (!this.excerpts.has(exId)) this.excerpts.set(exId, { id: exId, sourceId, ...sel });
      excerptIds.push(exId);
    });
    return excerptIds;
  }

  /** A relation claim, and the relationship it asserts (one per type, ends and role, citing every claim). */
  private relationClaim(
    c: ClaimInput,
    base: Omit<ClaimRow, keyof ClaimValue>,
    p: string,
    subjectKind: EntityKind | undefined,
  ): ClaimRow {
    const r = c.relation!;
    const type = r.type as RelationType;
    const objectKind = this.entityKinds.get(r.object);
    if (!objectKind) this.problem(`${p}.relation.object`, `no entity ${r.object} in the bundle`);
    const position = r.position ?? null;
    const more = {
      position,
      fromType: this.entityTypes.get(c.subject),
      toType: this.entityTypes.get(r.object),
    };
    for (const x of relationProblems(type, subjectKind, objectKind, r.role, more))
      this.problem(`${p}.relation.${x.field}`, x.message);
    const periodStart = this.fuzzy(`${p}.relation.periodStart`, r.periodStart);
    const periodEnd = this.fuzzy(`${p}.relation.periodEnd`, r.periodEnd);
    const period = periodProblem(periodStart, periodEnd);
    if (period) this.problem(`${p}.relation.periodEnd`, period);
    const role = r.role ?? null;
    const relId = relationId(type, c.subject, r.object, role, position);
    const existing = this.relations.get(relId);
    if (existing) existing.claimIds.push(c.id);
    else
      this.relations.set(relId, {
        id: relId,
        type,
        fromId: c.subject,
        toId: r.object,
        role,
        position,
        claimIds: [c.id],
      });
    return { ...base, ...relationClaimValue(type, r.object, role), position, periodStart, periodEnd };
  }

  /** A figure claim and the figure it asserts. */
  private figureClaim(
    c: ClaimInput,
    f: FigureInput,
    base: Omit<ClaimRow, keyof ClaimValue>,
    p: string,
    figureClaims: ReadonlyMap<string, ClaimInput>,
  ): ClaimRow {
    if (f.value == null && f.min == null && f.max == null)
      this.problem(`${p}.figure`, 'give a value, or min and/or max');
    if (f.min != null && f.max != null && f.min > f.max)
      this.problem(`${p}.figure`, `min ${f.min} is above max ${f.max}`);
    const whole = f.shareOf ? figureClaims.get(f.shareOf) : undefined;
    if (f.shareOf && !whole) this.problem(`${p}.figure.shareOf`, `no figure claim ${f.shareOf}`);
    if (f.shareOf && whole) {
      const problem = shareOfProblem(
        { claimId: c.id, unit: f.unit },
        {
          claimId: whole.id,
          kind: whole.figure ? 'figure' : 'other',
          status: whole.status,
          unit: whole.figure?.unit ?? null,
        },
      );
      if (problem) this.problem(`${p}.figure.shareOf`, problem);
    }
    if (f.during && this.entityKinds.get(f.during) !== 'Event')
      this.problem(`${p}.figure.during`, `no event ${f.during}`);
    const row = figureRow(c, f, {
      periodStart: this.fuzzy(`${p}.figure.periodStart`, f.periodStart),
      periodEnd: this.fuzzy(`${p}.figure.periodEnd`, f.periodEnd),
      asOf: this.fuzzy(`${p}.figure.asOf`, f.asOf),
    });
    this.figures.push(row);
    return { ...base, ...figureClaimValue(row) };
  }

  /** Links: relationships cited by claims that do not assert them as relations (see LinkInput). */
  addLinks() {
    const claimsById = new Map(this.b.claims.map((c) => [c.id, c] as const));
    for (const [i, l] of this.b.links.entries()) {
      const p = `links[${i}]`;
      const type = l.type as RelationType;
      const fromKind = this.entityKinds.get(l.from);
      const toKind = this.entityKinds.get(l.to);
      if (!fromKind) this.problem(`${p}.from`, `no entity ${l.from} in the bundle`);
      if (!toKind) this.problem(`${p}.to`, `no entity ${l.to} in the bundle`);
      const position = l.position ?? null;
      const more = { position, fromType: this.entityTypes.get(l.from), toType: this.entityTypes.get(l.to) };
      for (const x of relationProblems(type, fromKind, toKind, l.role, more))
        this.problem(`${p}.${x.field}`, x.message);
      l.claims.forEach((cid, ci) => {
        const c = claimsById.get(cid);
        if (!c) this.problem(`${p}.claims[${ci}]`, `no claim ${cid} in the bundle`);
        // As linkEntities requires: evidence for a link is about one of its ends.
        else if (![l.from, l.to].includes(c.subject) && ![l.from, l.to].includes(c.relation?.object ?? '')) {
          this.problem(`${p}.claims[${ci}]`, `claim ${cid} is about neither ${l.from} nor ${l.to}`);
        }
      });
      const role = l.role ?? null;
      const relId = relationId(type, l.from, l.to, role, position);
      const existing = this.relations.get(relId);
      if (existing) existing.claimIds.push(...l.claims.filter((x) => !existing.claimIds.includes(x)));
      else
        this.relations.set(relId, {
          id: relId,
          type,
          fromId: l.from,
          toId: l.to,
          role,
          position,
          claimIds: [...l.claims],
        });
    }
  }

  /** The rows, or BundleError with every problem found. */
  result(): ResolvedBundle {
    if (this.problems.length) throw new BundleError(this.problems);
    return {
      recordedBy: this.b.recordedBy,
      recordedAt: this.b.recordedAt,
      sources: this.sources,
      entities: this.entities,
      excerpts: [...this.excerpts.values()],
      claims: this.claims,
      figures: this.figures,
      relations: [...this.relations.values()],
      ...(this.names.length ? { names: this.names } : {}),
    };
  }
}

export { kindOfId };
