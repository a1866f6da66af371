import { describe, expect, it } from 'vitest';
import {
  CLAIM_DETAILS,
  CONFLICTING_CLAIMS,
  VISIBLE_CLAIM,
  VISIBLE_FIGURE,
  VISIBLE_NODE,
  VISIBLE_PATH,
  VISIBLE_REL,
} from '../../src/graph/queries/fragments.js';
import { fold } from '../cypher/fold.js';
import { loadRegistry } from '../cypher/registry.js';

/**
 * The Cypher of the statements that matter most, so that a review shows the Cypher a change produces, not
 * only the TypeScript that builds it. Each statement is shown as Neo4j receives it, with the shared fragments
 * folded to their names («CLAIM_DETAILS», «VISIBLE_CLAIM(c)»: test/cypher/fold.ts); the fragments are shown
 * once, at the end. A change to one of them updates its snapshot with
 *   npx vitest run --project unit test/unit/cypher-snapshots.test.ts -u
 * and the diff is the Cypher change to review. Statements are found by name in the registry
 * (test/cypher/registry.ts), wherever they are declared.
 */

const registry = await loadRegistry();
const cypher = (name: string) => fold(registry.get(name).cypher);

// The statements that matter most; fragments are folded (see the header) and shown once, further down.

it('provenance of a record, a page of the claims behind it', () => {
  expect(cypher('provenance.provenance')).toMatchInlineSnapshot(`
    "CALL () {
         MATCH (n:Entity {id: $id}) WHERE coalesce(n.sensitivity, 'public') IN $visible
         RETURN head([l IN labels(n) WHERE l IN ['Event', 'Actor', 'Place']]) AS kind, n.name AS label,
                COLLECT {
                  CALL (n) {
                    MATCH (c:Claim)-[:ABOUT]->(n) RETURN c, 'SUBJECT' AS role
                    UNION ALL
                    MATCH (c:Claim)-[:OBJECT]->(n) RETURN c, 'OBJECT' AS role
                    UNION ALL
                    MATCH (c:Claim)-[:OBJECT]->(:Figure)-[:FIGURE_OF]->(n) RETURN c, 'FIGURE_SUBJECT' AS role
                    UNION ALL
                    MATCH (c:Claim)-[g:GIVES_NAME]->(n)
                    RETURN c, CASE g.kind WHEN 'identifier' THEN 'IDENTIFIER' ELSE 'ALIAS' END AS role
                  }
                  WITH c, role WHERE «VISIBLE_CLAIM(c)»
                  WITH c, collect(DISTINCT role) AS roles
                  RETURN {c: c, roles: roles} ORDER BY c.fact, c.id
                } AS claims
         UNION
         MATCH (n:Figure {id: $id}) WHERE «VISIBLE_FIGURE(n)»
         RETURN 'Figure' AS kind, coalesce(n.text, n.measure) AS label,
                COLLECT {
                  MATCH (c:Claim)-[:OBJECT]->(n) WHERE «VISIBLE_CLAIM(c)»
                  RETURN {c: c, roles: ['FIGURE']} ORDER BY c.id
                } AS claims
         UNION
         MATCH (n:Claim {id: $id}) WHERE «VISIBLE_CLAIM(n)»
         RETURN 'Claim' AS kind, n.summary AS label, [{c: n, roles: ['CLAIM']}] AS claims
         UNION
         MATCH (n:Source {id: $id}) WHERE coalesce(n.sensitivity, 'public') IN $visible
         RETURN 'Source' AS kind, n.title AS label,
                COLLECT {
                  MATCH (c:Claim)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(n)
                  WHERE «VISIBLE_CLAIM(c)»
                  WITH DISTINCT c RETURN {c: c, roles: ['SOURCE']} ORDER BY c.id
                } AS claims
         UNION
         MATCH (a:Entity)-[r]->(b:Entity)
         WHERE a.id IN $relationStarts AND r.id = $id AND coalesce(a.sensitivity, 'public') IN $visible AND coalesce(b.sensitivity, 'public') IN $visible
           AND size(«VISIBLE_CLAIM_IDS(r)») > 0
         RETURN 'Relation' AS kind,
                type(r) + coalesce(' (' + r.role + ')', '') + ': ' + a.name + ' → ' + b.name AS label,
                COLLECT {
                  MATCH (c:Claim) WHERE c.id IN r.claimIds AND «VISIBLE_CLAIM(c)»
                  RETURN {c: c, roles: ['RELATION']} ORDER BY c.id
                } AS claims
       }
       WITH kind, label, claims LIMIT 1
       // One page ($limit claims after the claim with id $after): details are projected for the page only.
       WITH kind, label, claims, size(claims) AS total,
            CASE WHEN $after IS NULL THEN 0
                 ELSE head([i IN range(0, size(claims) - 1) WHERE claims[i].c.id = $after]) + 1 END AS start
       WITH kind, label, total, start, CASE WHEN start IS NULL THEN [] ELSE claims[start..start + $limit] END AS page
       CALL (page) {
         UNWIND page AS entry
         WITH entry.c AS c, entry.roles AS roles
         RETURN collect(CASE WHEN $details THEN «CLAIM_DETAILS» ELSE CASE WHEN c:Source THEN c {«SOURCE_PROPERTIES», _labels: labels(c)} ELSE c {.*, _labels: labels(c)} END END) AS projected, collect(roles) AS roles
       }
       RETURN kind, label, projected AS claims, roles, total, start IS NOT NULL AS cursorFound,
              coalesce(start, 0) + size(page) < total AS hasNextPage"
  `);
});

