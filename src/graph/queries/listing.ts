import { RELATION_TYPES } from '../../model/graph-model.js';
import { statement, type Params, type Statement } from '../executor.js';
import {
  CLAIM_DETAILS,
  EMBEDDED_CLAIMS,
  sourceProjection,
  VISIBLE,
  VISIBLE_CLAIM,
  VISIBLE_CLAIM_IDS,
  VISIBLE_PATH,
  VISIBLE_REL,
} from './fragments.js';

/**
 * Listings (events, actors, places, sources, timeline) as keyset-paginated statements. Filters are fixed
 * Cypher fragments switched on by parameters (a null parameter disables its condition), so every value
 * reaches Cypher as a parameter. A filter that names a record (actorId, placeId, sourceId, withinId,
 * publisherId) crosses only what the caller may see: the record itself and every relationship and record
 * on the way (VISIBLE_PATH, VISIBLE_REL, VISIBLE_CLAIM), so a hidden anchor answers exactly like a
 * missing id, with nothing. Variants differ only in what nested data they embed, chosen by the
 * GraphQL selection; each variant is a named, cached statement.
 */

export const RELATION_TYPE_LIST = RELATION_TYPES;

/** The event filter's parameters (null: no condition) and the relationship types the embeds walk. */
export type EventFilterParams = {
  types: string[] | null;
  from: string | null;
  to: string | null;
  placeId: string | null;
  actorId: string | null;
  role: string | null;
  sourceId: string | null;
  nameContains: string | null;
  relationTypes: readonly string[];
};

/**
 * A keyset page: the key and id of the last record shown (null for the first page; from the client's
 * cursor, so of any JSON type), and how many rows to return.
 */
export type KeysetParams = { afterKey: unknown; afterId: unknown; limit: number };

/**
 * Events pages also take the date the by-date statement starts reading the event_date index at, and the
 * key the by-place-date statement starts reading IN_PLACE rows at (the cursor's key when a string, else '').
 */
export type EventsPageParams = EventFilterParams & KeysetParams & { datedFrom: string; keyFrom: string };

export type EntitiesPageParams = KeysetParams & {
  types: string[] | null;
  namePrefix: string | null;
  withinId: string | null;
  nameContains: string | null;
  relationTypes: readonly string[];
};

export type SourcesPageParams = KeysetParams & {
  publisherId: string | null;
  language: string | null;
  reliability: string[] | null;
};

/** The span of an event: from its earliest start to its latest end (open bounds are null). */
const SPAN = `e.dateEarliest AS lo, coalesce(e.endDateLatest, CASE WHEN e.endDateJson IS NULL THEN e.dateLatest END) AS hi`;
const EVENT_SPAN = `
  WITH e, ${SPAN}`;

/**
 * A name or alias of entity `x` contains $nameContains, case-insensitive: the same test for events, actors
 * and places (like namePrefix, a filter on the names list of records the listing reads anyway).
 */
const NAME_CONTAINS = (x: string) => `any(n IN ${x}.names WHERE toLower(n) CONTAINS toLower($nameContains))`;

const EVENT_FILTER = `
  WHERE ${VISIBLE('e')}
    AND ($types IS NULL OR e.type IN $types)
    AND (($from IS NULL AND $to IS NULL) OR lo IS NOT NULL OR hi IS NOT NULL)
    AND ($to IS NULL OR lo IS NULL OR lo <= date($to))
    AND ($from IS NULL OR hi IS NULL OR hi >= date($from))
    AND ($placeId IS NULL OR EXISTS {
      MATCH inPlace = (e)-[:OCCURRED_IN]->(:Place)-[:PART_OF*0..6]->(:Place {id: $placeId})
      WHERE ${VISIBLE_PATH('inPlace')} })
    AND ($actorId IS NULL OR EXISTS {
      MATCH (ea:Actor {id: $actorId})-[r:INVOLVED_IN]->(e)
      WHERE ($role IS NULL OR r.role = $role) AND ${VISIBLE('ea')} AND ${VISIBLE_REL('r')} })
    AND ($sourceId IS NULL OR EXISTS {
      MATCH (e)<-[:ABOUT]-(ec:Claim)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(es:Source {id: $sourceId})
      WHERE ${VISIBLE('es')} AND ${VISIBLE_CLAIM('ec')} })
    AND ($nameContains IS NULL OR ${NAME_CONTAINS('e')})`;

