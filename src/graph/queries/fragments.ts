/**
 * Cypher map projections shared by the read statements. A root field that returns claims embeds
 * CLAIM_DETAILS so that the claims' excerpts, sources, attribution, subject, object and conflicts come back
 * in the same round trip; RecordsService.primeClaimDetails then seeds the request's DataLoaders with them.
 *
 * Each fragment expects the variable named in its doc comment to be bound; its own variables start with
 * `cd` so that they never shadow the caller's.
 */

/**
 * Redaction: the one rule every read and every write on an existing record applies. Every statement
 * receives $visible (the caller's clearance, injected by the executor) and keeps only what it allows:
 *
 * - entities and sources by their own sensitivity (VISIBLE);
 * - a claim only if it, its subject and its object are visible and at least one of its excerpts lies in
 *   a visible source: a claim whose every excerpt is in a source the caller cannot see has no evidence
 *   for them, and is hidden like a missing one (VISIBLE_CLAIM);
 * - a figure only if it and its subject are visible and a visible claim asserts it (VISIBLE_FIGURE);
 * - an excerpt only if its source is (VISIBLE_EXCERPT);
 * - a relationship only if both ends are visible and at least one claim backing it is (VISIBLE_REL);
 *   a walk or a filter that crosses relationships crosses only visible ones (VISIBLE_PATH).
 *
 * Hidden records are absent, not marked: their existence is not revealed, and a hidden record used as an
 * anchor (an id in a filter, a walk's start, a write's target) answers exactly like a missing one.
 */
export const VISIBLE = (v: string) => `coalesce(${v}.sensitivity, 'public') IN $visible`;

/**
 * A claim variable `c` is visible: its own sensitivity, its subject's and its object's, and evidence the
 * caller may see (an excerpt in a visible source).
 */
export const VISIBLE_CLAIM = (c: string) =>
  `(${VISIBLE(c)} AND NOT EXISTS { MATCH (${c})-[:ABOUT|OBJECT]->(${c}Hidden) WHERE NOT ${VISIBLE(`${c}Hidden`)} }
    AND EXISTS { MATCH (${c})-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(${c}Src:Source) WHERE ${VISIBLE(`${c}Src`)} })`;

/** A figure variable is visible: its own sensitivity, its subject's, and a visible claim asserting it. */
export const VISIBLE_FIGURE = (f: string) =>
  `(${VISIBLE(f)} AND NOT EXISTS { MATCH (${f})-[:FIGURE_OF]->(${f}Hidden) WHERE NOT ${VISIBLE(`${f}Hidden`)} }
    AND EXISTS { MATCH (${f}Claim:Claim)-[:OBJECT]->(${f}) WHERE ${VISIBLE_CLAIM(`${f}Claim`)} })`;

/** An excerpt variable is visible when its source is. */
export const VISIBLE_EXCERPT = (e: string) =>
  `EXISTS { MATCH (${e})-[:IN_SOURCE]->(${e}Src) WHERE ${VISIBLE(`${e}Src`)} }`;

/** The ids in a relationship's claimIds (variable `r`) whose claims the caller may see. */
export const VISIBLE_CLAIM_IDS = (r: string) =>
  `[cid IN coalesce(${r}.claimIds, []) WHERE EXISTS { MATCH (vc:Claim {id: cid}) WHERE ${VISIBLE_CLAIM('vc')} }]`;

/** Relationships that stand on a figure (start node) rather than on a list of claim ids. */
export const FIGURE_LINK_TYPES = ['FIGURE_OF', 'SHARE_OF', 'DURING'] as const;

/**
 * An entity relationship variable `r` is backed by a claim the caller may see (one of its claimIds). Its
 * ends are checked separately. Figure links (FIGURE_OF, SHARE_OF, DURING) carry no claim ids: see
 * VISIBLE_STEP.
 */
export const VISIBLE_REL = (r: string) =>
  `any(${r}Cid IN coalesce(${r}.claimIds, [])
       WHERE EXISTS { MATCH (${r}Claim:Claim {id: ${r}Cid}) WHERE ${VISIBLE_CLAIM(`${r}Claim`)} })`;

