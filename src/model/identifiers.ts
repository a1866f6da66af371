import type { IdentifierScheme } from './enums.js';

/**
 * External identifiers as the graph compares them. An entity stores each identifier as written
 * (`{scheme, value}`, shown as given) and, for lookups, a key `scheme:value` (Entity.identifierKeys).
 * The key is where spelling variants that mean the same code are made one: ISO 3166 codes are upper
 * case by the standard (FtM writes them lower case: `sy` is `SY`), and Wikidata ids are Q-numbers (`q858`
 * is `Q858`). Every other scheme (ACLED, FtM and OpenSanctions ids, URLs) keeps its exact case: FtM ids
 * are case-sensitive.
 *
 * The rule is data (IDENTIFIER_RULES) so that Cypher can apply the same one (graph/queries/identity.ts
 * CANONICAL_KEY): one rule, in one place. Keys are stored canonical (every writer uses identifierKey;
 * migration 0012 rewrote those stored before the rule), and lookups by key are seeks in the full-text
 * index entity_identifier_keys, which compares them exactly; `kg check` (identifier-key-stale) finds an
 * entity whose keys are not those of its identifiers.
 */

/** Schemes whose values compare without regard to case (their canonical form is upper case). */
export const CASELESS_SCHEMES: readonly IdentifierScheme[] = ['iso3166', 'wikidata'];

/** The rule of identifierKey as data, for computing the same key in Cypher. */
export const IDENTIFIER_RULES: Readonly<{ caseless: readonly string[] }> = Object.freeze({
  caseless: CASELESS_SCHEMES,
});

/** The canonical value of an identifier: trimmed; upper case for the caseless schemes. */
export function canonicalIdentifier(scheme: string, value: string): string {
  const v = value.trim();
  return (CASELESS_SCHEMES as readonly string[]).includes(scheme) ? v.toUpperCase() : v;
}

/** The lookup key of an identifier: `iso3166:SY` for `{scheme: iso3166, value: "sy"}`. */
export function identifierKey(scheme: string, value: string): string {
  return `${scheme}:${canonicalIdentifier(scheme, value)}`;
}

/**
 * Identifiers that name one record in their dataset, and so identify it across files: an import reuses
 * the stored entity that carries one of them (services/import-reuse.ts). URLs are left out (a website
 * is shared by an organisation and its branches), and so is `other` (no dataset to be unique in).
 */
export const REUSE_SCHEMES: readonly IdentifierScheme[] = [
  'iso3166',
  'wikidata',
  'acled',
  'ftm',
  'opensanctions',
];
