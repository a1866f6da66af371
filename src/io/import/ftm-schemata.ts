import type { ActorType } from '../../model/enums.js';
import type { EntityKind } from '../../model/graph-model.js';
import type { ImportSkip } from './common.js';

/**
 * What the FollowTheMoney import reads, as data: for each FtM schema it maps, the kind of record it becomes
 * and the properties it reads. Everything else in a file (other schemata, other properties) is counted and
 * reported as skipped (ImportPlan.skipped), never a reason to refuse the file: an Aleph or OpenSanctions
 * export holds many schemata and properties the graph has no home for.
 */

export type Kind = EntityKind | 'Source' | 'Link';

export const ACTOR_SCHEMAS: Record<string, ActorType> = {
  Person: 'person',
  Organization: 'organization',
  Company: 'organization',
  PublicBody: 'public_body',
  LegalEntity: 'unknown',
};

/** Documents that become sources when they carry their text (bodyText). */
export const DOCUMENT_SCHEMAS = ['Article', 'Document', 'PlainText', 'HyperText'];

/** Interval schemata read as links between two entities of the file (Documentation: document → entity). */
export const LINK_SCHEMAS = ['UnknownLink', 'Membership', 'Family', 'Associate', 'Documentation'];

/** Properties every mapped entity (actor, event, place) reads. */
const NAMES = ['name', 'alias', 'weakAlias', 'previousName', 'summary', 'description', 'notes'];
const THING = [...NAMES, 'wikidataId', 'website', 'country', 'address', 'addressEntity', 'proof', 'keywords'];
const INTERVAL = ['startDate', 'date', 'endDate', 'summary', 'description'];

const READS: Record<string, readonly string[]> = {
  Actor: [...THING, 'topics'],
  Person: [...THING, 'topics', 'birthDate', 'gender', 'position'],
  Event: [...THING, 'location', 'startDate', 'date', 'endDate', 'organizer', 'involved'],
  Place: [...NAMES, 'full', 'street', 'city', 'remarks', 'country', 'latitude', 'longitude', 'proof'],
  Source: [
    'bodyText',
    'title',
    'fileName',
    'name',
    'publishedAt',
    'retrievedAt',
    'date',
    'authoredAt',
    'language',
    'sourceUrl',
    'author',
    'publisher',
    'notes',
  ],
  UnknownLink: [...INTERVAL, 'subject', 'object', 'role'],
  Membership: [...INTERVAL, 'member', 'organization', 'role'],
  Family: [...INTERVAL, 'person', 'relative', 'relationship'],
  Associate: [...INTERVAL, 'person', 'associate', 'relationship'],
  Documentation: [...INTERVAL, 'document', 'entity', 'role', 'status'],
};

/** The kind of record an FtM schema becomes, or undefined when the import does not map it. */
export function kindOf(schema: string): Kind | undefined {
  if (schema in ACTOR_SCHEMAS) return 'Actor';
  if (schema === 'Event') return 'Event';
  if (schema === 'Address') return 'Place';
  if (DOCUMENT_SCHEMAS.includes(schema)) return 'Source';
  if (LINK_SCHEMAS.includes(schema)) return 'Link';
  return undefined;
}

/** The properties the import reads of an entity of a mapped schema. */
export function readProperties(schema: string, kind: Kind): readonly string[] {
  return READS[schema] ?? READS[kind] ?? [];
}

/** Why the import leaves a schema out (the graph has no record for it). */
export function schemaSkipReason(schema: string): string {
  if (schema === 'Position' || schema === 'Occupancy')
    return 'posts are not records of the graph (a COMMANDS or MEMBER_OF position is); left in the stored file';
  if (schema === 'Sanction')
    return 'sanctions are not records of the graph (a topic "sanction" on the entity is kept); left in the stored file';
  return `the graph has no record for a ${schema}; left in the stored file`;
}

/** Skipped things of a file, counted by what and reason (reported in the order first met). */
export class SkipCounter {
  private readonly counts = new Map<string, ImportSkip>();

  add(what: string, reason: string, count = 1): void {
    const key = `${what}\u0000${reason}`;
    const seen = this.counts.get(key);
    if (seen) seen.count += count;
    else this.counts.set(key, { what, count, reason });
  }

  list(): ImportSkip[] {
    return [...this.counts.values()];
  }
}
