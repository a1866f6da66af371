import { sha256 } from '../../src/model/text.js';
import {
  CreateEntityDocument,
  DisputeClaimDocument,
  IngestSourceDocument,
  LinkEntitiesDocument,
  RecordClaimDocument,
  RetractClaimDocument,
  SetSensitivityDocument,
  UpdateEntityDocument,
} from '../generated/graphql.js';
import type { TypedDocument, Variables } from './app.js';
import type { InputPath } from './refusals.js';
import { cpStart, type Scene } from './writes.js';

/**
 * The write API's refusals as tables (test/integration/write-refusals.test.ts runs them): every write as
 * a caller who may write would send it, and bad requests, each with the code and input path it is refused
 * with.
 */

type Vars = (s: Scene) => Variables;

/** What the refused requests would have stored, were they not refused. */
export const NEVER = {
  stored: (s: Scene) => `Never stored ${s.u}`,
  created: (s: Scene) => `Never created ${s.u}`,
  recorded: 'Never recorded.',
  claim: 'Should not be stored.',
  source: (s: Scene) => `new ${s.u}`,
};
const OVERSIZE = 'a'.repeat(5 * 1024 * 1024 + 1);
export const OVERSIZE_SHA = sha256(OVERSIZE);

/** Every write, as a caller who may write would send it. */
export const WRITES: { op: string; doc: TypedDocument<unknown>; vars: Vars }[] = [
  {
    op: 'ingestSource',
    doc: IngestSourceDocument,
    vars: (s) => ({ input: { text: NEVER.stored(s), title: 't', language: 'en' } }),
  },
  {
    op: 'recordClaim',
    doc: RecordClaimDocument,
    vars: (s) => ({
      input: {
        subjectId: s.eventId,
        summary: NEVER.recorded,
        sourceId: s.sourceId,
        excerpts: [{ quote: 'Others said' }],
      },
    }),
  },
  {
    op: 'createEntity',
    doc: CreateEntityDocument,
    vars: (s) => ({ input: { kind: 'ACTOR', type: 'person', name: NEVER.created(s) } }),
  },
  {
    op: 'updateEntity',
    doc: UpdateEntityDocument,
    vars: (s) => ({ id: s.actorId, version: 1, patch: { name: NEVER.created(s) } }),
  },
  {
    op: 'linkEntities',
    doc: LinkEntitiesDocument,
    vars: (s) => ({
      input: { type: 'INVOLVED_IN', fromId: s.actorId, toId: s.eventId, role: 'victim', claimIds: [s.claim] },
    }),
  },
  { op: 'disputeClaim', doc: DisputeClaimDocument, vars: (s) => ({ id: s.claim, reason: 'no' }) },
  { op: 'retractClaim', doc: RetractClaimDocument, vars: (s) => ({ id: s.claim, reason: 'no' }) },
  { op: 'setSensitivity', doc: SetSensitivityDocument, vars: (s) => ({ id: s.eventId, s: 'restricted' }) },
];

/** An event's input, with what the case changes. */
const anEvent = (extra: Variables) => () => ({
  input: { kind: 'EVENT', type: 'other', name: 'x', ...extra },
});

/** A new source's input (of a text no source has), with what the case changes. */
const aSource = (extra: Variables | ((s: Scene) => Variables)) => (s: Scene) => ({
  input: {
    text: NEVER.source(s),
    title: 't',
    language: 'en',
    ...(typeof extra === 'function' ? extra(s) : extra),
  },
});

/** A claim's input that would be stored, with what the case changes. */
const claimInput = (s: Scene, extra: Variables) => ({
  input: {
    subjectId: s.eventId,
    summary: NEVER.claim,
    sourceId: s.sourceId,
    excerpts: [{ quote: 'Others said' }],
    ...extra,
  },
});
const nearly = (s: Scene) => [cpStart(s.text, 'Nearly 1,168'), cpStart(s.text, 'Nearly 1,168 again')];

export interface BadRequest {
  name: string;
  doc: TypedDocument<unknown>;
  vars: Vars;
  code: string;
  /** Absent for refusals of the caller rather than of an input (FORBIDDEN). */
  path?: InputPath;
  /** More of the error's extensions. */
  extra?: (s: Scene) => Variables;
  /** Telling needs the stored records (unknown ids, kinds, the source's text, versions). */
  needsDatabase?: true;
}

