import type { Entry } from './registry.js';

/**
 * Sample parameters for EXPLAINing the registry's statements (test/integration/cypher-plans.test.ts).
 * EXPLAIN plans without running, but every parameter the Cypher names must be given, with a plausible type:
 * the plan is cached by parameter types, and a filter switched off by a null parameter is still planned.
 * Values are chosen by parameter name (BY_NAME), unless the statement's family gives its own (BY_STATEMENT,
 * matched by name prefix: the rows of a batched write, maps whose shape differs between statements).
 * A parameter with no sample fails the unit test (test/unit/cypher-registry.test.ts) and names itself.
 * $visible is added by the executor to every statement; it is here for the same reason.
 */

const ISO = '2024-03-01T12:00:00Z';

const ENTITY = {
  id: 'ev-sample',
  kind: 'Event',
  type: 'arrest',
  name: 'Sample event',
  lang: 'en',
  aliasesJson: '[]',
  names: ['Sample event'],
  identifiersJson: '[]',
  identifierKeys: ['acled:SYR1'],
  description: null,
  sensitivity: 'public',
  dateJson: '{"value":"2022-05-01","precision":"day"}',
  dateEarliest: '2022-05-01',
  dateLatest: '2022-05-01',
  datePrecision: 'day',
  endDateJson: null,
  endDateEarliest: null,
  endDateLatest: null,
  endDatePrecision: null,
};

const SOURCE = {
  id: 'src-sample',
  title: 'A report',
  text: 'The text of a report.',
  sha256: 'a'.repeat(64),
  length: 21,
  language: 'en',
  url: 'https://example.org/report',
  retrievedAt: ISO,
  reliability: 'usually_reliable',
  sensitivity: 'public',
  notes: null,
  publisherId: 'ac-sample',
  publishedJson: '{"value":"2022-05","precision":"month"}',
  publishedEarliest: '2022-05-01',
  publishedLatest: '2022-05-31',
  publishedPrecision: 'month',
  recordedAt: ISO,
};

const EXCERPT = {
  id: 'ex-sample',
  sourceId: 'src-sample',
  exact: 'a report',
  start: 13,
  end: 21,
  prefix: '',
  suffix: '',
};

const CLAIM = {
  id: 'cl-sample',
  kind: 'relation',
  fact: 'involvement',
  summary: 'An actor took part in an event',
  property: null,
  role: 'perpetrator',
  valueJson: null,
  conflictKey: null,
  valueKey: 'ac-sample',
  valueLow: null,
  valueHigh: null,
  asOfEarliest: null,
  asOfLatest: null,
  asOfFromSource: false,
  status: 'asserted',
  statusReason: null,
  statusChangedAt: null,
  statusChangedBy: null,
  confidence: 'medium',
  sensitivity: 'public',
  subjectId: 'ev-sample',
  objectId: 'ac-sample',
  excerptIds: ['ex-sample'],
  attributedTo: ['ac-sample'],
  attribution: [{ capacity: 'director, speaking for it', excerptId: 'ex-sample' }],
  recordedBy: 'analyst',
  recordedAt: ISO,
};

const FIGURE = {
  id: 'fg-sample',
  claimId: 'cl-sample',
  subjectId: 'ev-sample',
  measure: 'killed',
  value: 12,
  min: null,
  max: null,
  qualifier: 'exact',
  unit: 'people',
  subgroup: null,
  text: null,
  sensitivity: 'public',
  periodStartJson: null,
  periodEndJson: null,
  asOfJson: null,
  periodEarliest: '2022-05-01',
  periodLatest: '2022-05-31',
  shareOfId: null,
  duringId: 'ev-sample',
  duration: 'P4Y',
  sex: 'female',
  ageGroup: null,
  category: 'army_defectors',
};

const RELATION = {
  id: 'rel-involved_in-ac-sample-ev-sample',
  fromId: 'ac-sample',
  toId: 'ev-sample',
  role: 'perpetrator',
  claimIds: ['cl-sample'],
};

