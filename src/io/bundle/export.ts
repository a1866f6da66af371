import { once } from 'node:events';
import type {
  BundleClaimRecord,
  BundleEntityRecord,
  BundleRecords,
  BundleRelationRecord,
} from '../../model/export-records.js';
import type { FuzzyDate } from '../../model/fuzzy-date.js';
import { RELATIONS, type RelationType } from '../../model/graph-model.js';
import { positionKey } from '../../model/ids.js';
import type { StoreDump } from '../../model/store.js';

/**
 * The graph as an hrkg-bundle/1 JSON document: what the bundle loader writes, read back (sources with
 * their text, entities with every property, claims with their value, every quote of every source at its
 * code-point offsets — quotes outside the claim's first source name theirs — attribution, status history,
 * confidence, sensitivity, who recorded them and when).
 *
 * With full clearance the document is a backup: a `store` section (src/io/bundle/store.ts) holds every
 * node and relationship of the store, typed — versions, creation times, merges with what undo needs,
 * same-as judgements, audit records, bundle loads — so that a restore into an empty store gives the same
 * store, and export → restore → export the same bytes. API keys, the migration ledger and idempotency
 * replay records are left out (src/model/store.ts says why). With less clearance it is a redacted share:
 * no store section; merged-away entities, audit and merge records are then absent.
 *
 * Determinism: records in id order, keys in the schema's order, null values and empty lists left out
 * (the loader reads an absent value as null or empty), two-space JSON with a final newline.
 * The bundle's recordedBy / recordedAt are the pair most claims share; claims recorded by someone else or
 * at another time carry their own.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

/** Leaves out null and undefined values and empty lists, keeping the order of the keys given. */
function compact(o: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v as Json;
  }
  return out;
}

/** A stored fuzzy date with everything it says: value, precision, qualifier, bounds, wording. */
function fuzzy(d: FuzzyDate | null): JsonObject | null {
  return d ? fuzzyObject(d) : null;
}

function fuzzyObject(d: FuzzyDate): JsonObject {
  return compact({
    value: d.value,
    precision: d.precision,
    qualifier: d.qualifier,
    earliest: d.earliest,
    latest: d.latest,
    text: d.text,
  });
}

/** The exported claims giving an entity's name (addAlias / addIdentifier), in id order. */
function claimsOf(e: BundleEntityRecord, kind: string, qualifier: string, value: string): string[] {
  return (e.names ?? [])
    .filter((g) => g.kind === kind && g.qualifier === qualifier && g.value === value)
    .map((g) => g.claim);
}

const withClaims = <T extends object>(name: T, claims: string[]) =>
  claims.length ? { ...name, claims } : name;

function entity(e: BundleEntityRecord, withDates: boolean): JsonObject {
  return compact({
    id: e.id,
    type: e.type,
    name: e.name,
    lang: e.lang,
    aliases: e.aliases.map((a) => withClaims(a, claimsOf(e, 'alias', a.lang, a.value))),
    identifiers: e.identifiers.map((i) => withClaims(i, claimsOf(e, 'identifier', i.scheme, i.value))),
    description: e.description,
    sensitivity: e.sensitivity,
    ...(withDates ? { date: fuzzy(e.date), endDate: fuzzy(e.endDate) } : {}),
    facilityKind: e.facilityKind,
  });
}

/** The pair (recordedBy, recordedAt) most claims share; ties go to the later time, then the name. */
function commonRecorder(claims: BundleClaimRecord[]): { recordedBy: string; recordedAt: string } {
  const counts = new Map<string, { recordedBy: string; recordedAt: string; n: number }>();
  for (const c of claims) {
    const key = JSON.stringify([c.recordedBy, c.recordedAt]);
    const entry = counts.get(key) ?? { recordedBy: c.recordedBy, recordedAt: c.recordedAt, n: 0 };
    entry.n += 1;
    counts.set(key, entry);
  }
  const best = [...counts.values()].sort(
    (a, b) =>
      b.n - a.n ||
      (a.recordedAt < b.recordedAt ? 1 : a.recordedAt > b.recordedAt ? -1 : 0) ||
      (a.recordedBy < b.recordedBy ? -1 : a.recordedBy > b.recordedBy ? 1 : 0),
  )[0];
  // An empty graph still makes a valid bundle; a fixed time keeps its export reproducible.
  return best ?? { recordedBy: 'hrkg export', recordedAt: '1970-01-01T00:00:00Z' };
}

