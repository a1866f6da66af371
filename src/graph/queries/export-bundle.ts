import type { EntityKind } from '../../model/graph-model.js';
import { statement } from '../executor.js';
import { VISIBLE, VISIBLE_CLAIM } from './fragments.js';

/**
 * Reads for the lossless hrkg-bundle/1 export (src/io/bundle/export.ts), run by src/graph/stores/export.ts
 * and keyset-paged by id so that the output order is the ids' order. Redaction as everywhere: $visible
 * drops what the caller may not see; on top of that, a claim is exported only when the bundle can carry
 * it whole — its evidence, subject, object and attribution all visible — so that the export is always a
 * valid bundle.
 */

/** Claim variable `c` can be exported: visible (itself, subject, object), with visible evidence and agents. */
export const EXPORTABLE_CLAIM = (c: string) => `(${VISIBLE_CLAIM(c)}
    AND EXISTS { MATCH (${c})-[:ABOUT]->(:Entity) }
    AND EXISTS { MATCH (${c})-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(:Source) }
    AND NOT EXISTS { MATCH (${c})-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(${c}Src) WHERE NOT ${VISIBLE(`${c}Src`)} }
    AND NOT EXISTS { MATCH (${c})-[:ATTRIBUTED_TO]->(${c}Agent) WHERE NOT ${VISIBLE(`${c}Agent`)} }
    AND (${c}.kind <> 'relation' OR EXISTS { MATCH (${c})-[:OBJECT]->(:Entity) })
    AND (${c}.kind <> 'figure' OR EXISTS { MATCH (${c})-[:OBJECT]->(:Figure) }))`;

/** The keyset cursor of the bundle's pages ('' before the first). */
export type BundlePageParams = { after: string; limit: number };

export const exportSources = statement<BundlePageParams>(
  'bundleExport.sources',
  `MATCH (s:Source) WHERE s.id > $after AND ${VISIBLE('s')}
   WITH s ORDER BY s.id LIMIT toInteger($limit)
   RETURN s.id AS id, s.text AS text, s.sha256 AS sha256, s.title AS title,
          head(COLLECT { MATCH (s)-[:PUBLISHED_BY]->(p:Actor) WHERE ${VISIBLE('p')} RETURN p.id ORDER BY p.id }) AS publisher,
          s.language AS language, s.url AS url, s.retrievedAt AS retrievedAt, s.publishedJson AS publishedJson,
          s.reliability AS reliability, coalesce(s.sensitivity, 'public') AS sensitivity, s.notes AS notes,
          s.dataset AS dataset,
          COLLECT { MATCH (s)-[h:PUBLISHED_VIA]->(a:Actor) WHERE ${VISIBLE('a')}
            WITH h, a ORDER BY h.hop RETURN {actor: a.id, url: h.url, publishedJson: h.publishedJson} } AS publishedVia
   ORDER BY id`,
);

/** Events, actors or places ($kind); merged-away entities have no Entity label and are left out. */
export const exportEntities = statement<BundlePageParams & { kind: EntityKind }>(
  'bundleExport.entities',
  `MATCH (n:Entity) WHERE n.kind = $kind AND n.id > $after AND ${VISIBLE('n')}
   WITH n ORDER BY n.id LIMIT toInteger($limit)
   RETURN n.id AS id, n.type AS type, n.name AS name, n.lang AS lang, n.aliasesJson AS aliasesJson,
          n.identifiersJson AS identifiersJson, n.description AS description,
          coalesce(n.sensitivity, 'public') AS sensitivity, n.dateJson AS dateJson, n.endDateJson AS endDateJson,
          n.facilityKind AS facilityKind,
          COLLECT {
            MATCH (gc:Claim)-[g:GIVES_NAME]->(n) WHERE g.retractedAt IS NULL AND gc.status <> 'retracted' AND ${EXPORTABLE_CLAIM('gc')}
            RETURN {kind: g.kind, value: g.value, qualifier: coalesce(g.lang, g.scheme), claim: gc.id} ORDER BY gc.id
          } AS names
   ORDER BY id`,
);

