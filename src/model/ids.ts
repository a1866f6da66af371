import { createHash } from 'node:crypto';
import { sha256 } from './text.js';

/**
 * How record ids are made from what they are, so that the same evidence always gets the same id whoever
 * records it (bundle loader, importers, write API, merge).
 */

/** An excerpt is its source and its code-point range. */
export function excerptId(sourceId: string, start: number, end: number): string {
  return `ex-${sourceId.slice(4)}-${start}-${end}`;
}

/**
 * A claim an import makes is keyed by its slot (the record and field it speaks of, e.g.
 * cl-acled-syr1234--fatalities) AND the file it comes from (its source id), so a second file never rewrites
 * the first file's claim: it makes its own, citing its own row or line. Importing the same file again makes
 * the same ids (nothing changes).
 */
export function importedClaimId(slot: string, sourceId: string): string {
  return `${slot}--${sourceId.slice(4, 16)}`;
}

/**
 * A name record (GIVES_NAME) a bundle gives: the entity, the name and the claim, so that loading the
 * bundle again makes the same record. (The write API's records are nm-<uuid>: a name retracted and given
 * again by the same claim is a second record.)
 */
export function nameEvidenceId(
  entityId: string,
  kind: string,
  qualifier: string,
  value: string,
  claimId: string,
) {
  return `nm-${sha256(JSON.stringify([entityId, kind, qualifier, value, claimId])).slice(0, 32)}`;
}

/** The figure a figure claim asserts. */
export function figureIdOf(claimId: string): string {
  return `fg-${claimId.slice(3)}`;
}

/**
 * Stable id of a relationship: the same assertion always maps to the same relationship. A position is
 * part of the identity, like a role ("head of" and "deputy" of one unit are two facts): it adds a short
 * hash of the position as written, compared without case and runs of spaces (positionKey).
 */
export function relationId(
  type: string,
  fromId: string,
  toId: string,
  role: string | null,
  position: string | null = null,
): string {
  const key = positionKey(position);
  const pos = key ? `-p${createHash('sha256').update(key).digest('hex').slice(0, 12)}` : '';
  return `rel-${type.toLowerCase()}-${fromId}-${toId}${role ? `-${role}` : ''}${pos}`;
}

/** A position as compared for identity: trimmed, lower case, spaces collapsed; null when there is none. */
export function positionKey(position: string | null | undefined): string | null {
  const k = position?.trim().replace(/\s+/g, ' ').toLowerCase();
  return k ? k : null;
}

/**
 * Candidate start-node ids of a relationship id. Ids are made by relationId as
 * rel-<type>-<fromId>-<toId>[-<role>], the type without hyphens, so the start node's id is one of the
 * hyphen-delimited prefixes after the type. A statement still checks r.id exactly; this only lets it
 * use the entity id index instead of scanning every relationship.
 */
export function relationStarts(id: string): string[] {
  const rest = /^rel-[^-]+-(.+)$/.exec(id)?.[1];
  if (!rest) return [];
  const out: string[] = [];
  for (let i = rest.indexOf('-'); i > 0; i = rest.indexOf('-', i + 1)) out.push(rest.slice(0, i));
  return out;
}
