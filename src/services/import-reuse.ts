import type { Executor } from '../graph/executor.js';
import * as store from '../graph/stores/import-reuse.js';
import type { IdentifierHolder, NameHolder } from '../graph/stores/import-reuse.js';
import { resolveBundle, type ResolvedBundle } from '../io/bundle/resolve.js';
import { noFiles, type BundleDoc } from '../io/import/common.js';
import type { EntityKind } from '../model/graph-model.js';
import { identifierKey, REUSE_SCHEMES } from '../model/identifiers.js';
import { plainName } from '../model/names.js';

/**
 * Between conversion and loading: an FtM or ACLED import reuses the records the graph already holds
 * instead of making a second Syria. Each entity of the converted bundle is looked up in the store:
 *
 *  1. by identifier: an ISO 3166 code (any case: `sy` is `SY`), a Wikidata id, the dataset's original
 *     id (schemes acled, ftm, opensanctions; model/identifiers.ts REUSE_SCHEMES), of the same kind. When
 *     several stored records hold it, the one recorded first (they are its duplicates);
 *  2. otherwise, for places and for actors other than persons, by name: the file's name equal to a
 *     stored record's name or alias up to case, diacritics and punctuation (model/names.ts plainName;
 *     "Dar'a" is not "Dara"), of the same kind and type (a file's "unknown" actor type matches any),
 *     and for a place the same parent place as the file gives it (PART_OF; a place without one in the
 *     file: any). Exactly one such record, or none is reused: two equal names are a question for an
 *     analyst. Persons are reused by identifier only (two people share a name; conflating them is the
 *     worst error an investigator's graph can make), and events too (their names describe, "Arrests in
 *     Arsal"; ACLED and FtM give their ids).
 *
 * A reused entity's id is replaced by the stored id everywhere in the bundle (claims, relations, figures,
 * attributions, publishers, links) and its row is not written: the stored record keeps its fields, and
 * only the file's claims (its evidence) are added about it. The file's own aliases and identifiers are
 * not added to it: the loader writes names only with entity rows. Names that are near but not equal
 * (Dara, Daraa) are left separate, for matchCandidates to propose. A file that writes an id the store
 * holds already (a re-import) is left to the loader, as before.
 *
 * Lookups run under the executor's clearance (an admin's CLI sees everything) in a fixed number of
 * statements per file: one for stored ids, one for identifiers, one per level of place nesting for names.
 */

/** What this step reads of a bundle's actor, place or event. */
interface EntityDoc {
  id: string;
  type: string;
  name: string;
  identifiers?: { scheme: string; value: string }[];
  facilityKind?: unknown;
}
type ClaimDoc = NonNullable<BundleDoc['claims']>[number];

/** An entity of the file that was matched to a stored record. */
export interface ReusedRecord {
  /** The file's id (not written). */
  from: string;
  /** The stored record's id (the file's claims are about it now). */
  to: string;
  by: 'identifier' | 'name';
}

interface FileEntity {
  kind: EntityKind;
  doc: EntityDoc;
  /** The place it is PART_OF in the file (places only). */
  parent?: string;
}

const LISTS = [
  ['actors', 'Actor'],
  ['places', 'Place'],
  ['events', 'Event'],
] as const;

/** The file's entities, with the parent each place is given by the file's PART_OF claims. */
function fileEntities(doc: BundleDoc): Map<string, FileEntity> {
  const out = new Map<string, FileEntity>();
  for (const [list, kind] of LISTS)
    for (const e of (doc[list] ?? []) as EntityDoc[]) out.set(e.id, { kind, doc: e });
  for (const c of doc.claims ?? []) {
    const child = out.get(c.subject);
    if (c.relation?.type !== 'PART_OF' || child?.kind !== 'Place' || child.parent) continue;
    if (out.get(c.relation.object)?.kind === 'Place') child.parent = c.relation.object;
  }
  return out;
}

const reuseKeys = (e: FileEntity) =>
  (e.doc.identifiers ?? [])
    .filter((i) => (REUSE_SCHEMES as readonly string[]).includes(i.scheme))
    .map((i) => identifierKey(i.scheme, i.value));

const oldest = <T extends { createdAt: string; id: string }>(list: T[]): T | undefined =>
  [...list].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))[0];

/** Step 1: the stored record each entity's identifiers point at (same kind, recorded first). */
function identifierMatches(entities: Map<string, FileEntity>, holders: IdentifierHolder[]) {
  const out = new Map<string, IdentifierHolder>();
  for (const [id, e] of entities) {
    const keys = reuseKeys(e);
    const found = holders.filter(
      (h) => h.id !== id && h.kind === e.kind && h.hits.some((k) => keys.includes(k)),
    );
    const pick = oldest(found);
    if (pick) out.set(id, pick);
  }
  return out;
}

/** Whether an entity is looked up by name at all (places, and actors other than persons). */
const byNameAtAll = (e: FileEntity) => e.kind === 'Place' || (e.kind === 'Actor' && e.doc.type !== 'person');

/** Step 2: the one stored record whose name, kind, type and parent equal the entity's, if exactly one. */
function nameMatch(e: FileEntity, found: NameHolder[], parent: string | undefined): NameHolder | undefined {
  const name = plainName(e.doc.name);
  const fits = found.filter(
    (f) =>
      f.id !== e.doc.id &&
      // A file actor of unknown type (an FtM LegalEntity, an ACLED associate) may be any stored type but a
      // person: persons are reused by identifier only.
      (f.type === e.doc.type || (e.kind === 'Actor' && e.doc.type === 'unknown' && f.type !== 'person')) &&
      f.names.some((n) => plainName(n) === name) &&
      // A place the file gives no parent is only a stored place with none either ("Tripoli" alone is not
      // Lebanon's Tripoli).
      (parent === undefined ? f.parents.length === 0 : f.parents.includes(parent)),
  );
  return fits.length === 1 ? fits[0] : undefined;
}