/** Claims with their subject, object or figure, exact quotes and attribution chain (nearest first). */
export const exportClaims = statement<BundlePageParams>(
  'bundleExport.claims',
  `MATCH (c:Claim) WHERE c.id > $after AND ${EXPORTABLE_CLAIM('c')}
   WITH c ORDER BY c.id LIMIT toInteger($limit)
   RETURN c.id AS id, c.fact AS fact, c.slot AS slot, c.kind AS kind, c.summary AS summary, c.property AS property,
          c.role AS role, c.valueJson AS valueJson, c.status AS status, c.statusReason AS statusReason,
          c.statusChangedAt AS statusChangedAt, c.statusChangedBy AS statusChangedBy,
          c.confidence AS confidence, coalesce(c.sensitivity, 'public') AS sensitivity,
          c.recordedBy AS recordedBy, c.recordedAt AS recordedAt,
          c.position AS position, c.periodStartJson AS periodStartJson, c.periodEndJson AS periodEndJson,
          head(COLLECT { MATCH (c)-[:ABOUT]->(x:Entity) RETURN x.id ORDER BY x.id }) AS subject,
          head(COLLECT { MATCH (c)-[:OBJECT]->(x:Entity) RETURN x.id ORDER BY x.id }) AS object,
          COLLECT {
            MATCH (c)-[:SUPPORTED_BY]->(e:Excerpt)-[:IN_SOURCE]->(s:Source)
            RETURN {source: s.id, exact: e.exact, start: e.start, end: e.end} ORDER BY s.id, e.start, e.end
          } AS quotes,
          COLLECT { MATCH (c)-[a:ATTRIBUTED_TO]->(x:Actor) RETURN x.id ORDER BY a.hop, x.id } AS attributedTo,
          COLLECT {
            MATCH (c)-[a:ATTRIBUTED_TO]->(x:Actor)
            OPTIONAL MATCH (e:Excerpt {id: a.excerptId})-[:IN_SOURCE]->(s:Source) WHERE ${VISIBLE('s')}
            RETURN {actor: x.id, capacity: a.capacity,
                    quote: CASE WHEN s IS NULL THEN null ELSE {source: s.id, exact: e.exact, start: e.start, end: e.end} END}
            ORDER BY a.hop, x.id
          } AS attribution,
          head(COLLECT {
            MATCH (c)-[:OBJECT]->(f:Figure)
            RETURN f {.measure, .value, .min, .max, .qualifier, .unit, .subgroup, .text, .duration, .sex, .ageGroup, .category,
                      .periodStartJson, .periodEndJson, .asOfJson,
                      sensitivity: coalesce(f.sensitivity, 'public'),
                      shareOf: head(COLLECT {
                        MATCH (f)-[:SHARE_OF]->(:Figure)<-[:OBJECT]-(wc:Claim) WHERE ${EXPORTABLE_CLAIM('wc')}
                        RETURN wc.id ORDER BY wc.id
                      }),
                      during: head(COLLECT { MATCH (f)-[:DURING]->(d:Event) WHERE ${VISIBLE('d')} RETURN d.id ORDER BY d.id })}
          }) AS figure
   ORDER BY id`,
);

/** Relationships between visible entities, with the ids of the claims they cite ($types: the model's). */
export const exportRelations = statement<{ types: readonly string[] }>(
  'bundleExport.relations',
  `MATCH (a:Entity)-[r]->(b:Entity)
   WHERE type(r) IN $types AND ${VISIBLE('a')} AND ${VISIBLE('b')}
   RETURN type(r) AS type, a.id AS fromId, b.id AS toId, r.role AS role, coalesce(r.claimIds, []) AS claimIds,
          r.position AS position
   ORDER BY fromId, type, toId, role, position`,
);
