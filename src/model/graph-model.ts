import type { Role } from './enums.js';

/**
 * The graph's node kinds and relationship types, declared once. Labels and relationship types that reach
 * Cypher come only from here (see assertLabel / assertRelType), never from user input.
 */

export const NODE_KINDS = {
  Source: { label: 'Source', idPrefix: 'src-', entity: false, description: 'A document that says things' },
  Excerpt: {
    label: 'Excerpt',
    idPrefix: 'ex-',
    entity: false,
    description: 'Exact words at offsets of a source',
  },
  Claim: {
    label: 'Claim',
    idPrefix: 'cl-',
    entity: false,
    description: 'One asserted fact, backed by excerpts',
  },
  Event: { label: 'Event', idPrefix: 'ev-', entity: true, description: 'Something that happened' },
  Actor: {
    label: 'Actor',
    idPrefix: 'ac-',
    entity: true,
    description: 'A person, organisation, group or state',
  },
  Place: {
    label: 'Place',
    idPrefix: 'pl-',
    entity: true,
    description: 'A country, region, town or facility',
  },
  Figure: { label: 'Figure', idPrefix: 'fg-', entity: false, description: 'A number someone reported' },
} as const;

export type NodeKind = keyof typeof NODE_KINDS;
export type EntityKind = 'Event' | 'Actor' | 'Place';
export const ENTITY_KINDS: readonly EntityKind[] = ['Event', 'Actor', 'Place'];
/** Label shared by events, actors and places (search, neighbourhoods). */
export const ENTITY_LABEL = 'Entity';

export interface RelationSpec {
  type: string;
  from: readonly EntityKind[];
  to: readonly EntityKind[];
  /** Whether the relationship carries an actor's role (ESF involvement). */
  hasRole: boolean;
  description: string;
  /** Whether it may carry a post held ("head of"): part of its identity, like a role. */
  hasPosition?: boolean;
  /** The entity types its start must have (by the kind's type vocabulary); absent: any. */
  fromTypes?: readonly string[];
  /** The entity types its end must have; absent: any. */
  toTypes?: readonly string[];
}

/** Actor types that can be a unit, a body or a group (not a single person). */
const UNIT_TYPES = ['organization', 'public_body', 'group', 'state', 'unknown'] as const;
/** Who can be held, released or transferred: a person, or a group of people. */
const DETAINEE_TYPES = ['person', 'group', 'unknown'] as const;

/** Relationships between entities. Each one exists only because at least one claim asserts it. */
export const RELATIONS = {
  INVOLVED_IN: {
    type: 'INVOLVED_IN',
    from: ['Actor'],
    to: ['Event'],
    hasRole: true,
    description: 'An actor took part in an event, in a role (issuer, perpetrator, victim, ...)',
  },
  OCCURRED_IN: {
    type: 'OCCURRED_IN',
    from: ['Event'],
    to: ['Place'],
    hasRole: false,
    description: 'An event took place in a place',
  },
  PART_OF: {
    type: 'PART_OF',
    from: ['Place', 'Event'],
    to: ['Place', 'Event'],
    hasRole: false,
    description: 'A place lies inside another, or an event is part of a larger one (same kind on both ends)',
  },
  PURSUANT_TO: {
    type: 'PURSUANT_TO',
    from: ['Event'],
    to: ['Event'],
    hasRole: false,
    description: 'An event was carried out under another, e.g. releases under an amnesty decree',
  },
  MEMBER_OF: {
    type: 'MEMBER_OF',
    from: ['Actor'],
    to: ['Actor'],
    hasRole: false,
    hasPosition: true,
    description: 'An actor belongs to or is a unit of another, optionally in a position ("head of")',
  },
  LOCATED_IN: {
    type: 'LOCATED_IN',
    from: ['Actor'],
    to: ['Place'],
    hasRole: false,
    description: 'An actor is based in or comes from a place',
  },
  SUBORDINATE_TO: {
    type: 'SUBORDINATE_TO',
    from: ['Actor'],
    to: ['Actor'],
    hasRole: false,
    fromTypes: UNIT_TYPES,
    toTypes: UNIT_TYPES,
    description: 'A unit answers to its parent unit (a branch of an intelligence directorate)',
  },
  COMMANDS: {
    type: 'COMMANDS',
    from: ['Actor'],
    to: ['Actor'],
    hasRole: false,
    hasPosition: true,
    fromTypes: ['person'],
    toTypes: UNIT_TYPES,
    description: 'A person commands a unit, optionally in a named post',
  },
  HELD_IN: {
    type: 'HELD_IN',
    from: ['Actor'],
    to: ['Place'],
    hasRole: false,
    fromTypes: DETAINEE_TYPES,
    toTypes: ['facility'],
    description: 'A person or group was held in a detention facility',
  },
  RELEASED_FROM: {
    type: 'RELEASED_FROM',
    from: ['Actor'],
    to: ['Place'],
    hasRole: false,
    fromTypes: DETAINEE_TYPES,
    toTypes: ['facility'],
    description: 'A person or group was released from a detention facility',
  },
  TRANSFERRED_TO: {
    type: 'TRANSFERRED_TO',
    from: ['Actor'],
    to: ['Place'],
    hasRole: false,
    fromTypes: DETAINEE_TYPES,
    toTypes: ['facility'],
    description: 'A person or group was transferred to a detention facility',
  },
  OPERATES: {
    type: 'OPERATES',
    from: ['Actor'],
    to: ['Place'],
    hasRole: false,
    fromTypes: UNIT_TYPES,
    toTypes: ['facility'],
    description: 'An actor runs a facility: its operator',
  },
} as const satisfies Record<string, RelationSpec>;