/** Lucene phrase query of a name's words (plainName keeps letters, digits and apostrophes only). */
const phrase = (name: string) => {
  const words = plainName(name);
  return words ? `"${words}"` : '';
};

/**
 * Which entities of the file are stored records already: file id → stored id and how it was found.
 * Places are looked up by name level by level (a country before its governorates), so that a parent's
 * stored id is known when its children are compared.
 */
export async function findReusable(
  executor: Executor,
  doc: BundleDoc,
): Promise<Map<string, { to: string; type: string; by: ReusedRecord['by'] }>> {
  const entities = fileEntities(doc);
  const stored = await store.storedIds(executor, [...entities.keys()]);
  const pending = new Map([...entities].filter(([id]) => !stored.has(id)));
  const keys = [...new Set([...pending.values()].flatMap(reuseKeys))];
  const reused = new Map<string, { to: string; type: string; by: ReusedRecord['by'] }>();
  for (const [id, h] of identifierMatches(pending, await store.identifierHolders(executor, keys)))
    reused.set(id, { to: h.id, type: h.type, by: 'identifier' });

  // The final id of a decided entity: a stored id it reuses, its own when stored, null when it is new.
  const decided = new Map<string, string | null>();
  for (const id of entities.keys())
    if (stored.has(id) || reused.has(id)) decided.set(id, reused.get(id)?.to ?? id);
  for (const [id, e] of pending) if (!decided.has(id) && !byNameAtAll(e)) decided.set(id, null);

  for (let round = 0; round <= entities.size; round += 1) {
    const ready = [...pending].filter(
      ([id, e]) => !decided.has(id) && (e.parent === undefined || decided.has(e.parent)),
    );
    if (!ready.length) break;
    const parentOf = (e: FileEntity) => (e.parent === undefined ? undefined : decided.get(e.parent));
    // A parent the file makes anew has no stored children: its places are new too.
    const ask = ready.filter(([, e]) => parentOf(e) !== null && phrase(e.doc.name));
    const found = await store.nameHolders(
      executor,
      ask.map(([id, e]) => ({ ref: id, kind: e.kind, query: phrase(e.doc.name) })),
    );
    for (const [id, e] of ready) {
      const m = nameMatch(e, found.get(id) ?? [], parentOf(e) ?? undefined);
      if (m) reused.set(id, { to: m.id, type: m.type, by: 'name' });
      decided.set(id, m ? m.id : null);
    }
  }
  return reused;
}

/** The bundle with each reused id replaced by the stored one, and its entity reduced to what validation reads. */
export function rewriteIds(doc: BundleDoc, reused: Map<string, { to: string; type: string }>): BundleDoc {
  const to = (id: string) => reused.get(id)?.to ?? id;
  const own = new Set(LISTS.flatMap(([list]) => ((doc[list] ?? []) as EntityDoc[]).map((e) => e.id)));
  const seen = new Set<string>();
  const entities = <T extends { id: string; type: string; name: string }>(list: T[] | undefined): T[] =>
    (list ?? []).flatMap((e) => {
      const r = reused.get(e.id);
      if (!r) return [e];
      // One record per stored id; none when the file writes that id itself (its own record stays).
      if (own.has(r.to) || seen.has(r.to)) return [];
      seen.add(r.to);
      const rec: EntityDoc = { ...e, id: r.to, type: r.type, aliases: [], identifiers: [] };
      // A facility's kind belongs to a facility: the stored type decides.
      if (r.type !== e.type) delete rec.facilityKind;
      return [rec as unknown as T];
    });
  const claim = (c: ClaimDoc): ClaimDoc => ({
    ...c,
    subject: to(c.subject),
    ...(c.relation ? { relation: { ...c.relation, object: to(c.relation.object) } } : {}),
    ...(c.figure?.during ? { figure: { ...c.figure, during: to(c.figure.during) } } : {}),
    ...(c.attributedTo ? { attributedTo: c.attributedTo.map(to) } : {}),
    ...(c.attribution ? { attribution: c.attribution.map((h) => ({ ...h, actor: to(h.actor) })) } : {}),
  });
  return {
    ...doc,
    actors: entities(doc.actors),
    places: entities(doc.places),
    events: entities(doc.events),
    sources: (doc.sources ?? []).map((s) => ({
      ...s,
      ...(s.publisher ? { publisher: to(s.publisher) } : {}),
      ...(s.publishedVia ? { publishedVia: s.publishedVia.map((h) => ({ ...h, actor: to(h.actor) })) } : {}),
    })),
    claims: (doc.claims ?? []).map(claim),
    links: (doc.links ?? []).map((l) => ({ ...l, from: to(l.from), to: to(l.to) })),
  };
}

/**
 * Resolves an import's bundle reusing stored records (see above): the rows the loader writes, without
 * the reused entities, and what was reused. Problems are the loader's (BundleError), as resolveBundle's.
 */
export async function resolveReusing(
  executor: Executor,
  doc: BundleDoc,
): Promise<ResolvedBundle & { reused: ReusedRecord[] }> {
  const reusable = await findReusable(executor, doc);
  const resolved = await resolveBundle(rewriteIds(doc, reusable), noFiles);
  const targets = new Set([...reusable.values()].map((r) => r.to));
  const own = new Set(LISTS.flatMap(([list]) => ((doc[list] ?? []) as EntityDoc[]).map((e) => e.id)));
  return {
    ...resolved,
    entities: resolved.entities.filter((e) => !targets.has(e.id) || own.has(e.id)),
    reused: [...reusable].map(([from, r]) => ({ from, to: r.to, by: r.by })),
  };
}
