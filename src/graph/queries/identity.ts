import type { IDENTIFIER_RULES } from '../../model/identifiers.js';
import type { NAME_RULES } from '../../model/names.js';
import { statement } from '../executor.js';
import { VISIBLE, VISIBLE_CLAIM_IDS } from './fragments.js';

/**
 * Identity statements: an entity by external identifier, match candidates, and same-as judgements.
 *
 * Name keys are computed at query time from the names already stored (n.names), never stored: the
 * caller passes the rules of src/model/names.ts as $nameRules ({fold, phrases, letters}) and NAME_KEY
 * applies them exactly as normalizeName does (a unit of parity is tested against the real Neo4j).
 */

/**
 * normalizeName(x) without word breaks (nameKey), in Cypher: NFKD + lower case, a per-character fold,
 * ordered replacements on the padded string, then per-character key letters with doubles collapsed.
 */
export const NAME_KEY = (x: string) => `replace(reduce(nkAcc = {out: '', prev: ''}, nkCh IN split(
    reduce(nkP = ' ' + reduce(nkF = '', nkC IN split(toLower(normalize(${x}, NFKD)), '') | nkF + coalesce($nameRules.fold[nkC], nkC)) + ' ',
           nkR IN $nameRules.phrases | replace(nkP, nkR[0], nkR[1])), '')
  | {out: nkAcc.out + CASE WHEN nkCh = nkAcc.prev AND NOT (nkCh >= '0' AND nkCh <= '9') THEN '' ELSE coalesce($nameRules.letters[nkCh], nkCh) END, prev: nkCh}).out, ' ', '')`;

/**
 * identifierKey (src/model/identifiers.ts) of a stored key (variable), in Cypher: keys written before the
 * rule (`iso3166:sy`) compare as the rule writes them now (`iso3166:SY`). $identifierRules.caseless lists
 * the schemes whose values are upper-cased. Migration 0012 made every stored key canonical, which the
 * lookups by key (ENTITIES_BY_IDENTIFIER_KEY) rely on; matchCandidates still applies it.
 */
export const CANONICAL_KEY = (k: string) => `CASE WHEN split(${k}, ':')[0] IN $identifierRules.caseless
    THEN split(${k}, ':')[0] + ':' + toUpper(trim(substring(${k}, size(split(${k}, ':')[0]) + 1))) ELSE ${k} END`;

/**
 * A Lucene query from a name (variable), as the search field builds one: lower-cased, every special
 * character escaped ($luceneEscape maps each to its escaped form), and each plain Latin word of five
 * letters or more also asked fuzzily (word~1) for spelling variants.
 */
const LUCENE_WORDS = (x: string) => `reduce(lqQ = '', lqW IN split(
    reduce(lqS = '', lqC IN split(toLower(${x}), '') | lqS + coalesce($luceneEscape[lqC], lqC)), ' ')
  | lqQ + CASE WHEN lqW = '' THEN ''
               WHEN lqW =~ '[a-z]{5,}' THEN ' ' + lqW + ' ' + lqW + '~1'
               ELSE ' ' + lqW END)`;

/**
 * The names $equivalents (src/model/actor-names.ts EQUIVALENTS) gives for a list of names (variable), each
 * looked up by equivalenceKey: lower case, the text before any "(", trimmed.
 */
const EQUIVALENT_NAMES = (names: string) =>
  `reduce(eqAcc = [], eqN IN ${names} | eqAcc + coalesce($equivalents[toLower(trim(head(split(eqN, '('))))], []))`;

/** Places an entity (variable) is tied to by a visible relationship: where it occurred, is based, lies. */
const PLACES_OF = (x: string) => `COLLECT {
    MATCH (${x})-[plR:OCCURRED_IN|LOCATED_IN|PART_OF]->(plP:Place)
    WHERE ${VISIBLE('plP')} AND size(${VISIBLE_CLAIM_IDS('plR')}) > 0
    RETURN DISTINCT plP {.id, .name} ORDER BY plP.id
  }`;

