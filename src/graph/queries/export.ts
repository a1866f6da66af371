import type { ExportCounts } from '../../model/export-records.js';
import { RELATION_TYPES } from '../../model/graph-model.js';
import { statement } from '../executor.js';
import {
  SUPERSEDED,
  VISIBLE,
  VISIBLE_ATTRIBUTION,
  VISIBLE_CLAIM,
  VISIBLE_CLAIM_IDS,
  VISIBLE_FIGURE,
  VISIBLE_PATH,
  VISIBLE_REL,
} from './fragments.js';

/**
 * Statements behind the exports (run by src/graph/stores/export.ts). Each reads one page of one kind of record in id
 * order with a keyset cursor ($after: the last id of the previous page, null for the first; $limit), using
 * the label's unique-id index, and embeds what the formats need in the same round trip. Every statement
 * filters with the VISIBLE fragments on the $visible clearance the executor injects, as the read API does:
 * hidden records are absent, relationships need a visible claim and visible ends.
 */

export const EXPORT_RELATION_TYPES = RELATION_TYPES;

/** The keyset cursor every page statement takes. */
export type PageParams = { after: string | null; limit: number };

/** One page of a label by id, visible records only (variable `n`). */
const page = (label: string, visible = VISIBLE('n')) => `
  MATCH (n:${label})
  WHERE n.id > coalesce($after, '') AND ${visible}
  WITH n ORDER BY n.id LIMIT toInteger($limit)`;

/** A place (variable) with its identifiers and the visible places it lies in, through visible PART_OF links. */
const PLACE = (p: string) => `${p} {.id, .type, .name, .identifiersJson,
    ancestors: COLLECT {
      MATCH partOf = (${p})-[:PART_OF*1..6]->(anc:Place)
      WHERE ${VISIBLE_PATH('partOf')}
      RETURN anc {.id, .type, .name, .identifiersJson, depth: length(partOf)} ORDER BY length(partOf), anc.id
    }}`;

/** Places an entity variable is linked to by a visible relationship of the given type. */
const PLACES = (x: string, type: 'OCCURRED_IN' | 'LOCATED_IN') => `COLLECT {
    MATCH (${x})-[pr:${type}]->(pl:Place) WHERE ${VISIBLE('pl')} AND ${VISIBLE_REL('pr')}
    RETURN ${PLACE('pl')} ORDER BY pl.id
  }`;

/** Visible sources of the visible claims about (or naming as object) an entity variable. */
const PROOF = (x: string) => `COLLECT {
    MATCH (pc:Claim)-[:ABOUT|OBJECT]->(${x}) WHERE ${VISIBLE_CLAIM('pc')}
    MATCH (pc)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(ps:Source) WHERE ${VISIBLE('ps')}
    WITH DISTINCT ps.id AS sid ORDER BY sid RETURN sid
  }`;

const ENTITY_FIELDS = (x: string) =>
  `${x} {.id, .type, .name, .lang, .aliasesJson, .description, .identifiersJson, .dateJson, .endDateJson}`;

/** Actors involved in an event variable, with their roles. */
const INVOLVEMENTS = (e: string) => `COLLECT {
    MATCH (ia:Actor)-[ir:INVOLVED_IN]->(${e}) WHERE ${VISIBLE('ia')} AND ${VISIBLE_REL('ir')}
    RETURN {actorId: ia.id, name: ia.name, type: ia.type, role: ir.role} ORDER BY ir.role, ia.id
  }`;

/** Counts only the kinds in $kinds (the others are 0): a count is a scan, only worth it when reported. */
const COUNT = (kind: string, match: string, v: string) =>
  `CALL () { WITH 1 AS wanted WHERE '${kind}' IN $kinds ${match} RETURN count(${v}) AS ${kind} }`;

