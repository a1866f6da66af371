import {
  ENTITY_KINDS,
  ENTITY_LABEL,
  NODE_KINDS,
  RELATION_TYPES,
  STRUCTURAL_RELS,
  VERSION_LABELS,
} from './graph-model.js';

/**
 * What a backup (the `store` section of a full hrkg-bundle/1 export) holds of the store, declared once:
 * the labels and relationship types it may carry (the model's, plus the structural ones the code keeps:
 * merge and audit records, bundle loads), the property that keys each kind of node, and what is left out
 * on purpose, with the reason. src/graph/stores/backup.ts reads and writes by it; src/io/bundle/store.ts
 * validates a backup against it.
 */

/**
 * Every node of a backup has exactly one key label, and is known by that label's key property (unique
 * in the store); the order here is the order of the backup's nodes.
 */
export const STORE_KEY_LABELS = [
  { label: ENTITY_LABEL, key: 'id' },
  { label: 'Merged', key: 'id' }, // an entity merged into another: no Entity label, kept whole for undo
  { label: NODE_KINDS.Source.label, key: 'id' },
  { label: NODE_KINDS.Excerpt.label, key: 'id' },
  { label: NODE_KINDS.Claim.label, key: 'id' },
  { label: NODE_KINDS.Figure.label, key: 'id' },
  { label: 'Merge', key: 'id' }, // a merge record, with what undo needs (movedJson)
  { label: 'AuditRecord', key: 'id' },
  { label: 'BundleLoad', key: 'sha256' }, // which bundle files were loaded (npm start loads the sample once)
  { label: VERSION_LABELS.Source, key: 'id' }, // a source's metadata before an updateSource
  { label: VERSION_LABELS.Claim, key: 'id' }, // a claim (and its figure) before an amendClaim
] as const;

export type StoreKeyLabel = (typeof STORE_KEY_LABELS)[number]['label'];

/**
 * The label an audit record of a read (an export over HTTP) carries besides AuditRecord: it records who
 * took what, but changes no evidence, so a whole-store read does not count it as a change (readConsistently).
 */
export const READ_AUDIT_LABEL = 'ReadAudit';

/** Labels a node may carry besides its key label (an entity's kind; a read's audit record). */
export const STORE_EXTRA_LABELS: readonly string[] = [...ENTITY_KINDS, READ_AUDIT_LABEL];

/** Every label a backup may carry. */
export const STORE_LABELS: readonly string[] = [
  ...STORE_KEY_LABELS.map((k) => k.label),
  ...STORE_EXTRA_LABELS,
];

/** Every relationship type a backup may carry: the model's relations and its structural relationships. */
export const STORE_REL_TYPES: readonly string[] = [...RELATION_TYPES, ...STRUCTURAL_RELS];

/**
 * Labels of the store that a backup leaves out, and why. A restore goes only into a store that holds
 * nothing but these (and the audit records of its own API keys, see KEY_AUDIT_OPERATIONS).
 */
export const STORE_LEFT_OUT = {
  ApiKey: 'secrets (only their hashes are stored); the operator creates new keys after a restore',
  Migration:
    'the migration ledger: the target has its own; the backup states the applied migrations and a restore refuses a store whose ledger differs',
  IdempotencyKey:
    'replay records of retried API writes, keyed by API key: the keys are not restored, so no client can replay against them',
} as const;

export const STORE_LEFT_OUT_LABELS = Object.keys(STORE_LEFT_OUT);

/**
 * Relationship types a backup leaves out because they are derived: a restore rebuilds them from what it
 * restored. IN_PLACE: an event's place and every place it is part of, keyed by date for the place-and-date
 * listing; WITH_ACTOR: an event's actors, keyed by date for an actor's timeline (graph/queries/event-places.ts).
 */
export const DERIVED_RELS: readonly string[] = ['IN_PLACE', 'WITH_ACTOR'];

/** Audit records a store may already hold when a backup is restored into it: its own keys' creation. */
export const KEY_AUDIT_OPERATIONS: readonly string[] = ['createApiKey', 'revokeApiKey'];

/**
 * A property value with its type, as a backup writes it: strings and booleans as JSON gives them, lists
 * of strings as JSON arrays, every other type tagged, so that nothing JSON cannot tell apart (Integer or
 * Float, a date or its text, a datetime's offset or zone) is lost.
 */
export type StoreValue =
  | string
  | boolean
  | string[]
  | { int: number | string }
  | { float: number | string }
  | { date: string }
  | { datetime: string }
  | { localdatetime: string }
  | { time: string }
  | { localtime: string }
  | { duration: string }
  | { 'int[]': (number | string)[] }
  | { 'float[]': (number | string)[] }
  | { 'bool[]': boolean[] };

/** The tags of StoreValue's typed values (a JSON object with exactly one of these keys). */
export const STORE_VALUE_TAGS = [
  'int',
  'float',
  'date',
  'datetime',
  'localdatetime',
  'time',
  'localtime',
  'duration',
  'int[]',
  'float[]',
  'bool[]',
] as const;

export type StoreProperties = Record<string, StoreValue>;

export interface StoreNode {
  /** Sorted. */
  labels: string[];
  /** By key. */
  properties: StoreProperties;
}

export interface StoreRelationship {
  type: string;
  /** Positions of the start and end nodes in the backup's node list. */
  from: number;
  to: number;
  properties: StoreProperties;
}

/** A store as a backup holds it: nodes in canonical order, relationships by their ends' positions. */
export interface StoreDump {
  /** Ids of the migrations applied to the store the backup was taken from. */
  migrations: string[];
  nodes: StoreNode[];
  relationships: StoreRelationship[];
}

/** The key label of a node with these labels: the first of STORE_KEY_LABELS it carries. */
export function keyLabelOf(labels: readonly string[]): (typeof STORE_KEY_LABELS)[number] | undefined {
  return STORE_KEY_LABELS.find((k) => labels.includes(k.label));
}

/** Guards interpolation of a backup's labels into Cypher: only the allow-list passes. */
export function assertStoreLabel(label: string): string {
  if (!STORE_LABELS.includes(label)) throw new Error(`Label not in the backup allow-list: ${label}`);
  return label;
}

/** Guards interpolation of a backup's relationship types into Cypher. */
export function assertStoreRelType(type: string): string {
  if (!STORE_REL_TYPES.includes(type))
    throw new Error(`Relationship type not in the backup allow-list: ${type}`);
  return type;
}

/** The label sets a node of a backup may have: each key label alone, and an entity with its kind. */
export const STORE_LABEL_SETS: readonly (readonly string[])[] = [
  ...STORE_KEY_LABELS.map((k) => [k.label]),
  ...ENTITY_KINDS.map((x) => [ENTITY_LABEL, x].sort()),
  ['AuditRecord', READ_AUDIT_LABEL],
];