it('the first page of conflicts, walking the conflict keys', () => {
  expect(cypher('provenance.conflictsPage')).toMatchInlineSnapshot(`
    "MATCH (k:Claim)
       WHERE k.subjectId IS NOT NULL AND k.conflictKey IS NOT NULL
         AND ($after IS NULL OR k.subjectId > $after[0] OR (k.subjectId = $after[0] AND k.conflictKey > $after[1]))
       WITH DISTINCT k.subjectId AS subjectId, k.conflictKey AS conflictKey
       ORDER BY subjectId, conflictKey
       WHERE EXISTS {
         MATCH (c:Claim {subjectId: subjectId, conflictKey: conflictKey})
         WHERE c.status <> 'retracted' AND «VISIBLE_CLAIM(c)» AND EXISTS {
           MATCH (cdOther:Claim {conflictKey: c.conflictKey, subjectId: c.subjectId})
           WHERE cdOther.id <> c.id AND cdOther.status <> 'retracted'
          AND cdOther.valueKey <> c.valueKey
          AND CASE
            WHEN (c.valueLow IS NULL AND c.valueHigh IS NULL) OR (cdOther.valueLow IS NULL AND cdOther.valueHigh IS NULL) THEN true
            ELSE NOT (coalesce(c.valueLow, -1.0e300) <= coalesce(cdOther.valueHigh, 1.0e300)
                      AND coalesce(cdOther.valueLow, -1.0e300) <= coalesce(c.valueHigh, 1.0e300))
          END
          AND all(cdOtherWhen IN [[CASE
        WHEN c.asOfEarliest IS NOT NULL OR c.asOfLatest IS NOT NULL THEN [c.asOfEarliest, c.asOfLatest]
        WHEN c.implicitAsOfEarliest IS NOT NULL OR c.implicitAsOfLatest IS NOT NULL
          THEN [c.implicitAsOfEarliest, c.implicitAsOfLatest]
      END, CASE
        WHEN cdOther.asOfEarliest IS NOT NULL OR cdOther.asOfLatest IS NOT NULL THEN [cdOther.asOfEarliest, cdOther.asOfLatest]
        WHEN cdOther.implicitAsOfEarliest IS NOT NULL OR cdOther.implicitAsOfLatest IS NOT NULL
          THEN [cdOther.implicitAsOfEarliest, cdOther.implicitAsOfLatest]
      END]] WHERE CASE
            WHEN cdOtherWhen[0] IS NULL OR cdOtherWhen[1] IS NULL THEN cdOtherWhen[0] IS NULL AND cdOtherWhen[1] IS NULL
            ELSE coalesce(cdOtherWhen[0][0], '') <= coalesce(cdOtherWhen[1][1], '9999-12-31')
                 AND coalesce(cdOtherWhen[1][0], '') <= coalesce(cdOtherWhen[0][1], '9999-12-31')
          END)
          AND NOT EXISTS { MATCH (c)<-[:SUPERSEDES]-(cNewer:Claim)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(cNewerSrc:Source)
                WHERE cNewer.status <> 'retracted' AND coalesce(cNewer.sensitivity, 'public') IN $visible AND coalesce(cNewerSrc.sensitivity, 'public') IN $visible } AND NOT EXISTS { MATCH (cdOther)<-[:SUPERSEDES]-(cdOtherNewer:Claim)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(cdOtherNewerSrc:Source)
                WHERE cdOtherNewer.status <> 'retracted' AND coalesce(cdOtherNewer.sensitivity, 'public') IN $visible AND coalesce(cdOtherNewerSrc.sensitivity, 'public') IN $visible } AND «VISIBLE_CLAIM(cdOther)»
             AND ($origin IS NULL OR EXISTS { MATCH (c)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(cShared:Source)<-[:IN_SOURCE]-(:Excerpt)<-[:SUPPORTED_BY]-(cdOther)
                WHERE coalesce(cShared.sensitivity, 'public') IN $visible } = ($origin = 'INTERNAL'))
         }
       }
       WITH subjectId, conflictKey LIMIT toInteger($limit)
       WITH collect([subjectId, conflictKey]) AS page
       CALL (page) {
         UNWIND page AS k
         MATCH (subject:Entity {id: k[0]})
         CALL (subject, k) {
           MATCH (c:Claim)-[:ABOUT]->(subject)
           WHERE c.conflictKey = k[1] AND c.status <> 'retracted' AND «VISIBLE_CLAIM(c)»
           WITH c ORDER BY c.id
           RETURN collect(CASE WHEN $details THEN «CLAIM_DETAILS» ELSE CASE WHEN c:Source THEN c {«SOURCE_PROPERTIES», _labels: labels(c)} ELSE c {.*, _labels: labels(c)} END END) AS claims,
                  collect(CASE WHEN (c.asOfEarliest IS NULL AND c.asOfLatest IS NULL
        AND (c.implicitAsOfEarliest IS NOT NULL OR c.implicitAsOfLatest IS NOT NULL)) THEN c.id END) AS implicitAsOf,
                  collect(COLLECT {
                    MATCH (cdOther:Claim {conflictKey: c.conflictKey, subjectId: c.subjectId})
                    WHERE cdOther.id <> c.id AND cdOther.status <> 'retracted'
          AND cdOther.valueKey <> c.valueKey
          AND CASE
            WHEN (c.valueLow IS NULL AND c.valueHigh IS NULL) OR (cdOther.valueLow IS NULL AND cdOther.valueHigh IS NULL) THEN true
            ELSE NOT (coalesce(c.valueLow, -1.0e300) <= coalesce(cdOther.valueHigh, 1.0e300)
                      AND coalesce(cdOther.valueLow, -1.0e300) <= coalesce(c.valueHigh, 1.0e300))
          END
          AND all(cdOtherWhen IN [[CASE
        WHEN c.asOfEarliest IS NOT NULL OR c.asOfLatest IS NOT NULL THEN [c.asOfEarliest, c.asOfLatest]
        WHEN c.implicitAsOfEarliest IS NOT NULL OR c.implicitAsOfLatest IS NOT NULL
          THEN [c.implicitAsOfEarliest, c.implicitAsOfLatest]
      END, CASE
        WHEN cdOther.asOfEarliest IS NOT NULL OR cdOther.asOfLatest IS NOT NULL THEN [cdOther.asOfEarliest, cdOther.asOfLatest]
        WHEN cdOther.implicitAsOfEarliest IS NOT NULL OR cdOther.implicitAsOfLatest IS NOT NULL
          THEN [cdOther.implicitAsOfEarliest, cdOther.implicitAsOfLatest]
      END]] WHERE CASE
            WHEN cdOtherWhen[0] IS NULL OR cdOtherWhen[1] IS NULL THEN cdOtherWhen[0] IS NULL AND cdOtherWhen[1] IS NULL
            ELSE coalesce(cdOtherWhen[0][0], '') <= coalesce(cdOtherWhen[1][1], '9999-12-31')
                 AND coalesce(cdOtherWhen[1][0], '') <= coalesce(cdOtherWhen[0][1], '9999-12-31')
          END)
          AND NOT EXISTS { MATCH (c)<-[:SUPERSEDES]-(cNewer:Claim)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(cNewerSrc:Source)
                WHERE cNewer.status <> 'retracted' AND coalesce(cNewer.sensitivity, 'public') IN $visible AND coalesce(cNewerSrc.sensitivity, 'public') IN $visible } AND NOT EXISTS { MATCH (cdOther)<-[:SUPERSEDES]-(cdOtherNewer:Claim)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(cdOtherNewerSrc:Source)
                WHERE cdOtherNewer.status <> 'retracted' AND coalesce(cdOtherNewer.sensitivity, 'public') IN $visible AND coalesce(cdOtherNewerSrc.sensitivity, 'public') IN $visible } AND «VISIBLE_CLAIM(cdOther)»
                    RETURN EXISTS { MATCH (c)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(cShared:Source)<-[:IN_SOURCE]-(:Excerpt)<-[:SUPPORTED_BY]-(cdOther)
                WHERE coalesce(cShared.sensitivity, 'public') IN $visible }
                  }) AS origins
         }
         RETURN collect({subjectId: k[0], conflictKey: k[1], subject: CASE WHEN subject:Source THEN subject {«SOURCE_PROPERTIES», _labels: labels(subject)} ELSE subject {.*, _labels: labels(subject)} END, claims: claims,
                         implicitAsOf: implicitAsOf,
                         internal: any(o IN origins WHERE true IN o), acrossSources: any(o IN origins WHERE false IN o)}) AS groups
       }
       RETURN null AS total, groups, true AS subjectExists"
  `);
});

it('a node by id with its claims and their evidence', () => {
  expect(cypher('records.entityWithClaims')).toMatchInlineSnapshot(`
    "MATCH (n:Entity {id: $id}) WHERE coalesce(n.sensitivity, 'public') IN $visible
       RETURN n {.*} AS props, labels(n) AS labels,
              COLLECT {
                MATCH (c:Claim)-[:ABOUT]->(n) WHERE «VISIBLE_CLAIM(c)»
                WITH c ORDER BY c.fact, c.id LIMIT 501
                RETURN «CLAIM_DETAILS»
              } AS claims"
  `);
});

