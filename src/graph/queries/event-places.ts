import { statement } from '../executor.js';

/**
 * Events carry their places: `(:Event)-[:IN_PLACE {placeId, at, key, eventId}]->(:Place)` to the place each
 * OCCURRED_IN names and every place it is PART_OF (up to six hops, as the listing's place filter walks),
 * whatever their visibility: the rows only say where to look; listings re-check the visible path per row
 * (EVENT_FILTER). `key` is the event's DATE_ASC listing key (its earliest date, '9999-12-31' undated) and
 * `eventId` its id, so that `placeId = $p AND at = 'start' AND key >= $k` is one composite index range in
 * listing order, key then id (index event_in_place_order, migration 0014), read up to the page and no
 * further. Rows of one (event, place):
 * - at 'start': every event;
 * - at 'YYYY-MM-01': every month start the event's span crosses (earliest < month start <= latest), so the
 *   events that began before a window's month and still run in it are one range too;
 * - at 'open': a dated event with an open end, or one crossing more than EVENT_PLACE_MONTHS month starts.
 *
 * Events carry their actors the same way: `(:Event)-[:WITH_ACTOR {actorId, key, eventId}]->(:Actor)`, one
 * row per actor INVOLVED_IN the event (whatever the role and visibility: listings re-check them), so that
 * an actor's timeline is one range of index event_with_actor_order (actorId, key, eventId) in listing order.
 *
 * Derived data: rebuilt from OCCURRED_IN, PART_OF, INVOLVED_IN and the event's dates by the store's
 * refreshEventPlaces on every write path that changes them, left out of backups (rebuilt after a restore),
 * built for existing stores by migrations 0013-event-places (ids by 0014) and 0015-event-actors.
 */

/** Spans crossing more month starts than this carry one 'open' row instead of one row per month. */
export const EVENT_PLACE_MONTHS = 120;

/** The events among $ids, and those in a place among $ids or up to six PART_OF below it. */
export const affected = statement<{ ids: string[] }>(
  'eventPlaces.affected',
  `UNWIND $ids AS id
   MATCH (n:Entity {id: id})
   CALL (n) {
     WITH n WHERE n:Event RETURN n AS e
     UNION
     WITH n MATCH (n:Place)<-[:PART_OF*0..6]-(:Place)<-[:OCCURRED_IN]-(e:Event) RETURN e
   }
   RETURN DISTINCT e.id AS id`,
);

/** The events an actor among $ids is involved in: only their actor rows change with the actor. */
export const actorEvents = statement<{ ids: string[] }>(
  'eventPlaces.actorEvents',
  `UNWIND $ids AS id
   MATCH (:Actor {id: id})-[:INVOLVED_IN]->(e:Event)
   RETURN DISTINCT e.id AS id`,
);

/** Drops the actor rows of these events (each locked first, ids in order: see `clear`). */
export const clearActors = statement<{ ids: string[] }>(
  'eventPlaces.clearActors',
  `UNWIND $ids AS id
   WITH id ORDER BY id
   MATCH (e:Event {id: id})
   SET e._placing = true REMOVE e._placing
   WITH e
   MATCH (e)-[r:WITH_ACTOR]->()
   DELETE r`,
);

/** Writes the actor rows of the events $ids (cleared first). */
export const placeActors = statement<{ ids: string[] }>(
  'eventPlaces.placeActors',
  `UNWIND $ids AS id
   MATCH (e:Event {id: id})
   WITH e, coalesce(toString(e.dateEarliest), '9999-12-31') AS key
   CALL (e, key) {
     MATCH (a:Actor)-[:INVOLVED_IN]->(e)
     WITH DISTINCT a
     CREATE (e)-[:WITH_ACTOR {actorId: a.id, key: key, eventId: e.id}]->(a)
   }
   RETURN count(*) AS events`,
);

/**
 * Drops the rows of these entities, both ways: of an event, or to a place or actor (one merged away). Each entity
 * is locked first (ids in order, so two refreshes cannot deadlock), so that two transactions refreshing
 * the same event one after the other, never interleaved: the second reads the rows the first wrote, and
 * no event is left with its rows twice.
 */
