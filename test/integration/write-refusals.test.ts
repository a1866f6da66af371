import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codePoints, sha256 } from '../../src/model/text.js';
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
import { startTestApp, type TestApp, type TypedDocument, type Variables } from '../helpers/app.js';
import { digest, uniq } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';
import { expectRefused, type InputPath } from '../helpers/refusals.js';
import {
  auditsOf,
  claimsWithSummary,
  countOf,
  cpStart,
  entitiesNamed,
  expectOk,
  sourcesWithHash,
  newWorld,
  type Key,
  type World,
} from '../helpers/writes.js';

/**
 * The write API's refusals, one row each: callers who may not write, and bad requests. Each is refused with
 * its code and the path of the offending input, and writes nothing: no record changes, no audit record, none
 * of the records it asked for. Refusals that need no database (roles, input wrong on its face) run no
 * statement at all; the rest are marked needsDatabase.
 */

/** A world of its own (test/helpers/writes.ts), a claim on its event, and its text's length in code points. */
interface Scene extends World {
  claim: string;
  length: number;
}

type Vars = (s: Scene) => Variables;

/** What the refused requests would have stored, were they not refused. */
const NEVER = {
  stored: (s: Scene) => `Never stored ${s.u}`,
  created: (s: Scene) => `Never created ${s.u}`,
  recorded: 'Never recorded.',
  claim: 'Should not be stored.',
  source: (s: Scene) => `new ${s.u}`,
};
const OVERSIZE = 'a'.repeat(5 * 1024 * 1024 + 1);
const OVERSIZE_SHA = sha256(OVERSIZE);

