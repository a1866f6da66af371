import { expect } from 'vitest';
import { statement, type Executor, type Params, type Statement } from '../../src/graph/executor.js';
import { codePoints } from '../../src/model/text.js';
import { CreateEntityDocument, IngestSourceDocument, RecordClaimDocument } from '../generated/graphql.js';
import type { TestApp, TypedDocument, Variables } from './app.js';
import { uniq } from './bundles.js';
import type { keyHeaders } from './keys.js';

/** What the write tests share: a small world of their own to write against, and what they read back. */

export type Key = Awaited<ReturnType<typeof keyHeaders>>;

/** Runs an operation that must succeed and returns its data. */
export async function expectOk<T>(
  app: TestApp,
  doc: TypedDocument<T>,
  variables: Variables,
  key: Key,
): Promise<T> {
  const res = await app.graphql(doc, variables, key.headers);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}

/** An actor, an event, a place and a source with astral and Arabic text, all one test's own. */
export interface World {
  u: string;
  text: string;
  actorId: string;
  eventId: string;
  placeId: string;
  sourceId: string;
}

export async function newWorld(app: TestApp, key: Key): Promise<World> {
  const u = uniq();
  const create = async (input: Variables) =>
    (await expectOk(app, CreateEntityDocument, { input }, key)).createEntity.id;
  const actorId = await create({ kind: 'ACTOR', type: 'organization', name: `Monitor ${u}` });
  const eventId = await create({
    kind: 'EVENT',
    type: 'release_batch',
    name: `Release ${u}`,
    date: { value: '2022-05', precision: 'month', qualifier: 'approximate' },
  });
  const placeId = await create({ kind: 'PLACE', type: 'city', name: `Town ${u}` });
  const text =
    `Report ${u}: 𝕏 posted that «المعتقلين» were released on 30 April 2022 in ريف دمشق 🕊️. ` +
    `Nearly 1,168 detainees were released. Nearly 1,168 again. Others said 1,160 left the prison.`;
  const { ingestSource } = await expectOk(
    app,
    IngestSourceDocument,
    { input: { text, title: `Report ${u}`, language: 'ar', publisherId: actorId } },
    key,
  );
  return { u, text, actorId, eventId, placeId, sourceId: ingestSource.source.id };
}

/** A world with a claim on its event, and its text's length in code points. */
export interface Scene extends World {
  claim: string;
  length: number;
}

/** A world of its own with a claim on its event, to refuse requests against. */
export async function newScene(app: TestApp, key: Key): Promise<Scene> {
  const w = await newWorld(app, key);
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
    key,
  );
  return { ...w, claim: recordClaim.id, length: codePoints(w.text).length };
}

/** Code-point offset of the first occurrence of quote. */
export function cpStart(text: string, quote: string): number {
  const i = text.indexOf(quote);
  if (i < 0) throw new Error(`fixture text lacks ${quote}`);
  return codePoints(text.slice(0, i)).length;
}

const auditOfKey = statement<{ keyId: string }>(
  'test.write.auditOfKey',
  `MATCH (a:AuditRecord {keyId: $keyId})
   RETURN a.operation AS operation, a.actor AS actor, a.inputDigest AS inputDigest, a.affectedIds AS affectedIds,
          a.changesJson AS changesJson, a.requestId AS requestId
   ORDER BY a.at, a.id`,
);

/** The audit records a key left, oldest first. */
export function auditsOf(executor: Executor, keyId: string) {
  return executor.read(auditOfKey, { keyId });
}

export const sourcesWithHash = statement<{ sha: string }>(
  'test.write.sourcesWithHash',
  'MATCH (s:Source {sha256: $sha}) RETURN count(s) AS n',
);
export const entitiesNamed = statement<{ name: string }>(
  'test.write.entitiesNamed',
  'MATCH (n:Entity {name: $name}) RETURN count(n) AS n',
);
export const claimsWithSummary = statement<{ summary: string }>(
  'test.write.claimsWithSummary',
  'MATCH (c:Claim {summary: $summary}) RETURN count(c) AS n',
);

/** How many records one of the counting statements above finds. */
export async function countOf<P extends Params>(
  executor: Executor,
  stmt: Statement<P>,
  params: P,
): Promise<number> {
  const [row] = await executor.read(stmt, params);
  return Number(row!.n);
}