it('events in a place, by date', () => {
  expect(cypher('listing.events.DATE_ASC.by-place-date')).toMatchInlineSnapshot(`
    "
        WITH null AS total
        CALL () {
          WITH CASE WHEN $from IS NULL THEN null ELSE substring($from, 0, 7) + '-01' END AS month,
               CASE WHEN $to IS NULL THEN '9999-12-31' ELSE toString(date($to)) END AS upto
          WITH month, upto, CASE WHEN month IS NULL OR $keyFrom > month THEN $keyFrom ELSE month END AS lower
          
        CALL (lower, upto) {
          
          MATCH (e:Event)-[ip:IN_PLACE]->(:Place) USING INDEX ip:IN_PLACE(placeId, at, key, eventId)
          // A composite index serves only predicates on all its properties: eventId's is that it exists.
          WHERE ip.placeId = $placeId AND ip.at = 'start' AND ip.key >= lower AND ip.key <= upto AND ip.eventId IS NOT NULL
            AND ($afterKey IS NULL OR ip.key > $afterKey OR (ip.key = $afterKey AND ip.eventId > $afterId))
          WITH e, ip.placeId AS rp, ip.at AS ra, ip.key AS rk, ip.eventId AS rid, e.dateEarliest AS lo, coalesce(e.endDateLatest, CASE WHEN e.endDateJson IS NULL THEN e.dateLatest END) AS hi 
      WHERE coalesce(e.sensitivity, 'public') IN $visible
        AND ($types IS NULL OR e.type IN $types)
        AND (($from IS NULL AND $to IS NULL) OR lo IS NOT NULL OR hi IS NOT NULL)
        AND ($to IS NULL OR lo IS NULL OR lo <= date($to))
        AND ($from IS NULL OR hi IS NULL OR hi >= date($from))
        AND ($placeId IS NULL OR EXISTS {
          MATCH inPlace = (e)-[:OCCURRED_IN]->(:Place)-[:PART_OF*0..6]->(:Place {id: $placeId})
          WHERE «VISIBLE_PATH(inPlace)» })
        AND ($actorId IS NULL OR EXISTS {
          MATCH (ea:Actor {id: $actorId})-[r:INVOLVED_IN]->(e)
          WHERE ($role IS NULL OR r.role = $role) AND coalesce(ea.sensitivity, 'public') IN $visible AND «VISIBLE_REL(r)» })
        AND ($sourceId IS NULL OR EXISTS {
          MATCH (e)<-[:ABOUT]-(ec:Claim)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(es:Source {id: $sourceId})
          WHERE coalesce(es.sensitivity, 'public') IN $visible AND «VISIBLE_CLAIM(ec)» })
        AND ($nameContains IS NULL OR any(n IN e.names WHERE toLower(n) CONTAINS toLower($nameContains)))
          WITH e, rp, ra, rk, rid, coalesce(toString(lo), '9999-12-31') AS k WHERE ($afterKey IS NULL OR k > $afterKey OR (k = $afterKey AND e.id > $afterId))
          // The index's own order, all four properties (the planner sees it as given only so): the rows are
          // read in it and reading stops at the page (Limit, not Top: test/cypher/plan-rules.ts).
          WITH DISTINCT e, rp, ra, rk, rid ORDER BY rp, ra, rk, rid LIMIT toInteger($limit)
          RETURN collect(e) AS found
        }
          WITH month, found AS starting
          
        CALL (month) {
          
          MATCH (e:Event)-[ip:IN_PLACE]->(:Place) USING INDEX ip:IN_PLACE(placeId, at, key, eventId)
          // A composite index serves only predicates on all its properties: eventId's is that it exists.
          WHERE ip.placeId = $placeId AND ip.at = month AND ip.key >= $keyFrom AND ip.eventId IS NOT NULL
            AND ($afterKey IS NULL OR ip.key > $afterKey OR (ip.key = $afterKey AND ip.eventId > $afterId))
          WITH e, ip.placeId AS rp, ip.at AS ra, ip.key AS rk, ip.eventId AS rid, e.dateEarliest AS lo, coalesce(e.endDateLatest, CASE WHEN e.endDateJson IS NULL THEN e.dateLatest END) AS hi 
      WHERE coalesce(e.sensitivity, 'public') IN $visible
        AND ($types IS NULL OR e.type IN $types)
        AND (($from IS NULL AND $to IS NULL) OR lo IS NOT NULL OR hi IS NOT NULL)
        AND ($to IS NULL OR lo IS NULL OR lo <= date($to))
        AND ($from IS NULL OR hi IS NULL OR hi >= date($from))
        AND ($placeId IS NULL OR EXISTS {
          MATCH inPlace = (e)-[:OCCURRED_IN]->(:Place)-[:PART_OF*0..6]->(:Place {id: $placeId})
          WHERE «VISIBLE_PATH(inPlace)» })
        AND ($actorId IS NULL OR EXISTS {
          MATCH (ea:Actor {id: $actorId})-[r:INVOLVED_IN]->(e)
          WHERE ($role IS NULL OR r.role = $role) AND coalesce(ea.sensitivity, 'public') IN $visible AND «VISIBLE_REL(r)» })
        AND ($sourceId IS NULL OR EXISTS {
          MATCH (e)<-[:ABOUT]-(ec:Claim)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(es:Source {id: $sourceId})
          WHERE coalesce(es.sensitivity, 'public') IN $visible AND «VISIBLE_CLAIM(ec)» })
        AND ($nameContains IS NULL OR any(n IN e.names WHERE toLower(n) CONTAINS toLower($nameContains)))
          WITH e, rp, ra, rk, rid, coalesce(toString(lo), '9999-12-31') AS k WHERE ($afterKey IS NULL OR k > $afterKey OR (k = $afterKey AND e.id > $afterId))
          // The index's own order, all four properties (the planner sees it as given only so): the rows are
          // read in it and reading stops at the page (Limit, not Top: test/cypher/plan-rules.ts).
          WITH DISTINCT e, rp, ra, rk, rid ORDER BY rp, ra, rk, rid LIMIT toInteger($limit)
          RETURN collect(e) AS found
        }
          WITH month, starting + found AS starting
          
        CALL (month) {
          
          MATCH (e:Event)-[ip:IN_PLACE]->(:Place) USING INDEX ip:IN_PLACE(placeId, at, key, eventId)
          // A composite index serves only predicates on all its properties: eventId's is that it exists.
          WHERE ip.placeId = $placeId AND ip.at = 'open' AND ip.key >= $keyFrom AND ip.key < month AND ip.eventId IS NOT NULL
            AND ($afterKey IS NULL OR ip.key > $afterKey OR (ip.key = $afterKey AND ip.eventId > $afterId))
          WITH e, ip.placeId AS rp, ip.at AS ra, ip.key AS rk, ip.eventId AS rid, e.dateEarliest AS lo, coalesce(e.endDateLatest, CASE WHEN e.endDateJson IS NULL THEN e.dateLatest END) AS hi 
      WHERE coalesce(e.sensitivity, 'public') IN $visible
        AND ($types IS NULL OR e.type IN $types)
        AND (($from IS NULL AND $to IS NULL) OR lo IS NOT NULL OR hi IS NOT NULL)
        AND ($to IS NULL OR lo IS NULL OR lo <= date($to))
        AND ($from IS NULL OR hi IS NULL OR hi >= date($from))
        AND ($placeId IS NULL OR EXISTS {
          MATCH inPlace = (e)-[:OCCURRED_IN]->(:Place)-[:PART_OF*0..6]->(:Place {id: $placeId})
          WHERE «VISIBLE_PATH(inPlace)» })
        AND ($actorId IS NULL OR EXISTS {
          MATCH (ea:Actor {id: $actorId})-[r:INVOLVED_IN]->(e)
          WHERE ($role IS NULL OR r.role = $role) AND coalesce(ea.sensitivity, 'public') IN $visible AND «VISIBLE_REL(r)» })
        AND ($sourceId IS NULL OR EXISTS {
          MATCH (e)<-[:ABOUT]-(ec:Claim)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(es:Source {id: $sourceId})
          WHERE coalesce(es.sensitivity, 'public') IN $visible AND «VISIBLE_CLAIM(ec)» })
        AND ($nameContains IS NULL OR any(n IN e.names WHERE toLower(n) CONTAINS toLower($nameContains)))
          WITH e, rp, ra, rk, rid, coalesce(toString(lo), '9999-12-31') AS k WHERE ($afterKey IS NULL OR k > $afterKey OR (k = $afterKey AND e.id > $afterId))
          // The index's own order, all four properties (the planner sees it as given only so): the rows are
          // read in it and reading stops at the page (Limit, not Top: test/cypher/plan-rules.ts).
          WITH DISTINCT e, rp, ra, rk, rid ORDER BY rp, ra, rk, rid LIMIT toInteger($limit)
          RETURN collect(e) AS found
        }
          WITH starting + found AS starting
          // Undated events come last in this order: read only when the dated runs (disjoint, each distinct)
          // did not fill the page.
          
        CALL (starting) {
          WITH starting WHERE size(starting) < toInteger($limit)
          MATCH (e:Event)-[ip:IN_PLACE]->(:Place) USING INDEX ip:IN_PLACE(placeId, at, key, eventId)
          // A composite index serves only predicates on all its properties: eventId's is that it exists.
          WHERE ip.placeId = $placeId AND ip.at = 'start' AND ip.key = '9999-12-31' AND ip.eventId IS NOT NULL
            AND ($afterKey IS NULL OR ip.key > $afterKey OR (ip.key = $afterKey AND ip.eventId > $afterId))
          WITH e, ip.placeId AS rp, ip.at AS ra, ip.key AS rk, ip.eventId AS rid, e.dateEarliest AS lo, coalesce(e.endDateLatest, CASE WHEN e.endDateJson IS NULL THEN e.dateLatest END) AS hi 
      WHERE coalesce(e.sensitivity, 'public') IN $visible
        AND ($types IS NULL OR e.type IN $types)
        AND (($from IS NULL AND $to IS NULL) OR lo IS NOT NULL OR hi IS NOT NULL)
        AND ($to IS NULL OR lo IS NULL OR lo <= date($to))
        AND ($from IS NULL OR hi IS NULL OR hi >= date($from))
        AND ($placeId IS NULL OR EXISTS {
          MATCH inPlace = (e)-[:OCCURRED_IN]->(:Place)-[:PART_OF*0..6]->(:Place {id: $placeId})
          WHERE «VISIBLE_PATH(inPlace)» })
        AND ($actorId IS NULL OR EXISTS {
          MATCH (ea:Actor {id: $actorId})-[r:INVOLVED_IN]->(e)
          WHERE ($role IS NULL OR r.role = $role) AND coalesce(ea.sensitivity, 'public') IN $visible AND «VISIBLE_REL(r)» })
        AND ($sourceId IS NULL OR EXISTS {
          MATCH (e)<-[:ABOUT]-(ec:Claim)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(es:Source {id: $sourceId})
          WHERE coalesce(es.sensitivity, 'public') IN $visible AND «VISIBLE_CLAIM(ec)» })
        AND ($nameContains IS NULL OR any(n IN e.names WHERE toLower(n) CONTAINS toLower($nameContains)))
          WITH e, rp, ra, rk, rid, coalesce(toString(lo), '9999-12-31') AS k WHERE ($afterKey IS NULL OR k > $afterKey OR (k = $afterKey AND e.id > $afterId))
          // The index's own order, all four properties (the planner sees it as given only so): the rows are
          // read in it and reading stops at the page (Limit, not Top: test/cypher/plan-rules.ts).
          WITH DISTINCT e, rp, ra, rk, rid ORDER BY rp, ra, rk, rid LIMIT toInteger($limit)
          RETURN collect(e) AS found
        }
          UNWIND starting + found AS e
          WITH DISTINCT e
          
      WITH e, e.dateEarliest AS lo, coalesce(e.endDateLatest, CASE WHEN e.endDateJson IS NULL THEN e.dateLatest END) AS hi
          WITH e, lo, hi, coalesce(toString(lo), '9999-12-31') AS k ORDER BY k, e.id LIMIT toInteger($limit)
          RETURN collect({key: k, lo: toString(lo), hi: toString(hi), node: e {.*, _labels: labels(e)}}) AS rows
        }
        RETURN total, rows"
  `);
});