/**
 * Where the events of a listing are found: every event, or (when the filter names one) only those of the
 * actor or in the place. EVENT_FILTER still applies in full, so the anchor changes the plan, not the answer:
 * without it every event was read to test the actor or place condition (bench/README.md, scale benchmark).
 */
export type EventAnchor = 'all' | 'actor' | 'place';

const EVENT_MATCH: Record<EventAnchor, string> = {
  all: 'MATCH (e:Event)',
  actor: 'MATCH (:Actor {id: $actorId})-[:INVOLVED_IN]->(e:Event) WITH DISTINCT e',
  place: 'MATCH (:Place {id: $placeId})<-[:PART_OF*0..6]-(:Place)<-[:OCCURRED_IN]-(e:Event) WITH DISTINCT e',
};

/** The most selective anchor the filter allows. */
export function eventAnchor(filter: { actorId: string | null; placeId: string | null }): EventAnchor {
  return filter.actorId !== null ? 'actor' : filter.placeId !== null ? 'place' : 'all';
}

/** Sort keys per order; strings so that one keyset comparison serves every order. */
const EVENT_SORT: Record<'DATE_ASC' | 'DATE_DESC' | 'NAME_ASC', { key: string; dir: 'ASC' | 'DESC' }> = {
  DATE_ASC: { key: `coalesce(toString(lo), '9999-12-31')`, dir: 'ASC' },
  // Latest possible date first; events with no bound at all last.
  DATE_DESC: { key: `coalesce(toString(coalesce(hi, lo)), '0000-00-00')`, dir: 'DESC' },
  NAME_ASC: { key: `toLower(e.name)`, dir: 'ASC' },
};

export type EventOrder = keyof typeof EVENT_SORT;

export interface Embeds {
  /** Embed each record's relationships (with the other end's record). */
  relations: boolean;
  /** Embed claims (about the record, and behind its relationships) with CLAIM_DETAILS. */
  claims: boolean;
  /** Compute the total count of matching records. */
  total: boolean;
}

/** Per-record embedded data for variable `x`. */
function embeds(x: string, e: Embeds): string {
  const parts: string[] = [];
  if (e.relations) {
    parts.push(`_relations: COLLECT {
      MATCH (${x})-[r]-(o:Entity) WHERE type(r) IN $relationTypes AND ${VISIBLE('o')}
      WITH r, o, ${VISIBLE_CLAIM_IDS('r')} AS claimIds WHERE size(claimIds) > 0
      RETURN {id: r.id, type: type(r), role: r.role, position: r.position, fromId: startNode(r).id, toId: endNode(r).id,
              claimIds: claimIds, other: o {.*, _labels: labels(o)}}
      ORDER BY type(r), r.role, o.id
    }`);
  }
  if (e.claims) {
    parts.push(
      `_claims: COLLECT { MATCH (c:Claim)-[:ABOUT]->(${x}) WHERE ${VISIBLE_CLAIM('c')}
        WITH c ORDER BY c.fact, c.id LIMIT ${EMBEDDED_CLAIMS} RETURN ${CLAIM_DETAILS} }`,
    );
    if (e.relations) {
      parts.push(`_relationClaims: COLLECT {
        MATCH (${x})-[r]-(:Entity) WHERE type(r) IN $relationTypes
        UNWIND r.claimIds AS cid MATCH (c:Claim {id: cid}) WHERE ${VISIBLE_CLAIM('c')}
        WITH DISTINCT c LIMIT ${EMBEDDED_CLAIMS} RETURN ${CLAIM_DETAILS}
      }`);
    }
  }
  return parts.length ? `, ${parts.join(',\n')}` : '';
}

const flags = (e: Embeds) =>
  `${e.relations ? '+relations' : ''}${e.claims ? '+claims' : ''}${e.total ? '+total' : ''}`;
const cache = new Map<string, Statement>();
const cached = <P extends Params>(name: string, build: () => string): Statement<P> => {
  let s = cache.get(name);
  if (!s) cache.set(name, (s = statement<P>(name, build())));
  return s;
};

/**
 * All events by earliest date: dated events come from the event_date index in date order from the cursor
 * on, so a page (however deep) reads about one page of events, not every event; undated events (last in
 * this order) are read only when the dated ones do not fill the page. Same keys and order as the generic
 * statement (ISO dates of years 0000-9999 sort as their strings do). $datedFrom: the cursor's date, or the
 * smallest date.
 */
