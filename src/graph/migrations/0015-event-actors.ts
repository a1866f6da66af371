import type { Migration } from './types.js';

/**
 * Events carry their actors (graph/queries/event-places.ts): WITH_ACTOR rows to each actor INVOLVED_IN the
 * event, keyed by the event's listing date and id, so that an actor's timeline is one composite index range
 * read in listing order up to the page (issue #17). The index, then the rows of every stored event.
 */
export const migration: Migration = {
  id: '0015-event-actors',
  description: "Events carry their actors (WITH_ACTOR rows) for an actor's timeline by date",
  statements: [
    'CREATE INDEX event_with_actor_order IF NOT EXISTS FOR ()-[r:WITH_ACTOR]-() ON (r.actorId, r.key, r.eventId)',
    `MATCH (e:Event)
     CALL (e) {
       OPTIONAL MATCH (e)-[old:WITH_ACTOR]->()
       DELETE old
       WITH DISTINCT e
       WITH e, coalesce(toString(e.dateEarliest), '9999-12-31') AS key
       MATCH (a:Actor)-[:INVOLVED_IN]->(e)
       WITH DISTINCT e, a, key
       CREATE (e)-[:WITH_ACTOR {actorId: a.id, key: key, eventId: e.id}]->(a)
     } IN TRANSACTIONS OF 1000 ROWS`,
  ],
};