/** The newest analyst or merge judgement between two entity variables, either direction, or null. */
const LATEST_JUDGEMENT = (a: string, b: string) => `head(COLLECT {
    MATCH (${a})-[ljS:SAME_AS]-(${b})
    RETURN ljS {.judgement, .by, at: toString(ljS.at), .mergeId} ORDER BY ljS.at DESC, ljS.id DESC
  })`;

/** Same-kind entities with a name of the same key or a shared identifier: one branch per kind label. */
const KEY_BRANCH = (label: 'Event' | 'Actor' | 'Place') => `
    WITH e, eKeys, eIdentifiers WHERE e:${label} AND (size(eKeys) > 0 OR size(eIdentifiers) > 0)
    MATCH (c:${label})
    WHERE any(n IN coalesce(c.names, []) WHERE ${NAME_KEY('n')} IN eKeys)
       OR any(k IN coalesce(c.identifierKeys, []) WHERE ${CANONICAL_KEY('k')} IN eIdentifiers)
    RETURN c, 0.0 AS textScore, 1 AS keyHit`;

/**
 * Match candidates for $id in one round trip. Recall: the full-text index entity_names queried with the
 * entity's names and the names the table of src/model/actor-names.ts holds equivalent to them
 * ($equivalents; escaped, Latin words also fuzzy), plus every same-kind entity with a name of the same
 * key or a shared identifier. Kept: other, unmerged (the Entity label), visible entities of the same
 * kind whose newest judgement with the entity is not negative; at most $pool of them (key matches first,
 * then by full-text score) for the caller to score. No row when the entity is missing or hidden.
 */
export const matchCandidates = statement<{
  id: string;
  nameRules: typeof NAME_RULES;
  identifierRules: typeof IDENTIFIER_RULES;
  equivalents: Readonly<Record<string, readonly string[]>>;
  luceneEscape: Readonly<Record<string, string>>;
  textLimit: number;
  pool: number;
}>(
  'identity.matchCandidates',
  `MATCH (e:Entity {id: $id}) WHERE ${VISIBLE('e')}
   WITH e, coalesce(e.names, [e.name]) AS eNames,
        [k IN coalesce(e.identifierKeys, []) | ${CANONICAL_KEY('k')}] AS eIdentifiers
   WITH e, eNames, eIdentifiers,
        [k IN [n IN eNames | ${NAME_KEY('n')}] WHERE k <> ''] AS eKeys,
        trim(reduce(q = '', n IN eNames + ${EQUIVALENT_NAMES('eNames')} | q + ' ' + ${LUCENE_WORDS('n')})) AS q
   CALL (e, eKeys, eIdentifiers, q) {
     CALL (e, eKeys, eIdentifiers, q) {
       WITH q WHERE q <> ''
       CALL db.index.fulltext.queryNodes('entity_names', q, {limit: toInteger($textLimit)}) YIELD node, score
       RETURN node AS c, score AS textScore, 0 AS keyHit
       UNION ${KEY_BRANCH('Event')}
       UNION ${KEY_BRANCH('Actor')}
       UNION ${KEY_BRANCH('Place')}
     }
     WITH e, c, max(textScore) AS textScore, max(keyHit) AS keyHit
     WHERE c <> e AND c:Entity AND c.kind = e.kind AND ${VISIBLE('c')}
     WITH e, c, textScore, keyHit, ${LATEST_JUDGEMENT('e', 'c')} AS judged
     WHERE judged IS NULL OR judged.judgement <> 'negative'
     WITH c, textScore, keyHit, judged ORDER BY keyHit DESC, textScore DESC, c.id LIMIT toInteger($pool)
     RETURN collect({entity: c {.*, _labels: labels(c)}, textScore: textScore, keyHit: keyHit = 1,
                     places: ${PLACES_OF('c')}, judged: judged}) AS candidates
   }
   RETURN e {.*, _labels: labels(e)} AS entity, ${PLACES_OF('e')} AS places, candidates`,
);

