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
}

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
    description: 'An actor belongs to or is a unit of another',
  },
  LOCATED_IN: {
    type: 'LOCATED_IN',
    from: ['Actor'],
    to: ['Place'],
    hasRole: false,
    description: 'An actor is based in or comes from a place',
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

/**
 * What is wrong with asserting `type` from a `from` entity to a `to` entity with this role: the relation
 * joins other kinds (checked when both kinds are known), or needs a role, or takes none. One rule for the
 * bundle loader, the importers and the write API; `field` names the offending input (the type or the role).
 */
export function relationProblems(
  type: RelationType,
  from: EntityKind | undefined,
  to: EntityKind | undefined,
  role: string | null | undefined,
): { field: 'type' | 'role'; message: string }[] {
  const spec = RELATIONS[type];
  const out: { field: 'type' | 'role'; message: string }[] = [];
  if (from && to && !relationAllows(type, from, to)) {
    out.push({ field: 'type', message: `${type} does not join ${from} to ${to} (${spec.description})` });
  }
  if (spec.hasRole && !role) out.push({ field: 'role', message: `${type} needs a role` });
  if (!spec.hasRole && role) out.push({ field: 'role', message: `${type} takes no role` });
  return out;
}

export function kindOfId(id: string): NodeKind | undefined {
  for (const [kind, spec] of Object.entries(NODE_KINDS))
    if (id.startsWith(spec.idPrefix)) return kind as NodeKind;
  return undefined;
}

export type { Role };