it('full-text search', () => {
  expect(cypher('explore.search')).toMatchInlineSnapshot(`
    "UNWIND $windows AS window
       CALL (window) {
         UNWIND $indexes AS ix
         CALL (ix, window) {
           CALL db.index.fulltext.queryNodes(ix, $q, window) YIELD node, score
           RETURN collect({node: node, score: score}) AS read
         }
         // floor: the lowest score read, when the window cut the index off (hits above it are all read)
         WITH collect({read: read,
                       floor: CASE WHEN size(read) >= coalesce(window.limit, size(read) + 1) THEN read[-1].score END}) AS lists
         // Records at or before the keyset in any index (their best score put them on an earlier page).
         WITH lists, CASE WHEN $afterScore IS NULL THEN [] ELSE reduce(acc = [], l IN lists | acc +
                [h IN l.read WHERE h.score > $afterScore OR (h.score = $afterScore AND h.node.id <= $afterId) | h.node]) END AS shown
         UNWIND lists AS l
         CALL (l, shown) {
           WITH l, shown, COLLECT {
             UNWIND l.read AS h
             WITH h, h.node AS n WHERE (l.floor IS NULL OR h.score > l.floor) AND NOT n IN shown AND ($afterScore IS NULL OR h.score < $afterScore OR (h.score = $afterScore AND n.id > $afterId))
       AND CASE WHEN n:Event THEN 'EVENT' WHEN n:Actor THEN 'ACTOR' WHEN n:Place THEN 'PLACE'
            WHEN n:Source THEN 'SOURCE' WHEN n:Excerpt THEN 'EXCERPT' WHEN n:Figure THEN 'FIGURE' END IN $kinds AND «VISIBLE_NODE(n)»
             RETURN h LIMIT toInteger($first) + 1
           } AS top
           WITH l, shown, top, CASE WHEN size(top) > toInteger($first) THEN top[-1].score END AS last
           // The hits tied with the last are taken by id (the page's order), not as the index gave them.
           RETURN l.floor IS NOT NULL AND last IS NULL AS short, [h IN top WHERE last IS NULL OR h.score > last] + COLLECT {
             UNWIND CASE WHEN last IS NULL THEN [] ELSE [h IN l.read WHERE h.score = last] END AS h
             WITH h, h.node AS n ORDER BY n.id
             WITH h, n WHERE h IN top OR (NOT n IN shown AND ($afterScore IS NULL OR h.score < $afterScore OR (h.score = $afterScore AND n.id > $afterId))
       AND CASE WHEN n:Event THEN 'EVENT' WHEN n:Actor THEN 'ACTOR' WHEN n:Place THEN 'PLACE'
            WHEN n:Source THEN 'SOURCE' WHEN n:Excerpt THEN 'EXCERPT' WHEN n:Figure THEN 'FIGURE' END IN $kinds AND «VISIBLE_NODE(n)»)
             RETURN h LIMIT toInteger($first) + 1
           } AS found
         }
         RETURN NOT any(s IN collect(short) WHERE s) AS enough, reduce(acc = [], f IN collect(found) | acc + f) AS found
       }
       WITH found WHERE enough
       LIMIT 1
       CALL (found) {
         UNWIND found AS h
         WITH h.node AS node, max(h.score) AS score
         ORDER BY score DESC, node.id
         LIMIT toInteger($first) + 1
         RETURN collect({node: node, score: score, kind: CASE WHEN node:Event THEN 'EVENT' WHEN node:Actor THEN 'ACTOR' WHEN node:Place THEN 'PLACE'
            WHEN node:Source THEN 'SOURCE' WHEN node:Excerpt THEN 'EXCERPT' WHEN node:Figure THEN 'FIGURE' END}) AS page
       }
       CALL () {
         UNWIND CASE WHEN $withTotal THEN $indexes ELSE [] END AS ix
         CALL db.index.fulltext.queryNodes(ix, $q) YIELD node
         WITH DISTINCT node WHERE CASE WHEN node:Event THEN 'EVENT' WHEN node:Actor THEN 'ACTOR' WHEN node:Place THEN 'PLACE'
            WHEN node:Source THEN 'SOURCE' WHEN node:Excerpt THEN 'EXCERPT' WHEN node:Figure THEN 'FIGURE' END IN $kinds AND «VISIBLE_NODE(node)»
         RETURN CASE WHEN $withTotal THEN count(node) END AS totalCount
       }
       RETURN totalCount, COLLECT {
         UNWIND page AS h
         WITH h, h.node AS n
         OPTIONAL MATCH (n:Excerpt)-[:IN_SOURCE]->(src:Source) WHERE coalesce(src.sensitivity, 'public') IN $visible
         RETURN {score: h.score, kind: h.kind, node: CASE WHEN n:Source THEN n {«SOURCE_PROPERTIES», _labels: labels(n), sourceId: src.id} ELSE n {.*, _labels: labels(n), sourceId: src.id} END,
                 source: CASE WHEN $withSource AND src IS NOT NULL THEN CASE WHEN src:Source THEN src {«SOURCE_PROPERTIES», _labels: labels(src)} ELSE src {.*, _labels: labels(src)} END END}
       } AS hits"
  `);
});

