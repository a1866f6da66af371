import type { Statement, Tx } from '../executor.js';
import * as q from '../queries/event-places.js';

const BATCH = 500;

async function batched(tx: Tx, stmt: Statement<{ ids: string[] }>, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += BATCH) await tx.run(stmt, { ids: ids.slice(i, i + BATCH) });
}

/** Clears and writes again the rows of these events (three statements: no read meets its own writes). */
async function placeEvents(tx: Tx, events: string[]): Promise<void> {
  await batched(tx, q.clear, events);
  await batched(tx, q.place, events);
}

/**
 * Brings the IN_PLACE and WITH_ACTOR rows (queries/event-places.ts) of the events among `ids`, and of every
 * event in a place among `ids` or below it, up to date; and the WITH_ACTOR rows alone of the events of an
 * actor among `ids` (an actor merged or unmerged: its events' places did not change). Every write that
 * adds, moves or removes OCCURRED_IN, PART_OF or INVOLVED_IN, or sets an event's dates, calls it in its
 * transaction with the ids it touched.
 */
export async function refreshEventPlaces(tx: Tx, ids: Iterable<string>): Promise<void> {
  const list = [...new Set(ids)];
  const events = new Set<string>();
  const ofActors = new Set<string>();
  for (let i = 0; i < list.length; i += BATCH) {
    const slice = list.slice(i, i + BATCH);
    for (const r of await tx.run(q.affected, { ids: slice })) events.add(String(r.id));
    for (const r of await tx.run(q.actorEvents, { ids: slice })) ofActors.add(String(r.id));
  }
  await placeEvents(tx, [...events]);
  const actorsOnly = [...ofActors].filter((id) => !events.has(id));
  await batched(tx, q.clearActors, actorsOnly);
  await batched(tx, q.placeActors, actorsOnly);
}

/** Drops the rows of entities merged away (of the event, or to the place). */
export async function dropEventPlaces(tx: Tx, ids: string[]): Promise<void> {
  await batched(tx, q.clear, ids);
}

/** Places every event (a restored store, which a backup leaves without these rows). */
export async function rebuildEventPlaces(tx: Tx): Promise<void> {
  const events = (await tx.run(q.allEvents)).map((r) => String(r.id));
  await placeEvents(tx, events);
}