/** The claim's chain as attributedTo, or as attribution when a hop has a capacity or words naming it. */
function attribution(c: BundleClaimRecord, source: string): JsonObject {
  const hops = c.attribution ?? [];
  if (!hops.some((h) => h.capacity !== null || h.quote !== null)) return { attributedTo: c.attributedTo };
  return {
    attribution: hops.map((h) =>
      compact({
        actor: h.actor,
        capacity: h.capacity,
        quote: h.quote
          ? compact({
              exact: h.quote.exact,
              start: h.quote.start,
              end: h.quote.end,
              source: h.quote.source === source ? null : h.quote.source,
            })
          : null,
      }),
    ),
  };
}

function claim(c: BundleClaimRecord, top: { recordedBy: string; recordedAt: string }): JsonObject {
  // The claim's source is the first it quotes; quotes in further sources name theirs.
  const source = c.quotes[0]!.source;
  let value: Record<string, unknown> = {};
  if (c.kind === 'relation') {
    value = {
      relation: compact({
        type: c.property,
        object: c.object,
        role: c.role,
        position: c.position,
        periodStart: fuzzy(c.periodStart),
        periodEnd: fuzzy(c.periodEnd),
      }),
    };
  } else if (c.kind === 'figure' && c.figure) {
    const f = c.figure;
    value = {
      figure: compact({
        measure: f.measure,
        value: f.value,
        min: f.min,
        max: f.max,
        qualifier: f.qualifier,
        unit: f.unit,
        subgroup: f.subgroup,
        text: f.text,
        duration: f.duration,
        sex: f.sex,
        ageGroup: f.ageGroup,
        category: f.category,
        periodStart: fuzzy(f.periodStart),
        periodEnd: fuzzy(f.periodEnd),
        asOf: fuzzy(f.asOf),
        shareOf: f.shareOf,
        during: f.during,
        sensitivity: f.sensitivity === c.sensitivity ? null : f.sensitivity,
      }),
    };
  } else if (c.kind === 'attribute') {
    const v = c.value;
    const isDate = v !== null && typeof v === 'object' && 'precision' in v;
    value = {
      attribute: { property: c.property, value: isDate ? fuzzyObject(v as FuzzyDate) : (v as Json) },
    };
  }
  return compact({
    id: c.id,
    fact: c.fact,
    slot: c.slot,
    subject: c.subject,
    summary: c.summary,
    ...value,
    source,
    quotes: c.quotes.map((q) =>
      compact({ exact: q.exact, start: q.start, end: q.end, source: q.source === source ? null : q.source }),
    ),
    ...attribution(c, source),
    status: c.status,
    statusReason: c.statusReason,
    statusChangedAt: c.statusChangedAt,
    statusChangedBy: c.statusChangedBy,
    confidence: c.confidence,
    sensitivity: c.sensitivity,
    recordedBy: c.recordedBy === top.recordedBy ? null : c.recordedBy,
    recordedAt: c.recordedAt === top.recordedAt ? null : c.recordedAt,
  });
}

/**
 * Relationships some of whose claims are not relation claims of that very relationship (linkEntities
 * cites any claim about one of its ends): the bundle lists them as links, or they would be lost.
 */