it('a neighbourhood of two hops', () => {
  expect(cypher('explore.neighborhood.depth2')).toMatchInlineSnapshot(`
    "CALL () {
             MATCH (x:Entity {id: $id}) RETURN x AS center
             UNION
             MATCH (x:Figure {id: $id}) RETURN x AS center
           }
           WITH center WHERE «VISIBLE_NODE(center)»
           WITH center, [center] AS seen, [{n: center, hp: []}] AS frontier, [] AS found, false AS cut
           WITH center, seen, found, cut,
                CASE WHEN size([f IN found WHERE ($labels IS NULL OR any(l IN labels(f.n) WHERE l IN $labels))]) < toInteger($limit) THEN frontier ELSE [] END AS frontier
           CALL (frontier, seen) {
             WITH frontier AS fr, seen AS sn, COLLECT {
               UNWIND frontier AS e
               CALL (e) {
                 WITH e.n AS a
                 CALL (a) {
                   MATCH (a)-[s:PART_OF|PURSUANT_TO|MEMBER_OF|LOCATED_IN|SUBORDINATE_TO|COMMANDS|HELD_IN|RELEASED_FROM|TRANSFERRED_TO|OPERATES|SHARE_OF|DURING]-(b) WHERE «VISIBLE_NODE(b)» AND (type(s) IN ['FIGURE_OF', 'SHARE_OF', 'DURING'] OR «VISIBLE_REL(s)»)
                   RETURN s, b
                   UNION ALL
                   MATCH (a)-[s:INVOLVED_IN|OCCURRED_IN|FIGURE_OF]-(b) WHERE «VISIBLE_NODE(b)» AND (type(s) IN ['FIGURE_OF', 'SHARE_OF', 'DURING'] OR «VISIBLE_REL(s)»)
                   RETURN s, b
                 }
                 WITH s, b LIMIT toInteger($fanOut) + 1
                 RETURN collect({s: s, b: b}) AS steps
               }
               UNWIND range(0, size(steps) - 1) AS i
               RETURN {e: e, s: steps[i].s, b: steps[i].b, over: i >= toInteger($fanOut)} AS x
               LIMIT toInteger($levelBudget) + 1
             } AS xs
             WITH sn, xs, [x IN xs[0..toInteger($levelBudget)] WHERE NOT x.over] AS used
             RETURN size(xs) > toInteger($levelBudget) OR any(x IN xs WHERE x.over) AS levelCut, COLLECT {
               UNWIND used AS x
               WITH x WHERE NOT x.b IN sn
               WITH x.b AS n, collect(x) AS ins ORDER BY n.id
               // At most MAX_PATHS walks per node: stop extending once that many are kept.
               RETURN {n: n, hp: reduce(acc = [], x IN ins | CASE WHEN size(acc) >= 10 THEN acc
                 ELSE acc + [h IN x.e.hp | {ns: h.ns + [n], rs: h.rs + [x.s]}] END)[0..10]}
             } AS level
           }
           WITH center, seen + [x IN level | x.n] AS seen, level AS frontier,
                found + [x IN level | {n: x.n, distance: 1}] AS found, cut OR levelCut AS cut
           WITH center, seen, found, cut,
                CASE WHEN size([f IN found WHERE ($labels IS NULL OR any(l IN labels(f.n) WHERE l IN $labels))]) < toInteger($limit) THEN frontier ELSE [] END AS frontier
           CALL (frontier, seen) {
             WITH frontier AS fr, seen AS sn, COLLECT {
               UNWIND frontier AS e
               CALL (e) {
                 WITH e.n AS a
                 CALL (a) {
                   MATCH (a)-[s:PART_OF|PURSUANT_TO|MEMBER_OF|LOCATED_IN|SUBORDINATE_TO|COMMANDS|HELD_IN|RELEASED_FROM|TRANSFERRED_TO|OPERATES|SHARE_OF|DURING]-(b) WHERE «VISIBLE_NODE(b)» AND (type(s) IN ['FIGURE_OF', 'SHARE_OF', 'DURING'] OR «VISIBLE_REL(s)»)
                   RETURN s, b
                   UNION ALL
                   MATCH (a)-[s:INVOLVED_IN|OCCURRED_IN|FIGURE_OF]-(b) WHERE «VISIBLE_NODE(b)» AND (type(s) IN ['FIGURE_OF', 'SHARE_OF', 'DURING'] OR «VISIBLE_REL(s)»)
                   RETURN s, b
                 }
                 WITH s, b LIMIT toInteger($fanOut) + 1
                 RETURN collect({s: s, b: b}) AS steps
               }
               UNWIND range(0, size(steps) - 1) AS i
               RETURN {e: e, s: steps[i].s, b: steps[i].b, over: i >= toInteger($fanOut)} AS x
               LIMIT toInteger($levelBudget) + 1
             } AS xs
             WITH sn, xs, [x IN xs[0..toInteger($levelBudget)] WHERE NOT x.over] AS used
             RETURN size(xs) > toInteger($levelBudget) OR any(x IN xs WHERE x.over) AS levelCut, COLLECT {
               UNWIND used AS x
               WITH x WHERE NOT x.b IN sn
               WITH x.b AS n, collect(x) AS ins ORDER BY n.id
               // At most MAX_PATHS walks per node: stop extending once that many are kept.
               RETURN {n: n, hp: reduce(acc = [], x IN ins | CASE WHEN size(acc) >= 10 THEN acc
                 ELSE acc + [h IN x.e.hp | {ns: h.ns + [n], rs: h.rs + [x.s]}] END)[0..10]}
             } AS level
           }
           WITH center, seen + [x IN level | x.n] AS seen, level AS frontier,
                found + [x IN level | {n: x.n, distance: 2}] AS found, cut OR levelCut AS cut
           WITH center, cut, [f IN found WHERE ($labels IS NULL OR any(l IN labels(f.n) WHERE l IN $labels))] AS wanted
           WITH center, wanted[0..toInteger($limit) - 1] AS kept, cut OR size(wanted) >= toInteger($limit) AS truncated
           WITH truncated, [center] + [f IN kept | f.n] AS ns, [0] + [f IN kept | f.distance] AS distances
           WITH truncated, ns, distances, COLLECT {
             UNWIND ns AS na
             CALL (na, ns) {
               WITH na WHERE COUNT { (na)-[:INVOLVED_IN|OCCURRED_IN|PART_OF|PURSUANT_TO|MEMBER_OF|LOCATED_IN|SUBORDINATE_TO|COMMANDS|HELD_IN|RELEASED_FROM|TRANSFERRED_TO|OPERATES|FIGURE_OF|SHARE_OF|DURING]->() } <= size(ns)
               MATCH (na)-[r:INVOLVED_IN|OCCURRED_IN|PART_OF|PURSUANT_TO|MEMBER_OF|LOCATED_IN|SUBORDINATE_TO|COMMANDS|HELD_IN|RELEASED_FROM|TRANSFERRED_TO|OPERATES|FIGURE_OF|SHARE_OF|DURING]->(nb) WHERE nb IN ns
               RETURN r
               UNION ALL
               WITH na WHERE COUNT { (na)-[:INVOLVED_IN|OCCURRED_IN|PART_OF|PURSUANT_TO|MEMBER_OF|LOCATED_IN|SUBORDINATE_TO|COMMANDS|HELD_IN|RELEASED_FROM|TRANSFERRED_TO|OPERATES|FIGURE_OF|SHARE_OF|DURING]->() } > size(ns)
               UNWIND ns AS nb
               MATCH (na)-[r:INVOLVED_IN|OCCURRED_IN|PART_OF|PURSUANT_TO|MEMBER_OF|LOCATED_IN|SUBORDINATE_TO|COMMANDS|HELD_IN|RELEASED_FROM|TRANSFERRED_TO|OPERATES|FIGURE_OF|SHARE_OF|DURING]->(nb)
               RETURN r
             }
             WITH r ORDER BY type(r), startNode(r).id, endNode(r).id, r.role
             WITH {
        id: coalesce(r.id, 'rel-' + toLower(type(r)) + '-' + startNode(r).id + '-' + endNode(r).id),
        type: type(r), role: r.role, position: r.position, source: startNode(r).id, target: endNode(r).id,
        claimIds: CASE WHEN 'Figure' IN labels(startNode(r))
          THEN COLLECT { WITH startNode(r) AS fig MATCH (cl:Claim)-[:OBJECT]->(fig) WHERE «VISIBLE_CLAIM(cl)» RETURN cl.id ORDER BY cl.id }
          ELSE «VISIBLE_CLAIM_IDS(r)» END
      } AS edge WHERE size(edge.claimIds) > 0
             RETURN edge
           } AS edges
           RETURN truncated, distances, [n IN ns | CASE WHEN n:Source THEN n {«SOURCE_PROPERTIES», _labels: labels(n)} ELSE n {.*, _labels: labels(n)} END] AS nodes, edges,
                  COLLECT {
        UNWIND CASE WHEN $withClaims THEN edges ELSE [] END AS edge
        UNWIND edge.claimIds AS cid
        WITH DISTINCT cid
        MATCH (c:Claim {id: cid})
        RETURN «CLAIM_DETAILS» ORDER BY c.id
      } AS claims"
  `);
});