export type RelationType = keyof typeof RELATIONS;
export const RELATION_TYPES = Object.keys(RELATIONS) as RelationType[];

/** Structural relationships the model maintains itself (provenance and figures). */
export const STRUCTURAL_RELS = [
  'ABOUT', // Claim -> subject (entity, or a figure's subject)
  'OBJECT', // Claim -> object entity (relation claims) or the Figure it asserts
  'SUPPORTED_BY', // Claim -> Excerpt
  'IN_SOURCE', // Excerpt -> Source
  'ATTRIBUTED_TO', // Claim -> Actor, with hop (1 = who the source quotes, 2 = who told them, ...)
  'PUBLISHED_BY', // Source -> Actor
  'FIGURE_OF', // Figure -> entity it counts
  'SHARE_OF', // Figure -> Figure it is a share of
  'DURING', // Figure -> Event whose period it covers
  'SAME_AS', // merged entity -> the entity it was merged into, with the judgement
  'KEEPS', // Merge -> the entity kept
  'MERGES', // Merge -> the entity merged away
  'SUPERSEDES', // Claim -> the claim of an earlier release of its dataset that it replaces (kept as it was)
  'GIVES_NAME', // Claim -> Entity: the claim gives the entity an alias or identifier (NameEvidenceRow); never deleted
  'PUBLISHED_VIA', // Source -> Actor carrying it, with hop (1 = the outlet nearest the reader), url, published
  'HAS_VERSION', // Source -> SourceVersion, Claim -> ClaimVersion: an earlier version, kept as it was
] as const;

/**
 * Earlier versions of sources (updateSource) and claims (amendClaim), kept as they were: not records of
 * their own (no Node id), read only through their source's or claim's history.
 */
export const VERSION_LABELS = { Source: 'SourceVersion', Claim: 'ClaimVersion' } as const;

/** Most hops a source's publishedVia chain may have. */
export const MAX_PUBLICATION_HOPS = 10;

const ALLOWED_LABELS = new Set<string>([
  ...Object.values(NODE_KINDS).map((k) => k.label),
  ENTITY_LABEL,
  'Merged',
  ...Object.values(VERSION_LABELS),
]);
const ALLOWED_RELS = new Set<string>([...RELATION_TYPES, ...STRUCTURAL_RELS]);

/** Guards interpolation of labels into Cypher: only the model's own labels pass. */
export function assertLabel(label: string): string {
  if (!ALLOWED_LABELS.has(label)) throw new Error(`Label not in the model: ${label}`);
  return label;
}

export function assertRelType(type: string): string {
  if (!ALLOWED_RELS.has(type)) throw new Error(`Relationship type not in the model: ${type}`);
  return type;
}

export function relationAllows(type: RelationType, from: EntityKind, to: EntityKind): boolean {
  const spec: RelationSpec = RELATIONS[type];
  if (!spec.from.includes(from) || !spec.to.includes(to)) return false;
  // PART_OF joins like with like: a place in a place, an event in an event.
  return type !== 'PART_OF' || from === to;
}

/** The problem with a relation's inputs: the field is type, role or position (or the ends' types). */
export interface RelationProblem {
  field: 'type' | 'role' | 'position';
  message: string;
}

/**
 * What is wrong with asserting `type` from a `from` entity to a `to` entity with this role and position:
 * the relation joins other kinds (checked when both kinds are known) or other types of them (checked for
 * each end whose type is known: HELD_IN's object is a facility, COMMANDS' subject a person), or needs a
 * role, or takes none, or takes no position. One rule for the bundle loader, the importers and the write
 * API; `field` names the offending input (the type, the role or the position).
 */
export function relationProblems(
  type: RelationType,
  from: EntityKind | undefined,
  to: EntityKind | undefined,
  role: string | null | undefined,
  more: { position?: string | null; fromType?: string; toType?: string } = {},
): RelationProblem[] {
  const spec: RelationSpec = RELATIONS[type];
  const out: RelationProblem[] = [];
  if (from && to && !relationAllows(type, from, to)) {
    out.push({ field: 'type', message: `${type} does not join ${from} to ${to} (${spec.description})` });
  } else {
    const ends = [
      ['subject', more.fromType, spec.fromTypes],
      ['object', more.toType, spec.toTypes],
    ] as const;
    for (const [end, t, allowed] of ends) {
      if (t && allowed && !allowed.includes(t)) {
        out.push({
          field: 'type',
          message: `${type} needs ${end === 'object' ? 'an' : 'a'} ${end} of type ${allowed.join(' or ')}, not ${t} (${spec.description})`,
        });
      }
    }
  }
  if (spec.hasRole && !role) out.push({ field: 'role', message: `${type} needs a role` });
  if (!spec.hasRole && role) out.push({ field: 'role', message: `${type} takes no role` });
  if (!spec.hasPosition && more.position) {
    out.push({ field: 'position', message: `${type} takes no position (only MEMBER_OF and COMMANDS do)` });
  }
  return out;
}

/**
 * What is wrong with giving a facility kind: only a place of type facility has one. One rule for the
 * bundle loader and the write API (create and update).
 */
export function facilityKindProblem(
  kind: EntityKind,
  type: string,
  facilityKind: string | null | undefined,
): string | null {
  if (!facilityKind) return null;
  if (kind !== 'Place' || type !== 'facility') {
    return `only a place of type facility has a facilityKind (this is ${kind === 'Place' ? `a place of type ${type}` : `an ${kind.toLowerCase()}`})`;
  }
  return null;
}

export function kindOfId(id: string): NodeKind | undefined {
  for (const [kind, spec] of Object.entries(NODE_KINDS))
    if (id.startsWith(spec.idPrefix)) return kind as NodeKind;
  return undefined;
}

export type { Role };
