import type { Migration } from './types.js';

/**
 * Events carry their places (graph/queries/event-places.ts): IN_PLACE rows to the event's place and every
 * place it is part of, keyed by the event's listing date, so that events of a place in a date window are
 * one composite index range. The index, then the rows of every stored event (the refresh's body as of this
 * migration, written out: a released migration never changes).
 */
export const migration: Migration = {
  id: '0013-event-places',
  description: 'Events carry their places (IN_PLACE rows) for place and date listings',
  statements: [
    'CREATE INDEX event_in_place IF NOT EXISTS FOR ()-[r:IN_PLACE]-() ON (r.placeId, r.at, r.key)',
    `MATCH (e:Event)
     CALL (e) {
       OPTIONAL MATCH (e)-[old:IN_PLACE]->()
       DELETE old
       WITH DISTINCT e
       WITH e, e.dateEarliest AS lo,
            coalesce(e.endDateLatest, CASE WHEN e.endDateJson IS NULL THEN e.dateLatest END) AS hi
       WITH e, lo, hi, CASE WHEN lo IS NULL OR hi IS NULL THEN 0
                            ELSE (hi.year - lo.year) * 12 + hi.month - lo.month END AS months
       WITH e, coalesce(toString(lo), '9999-12-31') AS key,
            CASE WHEN lo IS NULL THEN []
                 WHEN hi IS NULL OR months > 120 THEN ['open']
                 ELSE [i IN range(1, months) | toString(date.truncate('month', lo) + duration({months: i}))] END AS ats
       MATCH (e)-[:OCCURRED_IN]->(:Place)-[:PART_OF*0..6]->(p:Place)
       WITH DISTINCT e, p, key, ats
       UNWIND ['start'] + ats AS at
       CREATE (e)-[:IN_PLACE {placeId: p.id, at: at, key: key}]->(p)
     } IN TRANSACTIONS OF 1000 ROWS`,
  ],
};