/** How many records of each kind the caller may see (for progress). */
export const exportCounts = statement<{ kinds: readonly (keyof ExportCounts)[] }>(
  'export.counts',
  `${COUNT('sources', `MATCH (n:Source) WHERE ${VISIBLE('n')}`, 'n')}
   ${COUNT('actors', `MATCH (n:Actor) WHERE ${VISIBLE('n')}`, 'n')}
   ${COUNT('events', `MATCH (n:Event) WHERE ${VISIBLE('n')}`, 'n')}
   ${COUNT('places', `MATCH (n:Place) WHERE ${VISIBLE('n')}`, 'n')}
   ${COUNT('claims', `MATCH (c:Claim) WHERE ${VISIBLE_CLAIM('c')}`, 'c')}
   ${COUNT(
     'excerpts',
     `MATCH (x:Excerpt)-[:IN_SOURCE]->(xs:Source) WHERE ${VISIBLE('xs')}
       AND EXISTS { MATCH (xc:Claim)-[:SUPPORTED_BY]->(x) WHERE ${VISIBLE_CLAIM('xc')} }`,
     'x',
   )}
   ${COUNT('figures', `MATCH (f:Figure) WHERE ${VISIBLE_FIGURE('f')}`, 'f')}
   RETURN sources, actors, events, places, claims, excerpts, figures`,
);

/** Sources with their publisher; the text only when $withText (it can be megabytes). */
export const exportSources = statement<PageParams & { withText: boolean }>(
  'export.sources',
  `${page('Source')}
   RETURN n {.id, .title, .sha256, .language, .url, .retrievedAt, .publishedJson, .reliability, .notes,
             text: CASE WHEN $withText THEN n.text END} AS source,
     head(COLLECT { MATCH (n)-[:PUBLISHED_BY]->(sp:Actor) WHERE ${VISIBLE('sp')} RETURN sp {.id, .name, .type} }) AS publisher,
     COLLECT { MATCH (n)-[h:PUBLISHED_VIA]->(sv:Actor) WHERE ${VISIBLE('sv')}
               WITH h, sv ORDER BY h.hop RETURN {actorId: sv.id, url: h.url} } AS publishedVia`,
);

export const exportActors = statement<PageParams>(
  'export.actors',
  `${page('Actor')}
   RETURN ${ENTITY_FIELDS('n')} AS entity, ${PLACES('n', 'LOCATED_IN')} AS places, ${PROOF('n')} AS proof`,
);

export const exportEvents = statement<PageParams>(
  'export.events',
  `${page('Event')}
   RETURN ${ENTITY_FIELDS('n')} AS entity, ${PLACES('n', 'OCCURRED_IN')} AS places,
     ${INVOLVEMENTS('n')} AS involvements, ${PROOF('n')} AS proof`,
);

/** What the ACLED export reads of a claim (variable `x`): its slot and value, and whether a later release superseded it. */
const ACLED_CLAIM = (x: string) =>
  `id: ${x}.id, summary: ${x}.summary, status: ${x}.status, fact: ${x}.fact, slot: ${x}.slot, kind: ${x}.kind,
   property: ${x}.property, valueJson: ${x}.valueJson, subjectId: ${x}.subjectId, objectId: ${x}.objectId,
   recordedAt: ${x}.recordedAt,
   superseded: ${SUPERSEDED(x)}`;

/**
 * Events with what an ACLED row needs: places, actors, claims with their publishers, figures, and for an
 * event imported from ACLED the coordinates its row gave its location (claims about the place, found by
 * the slot of the row's `place` claim: cl-acled-<event>--place → cl-acled-<event>--latitude, --longitude).
 */