/** Any node variable, whatever its kind. */
export const VISIBLE_NODE = (n: string) => `CASE
    WHEN ${n}:Claim THEN ${VISIBLE_CLAIM(n)}
    WHEN ${n}:Figure THEN ${VISIBLE_FIGURE(n)}
    WHEN ${n}:Excerpt THEN ${VISIBLE_EXCERPT(n)}
    ELSE ${VISIBLE(n)} END`;

/**
 * A path variable `p` over entities and entity relationships crosses only what the caller may see: every
 * entity visible and every relationship backed by a visible claim. Used by every filter that walks
 * relationships (listing anchors, statistics subjects, export ancestors); the graph walks (neighborhood,
 * paths), which also cross figures, apply the same rule at each step (VISIBLE_STEP).
 */
export const VISIBLE_PATH = (p: string) =>
  `(all(${p}Node IN nodes(${p}) WHERE ${VISIBLE(`${p}Node`)})
    AND all(${p}Rel IN relationships(${p}) WHERE ${VISIBLE_REL(`${p}Rel`)}))`;

/**
 * One step of a quantified path pattern, relationship `r` to node `b` (an entity or a figure): both
 * visible. A figure link stands on its figure, which is visible only with a visible claim asserting it.
 */
export const VISIBLE_STEP = (r: string, b: string) =>
  `${VISIBLE_NODE(b)} AND (type(${r}) IN ['${FIGURE_LINK_TYPES.join("', '")}'] OR ${VISIBLE_REL(r)})`;

/**
 * The attribution of claim variable `c` as the caller may see it: the hops whose agent is visible, in
 * stored order, numbered 1..n over those hops only (a hidden intermediary leaves no gap that would
 * reveal it). `agent` projects the agent variable; `key` names it in each hop; `x` prefixes variables.
 * Each hop carries the agent's capacity and the excerpt naming the hop (with its sourceId), the excerpt
 * only when its source is visible.
 */
export const VISIBLE_ATTRIBUTION = (c: string, x: string, key: string, agent: (a: string) => string) =>
  `reduce(${x}Hops = [], ${x}H IN COLLECT {
      MATCH (${c})-[${x}At:ATTRIBUTED_TO]->(${x}Ag:Actor) WHERE ${VISIBLE(`${x}Ag`)}
      OPTIONAL MATCH (${x}Ex:Excerpt {id: ${x}At.excerptId})-[:IN_SOURCE]->(${x}ExSrc:Source)
      WHERE ${VISIBLE(`${x}ExSrc`)}
      RETURN {agent: ${agent(`${x}Ag`)}, capacity: ${x}At.capacity,
              excerpt: CASE WHEN ${x}ExSrc IS NULL THEN null
                            ELSE ${x}Ex {.*, sourceId: ${x}ExSrc.id, _labels: labels(${x}Ex)} END} AS h
      ORDER BY ${x}At.hop
    } | ${x}Hops + [{hop: size(${x}Hops) + 1, ${key}: ${x}H.agent, capacity: ${x}H.capacity,
                     excerpt: ${x}H.excerpt}])`;

/**
 * A source's properties except its text. A source's text can be megabytes: statements never copy it out of
 * Neo4j with other fields (the heap would hold it once per claim citing the source); Source.text reads it
 * on its own (records.sourceTexts), once per source and only when the field is selected. test/unit/cypher-
 * projections.test.ts refuses `{.*}` on any variable that can be a Source.
 */
export const SOURCE_PROPERTIES =
  '.id, .title, .sha256, .length, .language, .url, .retrievedAt, .publishedJson, .reliability, .sensitivity, .notes, .dataset, .version, .createdAt';

/** Projection of a source variable with its labels, without its text. */
export const sourceProjection = (v: string) => `${v} {${SOURCE_PROPERTIES}, _labels: labels(${v})}`;

/** Projection of any node with its labels (variable: the node); a source without its text. */
export const nodeProjection = (v: string, extra = '') =>
  `CASE WHEN ${v}:Source THEN ${v} {${SOURCE_PROPERTIES}, _labels: labels(${v})${extra}} ELSE ${v} {.*, _labels: labels(${v})${extra}} END`;

