import type { PublicationHopInput } from '../generated/graphql.js';
import { badInput, checkId } from '../errors.js';
import type { FoundNode } from '../graph/stores/write.js';
import { SourceUrl } from '../io/bundle/schema.js';
import { MAX_PUBLICATION_HOPS } from '../model/graph-model.js';
import type { PublicationHopRow } from '../model/rows.js';
import { actorAt, assertWellFormed, fuzzy, parse, type Maybe, type Path } from './write-input.js';

/**
 * Arguments of the corrections (a source's publishedVia chain, updateSource, amendClaim), checked before
 * any database work as write-input.ts does: the bundle format's own field rules, refused at the input path.
 */

/** A publishedVia chain as given: at most MAX_PUBLICATION_HOPS hops, ids well-formed, urls http(s). */
export function checkPublishedVia(
  hops: Maybe<readonly PublicationHopInput[]>,
  path: Path,
): PublicationHopRow[] {
  if (!hops) return [];
  assertWellFormed(hops, path);
  if (hops.length > MAX_PUBLICATION_HOPS) {
    throw badInput(`at most ${MAX_PUBLICATION_HOPS} hops in publishedVia`, path);
  }
  return hops.map((h, i) => {
    const p: Path = [...path, i];
    checkId(h.actorId, [...p, 'actorId']);
    const url = h.url == null ? null : parse(SourceUrl, h.url, [...p, 'url']);
    return { actorId: h.actorId, url, published: fuzzy(h.published, [...p, 'published']) };
  });
}

/** Each hop's outlet is an actor the caller may see (found by store.findNodes in the transaction). */
export function checkHopActors(found: Map<string, FoundNode>, hops: PublicationHopRow[], path: Path): void {
  hops.forEach((h, i) => actorAt(found, h.actorId, [...path, i, 'actorId']));
}