/**
 * The entities (as variable `n`) whose identifierKeys hold the canonical key `key` (a Cypher expression;
 * src/model/identifiers.ts identifierKey): a term lookup in the full-text index entity_identifier_keys
 * (keyword analyzer: each stored key one exact, case-sensitive term; migration 0012), whose work does not
 * grow with the graph. The key is asked as a Lucene phrase (its backslashes and quotes escaped), which the
 * keyword analyzer keeps as one term; each hit is checked to hold the key, so the index only narrows.
 */
export const ENTITIES_BY_IDENTIFIER_KEY = (key: string, n: string) =>
  `CALL db.index.fulltext.queryNodes('entity_identifier_keys',
     '"' + replace(replace(${key}, '\\\\', '\\\\\\\\'), '"', '\\\\"') + '"') YIELD node AS ${n}
   WHERE ${key} IN ${n}.identifierKeys`;

/**
 * The first visible entity whose identifiers include $key (a canonical "scheme:value"): the one recorded
 * first (then by id), as an identifier held twice is a duplicate of the original. An index seek
 * (ENTITIES_BY_IDENTIFIER_KEY); a merged entity is no Entity, its identifiers are the kept one's.
 */
export const entityByIdentifier = statement<{ key: string }>(
  'identity.entityByIdentifier',
  `${ENTITIES_BY_IDENTIFIER_KEY('$key', 'held')} AND ${VISIBLE('held')}
   RETURN held {.*, _labels: labels(held)} AS entity ORDER BY held.createdAt, held.id LIMIT 1`,
);

/** A same-as link (variable s, from a to b) as the API shows it; merge judgements have no id of their own. */
const JUDGEMENT = `{id: coalesce(s.id, s.mergeId), judgement: s.judgement, by: s.by, at: toString(s.at),
    note: s.note, mergeId: s.mergeId, undoneAt: toString(s.undoneAt), entityId: a.id, candidateId: b.id,
    entity: CASE WHEN a:Entity THEN a {.*, _labels: labels(a)} END,
    candidate: CASE WHEN b:Entity THEN b {.*, _labels: labels(b)} END}`;

/**
 * Every same-as link of the entity $id (or of a merged entity with that id), either direction, newest
 * first, whose other end the caller may see. No row when there is no such visible entity.
 */
export const judgementsOf = statement<{ id: string }>(
  'identity.judgementsOf',
  `CALL () {
     MATCH (x:Entity {id: $id}) RETURN x
     UNION
     MATCH (x:Merged {id: $id}) RETURN x
   }
   WITH x WHERE ${VISIBLE('x')}
   RETURN COLLECT {
     MATCH (x)-[s:SAME_AS]-(o) WHERE ${VISIBLE('o')}
     WITH s, startNode(s) AS a, endNode(s) AS b ORDER BY s.at DESC, coalesce(s.id, s.mergeId) DESC
     RETURN ${JUDGEMENT}
   } AS judgements`,
);

/**
 * Both ends of a judgement as the caller may see them: kind when a visible entity, mergedInto when a
 * visible merged one. One row per id.
 */
export const judgementEnds = statement<{ id: string; candidateId: string }>(
  'identity.judgementEnds',
  `UNWIND [$id, $candidateId] AS id
   OPTIONAL MATCH (n:Entity {id: id}) WHERE ${VISIBLE('n')}
   OPTIONAL MATCH (m:Merged {id: id}) WHERE ${VISIBLE('m')}
   RETURN id, n.kind AS kind, m.mergedInto AS mergedInto`,
);

/** A same-as judgement to record: its ends, id, stored judgement word, who and why. */
export type JudgementParams = {
  id: string;
  candidateId: string;
  sid: string;
  judgement: string;
  by: string;
  keyId: string | null;
  note: string | null;
};

/** Records a judgement from $id to $candidateId (both checked by judgementEnds in the same transaction). */
export const recordJudgement = statement<JudgementParams>(
  'identity.recordJudgement',
  `MATCH (a:Entity {id: $id}), (b:Entity {id: $candidateId})
   CREATE (a)-[s:SAME_AS {id: $sid, judgement: $judgement, by: $by, byKeyId: $keyId, at: datetime(), note: $note}]->(b)
   RETURN ${JUDGEMENT} AS judgement`,
);