const TYPED_PROP = { k: 'id', t: 'STRING NOT NULL', v: 'rel-sample' };

/** Samples by parameter name. */
export const BY_NAME: Readonly<Record<string, unknown>> = {
  visible: ['public', 'restricted'],
  id: 'ev-sample',
  ids: ['ev-sample', 'ac-sample'],
  limit: 21,
  first: 10,
  after: 'ev-sample',
  afterKey: '2022-05-01',
  afterId: 'ev-sample',
  afterAt: ISO,
  afterScore: 1.5,
  // Listings
  types: ['arrest', 'detention'],
  from: '2022-01-01',
  to: '2022-12-31',
  placeId: 'pl-sample',
  actorId: 'ac-sample',
  role: 'perpetrator',
  sourceId: 'src-sample',
  relationTypes: ['INVOLVED_IN', 'OCCURRED_IN', 'PART_OF'],
  datedFrom: '2022-05-01',
  keyFrom: '2022-05-01',
  namePrefix: 'dar',
  nameContains: 'amnesty',
  withinId: 'pl-sample',
  publisherId: 'ac-sample',
  language: 'en',
  reliability: ['usually_reliable'],
  // Exploration
  q: 'detention~1 daraa',
  kinds: ['EVENT', 'ACTOR', 'SOURCE'],
  indexes: ['entity_names', 'text_en', 'text_ar', 'figure_text'],
  windows: [{ limit: 216 }, { limit: 3456 }, {}],
  withTotal: true,
  withSource: true,
  withClaims: true,
  withText: false,
  labels: ['Event', 'Actor'],
  fanOut: 50,
  levelBudget: 250,
  // Evidence
  details: true,
  relationStarts: ['ac-sample'],
  subjectId: 'ev-sample',
  origin: 'INTERNAL',
  subjectIds: ['ev-sample'],
  measures: ['killed'],
  sourceIds: ['src-sample'],
  subgroup: '',
  sexes: ['female'],
  ageGroups: ['child'],
  categories: ['army_defectors'],
  start: 0,
  end: 100,
  // Identity
  key: 'acled:SYR1',
  candidateId: 'ev-other',
  sid: 'same-sample',
  judgement: 'positive',
  by: 'analyst',
  keyId: 'key-sample',
  note: 'checked against the report',
  nameRules: { fold: { é: 'e' }, phrases: [[' al ', ' ']], letters: { k: 'q' } },
  luceneEscape: { '+': '\\+', '-': '\\-' },
  identifierRules: { caseless: ['iso3166', 'wikidata'] },
  equivalents: { 'syrian regime': ['Government of Syria'] },
  keys: ['iso3166:SY', 'acled:SYR1'],
  textLimit: 50,
  pool: 100,
  // Keys, audit, idempotency
  hash: 'b'.repeat(64),
  name: 'ingest key',
  createdBy: 'admin',
  revokedBy: 'admin',
  operation: 'recordClaim',
  actor: 'analyst',
  inputDigest: 'c'.repeat(64),
  affectedIds: ['cl-sample'],
  affectedId: 'cl-sample',
  changesJson: '[]',
  detailsJson: '{"format":"ftm"}',
  requestId: 'req-sample',
  clientRequestId: null,
  resultJson: '{}',
  // Writes
  status: 'disputed',
  reason: 'contradicted by a later report',
  at: ISO,
  sensitivity: 'restricted',
  e: ENTITY,
  // Import
  sha256: 'd'.repeat(64),
  recordedBy: 'analyst',
  counts: '{"sources":1}',
  // Merges
  keepId: 'ac-sample',
  mergeId: 'ac-duplicate',
  kind: 'Actor',
  moveTypes: ['INVOLVED_IN', 'ABOUT'],
  historyTypes: ['SAME_AS', 'KEEPS', 'MERGES'],
  kept: { aliasesJson: '[]', names: ['Sample'], identifiersJson: '[]', identifierKeys: [], version: 3 },
  movedJson: '{}',
  xEid: '4:abc:1',
  kEid: '4:abc:2',
  checks: [{ type: 'INVOLVED_IN', otherId: 'ev-sample', targetId: 'rel-sample' }],
  entityOthers: ['ev-sample'],
  recreate: [{ out: true, otherId: 'ev-sample', props: [TYPED_PROP] }],
  targets: [{ otherId: 'ev-sample', targetId: 'rel-sample', remove: ['cl-sample'], keepIfEmpty: false }],
  links: [{ otherId: 'cl-sample', props: [TYPED_PROP] }],
  // Migrations
  checksum: 'e'.repeat(64),
  description: 'a migration',
};