/**
 * Claims a statement embeds with their details for one record, at most: one more than the largest nested
 * list, so that a record with more is seen as such (the service then primes nothing and the resolvers refuse
 * or page) while a hub never has thousands of claims detailed at once.
 */
export const EMBEDDED_CLAIMS = 501;

/**
 * The as-of interval of claim variable `x` as [earliest, latest] (YYYY-MM-DD, null = open), or null for
 * none: its figure's as-of date, else (a figure with neither as-of nor period) the span of the publication
 * dates of the sources it cites, stored when the claim is written (implicitAsOf*: import.ts
 * UPSERT_CLAIMS_BODY). Strings compare as dates (four-digit years). Properties only: DISAGREES is inlined
 * in many statements, and a subquery here multiplied their planning time.
 */
export const AS_OF = (x: string) => `CASE
    WHEN ${x}.asOfEarliest IS NOT NULL OR ${x}.asOfLatest IS NOT NULL THEN [${x}.asOfEarliest, ${x}.asOfLatest]
    WHEN ${x}.implicitAsOfEarliest IS NOT NULL OR ${x}.implicitAsOfLatest IS NOT NULL
      THEN [${x}.implicitAsOfEarliest, ${x}.implicitAsOfLatest]
  END`;

/** Claim variable `x` took its as-of date from its sources' publication (AS_OF's second branch). */
export const IMPLICIT_AS_OF = (x: string) =>
  `(${x}.asOfEarliest IS NULL AND ${x}.asOfLatest IS NULL
    AND (${x}.implicitAsOfEarliest IS NOT NULL OR ${x}.implicitAsOfLatest IS NOT NULL))`;

/**
 * Claim variable `x` is superseded for the caller: a later release's claim supersedes it that is not
 * retracted, that the caller may see, and that has evidence the caller may see (an excerpt in a visible
 * source). Its subject is x's (import.supersede requires it). The one test of "superseded", for
 * conflicts, Claim.supersededBy and the ACLED export alike: a hidden or retracted newer claim supersedes
 * nothing, as if it were missing. One subquery with one pattern: DISAGREES inlines it twice in many
 * statements, and nested subqueries here multiplied their planning time.
 */
export const SUPERSEDED = (x: string) =>
  `EXISTS { MATCH (${x})<-[:SUPERSEDES]-(${x}Newer:Claim)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(${x}NewerSrc:Source)
            WHERE ${x}Newer.status <> 'retracted' AND ${VISIBLE(`${x}Newer`)} AND ${VISIBLE(`${x}NewerSrc`)} }`;

/** Claim variable `n` supersedes for the caller (the test of SUPERSEDED, for a newer claim in hand). */
export const SUPERSEDES_FOR_CALLER = (n: string) =>
  `(${n}.status <> 'retracted' AND ${VISIBLE(n)}
    AND EXISTS { MATCH (${n})-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(${n}Src:Source) WHERE ${VISIBLE(`${n}Src`)} })`;

/**
 * Claim variable `o` disagrees with claim variable `c` of the same subject and conflictKey: the rule of
 * src/model/claims.ts. Both live and not superseded, another value, the same time (as-of intervals that
 * overlap, or neither has one: sameTime), and value intervals that are disjoint (a claim without bounds,
 * such as a text attribute, disagrees with any other value).
 */
export const DISAGREES = (c: string, o: string) => `${o}.id <> ${c}.id AND ${o}.status <> 'retracted'
      AND ${o}.valueKey <> ${c}.valueKey
      AND CASE
        WHEN (${c}.valueLow IS NULL AND ${c}.valueHigh IS NULL) OR (${o}.valueLow IS NULL AND ${o}.valueHigh IS NULL) THEN true
        ELSE NOT (coalesce(${c}.valueLow, -1.0e300) <= coalesce(${o}.valueHigh, 1.0e300)
                  AND coalesce(${o}.valueLow, -1.0e300) <= coalesce(${c}.valueHigh, 1.0e300))
      END
      AND all(${o}When IN [[${AS_OF(c)}, ${AS_OF(o)}]] WHERE CASE
        WHEN ${o}When[0] IS NULL OR ${o}When[1] IS NULL THEN ${o}When[0] IS NULL AND ${o}When[1] IS NULL
        ELSE coalesce(${o}When[0][0], '') <= coalesce(${o}When[1][1], '9999-12-31')
             AND coalesce(${o}When[1][0], '') <= coalesce(${o}When[0][1], '9999-12-31')
      END)
      AND NOT ${SUPERSEDED(c)} AND NOT ${SUPERSEDED(o)}`;