function eventsByDatePage(e: Embeds): Statement<EventsPageParams> {
  const row = `{key: k, lo: toString(lo), hi: toString(hi), node: e {.*, _labels: labels(e)${embeds('e', e)}}}`;
  const keyset = `($afterKey IS NULL OR k > $afterKey OR (k = $afterKey AND e.id > $afterId))`;
  return cached(
    `listing.events.DATE_ASC${flags(e)}.by-date-index`,
    () => `
    ${e.total ? `CALL () { ${EVENT_MATCH.all} ${EVENT_SPAN} ${EVENT_FILTER} RETURN count(e) AS total }` : 'WITH null AS total'}
    CALL () {
      MATCH (e:Event) USING INDEX e:Event(dateEarliest) WHERE e.dateEarliest >= date($datedFrom)
      ${EVENT_SPAN} ${EVENT_FILTER}
      WITH e, lo, hi, toString(lo) AS k WHERE ${keyset}
      WITH e, lo, hi, k ORDER BY lo ASC, e.id ASC LIMIT toInteger($limit)
      RETURN collect(${row}) AS dated
    }
    WITH total, dated, COLLECT {
      WITH 1 AS more WHERE size(dated) < toInteger($limit)
      MATCH (e:Event) WHERE e.dateEarliest IS NULL
      ${EVENT_SPAN} ${EVENT_FILTER}
      WITH e, lo, hi, '9999-12-31' AS k WHERE ${keyset}
      WITH e, lo, hi, k ORDER BY e.id ASC LIMIT toInteger($limit)
      RETURN ${row}
    } AS undated
    RETURN total, (dated + undated)[..toInteger($limit)] AS rows`,
  );
}

/**
 * Events of a place (and the places within it) by earliest date, from the IN_PLACE rows
 * (queries/event-places.ts): each candidate run is one composite index range read in listing order (key,
 * then event id: the index's order) that stops at the page, whatever the number of the place's events. The runs: events starting from the window's
 * month (or the cursor) up to its end; undated ones (last in this order); those that began before the
 * window's month and cross its start; those with an open end (or a very long span). EVENT_FILTER applies
 * in full to every candidate (the visible path to the place included), so the rows change the plan, not
 * the answer: the page is the first $limit of the union in the generic statement's order.
 */
function eventsByPlaceDatePage(e: Embeds): Statement<EventsPageParams> {
  const keyset = `($afterKey IS NULL OR k > $afterKey OR (k = $afterKey AND e.id > $afterId))`;
  const run = (args: string, where: string, guard = '') => `
    CALL (${args}) {
      ${guard}
      MATCH (e:Event)-[ip:IN_PLACE]->(:Place) USING INDEX ip:IN_PLACE(placeId, at, key, eventId)
      // A composite index serves only predicates on all its properties: eventId's is that it exists.
      WHERE ip.placeId = $placeId AND ${where} AND ip.eventId IS NOT NULL
        AND ($afterKey IS NULL OR ip.key > $afterKey OR (ip.key = $afterKey AND ip.eventId > $afterId))
      WITH e, ip.placeId AS rp, ip.at AS ra, ip.key AS rk, ip.eventId AS rid, ${SPAN} ${EVENT_FILTER}
      WITH e, rp, ra, rk, rid, coalesce(toString(lo), '9999-12-31') AS k WHERE ${keyset}
      // The index's own order, all four properties (the planner sees it as given only so): the rows are
      // read in it and reading stops at the page (Limit, not Top: test/cypher/plan-rules.ts).
      WITH DISTINCT e, rp, ra, rk, rid ORDER BY rp, ra, rk, rid LIMIT toInteger($limit)
      RETURN collect(e) AS found
    }`;
  return cached(
    `listing.events.DATE_ASC${flags(e)}.by-place-date`,
    () => `
    ${e.total ? `CALL () { ${EVENT_MATCH.place} ${EVENT_SPAN} ${EVENT_FILTER} RETURN count(e) AS total }` : 'WITH null AS total'}
    CALL () {
      WITH CASE WHEN $from IS NULL THEN null ELSE substring($from, 0, 7) + '-01' END AS month,
           CASE WHEN $to IS NULL THEN '9999-12-31' ELSE toString(date($to)) END AS upto
      WITH month, upto, CASE WHEN month IS NULL OR $keyFrom > month THEN $keyFrom ELSE month END AS lower
      ${run('lower, upto', `ip.at = 'start' AND ip.key >= lower AND ip.key <= upto`)}
      WITH month, found AS starting
      ${run('month', `ip.at = month AND ip.key >= $keyFrom`)}
      WITH month, starting + found AS starting
      ${run('month', `ip.at = 'open' AND ip.key >= $keyFrom AND ip.key < month`)}
      WITH starting + found AS starting
      // Undated events come last in this order: read only when the dated runs (disjoint, each distinct)
      // did not fill the page.
      ${run('starting', `ip.at = 'start' AND ip.key = '9999-12-31'`, 'WITH starting WHERE size(starting) < toInteger($limit)')}
      UNWIND starting + found AS e
      WITH DISTINCT e
      ${EVENT_SPAN}
      WITH e, lo, hi, coalesce(toString(lo), '9999-12-31') AS k ORDER BY k, e.id LIMIT toInteger($limit)
      RETURN collect({key: k, lo: toString(lo), hi: toString(hi), node: e {.*, _labels: labels(e)${embeds('e', e)}}}) AS rows
    }
    RETURN total, rows`,
  );
}