/** Every write, as a caller who may write would send it. */
const WRITES: { op: string; doc: TypedDocument<unknown>; vars: Vars }[] = [
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

interface BadRequest {
  name: string;
  doc: TypedDocument<unknown>;
  vars: Vars;
  code: string;
  path: InputPath;
  /** More of the error's extensions. */
  extra?: (s: Scene) => Variables;
  /** Telling needs the stored records (unknown ids, kinds, the source's text, versions). */
  needsDatabase?: true;
}

const BAD_REQUESTS: BadRequest[] = [
  {
    name: 'impossible day',
    doc: CreateEntityDocument,
    vars: () => ({
      input: {
        kind: 'EVENT',
        type: 'other',
        name: 'x',
        date: { value: '2022-02-30', precision: 'day' },
      },
    }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'date'],
  },
  {
    name: 'month 13',
    doc: CreateEntityDocument,
    vars: () => ({
      input: {
        kind: 'EVENT',
        type: 'other',
        name: 'x',
        date: { value: '2022-13', precision: 'month' },
      },
    }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'date'],
  },
  {
    name: 'value not matching precision',
    doc: CreateEntityDocument,
    vars: () => ({
      input: { kind: 'EVENT', type: 'other', name: 'x', date: { value: '2022-04', precision: 'day' } },
    }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'date'],
  },
  {
    name: 'an end date before the start date',
    doc: CreateEntityDocument,
    vars: () => ({
      input: {
        kind: 'EVENT',
        type: 'other',
        name: 'x',
        date: { value: '2022-05', precision: 'month' },
        endDate: { value: '2022-04', precision: 'month' },
      },
    }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'endDate'],
  },
  {
    name: 'place type for an event',
    doc: CreateEntityDocument,
    vars: () => ({ input: { kind: 'EVENT', type: 'city', name: 'x' } }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'type'],
  },
  {
    name: 'a date on a place',
    doc: CreateEntityDocument,
    vars: () => ({
      input: { kind: 'PLACE', type: 'city', name: 'x', date: { value: '2022', precision: 'year' } },
    }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'date'],
  },
  {
    name: 'blank name',
    doc: CreateEntityDocument,
    vars: () => ({ input: { kind: 'ACTOR', type: 'person', name: '   ' } }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'name'],
  },
  {
    name: 'unknown identifier scheme',
    doc: CreateEntityDocument,
    vars: () => ({
      input: {
        kind: 'ACTOR',
        type: 'person',
        name: 'x',
        identifiers: [{ scheme: 'nope', value: '1' }],
      },
    }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'identifiers', 0, 'scheme'],
  },
  {
    name: 'lone surrogate in a name',
    doc: CreateEntityDocument,
    vars: () => ({ input: { kind: 'ACTOR', type: 'person', name: 'bad \uD800 name' } }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'name'],
  },
  {
    name: 'empty text',
    doc: IngestSourceDocument,
    vars: () => ({ input: { text: '', title: 't', language: 'en' } }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'text'],
  },
  {
    name: 'white space only',
    doc: IngestSourceDocument,
    vars: () => ({ input: { text: ' \n\t ', title: 't', language: 'en' } }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'text'],
  },
  {
    name: 'lone surrogate in text',
    doc: IngestSourceDocument,
    vars: (s) => ({ input: { text: `abc \uDC00 ${s.u}`, title: 't', language: 'en' } }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'text'],
  },
  {
    name: 'oversize text',
    doc: IngestSourceDocument,
    vars: () => ({ input: { text: OVERSIZE, title: 't', language: 'en' } }),
    code: 'LIMIT_EXCEEDED',
    path: ['input', 'text'],
  },
  {
    name: 'unknown publisher',
    doc: IngestSourceDocument,
    vars: (s) => ({
      input: { text: `new ${s.u}`, title: 't', language: 'en', publisherId: `ac-missing-${s.u}` },
    }),
    code: 'NOT_FOUND',
    path: ['input', 'publisherId'],
    needsDatabase: true,
  },
  {
    name: 'a place as publisher',
    doc: IngestSourceDocument,
    vars: (s) => ({ input: { text: `new ${s.u}`, title: 't', language: 'en', publisherId: s.placeId } }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'publisherId'],
    needsDatabase: true,
  },
  {
    name: 'impossible publication date',
    doc: IngestSourceDocument,
    vars: (s) => ({
      input: {
        text: `new ${s.u}`,
        title: 't',
        language: 'en',
        published: { value: '2022-02-30', precision: 'day' },
      },
    }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'published'],
  },
  {
    name: 'retrievedAt not a date-time',
    doc: IngestSourceDocument,
    vars: (s) => ({ input: { text: `new ${s.u}`, title: 't', language: 'en', retrievedAt: 'yesterday' } }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'retrievedAt'],
  },
  {
    name: 'bad language tag',
    doc: IngestSourceDocument,
    vars: (s) => ({ input: { text: `new ${s.u}`, title: 't', language: 'English!' } }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'language'],
  },
  {
    name: 'offsets outside the text',
    doc: RecordClaimDocument,
    vars: (s) => claimInput(s, { excerpts: [{ start: s.length - 2, end: s.length + 5 }] }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'excerpts', 0, 'end'],
    needsDatabase: true,
  },
  {
    name: 'an excerpt ending before its start',
    doc: RecordClaimDocument,
    vars: (s) => claimInput(s, { excerpts: [{ start: 10, end: 4 }] }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'excerpts', 0, 'end'],
  },
  {
    name: 'start without end',
    doc: RecordClaimDocument,
    vars: (s) => claimInput(s, { excerpts: [{ start: 10 }] }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'excerpts', 0, 'end'],
  },
  {
    name: 'no excerpts',
    doc: RecordClaimDocument,
    vars: (s) => claimInput(s, { excerpts: [] }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'excerpts'],
  },
  {
    name: 'quote not in the source',
    doc: RecordClaimDocument,
    vars: (s) =>
      claimInput(s, { excerpts: [{ quote: 'Others said' }, { quote: 'not in this text at all' }] }),
    code: 'QUOTE_NOT_FOUND',
    path: ['input', 'excerpts', 1, 'quote'],
    needsDatabase: true,
  },
  {
    name: 'quote found twice',
    doc: RecordClaimDocument,
    vars: (s) => claimInput(s, { excerpts: [{ quote: 'Nearly 1,168' }] }),
    code: 'QUOTE_AMBIGUOUS',
    path: ['input', 'excerpts', 0, 'quote'],
    extra: (s) => ({ candidates: nearly(s) }),
    needsDatabase: true,
  },
  {
    name: 'offsets holding other words',
    doc: RecordClaimDocument,
    vars: (s) => claimInput(s, { excerpts: [{ quote: 'Others said', start: 0, end: 11 }] }),
    code: 'EXCERPT_MISMATCH',
    path: ['input', 'excerpts', 0],
    extra: (s) => ({ candidates: [cpStart(s.text, 'Others said')] }),
    needsDatabase: true,
  },
  {
    name: 'unknown subject',
    doc: RecordClaimDocument,
    vars: (s) => claimInput(s, { subjectId: `ev-missing-${s.u}` }),
    code: 'NOT_FOUND',
    path: ['input', 'subjectId'],
    needsDatabase: true,
  },
  {
    name: 'a source as subject',
    doc: RecordClaimDocument,
    vars: (s) => claimInput(s, { subjectId: s.sourceId }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'subjectId'],
    needsDatabase: true,
  },
  {
    name: 'unknown source',
    doc: RecordClaimDocument,
    vars: (s) => claimInput(s, { sourceId: `src-missing-${s.u}` }),
    code: 'NOT_FOUND',
    path: ['input', 'sourceId'],
    needsDatabase: true,
  },
  {
    name: 'unknown attribution',
    doc: RecordClaimDocument,
    vars: (s) => claimInput(s, { attributedTo: [s.actorId, `ac-missing-${s.u}`] }),
    code: 'NOT_FOUND',
    path: ['input', 'attributedTo', 1],
    needsDatabase: true,
  },
  {
    name: 'an event in the attribution',
    doc: RecordClaimDocument,
    vars: (s) => claimInput(s, { attributedTo: [s.eventId] }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'attributedTo', 0],
    needsDatabase: true,
  },
  {
    name: 'unknown relation object',
    doc: RecordClaimDocument,
    vars: (s) => claimInput(s, { relation: { type: 'OCCURRED_IN', objectId: `pl-missing-${s.u}` } }),
    code: 'NOT_FOUND',
    path: ['input', 'relation', 'objectId'],
    needsDatabase: true,
  },
  {
    name: 'relation between the wrong kinds',
    doc: RecordClaimDocument,
    vars: (s) => claimInput(s, { relation: { type: 'INVOLVED_IN', objectId: s.placeId, role: 'victim' } }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'relation', 'type'],
    needsDatabase: true,
  },
  {
    name: 'PART_OF between unlike kinds',
    doc: RecordClaimDocument,
    vars: (s) => claimInput(s, { relation: { type: 'PART_OF', objectId: s.placeId } }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'relation', 'type'],
    needsDatabase: true,
  },
  {
    name: 'involvement without a role',
    doc: RecordClaimDocument,
    vars: (s) =>
      claimInput(s, { subjectId: s.actorId, relation: { type: 'INVOLVED_IN', objectId: s.eventId } }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'relation', 'role'],
    needsDatabase: true,
  },
  {
    name: 'relation and figure at once',
    doc: RecordClaimDocument,
    vars: (s) =>
      claimInput(s, {
        relation: { type: 'OCCURRED_IN', objectId: s.placeId },
        figure: { measure: 'people_released', value: 1, unit: 'people' },
      }),
    code: 'BAD_USER_INPUT',
    path: ['input'],
  },
  {
    name: 'figure with min above max',
    doc: RecordClaimDocument,
    vars: (s) => claimInput(s, { figure: { measure: 'people_released', min: 10, max: 5, unit: 'people' } }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'figure', 'min'],
  },
  {
    name: 'impossible attribute date',
    doc: RecordClaimDocument,
    vars: (s) =>
      claimInput(s, {
        attribute: { property: 'date', date: { value: '2022-02-30', precision: 'day' } },
      }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'attribute', 'date'],
  },
  {
    name: 'confidence above 1',
    doc: RecordClaimDocument,
    vars: (s) => claimInput(s, { confidence: 2 }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'confidence'],
  },
  {
    name: 'lone surrogate in a quote',
    doc: RecordClaimDocument,
    vars: (s) => claimInput(s, { excerpts: [{ quote: 'Others \uD83D said' }] }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'excerpts', 0, 'quote'],
  },
  {
    name: 'stale version',
    doc: UpdateEntityDocument,
    vars: (s) => ({ id: s.actorId, version: 7, patch: { name: 'x' } }),
    code: 'VERSION_CONFLICT',
    path: ['version'],
    extra: () => ({ currentVersion: 1 }),
    needsDatabase: true,
  },
  {
    name: 'unknown entity',
    doc: UpdateEntityDocument,
    vars: (s) => ({ id: `ac-missing-${s.u}`, version: 1, patch: { name: 'x' } }),
    code: 'NOT_FOUND',
    path: ['id'],
    needsDatabase: true,
  },
  {
    name: 'a type of another kind',
    doc: UpdateEntityDocument,
    vars: (s) => ({ id: s.actorId, version: 1, patch: { name: 'renamed', type: 'release_batch' } }),
    code: 'BAD_USER_INPUT',
    path: ['patch', 'type'],
    needsDatabase: true,
  },
  {
    name: 'clearing the name',
    doc: UpdateEntityDocument,
    vars: (s) => ({ id: s.actorId, version: 1, patch: { name: null } }),
    code: 'BAD_USER_INPUT',
    path: ['patch', 'name'],
  },
  {
    name: 'a date on an actor',
    doc: UpdateEntityDocument,
    vars: (s) => ({ id: s.actorId, version: 1, patch: { date: { value: '2022', precision: 'year' } } }),
    code: 'BAD_USER_INPUT',
    path: ['patch', 'date'],
    needsDatabase: true,
  },
  {
    name: 'link without claims',
    doc: LinkEntitiesDocument,
    vars: (s) => ({ input: { type: 'OCCURRED_IN', fromId: s.eventId, toId: s.placeId, claimIds: [] } }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'claimIds'],
  },
  {
    name: 'link citing an unknown claim',
    doc: LinkEntitiesDocument,
    vars: (s) => ({
      input: {
        type: 'OCCURRED_IN',
        fromId: s.eventId,
        toId: s.placeId,
        claimIds: [`cl-missing-${s.u}`],
      },
    }),
    code: 'NOT_FOUND',
    path: ['input', 'claimIds', 0],
    needsDatabase: true,
  },
  {
    name: 'link between the wrong kinds',
    doc: LinkEntitiesDocument,
    vars: (s) => ({
      input: { type: 'OCCURRED_IN', fromId: s.placeId, toId: s.eventId, claimIds: [s.claim] },
    }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'type'],
    needsDatabase: true,
  },
  {
    name: 'link citing a claim about something else',
    doc: LinkEntitiesDocument,
    vars: (s) => ({ input: { type: 'LOCATED_IN', fromId: s.actorId, toId: s.placeId, claimIds: [s.claim] } }),
    code: 'BAD_USER_INPUT',
    path: ['input', 'claimIds', 0],
    needsDatabase: true,
  },
  {
    name: 'dispute an unknown claim',
    doc: DisputeClaimDocument,
    vars: (s) => ({ id: `cl-missing-${s.u}`, reason: 'why' }),
    code: 'NOT_FOUND',
    path: ['id'],
    needsDatabase: true,
  },
  {
    name: 'retract without a reason',
    doc: RetractClaimDocument,
    vars: (s) => ({ id: s.claim, reason: '   ' }),
    code: 'BAD_USER_INPUT',
    path: ['reason'],
  },
  {
    name: 'sensitivity of an unknown record',
    doc: SetSensitivityDocument,
    vars: (s) => ({ id: `ev-missing-${s.u}`, s: 'restricted' }),
    code: 'NOT_FOUND',
    path: ['id'],
    needsDatabase: true,
  },
  {
    name: 'malformed idempotency key',
    doc: CreateEntityDocument,
    vars: () => ({ input: { kind: 'ACTOR', type: 'person', name: 'x' }, key: 'short' }),
    code: 'BAD_USER_INPUT',
    path: ['idempotencyKey'],
  },
];

describe('write API refusals', () => {
  let app: TestApp;
  let setup: Key;
  let s: Scene;
  let before: string;

  beforeAll(async () => {
    app = await startTestApp();
    setup = await keyHeaders(app.db, 'analyst');
    const w = await newWorld(app, setup);
    const { recordClaim } = await expectOk(
      app,
      RecordClaimDocument,
      {
        input: {
          subjectId: w.eventId,
          summary: 'Base claim.',
          sourceId: w.sourceId,
          excerpts: [{ quote: '𝕏 posted' }],
        },
      },
      setup,
    );
    s = { ...w, claim: recordClaim.id, length: codePoints(w.text).length };
    before = await digest(app.db.executor, ids());
  });
  afterAll(() => app.close());

  const ids = () => [s.actorId, s.eventId, s.placeId, s.sourceId, s.claim];

  /** The scene as it was, no audit record of the key, and none of the records the refused requests asked for. */
  async function expectNothingWritten(key: Key) {
    const x = app.db.executor;
    expect(await digest(x, ids())).toBe(before);
    expect(await auditsOf(x, key.keyId)).toEqual([]);
    expect(await countOf(x, sourcesWithHash, { sha: sha256(NEVER.stored(s)) })).toBe(0);
    expect(await countOf(x, sourcesWithHash, { sha: sha256(NEVER.source(s)) })).toBe(0);
    expect(await countOf(x, sourcesWithHash, { sha: OVERSIZE_SHA })).toBe(0);
    expect(await countOf(x, entitiesNamed, { name: NEVER.created(s) })).toBe(0);
    expect(await countOf(x, claimsWithSummary, { summary: NEVER.recorded })).toBe(0);
    expect(await countOf(x, claimsWithSummary, { summary: NEVER.claim })).toBe(0);
  }

  describe('who may write', () => {
    let viewer: Key;
    beforeAll(async () => {
      viewer = await keyHeaders(app.db, 'viewer');
    });

    const callers = [
      { caller: 'anonymous callers', code: 'UNAUTHENTICATED' },
      { caller: 'viewers', code: 'FORBIDDEN' },
    ];
    it.each(WRITES.flatMap((w) => callers.map((c) => ({ ...w, ...c }))))(
      'refuses $op to $caller ($code) before the database, writing nothing',
      async ({ doc, vars, caller, code }) => {
        const headers = caller === 'viewers' ? viewer.headers : {};
        expectRefused(await app.graphql(doc, vars(s), headers), code, undefined, { beforeDatabase: true });
        await expectNothingWritten(viewer);
      },
    );
  });

  describe('bad requests', () => {
    let analyst: Key;
    beforeAll(async () => {
      analyst = await keyHeaders(app.db, 'analyst');
    });

    it.each(BAD_REQUESTS)(
      'refuses $name with $code at its input path, writing nothing',
      async ({ doc, vars, code, path, extra, needsDatabase }) => {
        const res = await app.graphql(doc, vars(s), analyst.headers);
        expectRefused(res, code, path, { extensions: extra?.(s), beforeDatabase: !needsDatabase });
        await expectNothingWritten(analyst);
      },
    );

    it.each([
      ['year 0000', 'date', { value: '0000', precision: 'year' }],
      ['a month of year 0000', 'date', { value: '0000-06', precision: 'month' }],
      ['a day of year 0000', 'date', { value: '0000-01-01', precision: 'day' }],
      [
        'a bound in year 0000',
        'date',
        { value: '2020', precision: 'year', qualifier: 'approximate', earliest: '0000-12-31' },
      ],
      ['29 February of a common year', 'endDate', { value: '2100-02-29', precision: 'day' }],
    ])('refuses a date with %s (BAD_USER_INPUT at its path), writing nothing', async (_case, field, date) => {
      const key = await keyHeaders(app.db, 'analyst');
      const name = `Dated ${uniq()}`;
      const input = {
        kind: 'EVENT',
        type: 'other',
        name,
        ...(field === 'date' ? { date } : { date: { value: '2000', precision: 'year' }, endDate: date }),
      };
      const res = await app.graphql(CreateEntityDocument, { input }, key.headers);
      expectRefused(res, 'BAD_USER_INPUT', ['input', field], { beforeDatabase: true });
      expect(await countOf(app.db.executor, entitiesNamed, { name })).toBe(0);
      expect(await auditsOf(app.db.executor, key.keyId)).toEqual([]);
    });
  });
});
