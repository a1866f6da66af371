/**
 * Cypher map projections shared by the read statements. A root field that returns claims embeds
 * CLAIM_DETAILS so that the claims' excerpts, sources, attribution, subject, object and conflicts come back
 * in the same round trip; ReaderService.primeClaimDetails then seeds the request's DataLoaders with them.
 *
 * Each fragment expects the variable named in its doc comment to be bound.
 */

/** Projection of any node with its labels (variable: the node). */
export const nodeProjection = (v: string) => `${v} {.*, _labels: labels(${v})}`;

/** Claims that disagree with claim variable `c` (same subject and measure, disjoint value intervals). */
export const CONFLICTING_CLAIMS = `COLLECT {
    MATCH (o:Claim {conflictKey: c.conflictKey, subjectId: c.subjectId})
    WHERE c.conflictKey IS NOT NULL AND o.id <> c.id AND o.status <> 'retracted' AND o.valueKey <> c.valueKey
      AND CASE
        WHEN (c.valueLow IS NULL AND c.valueHigh IS NULL) OR (o.valueLow IS NULL AND o.valueHigh IS NULL) THEN true
        ELSE NOT (coalesce(c.valueLow, -1.0e300) <= coalesce(o.valueHigh, 1.0e300)
                  AND coalesce(o.valueLow, -1.0e300) <= coalesce(c.valueHigh, 1.0e300))
      END
    RETURN o {.*, _labels: labels(o)} ORDER BY o.id
  }`;

/** A claim (variable `c`) with everything its GraphQL fields need. */
export const CLAIM_DETAILS = `c {.*, _labels: labels(c),
    _excerpts: COLLECT {
      MATCH (c)-[:SUPPORTED_BY]->(e:Excerpt)-[:IN_SOURCE]->(s:Source)
      RETURN e {.*, sourceId: s.id, _labels: labels(e)} ORDER BY s.id, e.start
    },
    _sources: COLLECT {
      MATCH (c)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(s:Source)
      WITH DISTINCT s
      OPTIONAL MATCH (s)-[:PUBLISHED_BY]->(pub:Actor)
      RETURN s {.*, _labels: labels(s), _publisher: pub {.*, _labels: labels(pub)}} ORDER BY s.id
    },
    _attribution: COLLECT {
      MATCH (c)-[a:ATTRIBUTED_TO]->(ac:Actor)
      RETURN {hop: a.hop, agent: ac {.*, _labels: labels(ac)}} ORDER BY a.hop
    },
    _subject: head(COLLECT { MATCH (c)-[:ABOUT]->(x) RETURN x {.*, _labels: labels(x)} }),
    _object: head(COLLECT { MATCH (c)-[:OBJECT]->(x) RETURN x {.*, _labels: labels(x)} }),
    _conflicts: ${CONFLICTING_CLAIMS}
  }`;
