import type { Migration } from './types.js';

/**
 * Figure claims stored before as-of dates were compared by overlap (src/model/claims.ts): their conflictKey
 * ended with the as-of bounds and they had no as-of interval of their own. This recomputes, for each figure
 * claim not yet done (asOfFromSource unset), what figureClaimValue now derives from its figure: the key
 * without the as-of part, the as-of bounds, and whether the figure is undated (no as-of, no period) and so
 * compared as of its sources' publication. Safe to run again: done claims are skipped.
 */
export const migration: Migration = {
  id: '0009-figure-as-of-overlap',
  description: 'Figure claims compared by overlapping as-of dates (undated: as of publication)',
  statements: [
    // The figure's asOfJson is JSON.stringify of a FuzzyDate: "earliest":"YYYY-MM-DD" or "earliest":null.
    `MATCH (c:Claim {kind: 'figure'})-[:OBJECT]->(f:Figure)
     WHERE c.asOfFromSource IS NULL
     CALL (c, f) {
       WITH c, f, split(c.conflictKey, '|') AS parts
       SET c.conflictKey = CASE WHEN size(parts) = 7
             THEN left(c.conflictKey, size(c.conflictKey) - size(parts[6]) - 1) ELSE c.conflictKey END,
           c.asOfEarliest = CASE WHEN f.asOfJson CONTAINS '"earliest":"'
             THEN left(split(f.asOfJson, '"earliest":"')[1], 10) END,
           c.asOfLatest = CASE WHEN f.asOfJson CONTAINS '"latest":"'
             THEN left(split(f.asOfJson, '"latest":"')[1], 10) END,
           c.asOfFromSource = f.asOfJson IS NULL AND f.periodStartJson IS NULL AND f.periodEndJson IS NULL
     } IN TRANSACTIONS OF 10000 ROWS`,
    // Undated figures: the span of their sources' publication dates (as UPSERT_CLAIMS_BODY stores it).
    `MATCH (c:Claim {kind: 'figure'})
     WHERE c.asOfFromSource AND c.implicitAsOfEarliest IS NULL AND c.implicitAsOfLatest IS NULL
     CALL (c) {
       MATCH (c)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(pub:Source)
       WITH c, min(pub.publishedEarliest) AS lo, max(pub.publishedLatest) AS hi
       SET c.implicitAsOfEarliest = toString(lo), c.implicitAsOfLatest = toString(hi)
     } IN TRANSACTIONS OF 10000 ROWS`,
  ],
};