export const exportAcledEvents = statement<PageParams>(
  'export.acledEvents',
  `${page('Event')}
   RETURN ${ENTITY_FIELDS('n')} AS entity, ${PLACES('n', 'OCCURRED_IN')} AS places,
     ${INVOLVEMENTS('n')} AS involvements,
     COLLECT {
       MATCH (pc:Claim)-[:ABOUT]->(n) WHERE pc.slot ENDS WITH '--place' AND pc.property = 'OCCURRED_IN'
         AND ${VISIBLE_CLAIM('pc')} AND pc.status <> 'retracted'
       UNWIND ['latitude', 'longitude'] AS coordinate
       MATCH (lc:Claim {slot: left(pc.slot, size(pc.slot) - size('place')) + coordinate})
       WHERE ${VISIBLE_CLAIM('lc')}
       WITH DISTINCT lc
       RETURN {${ACLED_CLAIM('lc')}} ORDER BY lc.id
     } AS placeClaims,
     COLLECT {
       MATCH (ec:Claim)-[:ABOUT|OBJECT]->(n) WHERE ${VISIBLE_CLAIM('ec')}
       WITH DISTINCT ec
       RETURN {${ACLED_CLAIM('ec')},
               publishers: COLLECT {
                 MATCH (ec)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(es:Source) WHERE ${VISIBLE('es')}
                 WITH DISTINCT es
                 OPTIONAL MATCH (es)-[:PUBLISHED_BY]->(ep:Actor) WHERE ${VISIBLE('ep')}
                 WITH DISTINCT coalesce(ep.name, es.title) AS publisher ORDER BY publisher
                 RETURN publisher
               }}
       ORDER BY ec.fact, ec.id
     } AS claims,
     COLLECT {
       MATCH (ef:Figure)-[:FIGURE_OF]->(n) WHERE ${VISIBLE_FIGURE('ef')}
       RETURN ef {.id, .measure, .value, .min, .max, .qualifier, .unit, .subgroup, .duration, .sex, .ageGroup, .category,
                  // A claim a later release of its dataset superseded reads 'superseded' (not counted).
                  claimStatus: head(COLLECT { MATCH (efc:Claim {id: ef.claimId}) WHERE ${VISIBLE_CLAIM('efc')}
                    RETURN CASE WHEN ${SUPERSEDED('efc')} THEN 'superseded' ELSE efc.status END })}
       ORDER BY ef.id
     } AS figures`,
);

/**
 * Entities of every kind (GraphML nodes), with events' dates and places' coordinates: the latitude and
 * longitude claims about a place that still stand (visible, not retracted, not superseded), newest first.
 */
export const exportNodes = statement<PageParams>(
  'export.nodes',
  `${page('Entity')}
   RETURN n.id AS id, labels(n) AS labels, n.type AS type, n.name AS name,
     n.dateJson AS dateJson, n.endDateJson AS endDateJson,
     COLLECT {
       MATCH (gc:Claim)-[:ABOUT]->(n)
       WHERE n:Place AND gc.property IN ['latitude', 'longitude'] AND coalesce(gc.status, '') <> 'retracted'
         AND ${VISIBLE_CLAIM('gc')} AND NOT ${SUPERSEDED('gc')}
       RETURN {property: gc.property, valueJson: gc.valueJson} ORDER BY gc.recordedAt DESC, gc.id DESC
     } AS coordinates`,
);

/** Places (FtM lists them as left out). */
export const exportPlaces = statement<PageParams>(
  'export.places',
  `${page('Place')}
   RETURN n.id AS id, labels(n) AS labels, n.type AS type, n.name AS name`,
);

/**
 * Entities with their outgoing relationships (both ends and a claim visible). The page is over start
 * nodes, so every relationship comes exactly once, through its start node's unique-id index.
 */
export const exportRelations = statement<PageParams & { relationTypes: readonly string[] }>(
  'export.relations',
  `${page('Entity')}
   RETURN n.id AS id, labels(n) AS labels, COLLECT {
     MATCH (n)-[r]->(o:Entity) WHERE type(r) IN $relationTypes AND ${VISIBLE('o')}
     WITH r, o, ${VISIBLE_CLAIM_IDS('r')} AS rcids WHERE size(rcids) > 0
     RETURN {id: r.id, type: type(r), role: r.role, toId: o.id, toLabels: labels(o), toType: o.type,
             claimIds: rcids, toDateJson: o.dateJson, toEndDateJson: o.endDateJson,
             summaries: COLLECT { UNWIND rcids AS rcid MATCH (rc:Claim {id: rcid}) RETURN rc.summary ORDER BY rc.id },
             position: r.position,
             // The periods its unretracted claims give (Relation.period spans them).
             periods: COLLECT {
               UNWIND rcids AS rcid MATCH (rc:Claim {id: rcid})
               WHERE rc.status <> 'retracted' AND (rc.periodStartJson IS NOT NULL OR rc.periodEndJson IS NOT NULL)
               RETURN {start: rc.periodStartJson, end: rc.periodEndJson} ORDER BY rc.id
             }}
     ORDER BY r.id
   } AS relations`,
);