function links(relations: BundleRelationRecord[], claims: BundleClaimRecord[]): JsonObject[] {
  const byId = new Map(claims.map((c) => [c.id, c] as const));
  const out: JsonObject[] = [];
  for (const r of relations) {
    if (!(r.type in RELATIONS)) continue;
    const extra = r.claimIds
      .filter((id) => {
        const c = byId.get(id);
        if (!c) return false; // not exported (hidden)
        const own =
          c.kind === 'relation' &&
          c.property === r.type &&
          c.subject === r.fromId &&
          c.object === r.toId &&
          (c.role ?? null) === (r.role ?? null) &&
          positionKey(c.position) === positionKey(r.position);
        const aboutAnEnd =
          [r.fromId, r.toId].includes(c.subject) || [r.fromId, r.toId].includes(c.object ?? '');
        return !own && aboutAnEnd;
      })
      .sort();
    if (extra.length) {
      out.push(
        compact({
          type: r.type as RelationType,
          from: r.fromId,
          to: r.toId,
          role: r.role,
          claims: extra,
          position: r.position,
        }),
      );
    }
  }
  return out;
}

/** The bundle document, records in id order (the records come sorted by id). */
export function bundleFromRows(
  rows: BundleRecords,
  visible: readonly string[],
  store?: StoreDump,
): JsonObject {
  const top = commonRecorder(rows.claims);
  return compact({
    format: 'hrkg-bundle/1',
    recordedBy: top.recordedBy,
    recordedAt: top.recordedAt,
    description: store
      ? 'Backup of the knowledge graph: every record, and the whole store (kg import restores it into an empty store).'
      : `Export of the knowledge graph (records visible to clearance: ${visible.join(', ')}).`,
    sources: rows.sources.map((s) =>
      compact({
        id: s.id,
        text: s.text,
        sha256: s.sha256,
        title: s.title,
        publisher: s.publisher,
        dataset: s.dataset,
        language: s.language,
        url: s.url,
        retrievedAt: s.retrievedAt,
        published: fuzzy(s.published),
        reliability: s.reliability,
        sensitivity: s.sensitivity,
        notes: s.notes,
        publishedVia: s.publishedVia.length
          ? s.publishedVia.map((h) => compact({ actor: h.actor, url: h.url, published: fuzzy(h.published) }))
          : undefined,
      }),
    ),
    actors: rows.actors.map((e) => entity(e, false)),
    places: rows.places.map((e) => entity(e, false)),
    events: rows.events.map((e) => entity(e, true)),
    claims: rows.claims.map((c) => claim(c, top)),
    links: links(rows.relations, rows.claims),
    store: store ? (store as unknown as JsonObject) : null,
  });
}

/**
 * Writes the document as JSON.stringify(doc, null, 2) would, plus a newline, one record at a time and
 * waiting for the stream to drain, so that a large graph is not held twice as one string (lists and the
 * objects holding them are written item by item, down to the store section's nodes and relationships).
 */
export async function writeBundleJson(doc: JsonObject, out: NodeJS.WritableStream): Promise<void> {
  const write = async (chunk: string) => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
  await writeValue(doc, '', 0, write);
  await write('\n');
}

/** A JSON value at `indent`, as JSON.stringify(value, null, 2) nests it; containers down to depth 2 streamed. */
async function writeValue(
  value: Json,
  indent: string,
  depth: number,
  write: (chunk: string) => Promise<void>,
): Promise<void> {
  const streamed = depth < 3 && value !== null && typeof value === 'object';
  const entries: [string | null, Json][] = !streamed
    ? []
    : Array.isArray(value)
      ? value.map((v) => [null, v])
      : Object.entries(value);
  if (!streamed || entries.length === 0) {
    await write(JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}`));
    return;
  }
  const inner = `${indent}  `;
  await write(Array.isArray(value) ? '[\n' : '{\n');
  for (const [i, [key, v]] of entries.entries()) {
    await write(`${inner}${key === null ? '' : `${JSON.stringify(key)}: `}`);
    await writeValue(v, inner, depth + 1, write);
    await write(i < entries.length - 1 ? ',\n' : '\n');
  }
  await write(`${indent}${Array.isArray(value) ? ']' : '}'}`);
}
