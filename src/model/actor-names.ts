/**
 * Names the field gives one actor that no spelling rule can relate (src/model/names.ts relates spellings):
 * ACLED's standard actor names ("Government of Syria (2000-)", "Military Forces of Syria (2000-)") and
 * the words investigators and monitors write for the same bodies ("Syrian regime", "Syrian army").
 *
 * Two rules, both used only to PROPOSE a match (services/identity.ts matchCandidates), never to reuse a
 * record on import:
 *
 *  1. ACLED period suffix. ACLED appends to state actors the years of the government they served,
 *     "(2000-)" for Bashar al-Assad's, "(1971-2000)" for Hafez al-Assad's; names are compared without it
 *     (stripPeriod). It stays part of the stored name, and an import reuses a record only on the whole name.
 *  2. A curated table of equivalent names (EQUIVALENT_NAMES), small on purpose: each group is one actor
 *     as ACLED's actor list names it and as the sources of this field commonly call it. Groups are matched
 *     on equivalenceKey (lower case, text before any "("), a rule simple enough that Cypher applies the
 *     same one (graph/queries/identity.ts) to find candidates under an equivalent name. Add a group only
 *     for names that denote the same body in every source; "regime" is the field's word for the Syrian
 *     government and is listed for Syria only.
 */

/** Countries whose government and forces the table lists: the name, and the adjective sources use. */
const STATES: readonly [country: string, adjective: string][] = [
  ['Syria', 'Syrian'],
  ['Iraq', 'Iraqi'],
  ['Lebanon', 'Lebanese'],
  ['Iran', 'Iranian'],
  ['Turkey', 'Turkish'],
  ['Russia', 'Russian'],
  ['Jordan', 'Jordanian'],
  ['Israel', 'Israeli'],
];

/** One actor per group, by the names that denote it (ACLED's name first, without its period). */
export const EQUIVALENT_NAMES: readonly (readonly string[])[] = [
  ...STATES.flatMap(([c, adj]) => [
    [`Government of ${c}`, `${adj} government`, `${c} government`, `${adj} authorities`],
    [`Military Forces of ${c}`, `${adj} army`, `${adj} armed forces`, `${adj} military`],
    [`Police Forces of ${c}`, `${adj} police`],
  ]),
  // Syria: the words of the Syrian monitors (SOHR, SNHR, VDC) and of the sample's article.
  [
    'Government of Syria',
    'Syrian regime',
    'Assad regime',
    'Al-Assad regime',
    'Syrian Arab Republic government',
  ],
  ['Military Forces of Syria', 'Syrian Arab Army', 'Syrian regime forces', 'Syrian government forces'],
];

/** ACLED's period suffix at the end of a name: "(2000-)", "(1971-2000)", "(2014-2016)". */
const PERIOD = /\s*\(\s*\d{4}\s*-\s*(\d{4})?\s*\)\s*$/;

/** The name without ACLED's trailing period ("Government of Syria (2000-)" → "Government of Syria"). */
export function stripPeriod(name: string): string {
  return name.replace(PERIOD, '');
}

/**
 * The key a name is looked up by in the table: lower case, the text before any "(", trimmed. Cypher
 * computes the same (toLower(trim(head(split(name, '('))))), so keep it this simple.
 */
export function equivalenceKey(name: string): string {
  return (name.split('(')[0] ?? '').trim().toLowerCase();
}

/** Each key → the other names of its groups (a name may be in several groups: "Syrian government"). */
function buildIndex(): Record<string, string[]> {
  const index: Record<string, string[]> = {};
  for (const group of EQUIVALENT_NAMES) {
    for (const name of group) {
      const key = equivalenceKey(name);
      const others = group.filter((n) => equivalenceKey(n) !== key);
      index[key] = [...new Set([...(index[key] ?? []), ...others])];
    }
  }
  return index;
}

/** equivalenceKey → the equivalent names (the table as the candidates statement takes it). */
export const EQUIVALENTS: Readonly<Record<string, readonly string[]>> = Object.freeze(buildIndex());

/** Whether the table holds a and b as names of one actor. */
export function equivalentNames(a: string, b: string): boolean {
  const kb = equivalenceKey(b);
  return (EQUIVALENTS[equivalenceKey(a)] ?? []).some((n) => equivalenceKey(n) === kb);
}