/**
 * An actor's events in listing order (key, then id) from its WITH_ACTOR rows (queries/event-places.ts): one
 * range of index event_with_actor_order from the cursor on, read in the index's order (ORDER BY all three
 * properties: the planner sees the order as given only so) and no further than $limit events passing
 * EVENT_FILTER, which applies in full (the visible involvement, its role, included). A `from`/`to` window
 * or a role is applied to the rows as read: a window that holds fewer than $limit of the actor's events
 * reads the actor's rows from the cursor on (as the generic statement reads all of them).
 */
const ACTOR_ROWS = (keyFrom: string) => `
      MATCH (e:Event)-[wa:WITH_ACTOR]->(:Actor) USING INDEX wa:WITH_ACTOR(actorId, key, eventId)
      WHERE wa.actorId = $actorId AND wa.key >= ${keyFrom} AND wa.eventId IS NOT NULL
      WITH e, wa.actorId AS ra, wa.key AS rk, wa.eventId AS rid, ${SPAN} ${EVENT_FILTER}
        // A row counts only with the event's own key and id: a stale row (a date changed while this reads)
        // neither places the event out of order nor shows it twice.
        AND rk = coalesce(toString(lo), '9999-12-31') AND rid = e.id`;

function eventsByActorDatePage(e: Embeds): Statement<EventsPageParams> {
  return cached(
    `listing.events.DATE_ASC${flags(e)}.by-actor-date`,
    () => `
    ${e.total ? `CALL () { ${EVENT_MATCH.actor} ${EVENT_SPAN} ${EVENT_FILTER} RETURN count(e) AS total }` : 'WITH null AS total'}
    CALL () {
      ${ACTOR_ROWS('$keyFrom')}
        AND ($afterKey IS NULL OR rk > $afterKey OR (rk = $afterKey AND rid > $afterId))
      WITH DISTINCT e, ra, rk, rid ORDER BY ra, rk, rid LIMIT toInteger($limit)
      ${EVENT_SPAN}
      WITH e, lo, hi, coalesce(toString(lo), '9999-12-31') AS k ORDER BY k, e.id
      RETURN collect({key: k, lo: toString(lo), hi: toString(hi), node: e {.*, _labels: labels(e)${embeds('e', e)}}}) AS rows
    }
    RETURN total, rows`,
  );
}

export function eventsPage(
  order: EventOrder,
  e: Embeds,
  anchor: EventAnchor = 'all',
): Statement<EventsPageParams> {
  if (order === 'DATE_ASC' && anchor === 'all') return eventsByDatePage(e);
  if (order === 'DATE_ASC' && anchor === 'place') return eventsByPlaceDatePage(e);
  if (order === 'DATE_ASC' && anchor === 'actor') return eventsByActorDatePage(e);
  const { key, dir } = EVENT_SORT[order];
  const after = dir === 'ASC' ? '>' : '<';
  const match = EVENT_MATCH[anchor];
  return cached(
    `listing.events.${order}${flags(e)}${anchor === 'all' ? '' : `.by-${anchor}`}`,
    () => `
    ${e.total ? `CALL () { ${match} ${EVENT_SPAN} ${EVENT_FILTER} RETURN count(e) AS total }` : 'WITH null AS total'}
    CALL () {
      ${match} ${EVENT_SPAN} ${EVENT_FILTER}
      WITH e, lo, hi, ${key} AS k
      WHERE $afterKey IS NULL OR k ${after} $afterKey OR (k = $afterKey AND e.id > $afterId)
      WITH e, lo, hi, k ORDER BY k ${dir}, e.id ASC LIMIT toInteger($limit)
      RETURN collect({key: k, lo: toString(lo), hi: toString(hi), node: e {.*, _labels: labels(e)${embeds('e', e)}}}) AS rows
    }
    RETURN total, rows`,
  );
}