/** Claim variables `c` and `o` cite one source the caller may see (an internal inconsistency when they disagree). */
export const SHARE_A_SOURCE = (c: string, o: string) =>
  `EXISTS { MATCH (${c})-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(${c}Shared:Source)<-[:IN_SOURCE]-(:Excerpt)<-[:SUPPORTED_BY]-(${o})
            WHERE ${VISIBLE(`${c}Shared`)} }`;

/** Claims that disagree with claim variable `c` (same subject and measure, same time, disjoint value intervals). */
export const CONFLICTING_CLAIMS = `COLLECT {
    MATCH (cdOther:Claim {conflictKey: c.conflictKey, subjectId: c.subjectId})
    WHERE c.conflictKey IS NOT NULL AND ${DISAGREES('c', 'cdOther')} AND ${VISIBLE_CLAIM('cdOther')}
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
    _attribution: ${VISIBLE_ATTRIBUTION('c', 'cd', 'agent', (a) => `${a} {.*, _labels: labels(${a})}`)},
    _subject: head(COLLECT { MATCH (c)-[:ABOUT]->(cdX:Entity) RETURN cdX {.*, _labels: labels(cdX)} }),
    _object: head(COLLECT { MATCH (c)-[:OBJECT]->(cdX:Entity|Figure) RETURN cdX {.*, _labels: labels(cdX)} }),
    _conflicts: ${CONFLICTING_CLAIMS}
  }`;

/**
 * What search finds a figure `f` by besides its words (text, subgroup): its numbers as digits, whole
 * numbers without a fraction ("105000" for 105,000; the query's "105,000" is searched as 105000 too,
 * graph/stores/explore.ts), its category's words (army_defectors: "army defectors") and its text with
 * the thousands separators taken out ("nearly 1,168" is found by 1168). Set by the
 * figure writers and migration 0010 from this one expression.
 */
export const FIGURE_SEARCH_TERMS = (f: string) =>
  `trim(reduce(terms = '', x IN [${f}.value, ${f}.min, ${f}.max] | terms + CASE
     WHEN x IS NULL THEN ''
     WHEN x = round(x) AND abs(x) < 1e15 THEN ' ' + toString(toInteger(x))
     ELSE ' ' + toString(x) END) + ' ' + replace(coalesce(${f}.category, ''), '_', ' ')
     + ' ' + replace(coalesce(${f}.text, ''), ',', ''))`;

/**
 * Writes a source's publishedVia chain from the list expression `hops` (stores/properties.ts
 * publicationHopParams), replacing the chain it had: one PUBLISHED_VIA relationship per hop, to the actor
 * that carried it, with the hop number (1 = nearest the reader), url and publication date. `vars` are the
 * variables the subquery needs. A null list leaves the chain as it is. The chain before is kept by updateSource's snapshot.
 */
export const WRITE_PUBLISHED_VIA = (vars: string, s: string, hops: string) => `
   CALL (${vars}) {
     WITH ${vars} WHERE ${hops} IS NOT NULL
     OPTIONAL MATCH (${s})-[oldHop:PUBLISHED_VIA]->()
     DELETE oldHop
   }
   CALL (${vars}) {
     UNWIND coalesce(${hops}, []) AS h
     MATCH (hopActor:Actor {id: h.actorId})
     CREATE (${s})-[:PUBLISHED_VIA {hop: h.hop, url: h.url, publishedJson: h.publishedJson,
       publishedEarliest: date(h.publishedEarliest), publishedLatest: date(h.publishedLatest)}]->(hopActor)
   }`;