export const clear = statement<{ ids: string[] }>(
  'eventPlaces.clear',
  `UNWIND $ids AS id
   WITH id ORDER BY id
   MATCH (n:Entity {id: id})
   SET n._placing = true REMOVE n._placing
   WITH n
   MATCH (n)-[r:IN_PLACE|WITH_ACTOR]-()
   DELETE r`,
);

/** Event `e`'s month starts and key (`ats`, `key`), from its dates: what its rows carry besides the place. */
const ROW_VALUES = (e: string) => `
   WITH ${e}, ${e}.dateEarliest AS lo,
        coalesce(${e}.endDateLatest, CASE WHEN ${e}.endDateJson IS NULL THEN ${e}.dateLatest END) AS hi
   WITH ${e}, lo, hi, CASE WHEN lo IS NULL OR hi IS NULL THEN 0
                        ELSE (hi.year - lo.year) * 12 + hi.month - lo.month END AS months
   WITH ${e}, coalesce(toString(lo), '9999-12-31') AS key,
        CASE WHEN lo IS NULL THEN []
             WHEN hi IS NULL OR months > ${EVENT_PLACE_MONTHS} THEN ['open']
             ELSE [i IN range(1, months) | toString(date.truncate('month', lo) + duration({months: i}))] END AS ats`;

/** Writes the rows of the events $ids (cleared first: see `clear`) from their places and dates. */
export const place = statement<{ ids: string[] }>(
  'eventPlaces.place',
  `UNWIND $ids AS id
   MATCH (e:Entity {id: id}) WHERE e:Event
   ${ROW_VALUES('e')}
   CALL (e, key, ats) {
     MATCH (e)-[:OCCURRED_IN]->(:Place)-[:PART_OF*0..6]->(p:Place)
     WITH DISTINCT p
     UNWIND ['start'] + ats AS at
     CREATE (e)-[:IN_PLACE {placeId: p.id, at: at, key: key, eventId: e.id}]->(p)
   }
   CALL (e, key) {
     MATCH (a:Actor)-[:INVOLVED_IN]->(e)
     WITH DISTINCT a
     CREATE (e)-[:WITH_ACTOR {actorId: a.id, key: key, eventId: e.id}]->(a)
   }
   RETURN count(*) AS events`,
);

/**
 * Events (a page of entities in id order, `kg check`) whose IN_PLACE rows are not those their places and
 * dates give: a write path that forgot to refresh them.
 */
export const stalePage = statement<{ after: string; limit: number }>(
  'check.eventPlaces',
  `MATCH (n:Entity) WHERE n.id > $after
   WITH n ORDER BY n.id LIMIT toInteger($limit)
   WITH collect(n) AS page
   CALL (page) {
     UNWIND page AS e
     WITH e WHERE e:Event
     ${ROW_VALUES('e')}
     WITH e, COLLECT {
         MATCH (e)-[:OCCURRED_IN]->(:Place)-[:PART_OF*0..6]->(p:Place)
         WITH DISTINCT p UNWIND ['start'] + ats AS at
         RETURN p.id + '|' + p.id + '|' + at + '|' + key + '|' + e.id AS row ORDER BY row
       } + COLLECT {
         MATCH (a:Actor)-[:INVOLVED_IN]->(e)
         WITH DISTINCT a
         RETURN 'actor|' + a.id + '|' + a.id + '|' + key + '|' + e.id AS row ORDER BY row
       } AS want, COLLECT {
         MATCH (e)-[r:IN_PLACE]->(p)
         RETURN p.id + '|' + r.placeId + '|' + r.at + '|' + r.key + '|' + coalesce(r.eventId, '') AS row ORDER BY row
       } + COLLECT {
         MATCH (e)-[r:WITH_ACTOR]->(a)
         RETURN 'actor|' + a.id + '|' + coalesce(r.actorId, '') + '|' + coalesce(r.key, '') + '|' + coalesce(r.eventId, '') AS row
         ORDER BY row
       } AS have
     RETURN collect(CASE WHEN want <> have THEN e.id END) AS stale
   }
   RETURN page[size(page) - 1].id AS last, size(page) AS scanned, stale`,
);

/** Every event's id (a restored store places them all). */
export const allEvents = statement('eventPlaces.allEvents', 'MATCH (e:Event) RETURN e.id AS id');
