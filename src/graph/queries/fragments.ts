/**
 * Cypher map projections shared by the read statements. A root field that returns claims embeds
 * CLAIM_DETAILS so that the claims' excerpts, sources, attribution, subject, object and conflicts come back
 * in the same round trip; ReaderService.primeClaimDetails then seeds the request's DataLoaders with them.
 *
 * Each fragment expects the variable named in its doc comment to be bound; its own variables start with
 * `cd` so that they never shadow the caller's.
 */

/**
 * Redaction. Every read statement receives $visible (the caller's clearance, injected by the executor)
 * and keeps only what it allows: entities, sources and figures by their own sensitivity; a claim only if
 * it, its subject and its object are all visible; an excerpt only if its source is; a relationship only
 * if both ends and at least one of its claims are. Hidden records are absent, not marked: their
 * existence is not revealed.
 */
export const VISIBLE = (v: string) => `coalesce(${v}.sensitivity, 'public') IN $visible`;

/** A claim variable `c` is visible (its own sensitivity, its subject's and its object's). */
export const VISIBLE_CLAIM = (c: string) =>
  `(${VISIBLE(c)} AND NOT EXISTS { MATCH (${c})-[:ABOUT|OBJECT]->(${c}Hidden) WHERE NOT ${VISIBLE(`${c}Hidden`)} })`;

/** A figure variable is visible (its own sensitivity and its subject's). */
export const VISIBLE_FIGURE = (f: string) =>
  `(${VISIBLE(f)} AND NOT EXISTS { MATCH (${f})-[:FIGURE_OF]->(${f}Hidden) WHERE NOT ${VISIBLE(`${f}Hidden`)} })`;

/** An excerpt variable is visible when its source is. */
export const VISIBLE_EXCERPT = (e: string) =>
  `EXISTS { MATCH (${e})-[:IN_SOURCE]->(${e}Src) WHERE ${VISIBLE(`${e}Src`)} }`;

/** The ids in a relationship's claimIds (variable `r`) whose claims the caller may see. */
export const VISIBLE_CLAIM_IDS = (r: string) =>
  `[cid IN coalesce(${r}.claimIds, []) WHERE EXISTS { MATCH (vc:Claim {id: cid}) WHERE ${VISIBLE_CLAIM('vc')} }]`;

/** Any node variable, whatever its kind. */
export const VISIBLE_NODE = (n: string) => `CASE
    WHEN ${n}:Claim THEN ${VISIBLE_CLAIM(n)}
    WHEN ${n}:Figure THEN ${VISIBLE_FIGURE(n)}
    WHEN ${n}:Excerpt THEN ${VISIBLE_EXCERPT(n)}
    ELSE ${VISIBLE(n)} END`;

/**
 * A source's properties except its text. A source's text can be megabytes: statements never copy it out of
 * Neo4j with other fields (the heap would hold it once per claim citing the source); Source.text reads it
 * on its own (read.sourceTexts), once per source and only when the field is selected. test/unit/cypher-
 * projections.test.ts refuses `{.*}` on any variable that can be a Source.
 */
export const SOURCE_PROPERTIES =
  '.id, .title, .sha256, .length, .language, .url, .retrievedAt, .publishedJson, .reliability, .sensitivity, .notes, .version, .createdAt';

/** Projection of a source variable with its labels, without its text. */
export const sourceProjection = (v: string) => `${v} {${SOURCE_PROPERTIES}, _labels: labels(${v})}`;

/** Projection of any node with its labels (variable: the node); a source without its text. */
export const nodeProjection = (v: string, extra = '') =>
  `CASE WHEN ${v}:Source THEN ${v} {${SOURCE_PROPERTIES}, _labels: labels(${v})${extra}} ELSE ${v} {.*, _labels: labels(${v})${extra}} END`;

/** Claims that disagree with claim variable `c` (same subject and measure, disjoint value intervals). */
export const CONFLICTING_CLAIMS = `COLLECT {
    MATCH (cdOther:Claim {conflictKey: c.conflictKey, subjectId: c.subjectId})
    WHERE c.conflictKey IS NOT NULL AND cdOther.id <> c.id AND cdOther.status <> 'retracted' AND cdOther.valueKey <> c.valueKey
      AND ${VISIBLE_CLAIM('cdOther')}
      AND CASE
        WHEN (c.valueLow IS NULL AND c.valueHigh IS NULL) OR (cdOther.valueLow IS NULL AND cdOther.valueHigh IS NULL) THEN true
        ELSE NOT (coalesce(c.valueLow, -1.0e300) <= coalesce(cdOther.valueHigh, 1.0e300)
                  AND coalesce(cdOther.valueLow, -1.0e300) <= coalesce(c.valueHigh, 1.0e300))
      END
    RETURN cdOther {.*, _labels: labels(cdOther)} ORDER BY cdOther.id
  }`;

/** A claim (variable `c`) with everything its GraphQL fields need. */
export const CLAIM_DETAILS = `c {.*, _labels: labels(c),
    _excerpts: COLLECT {
      MATCH (c)-[:SUPPORTED_BY]->(cdEx:Excerpt)-[:IN_SOURCE]->(cdSrc:Source) WHERE ${VISIBLE('cdSrc')}
      RETURN cdEx {.*, sourceId: cdSrc.id, _labels: labels(cdEx)} ORDER BY cdSrc.id, cdEx.start
    },
    _sources: COLLECT {
      MATCH (c)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(cdSrc:Source) WHERE ${VISIBLE('cdSrc')}
      WITH DISTINCT cdSrc
      OPTIONAL MATCH (cdSrc)-[:PUBLISHED_BY]->(cdPub:Actor) WHERE ${VISIBLE('cdPub')}
      RETURN cdSrc {${SOURCE_PROPERTIES}, _labels: labels(cdSrc), _publisher: cdPub {.*, _labels: labels(cdPub)}} ORDER BY cdSrc.id
    },
    _attribution: COLLECT {
      MATCH (c)-[cdAt:ATTRIBUTED_TO]->(cdAgent:Actor) WHERE ${VISIBLE('cdAgent')}
      RETURN {hop: cdAt.hop, agent: cdAgent {.*, _labels: labels(cdAgent)}} ORDER BY cdAt.hop
    },
    _subject: head(COLLECT { MATCH (c)-[:ABOUT]->(cdX:Entity) RETURN cdX {.*, _labels: labels(cdX)} }),
    _object: head(COLLECT { MATCH (c)-[:OBJECT]->(cdX:Entity|Figure) RETURN cdX {.*, _labels: labels(cdX)} }),
    _conflicts: ${CONFLICTING_CLAIMS}
  }`;
