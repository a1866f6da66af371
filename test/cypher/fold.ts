import {
  CLAIM_DETAILS,
  CONFLICTING_CLAIMS,
  SOURCE_PROPERTIES,
  VISIBLE_CLAIM,
  VISIBLE_CLAIM_IDS,
  VISIBLE_EXCERPT,
  VISIBLE_FIGURE,
  VISIBLE_NODE,
  VISIBLE_PATH,
  VISIBLE_REL,
} from '../../src/graph/queries/fragments.js';

/**
 * A statement's Cypher with the shared fragments of src/graph/queries/fragments.ts folded back to their
 * names («CLAIM_DETAILS», «VISIBLE_CLAIM(c)»...), for snapshots a reviewer can read: a statement's snapshot
 * shows its own Cypher, and a change to a fragment shows once, in the fragments' snapshot. Everything else is
 * the text Neo4j receives. Larger fragments fold first (CLAIM_DETAILS holds VISIBLE_CLAIM, and so on).
 */
const CONSTANTS: readonly [string, string][] = [
  ['CLAIM_DETAILS', CLAIM_DETAILS],
  ['CONFLICTING_CLAIMS', CONFLICTING_CLAIMS],
];

const OF_A_VARIABLE: readonly [string, (v: string) => string][] = [
  ['VISIBLE_NODE', VISIBLE_NODE],
  ['VISIBLE_FIGURE', VISIBLE_FIGURE],
  ['VISIBLE_PATH', VISIBLE_PATH],
  ['VISIBLE_CLAIM_IDS', VISIBLE_CLAIM_IDS],
  ['VISIBLE_REL', VISIBLE_REL],
  ['VISIBLE_CLAIM', VISIBLE_CLAIM],
  ['VISIBLE_EXCERPT', VISIBLE_EXCERPT],
];

/** `keep`: a fragment not to fold (to show that fragment itself). */
export function fold(cypher: string, keep?: string): string {
  let out = cypher;
  for (const [name, text] of CONSTANTS) if (name !== keep) out = out.split(text).join(`«${name}»`);
  const variables = [...new Set(cypher.match(/\b[A-Za-z_]\w*\b/g) ?? [])];
  for (const [name, fragment] of OF_A_VARIABLE) {
    if (name === keep) continue;
    for (const v of variables) out = out.split(fragment(v)).join(`«${name}(${v})»`);
  }
  return out.split(SOURCE_PROPERTIES).join('«SOURCE_PROPERTIES»');
}
