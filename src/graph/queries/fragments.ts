/**
 * Cypher map projections shared by the read statements. A root field that returns claims embeds
 * CLAIM_DETAILS so that the claims' excerpts, sources, attribution, subject, object and conflicts come back
 * in the same round trip; ReaderService.primeClaimDetails then seeds the request's DataLoaders with them.
 *
 * Each fragment expects the variable named in its doc comment to be bound; its own variables start with
 * `cd` so that they never shadow the caller's.
 */

/** Projection of any node with its labels (variable: the node). */
export const nodeProjection = (v: string) => `${v} {.*, _labels: labels(${v})}`;

/** Claims that disagree with claim variable `c` (same subject and measure, disjoint value intervals). */
export const CONFLICTING_CLAIMS = `COLLECT {
    MATCH (cdOther:Claim {conflictKey: c.conflictKey, subjectId: c.subjectId})
    WHERE c.conflictKey IS NOT NULL AND cdOther.id <> c.id AND cdOther.status <> 'retracted' AND cdOther.valueKey <> c.valueKey
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
      MATCH (c)-[:SUPPORTED_BY]->(cdEx:Excerpt)-[:IN_SOURCE]->(cdSrc:Source)
      RETURN cdEx {.*, sourceId: cdSrc.id, _labels: labels(cdEx)} ORDER BY cdSrc.id, cdEx.start
    },
    _sources: COLLECT {
      MATCH (c)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(cdSrc:Source)
      WITH DISTINCT cdSrc
      OPTIONAL MATCH (cdSrc)-[:PUBLISHED_BY]->(cdPub:Actor)
      RETURN cdSrc {.*, _labels: labels(cdSrc), _publisher: cdPub {.*, _labels: labels(cdPub)}} ORDER BY cdSrc.id
    },
    _attribution: COLLECT {
      MATCH (c)-[cdAt:ATTRIBUTED_TO]->(cdAgent:Actor)
      RETURN {hop: cdAt.hop, agent: cdAgent {.*, _labels: labels(cdAgent)}} ORDER BY cdAt.hop
    },
    _subject: head(COLLECT { MATCH (c)-[:ABOUT]->(cdX) RETURN cdX {.*, _labels: labels(cdX)} }),
    _object: head(COLLECT { MATCH (c)-[:OBJECT]->(cdX) RETURN cdX {.*, _labels: labels(cdX)} }),
    _conflicts: ${CONFLICTING_CLAIMS}
  }`;