export function timeline(
  e: Embeds,
  anchor: EventAnchor = 'all',
): Statement<EventFilterParams & { limit: number }> {
  if (anchor === 'actor')
    return cached(
      `listing.timeline${flags(e)}.by-actor-date`,
      () => `
      ${ACTOR_ROWS("''")}
      WITH DISTINCT e, ra, rk, rid ORDER BY ra, rk, rid LIMIT toInteger($limit)
      ${EVENT_SPAN}
      WITH e, lo, hi ORDER BY coalesce(toString(lo), '9999-12-31'), e.id
      RETURN toString(lo) AS lo, toString(hi) AS hi, e {.*, _labels: labels(e)${embeds('e', e)}} AS node`,
    );
  return cached(
    `listing.timeline${flags(e)}${anchor === 'all' ? '' : `.by-${anchor}`}`,
    () => `
    ${EVENT_MATCH[anchor]} ${EVENT_SPAN} ${EVENT_FILTER}
    WITH e, lo, hi ORDER BY coalesce(toString(lo), '9999-12-31'), e.id LIMIT toInteger($limit)
    RETURN toString(lo) AS lo, toString(hi) AS hi, e {.*, _labels: labels(e)${embeds('e', e)}} AS node`,
  );
}

const ENTITY_FILTER = `
  WHERE ${VISIBLE('x')}
    AND ($types IS NULL OR x.type IN $types)
    AND ($namePrefix IS NULL OR any(n IN x.names WHERE toLower(n) STARTS WITH toLower($namePrefix)))
    AND ($nameContains IS NULL OR ${NAME_CONTAINS('x')})
    AND ($withinId IS NULL OR EXISTS {
      MATCH withinPath = (x)-[:PART_OF*1..6]->(:Place {id: $withinId}) WHERE ${VISIBLE_PATH('withinPath')} })`;

export function entitiesPage(label: 'Actor' | 'Place', e: Embeds): Statement<EntitiesPageParams> {
  return cached(
    `listing.${label.toLowerCase()}s${flags(e)}`,
    () => `
    ${e.total ? `CALL () { MATCH (x:${label}) ${ENTITY_FILTER} RETURN count(x) AS total }` : 'WITH null AS total'}
    CALL () {
      MATCH (x:${label}) ${ENTITY_FILTER}
      WITH x, toLower(x.name) AS k
      WHERE $afterKey IS NULL OR k > $afterKey OR (k = $afterKey AND x.id > $afterId)
      WITH x, k ORDER BY k, x.id LIMIT toInteger($limit)
      RETURN collect({key: k, node: x {.*, _labels: labels(x)${embeds('x', e)}}}) AS rows
    }
    RETURN total, rows`,
  );
}

const SOURCE_FILTER = `
  WHERE ${VISIBLE('s')}
    AND ($publisherId IS NULL OR EXISTS {
      MATCH (s)-[:PUBLISHED_BY]->(sp:Actor {id: $publisherId}) WHERE ${VISIBLE('sp')} })
    AND ($language IS NULL OR s.language = $language)
    AND ($reliability IS NULL OR s.reliability IN $reliability)`;

export function sourcesPage(total: boolean): Statement<SourcesPageParams> {
  return cached(
    `listing.sources${total ? '+total' : ''}`,
    () => `
    ${total ? `CALL () { MATCH (s:Source) ${SOURCE_FILTER} RETURN count(s) AS total }` : 'WITH null AS total'}
    CALL () {
      MATCH (s:Source) ${SOURCE_FILTER}
      WITH s, toLower(s.title) AS k
      WHERE $afterKey IS NULL OR k > $afterKey OR (k = $afterKey AND s.id > $afterId)
      WITH s, k ORDER BY k, s.id LIMIT toInteger($limit)
      OPTIONAL MATCH (s)-[:PUBLISHED_BY]->(pub:Actor) WHERE ${VISIBLE('pub')}
      RETURN collect({key: k, node: ${sourceProjection('s')}, publisher: pub {.*, _labels: labels(pub)}}) AS rows
    }
    RETURN total, rows`,
  );
}
