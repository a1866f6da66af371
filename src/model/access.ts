import type { Sensitivity } from './enums.js';

/**
 * Who may do what. Anonymous callers and viewers read public records; analysts also read restricted
 * records and write; admins read everything, merge entities, read the audit log and manage keys.
 */
export const ROLE_ORDER = ['anonymous', 'viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLE_ORDER)[number];
export const KEY_ROLES = ['viewer', 'analyst', 'admin'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

export interface Viewer {
  role: Role;
  /** Id of the API key used, when authenticated. */
  keyId: string | null;
  /** Name given to the key (who is acting), when authenticated. */
  name: string | null;
}

export const ANONYMOUS: Viewer = Object.freeze({ role: 'anonymous', keyId: null, name: null });

const CLEARANCE: Record<Role, readonly Sensitivity[]> = {
  anonymous: ['public'],
  viewer: ['public'],
  analyst: ['public', 'restricted'],
  admin: ['public', 'restricted', 'confidential'],
};

/** The sensitivities a role may see; every read statement filters on them. */
export function clearance(role: Role): readonly Sensitivity[] {
  return CLEARANCE[role];
}

export function atLeast(viewer: Viewer, min: Role): boolean {
  return ROLE_ORDER.indexOf(viewer.role) >= ROLE_ORDER.indexOf(min);
}

/** A human-readable label of the caller, recorded in audit records and on claims. */
export function actorLabel(viewer: Viewer): string {
  if (viewer.keyId) return `${viewer.name ?? 'key'} (${viewer.keyId})`;
  // Keyless callers with a role are local tools (the CLI): named, never recorded as anonymous.
  return viewer.role === 'anonymous' ? 'anonymous' : (viewer.name ?? viewer.role);
}