/** The rows of one operation's table. */
const on = (doc: TypedDocument<unknown>, rows: Omit<BadRequest, 'doc'>[]): BadRequest[] =>
  rows.map((row) => ({ doc, ...row }));

export const BAD_REQUESTS: BadRequest[] = [
  ...on(CreateEntityDocument, [
    {
      name: 'impossible day',
      vars: anEvent({ date: { value: '2022-02-30', precision: 'day' } }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'date'],
    },
    {
      name: 'month 13',
      vars: anEvent({ date: { value: '2022-13', precision: 'month' } }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'date'],
    },
    {
      name: 'value not matching precision',
      vars: anEvent({ date: { value: '2022-04', precision: 'day' } }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'date'],
    },
    {
      name: 'an end date before the start date',
      vars: anEvent({
        date: { value: '2022-05', precision: 'month' },
        endDate: { value: '2022-04', precision: 'month' },
      }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'endDate'],
    },
    {
      name: 'place type for an event',
      vars: () => ({ input: { kind: 'EVENT', type: 'city', name: 'x' } }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'type'],
    },
    {
      name: 'a date on a place',
      vars: () => ({
        input: { kind: 'PLACE', type: 'city', name: 'x', date: { value: '2022', precision: 'year' } },
      }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'date'],
    },
    {
      name: 'blank name',
      vars: () => ({ input: { kind: 'ACTOR', type: 'person', name: '   ' } }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'name'],
    },
    {
      name: 'unknown identifier scheme',
      vars: () => ({
        input: { kind: 'ACTOR', type: 'person', name: 'x', identifiers: [{ scheme: 'nope', value: '1' }] },
      }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'identifiers', 0, 'scheme'],
    },
    {
      name: 'lone surrogate in a name',
      vars: () => ({ input: { kind: 'ACTOR', type: 'person', name: 'bad \uD800 name' } }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'name'],
    },
  ]),
  ...on(IngestSourceDocument, [
    ...['javascript:alert(1)', 'data:text/html,x', 'file:///etc/passwd', 'ftp://example.org/x'].map(
      (url) => ({
        name: `a source URL that is not http(s): ${url}`,
        vars: (s: Scene) => ({ input: { text: NEVER.stored(s), title: 't', language: 'en', url } }),
        code: 'BAD_USER_INPUT',
        path: ['input', 'url'],
      }),
    ),
    {
      name: 'empty text',
      vars: () => ({ input: { text: '', title: 't', language: 'en' } }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'text'],
    },
    {
      name: 'white space only',
      vars: () => ({ input: { text: ' \n\t ', title: 't', language: 'en' } }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'text'],
    },
    {
      name: 'lone surrogate in text',
      vars: (s) => ({ input: { text: `abc \uDC00 ${s.u}`, title: 't', language: 'en' } }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'text'],
    },
    {
      name: 'oversize text',
      vars: () => ({ input: { text: OVERSIZE, title: 't', language: 'en' } }),
      code: 'LIMIT_EXCEEDED',
      path: ['input', 'text'],
    },
    {
      name: 'unknown publisher',
      vars: aSource((s) => ({ publisherId: `ac-missing-${s.u}` })),
      code: 'NOT_FOUND',
      path: ['input', 'publisherId'],
      needsDatabase: true,
    },
    {
      name: 'a place as publisher',
      vars: aSource((s) => ({ publisherId: s.placeId })),
      code: 'BAD_USER_INPUT',
      path: ['input', 'publisherId'],
      needsDatabase: true,
    },
    {
      name: 'impossible publication date',
      vars: aSource({ published: { value: '2022-02-30', precision: 'day' } }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'published'],
    },
    {
      name: 'retrievedAt not a date-time',
      vars: aSource({ retrievedAt: 'yesterday' }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'retrievedAt'],
    },
    {
      name: 'bad language tag',
      vars: aSource({ language: 'English!' }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'language'],
    },
  ]),
  ...on(RecordClaimDocument, [
    {
      name: 'offsets outside the text',
      vars: (s) => claimInput(s, { excerpts: [{ start: s.length - 2, end: s.length + 5 }] }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'excerpts', 0, 'end'],
      needsDatabase: true,
    },
    {
      name: 'an excerpt ending before its start',
      vars: (s) => claimInput(s, { excerpts: [{ start: 10, end: 4 }] }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'excerpts', 0, 'end'],
    },
    {
      name: 'start without end',
      vars: (s) => claimInput(s, { excerpts: [{ start: 10 }] }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'excerpts', 0, 'end'],
    },
    {
      name: 'no excerpts',
      vars: (s) => claimInput(s, { excerpts: [] }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'excerpts'],
    },
    {
      name: 'quote not in the source',
      vars: (s) =>
        claimInput(s, { excerpts: [{ quote: 'Others said' }, { quote: 'not in this text at all' }] }),
      code: 'QUOTE_NOT_FOUND',
      path: ['input', 'excerpts', 1, 'quote'],
      needsDatabase: true,
    },
    {
      name: 'quote found twice',
      vars: (s) => claimInput(s, { excerpts: [{ quote: 'Nearly 1,168' }] }),
      code: 'QUOTE_AMBIGUOUS',
      path: ['input', 'excerpts', 0, 'quote'],
      extra: (s) => ({ candidates: nearly(s) }),
      needsDatabase: true,
    },
    {
      name: 'offsets holding other words',
      vars: (s) => claimInput(s, { excerpts: [{ quote: 'Others said', start: 0, end: 11 }] }),
      code: 'EXCERPT_MISMATCH',
      path: ['input', 'excerpts', 0],
      extra: (s) => ({ candidates: [cpStart(s.text, 'Others said')] }),
      needsDatabase: true,
    },
    {
      name: 'unknown subject',
      vars: (s) => claimInput(s, { subjectId: `ev-missing-${s.u}` }),
      code: 'NOT_FOUND',
      path: ['input', 'subjectId'],
      needsDatabase: true,
    },
    {
      name: 'a source as subject',
      vars: (s) => claimInput(s, { subjectId: s.sourceId }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'subjectId'],
      needsDatabase: true,
    },
    {
      name: 'unknown source',
      vars: (s) => claimInput(s, { sourceId: `src-missing-${s.u}` }),
      code: 'NOT_FOUND',
      path: ['input', 'sourceId'],
      needsDatabase: true,
    },
    {
      name: 'unknown attribution',
      vars: (s) => claimInput(s, { attributedTo: [s.actorId, `ac-missing-${s.u}`] }),
      code: 'NOT_FOUND',
      path: ['input', 'attributedTo', 1],
      needsDatabase: true,
    },
    {
      name: 'an event in the attribution',
      vars: (s) => claimInput(s, { attributedTo: [s.eventId] }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'attributedTo', 0],
      needsDatabase: true,
    },
    {
      name: 'unknown relation object',
      vars: (s) => claimInput(s, { relation: { type: 'OCCURRED_IN', objectId: `pl-missing-${s.u}` } }),
      code: 'NOT_FOUND',
      path: ['input', 'relation', 'objectId'],
      needsDatabase: true,
    },
    {
      name: 'relation between the wrong kinds',
      vars: (s) => claimInput(s, { relation: { type: 'INVOLVED_IN', objectId: s.placeId, role: 'victim' } }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'relation', 'type'],
      needsDatabase: true,
    },
    {
      name: 'PART_OF between unlike kinds',
      vars: (s) => claimInput(s, { relation: { type: 'PART_OF', objectId: s.placeId } }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'relation', 'type'],
      needsDatabase: true,
    },
    {
      name: 'involvement without a role',
      vars: (s) =>
        claimInput(s, { subjectId: s.actorId, relation: { type: 'INVOLVED_IN', objectId: s.eventId } }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'relation', 'role'],
      needsDatabase: true,
    },
    {
      name: 'relation and figure at once',
      vars: (s) =>
        claimInput(s, {
          relation: { type: 'OCCURRED_IN', objectId: s.placeId },
          figure: { measure: 'people_released', value: 1, unit: 'people' },
        }),
      code: 'BAD_USER_INPUT',
      path: ['input'],
    },
    {
      // The role decides before the figure's values are looked at: an analyst learns nothing more.
      name: 'a confidential claim from an analyst, with a bad figure too',
      vars: (s) =>
        claimInput(s, {
          sensitivity: 'confidential',
          figure: { measure: 'people_released', min: 10, max: 5, unit: 'people' },
        }),
      code: 'FORBIDDEN',
    },
    {
      name: 'figure with min above max',
      vars: (s) => claimInput(s, { figure: { measure: 'people_released', min: 10, max: 5, unit: 'people' } }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'figure', 'min'],
    },
    {
      name: 'impossible attribute date',
      vars: (s) =>
        claimInput(s, { attribute: { property: 'date', date: { value: '2022-02-30', precision: 'day' } } }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'attribute', 'date'],
    },
    {
      name: 'confidence above 1',
      vars: (s) => claimInput(s, { confidence: 2 }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'confidence'],
    },
    {
      name: 'lone surrogate in a quote',
      vars: (s) => claimInput(s, { excerpts: [{ quote: 'Others \uD83D said' }] }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'excerpts', 0, 'quote'],
    },
  ]),
  ...on(UpdateEntityDocument, [
    {
      name: 'stale version',
      vars: (s) => ({ id: s.actorId, version: 7, patch: { name: 'x' } }),
      code: 'VERSION_CONFLICT',
      path: ['version'],
      extra: () => ({ currentVersion: 1 }),
      needsDatabase: true,
    },
    {
      name: 'unknown entity',
      vars: (s) => ({ id: `ac-missing-${s.u}`, version: 1, patch: { name: 'x' } }),
      code: 'NOT_FOUND',
      path: ['id'],
      needsDatabase: true,
    },
    {
      name: 'a type of another kind',
      vars: (s) => ({ id: s.actorId, version: 1, patch: { name: 'renamed', type: 'release_batch' } }),
      code: 'BAD_USER_INPUT',
      path: ['patch', 'type'],
      needsDatabase: true,
    },
    {
      name: 'clearing the name',
      vars: (s) => ({ id: s.actorId, version: 1, patch: { name: null } }),
      code: 'BAD_USER_INPUT',
      path: ['patch', 'name'],
    },
    {
      name: 'a date on an actor',
      vars: (s) => ({ id: s.actorId, version: 1, patch: { date: { value: '2022', precision: 'year' } } }),
      code: 'BAD_USER_INPUT',
      path: ['patch', 'date'],
      needsDatabase: true,
    },
  ]),
  ...on(LinkEntitiesDocument, [
    {
      name: 'link without claims',
      vars: (s) => ({ input: { type: 'OCCURRED_IN', fromId: s.eventId, toId: s.placeId, claimIds: [] } }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'claimIds'],
    },
    {
      name: 'link citing an unknown claim',
      vars: (s) => ({
        input: { type: 'OCCURRED_IN', fromId: s.eventId, toId: s.placeId, claimIds: [`cl-missing-${s.u}`] },
      }),
      code: 'NOT_FOUND',
      path: ['input', 'claimIds', 0],
      needsDatabase: true,
    },
    {
      name: 'link between the wrong kinds',
      vars: (s) => ({
        input: { type: 'OCCURRED_IN', fromId: s.placeId, toId: s.eventId, claimIds: [s.claim] },
      }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'type'],
      needsDatabase: true,
    },
    {
      name: 'link citing a claim about something else',
      vars: (s) => ({
        input: { type: 'LOCATED_IN', fromId: s.actorId, toId: s.placeId, claimIds: [s.claim] },
      }),
      code: 'BAD_USER_INPUT',
      path: ['input', 'claimIds', 0],
      needsDatabase: true,
    },
  ]),
  ...on(DisputeClaimDocument, [
    {
      name: 'dispute an unknown claim',
      vars: (s) => ({ id: `cl-missing-${s.u}`, reason: 'why' }),
      code: 'NOT_FOUND',
      path: ['id'],
      needsDatabase: true,
    },
  ]),
  ...on(RetractClaimDocument, [
    {
      name: 'retract without a reason',
      vars: (s) => ({ id: s.claim, reason: '   ' }),
      code: 'BAD_USER_INPUT',
      path: ['reason'],
    },
  ]),
  ...on(SetSensitivityDocument, [
    {
      name: 'sensitivity of an unknown record',
      vars: (s) => ({ id: `ev-missing-${s.u}`, s: 'restricted' }),
      code: 'NOT_FOUND',
      path: ['id'],
      needsDatabase: true,
    },
  ]),
  ...on(CreateEntityDocument, [
    {
      name: 'malformed idempotency key',
      vars: () => ({ input: { kind: 'ACTOR', type: 'person', name: 'x' }, key: 'short' }),
      code: 'BAD_USER_INPUT',
      path: ['idempotencyKey'],
    },
  ]),
];