it('shortest paths of at most four hops (the default)', () => {
  expect(cypher('explore.paths.max4')).toMatchInlineSnapshot(`
    "OPTIONAL CALL () {
             MATCH (x:Entity {id: $from}) RETURN x AS fromNode
             UNION
             MATCH (x:Figure {id: $from}) RETURN x AS fromNode
           }
           OPTIONAL CALL () {
             MATCH (x:Entity {id: $to}) RETURN x AS toNode
             UNION
             MATCH (x:Figure {id: $to}) RETURN x AS toNode
           }
           WITH CASE WHEN fromNode IS NOT NULL AND «VISIBLE_NODE(fromNode)» THEN fromNode END AS fromNode,
                CASE WHEN toNode IS NOT NULL AND «VISIBLE_NODE(toNode)» THEN toNode END AS toNode
           WITH fromNode, toNode, CASE WHEN fromNode IS NULL THEN [] ELSE [{n: fromNode, hp: [{ns: [fromNode], rs: []}]}] END AS frontier
           WITH fromNode, toNode, frontier, [x IN frontier | x.n] AS seen, frontier AS fromAll, false AS fromCut
           CALL (frontier, seen) {
             WITH frontier AS fr, seen AS sn, COLLECT {
               UNWIND frontier AS e
               CALL (e) {
                 WITH e.n AS a
                 CALL (a) {
                   MATCH (a)-[s:PART_OF|PURSUANT_TO|MEMBER_OF|LOCATED_IN|SUBORDINATE_TO|COMMANDS|HELD_IN|RELEASED_FROM|TRANSFERRED_TO|OPERATES|SHARE_OF|DURING]-(b) WHERE «VISIBLE_NODE(b)» AND (type(s) IN ['FIGURE_OF', 'SHARE_OF', 'DURING'] OR «VISIBLE_REL(s)»)
                   RETURN s, b
                   UNION ALL
                   MATCH (a)-[s:INVOLVED_IN|OCCURRED_IN|FIGURE_OF]-(b) WHERE «VISIBLE_NODE(b)» AND (type(s) IN ['FIGURE_OF', 'SHARE_OF', 'DURING'] OR «VISIBLE_REL(s)»)
                   RETURN s, b
                 }
                 WITH s, b LIMIT toInteger($fanOut) + 1
                 RETURN collect({s: s, b: b}) AS steps
               }
               UNWIND range(0, size(steps) - 1) AS i
               RETURN {e: e, s: steps[i].s, b: steps[i].b, over: i >= toInteger($fanOut)} AS x
               LIMIT toInteger($levelBudget) + 1
             } AS xs
             WITH sn, xs, [x IN xs[0..toInteger($levelBudget)] WHERE NOT x.over] AS used
             RETURN size(xs) > toInteger($levelBudget) OR any(x IN xs WHERE x.over) AS levelCut, COLLECT {
               UNWIND used AS x
               WITH x WHERE NOT x.b IN sn
               WITH x.b AS n, collect(x) AS ins ORDER BY n.id
               // At most MAX_PATHS walks per node: stop extending once that many are kept.
               RETURN {n: n, hp: reduce(acc = [], x IN ins | CASE WHEN size(acc) >= 10 THEN acc
                 ELSE acc + [h IN x.e.hp | {ns: h.ns + [n], rs: h.rs + [x.s]}] END)[0..10]}
             } AS level
           }
           WITH fromNode, toNode, seen + [x IN level | x.n] AS seen, level AS frontier, fromAll + level AS fromAll, fromCut OR levelCut AS fromCut
           CALL (frontier, seen) {
             WITH frontier AS fr, seen AS sn, COLLECT {
               UNWIND frontier AS e
               CALL (e) {
                 WITH e.n AS a
                 CALL (a) {
                   MATCH (a)-[s:PART_OF|PURSUANT_TO|MEMBER_OF|LOCATED_IN|SUBORDINATE_TO|COMMANDS|HELD_IN|RELEASED_FROM|TRANSFERRED_TO|OPERATES|SHARE_OF|DURING]-(b) WHERE «VISIBLE_NODE(b)» AND (type(s) IN ['FIGURE_OF', 'SHARE_OF', 'DURING'] OR «VISIBLE_REL(s)»)
                   RETURN s, b
                   UNION ALL
                   MATCH (a)-[s:INVOLVED_IN|OCCURRED_IN|FIGURE_OF]-(b) WHERE «VISIBLE_NODE(b)» AND (type(s) IN ['FIGURE_OF', 'SHARE_OF', 'DURING'] OR «VISIBLE_REL(s)»)
                   RETURN s, b
                 }
                 WITH s, b LIMIT toInteger($fanOut) + 1
                 RETURN collect({s: s, b: b}) AS steps
               }
               UNWIND range(0, size(steps) - 1) AS i
               RETURN {e: e, s: steps[i].s, b: steps[i].b, over: i >= toInteger($fanOut)} AS x
               LIMIT toInteger($levelBudget) + 1
             } AS xs
             WITH sn, xs, [x IN xs[0..toInteger($levelBudget)] WHERE NOT x.over] AS used
             RETURN size(xs) > toInteger($levelBudget) OR any(x IN xs WHERE x.over) AS levelCut, COLLECT {
               UNWIND used AS x
               WITH x WHERE NOT x.b IN sn
               WITH x.b AS n, collect(x) AS ins ORDER BY n.id
               // At most MAX_PATHS walks per node: stop extending once that many are kept.
               RETURN {n: n, hp: reduce(acc = [], x IN ins | CASE WHEN size(acc) >= 10 THEN acc
                 ELSE acc + [h IN x.e.hp | {ns: h.ns + [n], rs: h.rs + [x.s]}] END)[0..10]}
             } AS level
           }
           WITH fromNode, toNode, seen + [x IN level | x.n] AS seen, level AS frontier, fromAll + level AS fromAll, fromCut OR levelCut AS fromCut
           WITH fromNode, toNode, fromAll, fromCut, CASE WHEN toNode IS NULL THEN [] ELSE [{n: toNode, hp: [{ns: [toNode], rs: []}]}] END AS frontier
           WITH fromNode, toNode, fromAll, fromCut, frontier, [x IN frontier | x.n] AS seen, frontier AS toAll, false AS toCut
           CALL (frontier, seen) {
             WITH frontier AS fr, seen AS sn, COLLECT {
               UNWIND frontier AS e
               CALL (e) {
                 WITH e.n AS a
                 CALL (a) {
                   MATCH (a)-[s:PART_OF|PURSUANT_TO|MEMBER_OF|LOCATED_IN|SUBORDINATE_TO|COMMANDS|HELD_IN|RELEASED_FROM|TRANSFERRED_TO|OPERATES|SHARE_OF|DURING]-(b) WHERE «VISIBLE_NODE(b)» AND (type(s) IN ['FIGURE_OF', 'SHARE_OF', 'DURING'] OR «VISIBLE_REL(s)»)
                   RETURN s, b
                   UNION ALL
                   MATCH (a)-[s:INVOLVED_IN|OCCURRED_IN|FIGURE_OF]-(b) WHERE «VISIBLE_NODE(b)» AND (type(s) IN ['FIGURE_OF', 'SHARE_OF', 'DURING'] OR «VISIBLE_REL(s)»)
                   RETURN s, b
                 }
                 WITH s, b LIMIT toInteger($fanOut) + 1
                 RETURN collect({s: s, b: b}) AS steps
               }
               UNWIND range(0, size(steps) - 1) AS i
               RETURN {e: e, s: steps[i].s, b: steps[i].b, over: i >= toInteger($fanOut)} AS x
               LIMIT toInteger($levelBudget) + 1
             } AS xs
             WITH sn, xs, [x IN xs[0..toInteger($levelBudget)] WHERE NOT x.over] AS used
             RETURN size(xs) > toInteger($levelBudget) OR any(x IN xs WHERE x.over) AS levelCut, COLLECT {
               UNWIND used AS x
               WITH x WHERE NOT x.b IN sn
               WITH x.b AS n, collect(x) AS ins ORDER BY n.id
               // At most MAX_PATHS walks per node: stop extending once that many are kept.
               RETURN {n: n, hp: reduce(acc = [], x IN ins | CASE WHEN size(acc) >= 10 THEN acc
                 ELSE acc + [h IN x.e.hp | {ns: h.ns + [n], rs: h.rs + [x.s]}] END)[0..10]}
             } AS level
           }
           WITH fromNode, toNode, fromAll, fromCut, seen + [x IN level | x.n] AS seen, level AS frontier, toAll + level AS toAll, toCut OR levelCut AS toCut
           CALL (frontier, seen) {
             WITH frontier AS fr, seen AS sn, COLLECT {
               UNWIND frontier AS e
               CALL (e) {
                 WITH e.n AS a
                 CALL (a) {
                   MATCH (a)-[s:PART_OF|PURSUANT_TO|MEMBER_OF|LOCATED_IN|SUBORDINATE_TO|COMMANDS|HELD_IN|RELEASED_FROM|TRANSFERRED_TO|OPERATES|SHARE_OF|DURING]-(b) WHERE «VISIBLE_NODE(b)» AND (type(s) IN ['FIGURE_OF', 'SHARE_OF', 'DURING'] OR «VISIBLE_REL(s)»)
                   RETURN s, b
                   UNION ALL
                   MATCH (a)-[s:INVOLVED_IN|OCCURRED_IN|FIGURE_OF]-(b) WHERE «VISIBLE_NODE(b)» AND (type(s) IN ['FIGURE_OF', 'SHARE_OF', 'DURING'] OR «VISIBLE_REL(s)»)
                   RETURN s, b
                 }
                 WITH s, b LIMIT toInteger($fanOut) + 1
                 RETURN collect({s: s, b: b}) AS steps
               }
               UNWIND range(0, size(steps) - 1) AS i
               RETURN {e: e, s: steps[i].s, b: steps[i].b, over: i >= toInteger($fanOut)} AS x
               LIMIT toInteger($levelBudget) + 1
             } AS xs
             WITH sn, xs, [x IN xs[0..toInteger($levelBudget)] WHERE NOT x.over] AS used
             RETURN size(xs) > toInteger($levelBudget) OR any(x IN xs WHERE x.over) AS levelCut, COLLECT {
               UNWIND used AS x
               WITH x WHERE NOT x.b IN sn
               WITH x.b AS n, collect(x) AS ins ORDER BY n.id
               // At most MAX_PATHS walks per node: stop extending once that many are kept.
               RETURN {n: n, hp: reduce(acc = [], x IN ins | CASE WHEN size(acc) >= 10 THEN acc
                 ELSE acc + [h IN x.e.hp | {ns: h.ns + [n], rs: h.rs + [x.s]}] END)[0..10]}
             } AS level
           }
           WITH fromNode, toNode, fromAll, fromCut, seen + [x IN level | x.n] AS seen, level AS frontier, toAll + level AS toAll, toCut OR levelCut AS toCut
           WITH fromNode, toNode, fromCut OR toCut AS truncated, COLLECT {
             // Join the walks where they meet: a node reached from both ends.
             UNWIND [x IN fromAll | {side: 0, x: x}] + [x IN toAll | {side: 1, x: x}] AS t
             WITH t.x.n AS meet, collect(t) AS ts
             WITH [t IN ts WHERE t.side = 0 | t.x][0] AS fx, [t IN ts WHERE t.side = 1 | t.x][0] AS tx
             WHERE fx IS NOT NULL AND tx IS NOT NULL
             UNWIND fx.hp AS fh
             UNWIND tx.hp AS th
             WITH fh.ns + reverse(th.ns)[1..] AS ns, fh.rs + reverse(th.rs) AS rs
             WHERE all(i IN range(0, size(ns) - 1) WHERE NOT ns[i] IN ns[i + 1..])
             WITH DISTINCT ns, rs
             // Every hop is backed by a claim the caller may see: each step was (VISIBLE_STEP).
             WITH ns, rs ORDER BY size(rs), [n IN ns | n.id], [r IN rs | coalesce(r.id, type(r))] LIMIT toInteger($first)
             RETURN {
               nodes: [n IN ns | CASE WHEN n:Source THEN n {«SOURCE_PROPERTIES», _labels: labels(n)} ELSE n {.*, _labels: labels(n)} END],
               hops: [r IN rs | {
        id: coalesce(r.id, 'rel-' + toLower(type(r)) + '-' + startNode(r).id + '-' + endNode(r).id),
        type: type(r), role: r.role, position: r.position, source: startNode(r).id, target: endNode(r).id,
        claimIds: CASE WHEN 'Figure' IN labels(startNode(r))
          THEN COLLECT { WITH startNode(r) AS fig MATCH (cl:Claim)-[:OBJECT]->(fig) WHERE «VISIBLE_CLAIM(cl)» RETURN cl.id ORDER BY cl.id }
          ELSE «VISIBLE_CLAIM_IDS(r)» END
      }]
             }
           } AS found
           RETURN fromNode IS NOT NULL AS fromFound, toNode IS NOT NULL AS toFound, found AS paths, truncated,
                  COLLECT {
        UNWIND CASE WHEN $withClaims THEN reduce(acc = [], fp IN found | acc + fp.hops) ELSE [] END AS edge
        UNWIND edge.claimIds AS cid
        WITH DISTINCT cid
        MATCH (c:Claim {id: cid})
        RETURN «CLAIM_DETAILS» ORDER BY c.id
      } AS claims"
  `);
});