/** Samples by statement family (longest matching name prefix wins). */
export const BY_STATEMENT: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'audit.log': { from: ISO, to: ISO, operation: 'recordClaim' },
  'check.': { after: '', limit: 1000, operations: ['mergeEntities', 'unmergeEntities'] },
  'check.relations': {
    after: '',
    limit: 1000,
    types: ['HELD_IN', 'MEMBER_OF'],
    rules: [
      { type: 'HELD_IN', fromTypes: ['person', 'group'], toTypes: ['facility'], hasPosition: false },
      { type: 'MEMBER_OF', fromTypes: null, toTypes: null, hasPosition: true },
    ],
  },
  'bundleExport.': { kind: 'Event', types: ['INVOLVED_IN', 'OCCURRED_IN'] },
  'backup.': { leftOut: ['ApiKey', 'Migration', 'IdempotencyKey'], keyOperations: ['createApiKey'] },
  'backup.restoreNodes.': {
    rows: [
      {
        i: 0,
        props: [
          { k: 'id', t: 'plain', v: 'ev-sample' },
          { k: 'version', t: 'int', v: 1 },
        ],
      },
    ],
  },
  'backup.restoreRelationships.': {
    rows: [{ a: '4:abc:1', b: '4:abc:2', props: [{ k: 'at', t: 'datetime', v: ISO }] }],
  },
  'export.counts': { kinds: ['sources', 'events', 'claims', 'excerpts'] },
  'explore.paths': { from: 'ac-sample', to: 'pl-sample' },
  'identity.': { id: 'ev-sample' },
  'importReuse.byName': { rows: [{ ref: 'pl-acled-syria', kind: 'Place', query: '"syria"' }], limit: 50 },
  'import.findSourcesByHash': { rows: [{ id: 'src-sample', sha256: SOURCE.sha256 }] },
  'import.upsertEntities': { rows: [{ ...ENTITY, recordedAt: ISO }] },
  'import.upsertSources': { rows: [SOURCE] },
  'import.upsertExcerpts': { rows: [EXCERPT] },
  'import.upsertClaims': { rows: [CLAIM] },
  'import.findStoredClaims': { ids: ['cl-sample'] },
  'import.amendedClaims': { ids: ['cl-sample'] },
  'import.storedPlaceLinks': { rows: [{ id: 'rel-sample', nodeId: 'ev-sample' }] },
  'import.findSourceTextChanges': { rows: [{ id: 'src-sample', sha256: SOURCE.sha256 }] },
  'import.findClaimChanges': { rows: [{ ...CLAIM, sortedExcerptIds: ['ex-sample'] }] },
  'import.findFigureChanges': { rows: [FIGURE] },
  'import.supersede': {
    rows: [{ id: 'cl-sample', slot: 'cl-sample-slot', assertion: '["relation"]', sourceId: 'src-sample' }],
    loadSources: ['src-sample'],
  },
  'import.upsertFigures': { rows: [FIGURE] },
  'import.linkFigures': { rows: [FIGURE] },
  'import.upsertRelations.': { rows: [RELATION] },
  'merge.': { from: 'ac-duplicate', to: 'ac-sample', id: 'merge-sample' },
  'merge.move.': {
    rows: [
      { eid: '5:abc:7', out: true, mode: 'create', overrides: { id: 'rel-new' }, targetId: null, added: [] },
    ],
  },
  'merge.retargetClaims': {
    rows: [{ id: 'cl-sample', subject: true, object: false, versionIf: 2, versionThen: 3 }],
  },
  'merge.retargetFigures': { ids: ['fg-sample'] },
  'provenance.conflicts': { after: ['ev-sample', 'killed|people|'] },
  'provenance.provenance': { id: 'cl-sample', after: 'cl-previous' },
  'records.sourceTexts': { ids: ['src-sample'] },
  'write.insertExcerpts': { rows: [EXCERPT] },
  'write.insertClaim': { rows: [CLAIM] },
  'write.insertFigure': { rows: [FIGURE] },
  'write.mergeSource': { r: SOURCE },
  'write.mergeRelation.': { r: RELATION },
  'write.linkFigure': { rows: [FIGURE] },
  'names.': {
    id: 'cl-sample',
    entityId: 'ac-sample',
    kind: 'alias',
    value: 'SOHR',
    qualifier: 'en',
    ids: ['nm-sample'],
    r: {
      id: 'nm-sample',
      claimId: 'cl-sample',
      entityId: 'ac-sample',
      kind: 'alias',
      value: 'SOHR',
      lang: 'en',
      scheme: null,
      reason: null,
      addedBy: 'analyst',
      addedAt: ISO,
    },
  },
  'names.nameEvidenceOfEntities': { ids: ['ac-sample'] },
  'names.upsertNames': {
    rows: [
      {
        id: 'nm-sample',
        claimId: 'cl-sample',
        entityId: 'ac-sample',
        kind: 'identifier',
        value: 'Q1',
        lang: null,
        scheme: 'wikidata',
        reason: null,
        addedBy: 'curator',
        addedAt: ISO,
      },
    ],
  },
  'corrections.updateSource': {
    r: { ...SOURCE, publishedVia: [{ actorId: 'ac-sample', hop: 1, url: null, publishedJson: null }] },
    v: { id: 'src-sample@1', version: 1, changedBy: 'analyst', reason: 'typo', publishedViaJson: '[]' },
  },
  'corrections.amendClaim': {
    id: 'cl-sample',
    v: {
      id: 'cl-sample@1',
      version: 1,
      amendedBy: 'analyst',
      reason: 'typo',
      claimJson: '{}',
      figureJson: null,
    },
    c: { ...CLAIM, assertion: null },
    f: FIGURE,
  },
  'corrections.leaveRelation.': {
    relId: RELATION.id,
    fromId: 'ac-sample',
    toId: 'ev-sample',
    claimId: 'cl-sample',
  },
};

