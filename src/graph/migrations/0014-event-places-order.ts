import type { Migration } from './types.js';

/**
 * IN_PLACE rows carry their event's id, and the index orders by it after the key, so that a page of events
 * of a place in a date window is read in listing order (key, then id) straight from the index and stops at
 * the page, however many events share the window (issue #17). The new index, the ids on existing rows,
 * then the old index dropped (a released migration never changes).
 */
export const migration: Migration = {
  id: '0014-event-places-order',
  description: 'IN_PLACE rows carry the event id; index (placeId, at, key, eventId) gives listing order',
  statements: [
    'CREATE INDEX event_in_place_order IF NOT EXISTS FOR ()-[r:IN_PLACE]-() ON (r.placeId, r.at, r.key, r.eventId)',
    `MATCH (e:Event)
     CALL (e) {
       MATCH (e)-[r:IN_PLACE]->()
       SET r.eventId = e.id
     } IN TRANSACTIONS OF 2000 ROWS`,
    'DROP INDEX event_in_place IF EXISTS',
  ],
};