it("recordClaim's insert of excerpts", () => {
  expect(cypher('write.insertExcerpts')).toMatchInlineSnapshot(`
    "UNWIND $rows AS r
       MATCH (s:Source {id: r.sourceId})
       MERGE (e:Excerpt {id: r.id})
       SET e.exact = r.exact, e.start = r.start, e.end = r.end, e.prefix = r.prefix, e.suffix = r.suffix
       MERGE (e)-[:IN_SOURCE]->(s)"
  `);
});

it("recordClaim's insert of the claim", () => {
  expect(cypher('write.insertClaim')).toMatchInlineSnapshot(`
    "UNWIND $rows AS r
       MATCH (subject:Entity {id: r.subjectId})
       MERGE (c:Claim {id: r.id})
       ON CREATE SET c.recordedBy = r.recordedBy, c.recordedAt = datetime(r.recordedAt), c.version = 1
       WITH c, r, subject, coalesce(c.version, 1) > 1 AS edited, coalesce(c.sensitivity, 'public') AS before
       FOREACH (_ IN CASE WHEN edited THEN [] ELSE [1] END |
         SET c.kind = r.kind, c.fact = r.fact, c.summary = r.summary, c.property = r.property, c.role = r.role,
             c.valueJson = r.valueJson, c.conflictKey = r.conflictKey, c.valueKey = r.valueKey,
             c.valueLow = r.valueLow, c.valueHigh = r.valueHigh,
             c.asOfEarliest = r.asOfEarliest, c.asOfLatest = r.asOfLatest, c.asOfFromSource = r.asOfFromSource,
             c.status = r.status, c.statusReason = r.statusReason, c.statusChangedAt = datetime(r.statusChangedAt),
             c.statusChangedBy = r.statusChangedBy, c.confidence = r.confidence,
             c.subjectId = r.subjectId, c.objectId = r.objectId, c.slot = r.slot, c.assertion = r.assertion,
             c.position = r.position, c.periodStartJson = r.periodStartJson, c.periodEndJson = r.periodEndJson,
             c.periodEarliest = date(r.periodEarliest), c.periodLatest = date(r.periodLatest))
       SET c.sensitivity = CASE WHEN CASE before WHEN 'confidential' THEN 2 WHEN 'restricted' THEN 1 ELSE 0 END >= CASE coalesce(r.sensitivity, 'public') WHEN 'confidential' THEN 2 WHEN 'restricted' THEN 1 ELSE 0 END THEN before ELSE coalesce(r.sensitivity, 'public') END
       MERGE (c)-[:ABOUT]->(subject)
       WITH c, r, edited, before
       CALL (c, r) {
         UNWIND r.excerptIds AS exId
         MATCH (e:Excerpt {id: exId})
         MERGE (c)-[:SUPPORTED_BY]->(e)
       }
       // An edited claim's attribution is kept as it is, like the rest of what it asserts.
       CALL (c, r, edited) {
         WITH c, r WHERE NOT edited
         UNWIND range(0, size(r.attributedTo) - 1) AS i
         MATCH (a:Actor {id: r.attributedTo[i]})
         MERGE (c)-[at:ATTRIBUTED_TO {hop: i + 1}]->(a)
         SET at.capacity = r.attribution[i].capacity, at.excerptId = r.attribution[i].excerptId
       }
       CALL (c, r) {
         WITH c, r WHERE r.kind = 'relation'
         MATCH (o:Entity {id: r.objectId})
         MERGE (c)-[:OBJECT]->(o)
       }
       // A figure with neither as-of nor period is compared as of its sources' publication (model/claims.ts):
       // the span of the cited sources' publication dates, stored once here rather than derived on every read.
       CALL (c) {
         WITH c WHERE coalesce(c.asOfFromSource, false)
         MATCH (c)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(pub:Source)
         WITH c, min(pub.publishedEarliest) AS lo, max(pub.publishedLatest) AS hi
         SET c.implicitAsOfEarliest = toString(lo), c.implicitAsOfLatest = toString(hi)
       }
       RETURN count(c) AS written"
  `);
});

it('a merge moving one relationship type', () => {
  expect(cypher('merge.move.INVOLVED_IN')).toMatchInlineSnapshot(`
    "UNWIND $rows AS row
         MATCH (a)-[old:INVOLVED_IN]->(b) WHERE elementId(old) = row.eid
         MATCH (k:Entity {id: $keepId})
         WITH row, old, CASE WHEN row.out THEN k ELSE a END AS s, CASE WHEN row.out THEN b ELSE k END AS e
         CALL (row, old, s, e) {
           WITH row, old, s, e WHERE row.mode = 'create'
           CREATE (s)-[n:INVOLVED_IN]->(e)
           SET n = properties(old)
           SET n += row.overrides
         }
         CALL (row, s, e) {
           WITH row, s, e WHERE row.mode = 'union'
           MATCH (s)-[u:INVOLVED_IN]->(e) WHERE u.id = row.targetId
           SET u.claimIds = coalesce(u.claimIds, []) + [c IN row.added WHERE NOT c IN coalesce(u.claimIds, [])]
         }
         DELETE old
         WITH count(*) AS moved WHERE moved = size($rows)
         RETURN moved"
  `);
});

it('the bundle upsert of claims', () => {
  expect(cypher('import.upsertClaims')).toMatchInlineSnapshot(`
    "UNWIND $rows AS r
       MATCH (subject:Entity {id: r.subjectId})
       MERGE (c:Claim {id: r.id})
       ON CREATE SET c.recordedBy = r.recordedBy, c.recordedAt = datetime(r.recordedAt), c.version = 1
       WITH c, r, subject, coalesce(c.version, 1) > 1 AS edited, coalesce(c.sensitivity, 'public') AS before
       FOREACH (_ IN CASE WHEN edited THEN [] ELSE [1] END |
         SET c.kind = r.kind, c.fact = r.fact, c.summary = r.summary, c.property = r.property, c.role = r.role,
             c.valueJson = r.valueJson, c.conflictKey = r.conflictKey, c.valueKey = r.valueKey,
             c.valueLow = r.valueLow, c.valueHigh = r.valueHigh,
             c.asOfEarliest = r.asOfEarliest, c.asOfLatest = r.asOfLatest, c.asOfFromSource = r.asOfFromSource,
             c.status = r.status, c.statusReason = r.statusReason, c.statusChangedAt = datetime(r.statusChangedAt),
             c.statusChangedBy = r.statusChangedBy, c.confidence = r.confidence,
             c.subjectId = r.subjectId, c.objectId = r.objectId, c.slot = r.slot, c.assertion = r.assertion,
             c.position = r.position, c.periodStartJson = r.periodStartJson, c.periodEndJson = r.periodEndJson,
             c.periodEarliest = date(r.periodEarliest), c.periodLatest = date(r.periodLatest))
       SET c.sensitivity = CASE WHEN CASE before WHEN 'confidential' THEN 2 WHEN 'restricted' THEN 1 ELSE 0 END >= CASE coalesce(r.sensitivity, 'public') WHEN 'confidential' THEN 2 WHEN 'restricted' THEN 1 ELSE 0 END THEN before ELSE coalesce(r.sensitivity, 'public') END
       MERGE (c)-[:ABOUT]->(subject)
       WITH c, r, edited, before
       CALL (c, r) {
         UNWIND r.excerptIds AS exId
         MATCH (e:Excerpt {id: exId})
         MERGE (c)-[:SUPPORTED_BY]->(e)
       }
       // An edited claim's attribution is kept as it is, like the rest of what it asserts.
       CALL (c, r, edited) {
         WITH c, r WHERE NOT edited
         UNWIND range(0, size(r.attributedTo) - 1) AS i
         MATCH (a:Actor {id: r.attributedTo[i]})
         MERGE (c)-[at:ATTRIBUTED_TO {hop: i + 1}]->(a)
         SET at.capacity = r.attribution[i].capacity, at.excerptId = r.attribution[i].excerptId
       }
       CALL (c, r) {
         WITH c, r WHERE r.kind = 'relation'
         MATCH (o:Entity {id: r.objectId})
         MERGE (c)-[:OBJECT]->(o)
       }
       // A figure with neither as-of nor period is compared as of its sources' publication (model/claims.ts):
       // the span of the cited sources' publication dates, stored once here rather than derived on every read.
       CALL (c) {
         WITH c WHERE coalesce(c.asOfFromSource, false)
         MATCH (c)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(pub:Source)
         WITH c, min(pub.publishedEarliest) AS lo, max(pub.publishedLatest) AS hi
         SET c.implicitAsOfEarliest = toString(lo), c.implicitAsOfLatest = toString(hi)
       }
       WITH c, edited, before, r
       WHERE edited OR CASE before WHEN 'confidential' THEN 2 WHEN 'restricted' THEN 1 ELSE 0 END > CASE coalesce(r.sensitivity, 'public') WHEN 'confidential' THEN 2 WHEN 'restricted' THEN 1 ELSE 0 END
       RETURN CASE WHEN edited THEN c.id END AS changedSince,
              CASE WHEN CASE before WHEN 'confidential' THEN 2 WHEN 'restricted' THEN 1 ELSE 0 END > CASE coalesce(r.sensitivity, 'public') WHEN 'confidential' THEN 2 WHEN 'restricted' THEN 1 ELSE 0 END THEN c.id END AS stricterKept"
  `);
});