/** Claims with their subject, excerpts in visible sources and the visible hops of their attribution. */
export const exportClaims = statement<PageParams>(
  'export.claims',
  `${page('Claim', VISIBLE_CLAIM('n'))}
   RETURN n {.id, .kind, .fact, .summary, .property, .role, .objectId, .status, .confidence,
             .recordedBy, .recordedAt, .position, .periodStartJson, .periodEndJson} AS claim,
     head(COLLECT { MATCH (n)-[:ABOUT]->(cs) RETURN {id: cs.id, labels: labels(cs)} }) AS subject,
     COLLECT {
       MATCH (n)-[:SUPPORTED_BY]->(ce:Excerpt)-[:IN_SOURCE]->(ces:Source) WHERE ${VISIBLE('ces')}
       RETURN {id: ce.id, exact: ce.exact, sourceId: ces.id} ORDER BY ces.id, ce.start, ce.id
     } AS excerpts,
     ${VISIBLE_ATTRIBUTION('n', 'ca', 'agentId', (a) => `${a}.id`)} AS attribution`,
);

/** Excerpts in visible sources that support at least one visible claim. */
export const exportExcerpts = statement<PageParams>(
  'export.excerpts',
  `${page(
    'Excerpt',
    `EXISTS { MATCH (n)-[:IN_SOURCE]->(xs:Source) WHERE ${VISIBLE('xs')} }
     AND EXISTS { MATCH (xc:Claim)-[:SUPPORTED_BY]->(n) WHERE ${VISIBLE_CLAIM('xc')} }`,
  )}
   RETURN n {.id, .exact, .prefix, .suffix, .start, .end} AS excerpt,
     head(COLLECT { MATCH (n)-[:IN_SOURCE]->(xs:Source) RETURN xs.id }) AS sourceId`,
);

/** Figures with what they count, the figure they are a share of and the event of their period. */
export const exportFigures = statement<PageParams>(
  'export.figures',
  `${page('Figure', VISIBLE_FIGURE('n'))}
   RETURN n {.id, .measure, .value, .min, .max, .qualifier, .unit, .subgroup, .text, .duration, .sex, .ageGroup, .category, .claimId} AS figure,
     head(COLLECT { MATCH (n)-[:FIGURE_OF]->(fs:Entity) RETURN fs.id }) AS subjectId,
     head(COLLECT { MATCH (n)-[:SHARE_OF]->(fw:Figure) WHERE ${VISIBLE_FIGURE('fw')} RETURN fw.id }) AS shareOfId,
     head(COLLECT { MATCH (n)-[:DURING]->(fe:Event) WHERE ${VISIBLE('fe')} RETURN fe.id }) AS duringId,
     head(COLLECT { MATCH (fc:Claim {id: n.claimId}) WHERE ${VISIBLE_CLAIM('fc')} RETURN fc.status }) AS claimStatus`,
);

/** Actors that publish or carry a visible source or appear in the attribution of a visible claim (PROV agents). */
export const exportAgents = statement<PageParams>(
  'export.agents',
  `${page(
    'Actor',
    `${VISIBLE('n')} AND (EXISTS { MATCH (aps:Source)-[:PUBLISHED_BY|PUBLISHED_VIA]->(n) WHERE ${VISIBLE('aps')} }
      OR EXISTS { MATCH (atc:Claim)-[:ATTRIBUTED_TO]->(n) WHERE ${VISIBLE_CLAIM('atc')} })`,
  )}
   RETURN n {.id, .type, .name} AS agent`,
);

/** Who recorded the visible claims. */
export const exportRecorders = statement<Record<string, never>>(
  'export.recorders',
  `MATCH (c:Claim) WHERE ${VISIBLE_CLAIM('c')} AND c.recordedBy IS NOT NULL
   RETURN DISTINCT c.recordedBy AS name ORDER BY name`,
);
