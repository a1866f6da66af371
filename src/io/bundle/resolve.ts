import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { normalizeFuzzyDate, type FuzzyDate, FuzzyDateInput } from '../../model/fuzzy-date.js';
import {
  kindOfId,
  RELATIONS,
  relationAllows,
  type EntityKind,
  type RelationType,
} from '../../model/graph-model.js';
import { isWellFormed, selectorAt, sha256, codePoints } from '../../model/text.js';
import {
  attributeClaimValue,
  figureClaimValue,
  relationClaimValue,
  statementClaimValue,
} from '../../model/claims.js';
import { excerptId, figureIdOf, relationId } from '../../model/ids.js';
import { locateQuote } from '../../model/quotes.js';
import type {
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
import { BundleInput, type ClaimInput } from './schema.js';

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

/** A bundle, resolved: the rows it writes. */
export type ResolvedBundle = RecordSet;

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

export async function resolveBundle(doc: unknown, readText: ReadText): Promise<ResolvedBundle> {
  const parsed = BundleInput.safeParse(doc);
  if (!parsed.success) {
    throw new BundleError(
      parsed.error.issues.map((i) => ({ path: zodPath(i.path) || '(root)', message: i.message })),
    );
  }
  const b = parsed.data;
  const problems: Problem[] = [];
  const problem = (p: string, message: string) => problems.push({ path: p, message });

  const fuzzy = (p: string, input: z.output<typeof FuzzyDateInput> | null | undefined): FuzzyDate | null => {
    if (!input) return null;
    const { date, problems: ps } = normalizeFuzzyDate(input);
    ps.forEach((m) => problem(p, m));
    return date ?? null;
  };

  // Ids are unique across the whole bundle, whatever their kind.
  const seen = new Map<string, string>();
  const register = (id: string, p: string) => {
    const before = seen.get(id);
    if (before) problem(p, `duplicate id ${id} (also at ${before})`);
    else seen.set(id, p);
  };

  const entities: EntityRow[] = [];
  const entityKinds = new Map<string, EntityKind>();
  const addEntities = (
    kind: EntityKind,
    list: (typeof b.actors | typeof b.places | typeof b.events)[number][],
    key: string,
  ) => {
    list.forEach((e, i) => {
      const p = `${key}[${i}]`;
      register(e.id, `${p}.id`);
      entityKinds.set(e.id, kind);
      const ev = kind === 'Event' ? (e as (typeof b.events)[number]) : undefined;
      const date = fuzzy(`${p}.date`, ev?.date);
      const endDate = fuzzy(`${p}.endDate`, ev?.endDate);
      if (date?.earliest && endDate?.latest && endDate.latest < date.earliest) {
        problem(`${p}.endDate`, `ends (${endDate.latest}) before it starts (${date.earliest})`);
      }
      entities.push({
        id: e.id,
        kind,
        type: e.type,
        name: e.name,
        lang: e.lang,
        aliases: e.aliases,
        description: e.description ?? null,
        identifiers: e.identifiers,
        sensitivity: e.sensitivity,
        date,
        endDate,
      });
    });
  };
  addEntities('Actor', b.actors, 'actors');
  addEntities('Place', b.places, 'places');
  addEntities('Event', b.events, 'events');

  const sources: SourceRow[] = [];
  const sourcePoints = new Map<string, string[]>();
  const sourceTexts = new Map<string, string>();
  for (const [i, s] of b.sources.entries()) {
    const p = `sources[${i}]`;
    register(s.id, `${p}.id`);
    let text: string;
    try {
      text = s.text ?? (await readText(s.file!));
    } catch (err) {
      problem(`${p}.file`, `cannot read ${s.file}: ${(err as Error).message}`);
      continue;
    }
    if (!text.length) problem(`${p}.text`, 'the source text is empty');
    if (!isWellFormed(text)) problem(`${p}.text`, 'the source text is not well-formed Unicode');
    const hash = sha256(text);
    if (hash !== s.sha256) problem(`${p}.sha256`, `the text's sha256 is ${hash}, not ${s.sha256}`);
    if (s.publisher && entityKinds.get(s.publisher) !== 'Actor') {
      problem(`${p}.publisher`, `no actor ${s.publisher} in the bundle`);
    }
    const points = codePoints(text);
    sourcePoints.set(s.id, points);
    sourceTexts.set(s.id, text);
    sources.push({
      id: s.id,
      title: s.title,
      text,
      sha256: hash,
      length: points.length,
      language: s.language,
      url: s.url ?? null,
      retrievedAt: s.retrievedAt ?? null,
      published: fuzzy(`${p}.published`, s.published),
      reliability: s.reliability,
      sensitivity: s.sensitivity,
      publisherId: s.publisher ?? null,
      notes: s.notes ?? null,
    });
  }
  const hashes = new Map<string, string>();
  for (const s of sources) {
    const other = hashes.get(s.sha256);
    if (other) problem(`sources`, `${s.id} has the same text as ${other}: the same text is one source`);
    hashes.set(s.sha256, s.id);
  }

  const excerpts = new Map<string, ExcerptRow>();
  const claims: ClaimRow[] = [];
  const figures: FigureRow[] = [];
  const relations = new Map<string, RelationRow>();
  const figureClaims = new Map(b.claims.filter((c) => c.figure).map((c) => [c.id, c] as const));

  for (const [i, c] of b.claims.entries()) {
    const p = `claims[${i}]`;
    register(c.id, `${p}.id`);
    const subjectKind = entityKinds.get(c.subject);
    if (!subjectKind) problem(`${p}.subject`, `no entity ${c.subject} in the bundle`);
    for (const [h, a] of c.attributedTo.entries()) {
      if (entityKinds.get(a) !== 'Actor') problem(`${p}.attributedTo[${h}]`, `no actor ${a} in the bundle`);
    }

    // Evidence: each quote exactly once in its source.
    const excerptIds: string[] = [];
    const points = sourcePoints.get(c.source);
    const text = sourceTexts.get(c.source);
    if (!points || text === undefined) {
      problem(`${p}.source`, `no source ${c.source} in the bundle`);
    } else {
      c.quotes.forEach((q, qi) => {
        const at = locateQuote(text, points, q);
        if ('problem' in at) {
          problem(`${p}.quotes[${qi}]`, `${at.problem} (${c.source})`);
          return;
        }
        const sel = selectorAt(points, at.start, at.end);
        const exId = excerptId(c.source, sel.start, sel.end);
        if (!excerpts.has(exId)) excerpts.set(exId, { id: exId, sourceId: c.source, ...sel });
        excerptIds.push(exId);
      });
    }

    const base = {
      id: c.id,
      fact: c.fact ?? null,
      subjectId: c.subject,
      summary: c.summary,
      status: c.status,
      statusReason: c.statusReason ?? null,
      statusChangedAt: c.statusChangedAt ?? null,
      statusChangedBy: c.statusChangedBy ?? null,
      confidence: c.confidence ?? null,
      sensitivity: c.sensitivity,
      recordedBy: c.recordedBy ?? b.recordedBy,
      recordedAt: c.recordedAt ?? b.recordedAt,
      excerptIds,
      attributedTo: c.attributedTo,
    };
    if (c.relation) {
      claims.push(relationClaim(c, base, p, entityKinds, subjectKind, relations, problem));
    } else if (c.figure) {
      const f = c.figure;
      const figureId = figureIdOf(c.id);
      if (f.value == null && f.min == null && f.max == null)
        problem(`${p}.figure`, 'give a value, or min and/or max');
      if (f.min != null && f.max != null && f.min > f.max)
        problem(`${p}.figure`, `min ${f.min} is above max ${f.max}`);
      if (f.shareOf && !figureClaims.has(f.shareOf))
        problem(`${p}.figure.shareOf`, `no figure claim ${f.shareOf}`);
      if (f.during && entityKinds.get(f.during) !== 'Event')
        problem(`${p}.figure.during`, `no event ${f.during}`);
      const row: FigureRow = {
        id: figureId,
        claimId: c.id,
        subjectId: c.subject,
        measure: f.measure,
        value: f.value ?? null,
        min: f.min ?? null,
        max: f.max ?? null,
        qualifier: f.qualifier,
        unit: f.unit,
        subgroup: f.subgroup ?? null,
        text: f.text ?? null,
        periodStart: fuzzy(`${p}.figure.periodStart`, f.periodStart),
        periodEnd: fuzzy(`${p}.figure.periodEnd`, f.periodEnd),
        asOf: fuzzy(`${p}.figure.asOf`, f.asOf),
        shareOfId: f.shareOf ? figureIdOf(f.shareOf) : null,
        duringId: f.during ?? null,
        sensitivity: f.sensitivity ?? c.sensitivity,
      };
      figures.push(row);
      claims.push({ ...base, ...figureClaimValue(row) });
    } else if (c.attribute) {
      const a = c.attribute;
      let value: unknown = a.value;
      if (typeof a.value === 'object') value = fuzzy(`${p}.attribute.value`, a.value);
      claims.push({ ...base, ...attributeClaimValue(a.property, value) });
    } else {
      claims.push({ ...base, ...statementClaimValue() });
    }
  }

  // Links: relationships cited by claims that do not assert them as relations (see LinkInput).
  const claimsById = new Map(b.claims.map((c) => [c.id, c] as const));
  for (const [i, l] of b.links.entries()) {
    const p = `links[${i}]`;
    const type = l.type as RelationType;
    const spec = RELATIONS[type];
    const fromKind = entityKinds.get(l.from);
    const toKind = entityKinds.get(l.to);
    if (!fromKind) problem(`${p}.from`, `no entity ${l.from} in the bundle`);
    if (!toKind) problem(`${p}.to`, `no entity ${l.to} in the bundle`);
    if (fromKind && toKind && !relationAllows(type, fromKind, toKind)) {
      problem(`${p}.type`, `${type} does not join ${fromKind} to ${toKind} (${spec.description})`);
    }
    if (spec.hasRole && !l.role) problem(`${p}.role`, `${type} needs a role`);
    if (!spec.hasRole && l.role) problem(`${p}.role`, `${type} takes no role`);
    l.claims.forEach((cid, ci) => {
      const c = claimsById.get(cid);
      if (!c) problem(`${p}.claims[${ci}]`, `no claim ${cid} in the bundle`);
      // As linkEntities requires: evidence for a link is about one of its ends.
      else if (![l.from, l.to].includes(c.subject) && ![l.from, l.to].includes(c.relation?.object ?? '')) {
        problem(`${p}.claims[${ci}]`, `claim ${cid} is about neither ${l.from} nor ${l.to}`);
      }
    });
    const role = l.role ?? null;
    const relId = relationId(type, l.from, l.to, role);
    const existing = relations.get(relId);
    if (existing) existing.claimIds.push(...l.claims.filter((x) => !existing.claimIds.includes(x)));
    else relations.set(relId, { id: relId, type, fromId: l.from, toId: l.to, role, claimIds: [...l.claims] });
  }

  if (problems.length) throw new BundleError(problems);
  return {
    recordedBy: b.recordedBy,
    recordedAt: b.recordedAt,
    sources,
    entities,
    excerpts: [...excerpts.values()],
    claims,
    figures,
    relations: [...relations.values()],
  };
}

function relationClaim(
  c: ClaimInput,
  base: Omit<ClaimRow, keyof ClaimValue>,
  p: string,
  entityKinds: Map<string, EntityKind>,
  subjectKind: EntityKind | undefined,
  relations: Map<string, RelationRow>,
  problem: (p: string, m: string) => void,
): ClaimRow {
  const r = c.relation!;
  const type = r.type as RelationType;
  const spec = RELATIONS[type];
  const objectKind = entityKinds.get(r.object);
  if (!objectKind) problem(`${p}.relation.object`, `no entity ${r.object} in the bundle`);
  if (subjectKind && objectKind && !relationAllows(type, subjectKind, objectKind)) {
    problem(
      `${p}.relation.type`,
      `${type} does not join ${subjectKind} to ${objectKind} (${spec.description})`,
    );
  }
  if (spec.hasRole && !r.role) problem(`${p}.relation.role`, `${type} needs a role`);
  if (!spec.hasRole && r.role) problem(`${p}.relation.role`, `${type} takes no role`);
  const role = r.role ?? null;
  const relId = relationId(type, c.subject, r.object, role);
  const existing = relations.get(relId);
  if (existing) existing.claimIds.push(c.id);
  else relations.set(relId, { id: relId, type, fromId: c.subject, toId: r.object, role, claimIds: [c.id] });
  return { ...base, ...relationClaimValue(type, r.object, role) };
}

export { kindOfId };