it('the audit append', () => {
  expect(cypher('audit.append')).toMatchInlineSnapshot(`
    "CREATE (a:AuditRecord {id: $id, at: datetime(), operation: $operation, actor: $actor, role: $role,
         keyId: $keyId, inputDigest: $inputDigest, affectedIds: $affectedIds, changesJson: $changesJson,
         requestId: $requestId, clientRequestId: $clientRequestId})
       RETURN a.id AS id"
  `);
});

it('an API key looked up by its hash', () => {
  expect(cypher('keys.findByHash')).toMatchInlineSnapshot(`
    "MATCH (k:ApiKey {hash: $hash}) WHERE k.revokedAt IS NULL
       RETURN k.id AS id, k.role AS role, k.name AS name"
  `);
});

it('folds only what is the fragment, word for word', () => {
  expect(fold(`MATCH (c:Claim) WHERE ${VISIBLE_CLAIM('c')} RETURN ${CLAIM_DETAILS}`)).toBe(
    'MATCH (c:Claim) WHERE «VISIBLE_CLAIM(c)» RETURN «CLAIM_DETAILS»',
  );
  expect(fold(VISIBLE_CLAIM('c').replace('ABOUT', 'OBJECT'))).not.toContain('«VISIBLE_CLAIM(c)»');
});

describe('Cypher of the shared fragments', () => {
  it('CLAIM_DETAILS: a claim with its evidence, attribution, subject, object and conflicts', () => {
    expect(fold(CLAIM_DETAILS, 'CLAIM_DETAILS')).toMatchInlineSnapshot(`
      "c {.*, _labels: labels(c),
          _excerpts: COLLECT {
            MATCH (c)-[:SUPPORTED_BY]->(cdEx:Excerpt)-[:IN_SOURCE]->(cdSrc:Source) WHERE coalesce(cdSrc.sensitivity, 'public') IN $visible
            RETURN cdEx {.*, sourceId: cdSrc.id, _labels: labels(cdEx)} ORDER BY cdSrc.id, cdEx.start
          },
          _sources: COLLECT {
            MATCH (c)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(cdSrc:Source) WHERE coalesce(cdSrc.sensitivity, 'public') IN $visible
            WITH DISTINCT cdSrc
            OPTIONAL MATCH (cdSrc)-[:PUBLISHED_BY]->(cdPub:Actor) WHERE coalesce(cdPub.sensitivity, 'public') IN $visible
            RETURN cdSrc {«SOURCE_PROPERTIES», _labels: labels(cdSrc), _publisher: cdPub {.*, _labels: labels(cdPub)}} ORDER BY cdSrc.id
          },
          _attribution: reduce(cdHops = [], cdH IN COLLECT {
            MATCH (c)-[cdAt:ATTRIBUTED_TO]->(cdAg:Actor) WHERE coalesce(cdAg.sensitivity, 'public') IN $visible
            OPTIONAL MATCH (cdEx:Excerpt {id: cdAt.excerptId})-[:IN_SOURCE]->(cdExSrc:Source)
            WHERE coalesce(cdExSrc.sensitivity, 'public') IN $visible
            RETURN {agent: cdAg {.*, _labels: labels(cdAg)}, capacity: cdAt.capacity,
                    excerpt: CASE WHEN cdExSrc IS NULL THEN null
                                  ELSE cdEx {.*, sourceId: cdExSrc.id, _labels: labels(cdEx)} END} AS h
            ORDER BY cdAt.hop
          } | cdHops + [{hop: size(cdHops) + 1, agent: cdH.agent, capacity: cdH.capacity,
                           excerpt: cdH.excerpt}]),
          _subject: head(COLLECT { MATCH (c)-[:ABOUT]->(cdX:Entity) RETURN cdX {.*, _labels: labels(cdX)} }),
          _object: head(COLLECT { MATCH (c)-[:OBJECT]->(cdX:Entity|Figure) RETURN cdX {.*, _labels: labels(cdX)} }),
          _conflicts: «CONFLICTING_CLAIMS»
        }"
    `);
  });

  it('CONFLICTING_CLAIMS', () => {
    expect(fold(CONFLICTING_CLAIMS, 'CONFLICTING_CLAIMS')).toMatchInlineSnapshot(`
      "COLLECT {
          MATCH (cdOther:Claim {conflictKey: c.conflictKey, subjectId: c.subjectId})
          WHERE c.conflictKey IS NOT NULL AND cdOther.id <> c.id AND cdOther.status <> 'retracted'
            AND cdOther.valueKey <> c.valueKey
            AND CASE
              WHEN (c.valueLow IS NULL AND c.valueHigh IS NULL) OR (cdOther.valueLow IS NULL AND cdOther.valueHigh IS NULL) THEN true
              ELSE NOT (coalesce(c.valueLow, -1.0e300) <= coalesce(cdOther.valueHigh, 1.0e300)
                        AND coalesce(cdOther.valueLow, -1.0e300) <= coalesce(c.valueHigh, 1.0e300))
            END
            AND all(cdOtherWhen IN [[CASE
          WHEN c.asOfEarliest IS NOT NULL OR c.asOfLatest IS NOT NULL THEN [c.asOfEarliest, c.asOfLatest]
          WHEN c.implicitAsOfEarliest IS NOT NULL OR c.implicitAsOfLatest IS NOT NULL
            THEN [c.implicitAsOfEarliest, c.implicitAsOfLatest]
        END, CASE
          WHEN cdOther.asOfEarliest IS NOT NULL OR cdOther.asOfLatest IS NOT NULL THEN [cdOther.asOfEarliest, cdOther.asOfLatest]
          WHEN cdOther.implicitAsOfEarliest IS NOT NULL OR cdOther.implicitAsOfLatest IS NOT NULL
            THEN [cdOther.implicitAsOfEarliest, cdOther.implicitAsOfLatest]
        END]] WHERE CASE
              WHEN cdOtherWhen[0] IS NULL OR cdOtherWhen[1] IS NULL THEN cdOtherWhen[0] IS NULL AND cdOtherWhen[1] IS NULL
              ELSE coalesce(cdOtherWhen[0][0], '') <= coalesce(cdOtherWhen[1][1], '9999-12-31')
                   AND coalesce(cdOtherWhen[1][0], '') <= coalesce(cdOtherWhen[0][1], '9999-12-31')
            END)
            AND NOT EXISTS { MATCH (c)<-[:SUPERSEDES]-(cNewer:Claim)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(cNewerSrc:Source)
                  WHERE cNewer.status <> 'retracted' AND coalesce(cNewer.sensitivity, 'public') IN $visible AND coalesce(cNewerSrc.sensitivity, 'public') IN $visible } AND NOT EXISTS { MATCH (cdOther)<-[:SUPERSEDES]-(cdOtherNewer:Claim)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(cdOtherNewerSrc:Source)
                  WHERE cdOtherNewer.status <> 'retracted' AND coalesce(cdOtherNewer.sensitivity, 'public') IN $visible AND coalesce(cdOtherNewerSrc.sensitivity, 'public') IN $visible } AND «VISIBLE_CLAIM(cdOther)»
          RETURN cdOther {.*, _labels: labels(cdOther)} ORDER BY cdOther.id
        }"
    `);
  });

  it('the redaction rules', () => {
    expect(
      [
        fold(VISIBLE_CLAIM('c'), 'VISIBLE_CLAIM'),
        fold(VISIBLE_FIGURE('f'), 'VISIBLE_FIGURE'),
        fold(VISIBLE_NODE('n'), 'VISIBLE_NODE'),
        fold(VISIBLE_REL('r'), 'VISIBLE_REL'),
        fold(VISIBLE_PATH('p'), 'VISIBLE_PATH'),
      ].join('\n\n'),
    ).toMatchInlineSnapshot(`
      "(coalesce(c.sensitivity, 'public') IN $visible AND NOT EXISTS { MATCH (c)-[:ABOUT|OBJECT]->(cHidden) WHERE NOT coalesce(cHidden.sensitivity, 'public') IN $visible }
          AND EXISTS { MATCH (c)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(cSrc:Source) WHERE coalesce(cSrc.sensitivity, 'public') IN $visible })

      (coalesce(f.sensitivity, 'public') IN $visible AND NOT EXISTS { MATCH (f)-[:FIGURE_OF]->(fHidden) WHERE NOT coalesce(fHidden.sensitivity, 'public') IN $visible }
          AND EXISTS { MATCH (fClaim:Claim)-[:OBJECT]->(f) WHERE «VISIBLE_CLAIM(fClaim)» })

      CASE
          WHEN n:Claim THEN «VISIBLE_CLAIM(n)»
          WHEN n:Figure THEN «VISIBLE_FIGURE(n)»
          WHEN n:Excerpt THEN «VISIBLE_EXCERPT(n)»
          ELSE coalesce(n.sensitivity, 'public') IN $visible END

      any(rCid IN coalesce(r.claimIds, [])
             WHERE EXISTS { MATCH (rClaim:Claim {id: rCid}) WHERE «VISIBLE_CLAIM(rClaim)» })

      (all(pNode IN nodes(p) WHERE coalesce(pNode.sensitivity, 'public') IN $visible)
          AND all(pRel IN relationships(p) WHERE «VISIBLE_REL(pRel)»))"
    `);
  });
});