/** The parameters a statement's Cypher names, in order of first use. */
export function paramsOf(cypher: string): string[] {
  return [...new Set([...cypher.matchAll(/\$([A-Za-z_]\w*)/g)].map((m) => m[1]!))];
}

/** Family samples that apply to a statement, most specific (longest prefix) last. */
function familySamples(name: string): Record<string, unknown> {
  return Object.keys(BY_STATEMENT)
    .filter((prefix) => name.startsWith(prefix))
    .sort((a, b) => a.length - b.length)
    .reduce((acc, prefix) => ({ ...acc, ...BY_STATEMENT[prefix] }), {});
}

/** Parameters the statement names that have no sample. */
export function missingSamples(entry: Entry): string[] {
  const family = familySamples(entry.name);
  return paramsOf(entry.cypher).filter((p) => !(p in family) && !(p in BY_NAME));
}

/** A sample for every parameter of the statement, plus $visible (throws on a parameter with no sample). */
export function sampleParams(entry: Entry): Record<string, unknown> {
  const missing = missingSamples(entry);
  if (missing.length)
    throw new Error(`${entry.name}: no sample for $${missing.join(', $')} (test/cypher/params.ts)`);
  const family = familySamples(entry.name);
  const params: Record<string, unknown> = { visible: BY_NAME.visible };
  for (const p of paramsOf(entry.cypher)) params[p] = p in family ? family[p] : BY_NAME[p];
  return params;
}
