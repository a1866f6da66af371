import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/graph/database.js';
import type { EmbeddedNeo4j } from '../../src/graph/embedded.js';
import { statement, type Executor } from '../../src/graph/executor.js';
import { appendReadAudit } from '../../src/graph/stores/audit.js';
import { entityByIdentifier } from '../../src/graph/stores/identity.js';
import { identifierHolders } from '../../src/graph/stores/import-reuse.js';
import { readBackup } from '../../src/graph/stores/backup.js';
import { bundleFromRows, writeBundleJson } from '../../src/io/bundle/export.js';
import { BundleError } from '../../src/io/bundle/resolve.js';
import { SENSITIVITIES } from '../../src/model/enums.js';
import { projectRoot } from '../../src/paths.js';
import { checkStore } from '../../src/services/check.js';
import { exportBundle } from '../../src/services/export.js';
import { importFile, loadBundle } from '../../src/services/import.js';
import { startTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { Rng } from '../helpers/fuzz.js';
import { keyHeaders } from '../helpers/keys.js';
import { startPrivateNeo4j } from '../helpers/private-neo4j.js';

/**
 * The backup is lossless (issue #14): a random graph built through the API and the importers is exported
 * with full clearance, restored into an empty store, and the two stores are compared by a canonical dump
 * written here in plain Cypher (every label, typed property and relationship; not element ids), then
 * exported again: the same bytes.
 */

/** 3 seeds keep the file near 3 minutes on two busy cores (about 50 s a seed); BACKUP_SEEDS=50 for a long run. */
const SEEDS = Number(process.env.BACKUP_SEEDS ?? 3);
const FIXTURES = path.join(projectRoot, 'test/fixtures');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'hrkg-backup-'));

/** What the backup leaves out on purpose (src/model/store.ts STORE_LEFT_OUT). */
const LEFT_OUT = ['ApiKey', 'Migration', 'IdempotencyKey'];

const dumpNodes = statement<{ leftOut: string[] }>(
  'test.backup.dumpNodes',
  `MATCH (n) WHERE NOT any(l IN labels(n) WHERE l IN $leftOut)
   RETURN labels(n) AS labels, [k IN keys(n) | [k, valueType(n[k]), n[k]]] AS props`,
);
const dumpRels = statement<{ leftOut: string[] }>(
  'test.backup.dumpRels',
  `MATCH (a)-[r]->(b)
   RETURN type(r) AS type, [labels(a), coalesce(a.id, a.sha256, a.key)] AS from,
          [labels(b), coalesce(b.id, b.sha256, b.key)] AS to,
          [k IN keys(r) | [k, valueType(r[k]), r[k]]] AS props,
          any(l IN labels(a) + labels(b) WHERE l IN $leftOut) AS leftOut`,
);
const identifierKeys = statement(
  'test.backup.identifierKeys',
  'MATCH (n:Entity) UNWIND coalesce(n.identifierKeys, []) AS key RETURN DISTINCT key ORDER BY key',
);
const wipe = statement('test.backup.wipe', 'MATCH (n) WHERE NOT n:Migration DETACH DELETE n');
const count = statement('test.backup.count', 'MATCH (n) RETURN count(n) AS n');
const entityVersion = statement<{ id: string }>(
  'test.backup.version',
  'MATCH (n:Entity {id: $id}) RETURN n.version AS version',
);
const recordVersion = statement<{ id: string }>(
  'test.backup.recordVersion',
  'OPTIONAL MATCH (s:Source {id: $id}) OPTIONAL MATCH (c:Claim {id: $id}) RETURN coalesce(s.version, c.version) AS version, c.kind AS kind',
);

const claimSubject = statement<{ id: string }>(
  'test.backup.claimSubject',
  'MATCH (c:Claim {id: $id}) RETURN c.subjectId AS subjectId',
);
const entityAliases = statement<{ id: string }>(
  'test.backup.entityAliases',
  'MATCH (n:Entity {id: $id}) RETURN n.aliasesJson AS aliasesJson',
);

const sortProps = (p: unknown) =>
  JSON.stringify([...(p as [string, string, unknown][])].sort((x, y) => (x[0] < y[0] ? -1 : 1)));

/** The whole database, canonical: nodes and relationships as sorted strings, typed, no element ids. */
async function canonicalDump(executor: Executor): Promise<{ nodes: string[]; rels: string[] }> {
  const nodes = (await executor.read(dumpNodes, { leftOut: LEFT_OUT })).map(
    (r) => `${JSON.stringify([...(r.labels as string[])].sort())} ${sortProps(r.props)}`,
  );
  const rels = (await executor.read(dumpRels, { leftOut: LEFT_OUT }))
    .filter((r) => !r.leftOut)
    .map((r) => {
      const end = (e: unknown) => {
        const [labels, key] = e as [string[], string];
        return JSON.stringify([[...labels].sort(), key]);
      };
      return `${end(r.from)} -${String(r.type)}-> ${end(r.to)} ${sortProps(r.props)}`;
    });
  return { nodes: nodes.sort(), rels: rels.sort() };
}

async function exportTo(executor: Executor, file: string) {
  const out = createWriteStream(file);
  const result = await exportBundle(executor, out);
  out.end();
  await once(out, 'finish');
  return { ...result, text: readFileSync(file, 'utf8') };
}

const SENS = ['public', 'restricted', 'confidential'] as const;
const WORDS = [
  'detainees',
  'released',
  'Sednaya',
  'prison',
  'amnesty',
  'decree',
  'families',
  'Damascus',
  'reported',
  'عفو',
  'معتقلين',
  'hundreds',
  'witnesses',
  'security',
  'branch',
  'transferred',
];

/** What the random builder knows of the graph it builds on A. */
interface World {
  rng: Rng;
  u: string;
  app: TestApp;
  admin: Record<string, string>;
  analyst: Record<string, string>;
  executor: Executor;
  entities: { id: string; kind: 'Actor' | 'Place' | 'Event' }[];
  claims: string[];
  sources: { id: string; text: string }[];
  merges: string[];
  bundles: Record<string, unknown>[];
  /** Tags of the ACLED files imported, for later releases of them, and the counts each has stated. */
  acled: string[];
  fatalities: Record<string, Set<number>>;
  n: number;
}

const pick = <T>(rng: Rng, l: readonly T[]): T => l[Math.floor(rng.next() * l.length)]!;

function sourceText(w: World, id: string): string {
  const words = Array.from({ length: 30 + Math.floor(w.rng.next() * 30) }, () => pick(w.rng, WORDS));
  return `${id} ${w.u}: ${words.join(' ')}.`;
}

/** A quote of a few words at code-point offsets, naming its source when it is not the claim's. */
function quote(w: World, s: { id: string; text: string }, claimSource: string) {
  const points = [...s.text];
  const start = Math.floor(w.rng.next() * (points.length - 12));
  const end = start + 3 + Math.floor(w.rng.next() * 8);
  return {
    exact: points.slice(start, end).join(''),
    start,
    end,
    ...(s.id === claimSource ? {} : { source: s.id }),
  };
}

async function load(w: World, doc: Record<string, unknown>) {
  const file = path.join(tmp, `${w.u}-${w.n++}.json`);
  writeFileSync(file, JSON.stringify(doc));
  try {
    await importFile(w.executor, file, 'bundle');
    return true;
  } catch (err) {
    // Refused whole only because an entity of it was merged away since: nothing written, as a reload of it
    // would be. Any other refusal is a failure of the test's own steps.
    if (err instanceof BundleError && err.problems.every((p) => p.message.includes('was merged into')))
      return false;
    throw err;
  }
}

/** A figure's duration and subgroup parts, each there or not (issue #15). */
function figureParts(w: World) {
  const maybe = <T>(values: readonly T[]) => (w.rng.next() < 0.5 ? pick(w.rng, values) : undefined);
  return {
    duration: maybe(['P4Y', 'P18M', 'PT36H', 'P1Y2M10D']),
    sex: maybe(['female', 'male', 'mixed', 'unknown']),
    ageGroup: maybe(['child', 'adult', 'elderly']),
    category: maybe(['army_defectors', 'journalists']),
  };
}

/** A bundle of new sources, entities and claims, some claims quoting several sources. */
async function bundleStep(w: World) {
  const k = w.n;
  const sources = [0, 1].map((i) => {
    const id = `src-${w.u}-${k}-${i}`;
    return { id, text: sourceText(w, id) };
  });
  const sens = () => pick(w.rng, SENS);
  const actors = [0, 1].map((i) => ({
    id: `ac-${w.u}-${k}-${i}`,
    type: 'group',
    name: `Actor ${k}.${i}`,
    sensitivity: sens(),
  }));
  const places = [
    { id: `pl-${w.u}-${k}`, type: 'city', name: `Town ${k}`, sensitivity: sens() },
    // A detention facility of a kind: HELD_IN and MEMBER_OF claims carry positions and periods.
    {
      id: `pl-${w.u}-${k}-f`,
      type: 'facility',
      name: `Prison ${k}`,
      facilityKind: 'prison',
      sensitivity: sens(),
    },
  ];
  const events = [
    {
      id: `ev-${w.u}-${k}`,
      type: 'release_batch',
      name: `Release ${k}`,
      sensitivity: sens(),
      date: { value: '2022-05-0' + (1 + (k % 9)), precision: 'day' },
    },
  ];
  const claims = Array.from({ length: 3 + Math.floor(w.rng.next() * 3) }, (_, i) => {
    const src = pick(w.rng, sources);
    const cited = w.rng.next() < 0.5 ? sources : [src];
    const kind = i % 5;
    return {
      id: `cl-${w.u}-${k}-${i}`,
      subject: kind === 0 || kind >= 3 ? actors[0]!.id : events[0]!.id,
      summary: `Claim ${k}.${i}`,
      ...(kind === 0
        ? { relation: { type: 'INVOLVED_IN', object: events[0]!.id, role: 'perpetrator' } }
        : {}),
      ...(kind === 1
        ? {
            figure: {
              measure: 'people_released',
              value: 10 + i,
              qualifier: 'exact',
              unit: i > 1 ? 'percent' : 'people',
              ...figureParts(w),
              // The second figure claim is a share of the first, during the bundle's event.
              ...(i > 1 ? { shareOf: `cl-${w.u}-${k}-1`, during: events[0]!.id } : {}),
            },
          }
        : {}),
      ...(kind === 2 ? { relation: { type: 'OCCURRED_IN', object: places[0]!.id } } : {}),
      ...(kind === 3
        ? {
            relation: {
              type: 'HELD_IN',
              object: places[1]!.id,
              periodStart: { value: `20${10 + (k % 9)}`, precision: 'year' },
              periodEnd: {
                value: '2022-04',
                precision: 'month',
                qualifier: 'approximate',
                text: 'late April',
              },
            },
          }
        : {}),
      ...(kind === 4
        ? {
            relation: {
              type: 'MEMBER_OF',
              object: actors[1]!.id,
              position: `head of ${k}`,
              periodStart: { value: '2019', precision: 'year', qualifier: 'after' },
            },
          }
        : {}),
      source: src.id,
      quotes: cited.map((s) => quote(w, s, src.id)),
      // Attribution with detail (issue #15): a hop's capacity, some of the time.
      ...(w.rng.next() < 0.3
        ? w.rng.next() < 0.5
          ? { attributedTo: [actors[1]!.id] }
          : { attribution: [{ actor: actors[1]!.id, capacity: `spokesman ${k}.${i}` }] }
        : {}),
      confidence: w.rng.next() < 0.5 ? Math.round(w.rng.next() * 100) / 100 : undefined,
      sensitivity: sens(),
    };
  });
  // An alias with evidence (addAlias in a bundle): the first claim, about actor 0, when no stricter than it.
  const rank = (s: string) => SENS.indexOf(s as (typeof SENS)[number]);
  if (rank(claims[0]!.sensitivity) <= rank(actors[0]!.sensitivity) && w.rng.next() < 0.7) {
    Object.assign(actors[0]!, { aliases: [{ value: `Alias ${k}`, lang: 'en', claims: [claims[0]!.id] }] });
  }
  const doc = {
    format: 'hrkg-bundle/1',
    recordedBy: `curator ${w.u}`,
    recordedAt: `2024-0${1 + (k % 9)}-01T10:00:00+02:00`,
    sources: sources.map((s) => ({
      ...s,
      sha256: createHash('sha256').update(s.text).digest('hex'),
      title: s.id,
      language: 'en',
      sensitivity: sens(),
      // A chain of outlets (PUBLISHED_VIA) on some sources.
      ...(w.rng.next() < 0.5
        ? { publishedVia: [{ actor: actors[1]!.id, url: `https://outlet.example/${s.id}` }] }
        : {}),
    })),
    actors,
    places,
    events,
    claims,
  };
  if (await load(w, doc)) {
    w.bundles.push(doc);
    w.sources.push(...sources);
    w.entities.push(
      ...actors.map((a) => ({ id: a.id, kind: 'Actor' as const })),
      ...places.map((p) => ({ id: p.id, kind: 'Place' as const })),
      { id: events[0]!.id, kind: 'Event' },
    );
    w.claims.push(...claims.map((c) => c.id));
  }
}

/** An earlier bundle again with one more source that also cites one of its claims (a claim of several sources). */
async function citeAgainStep(w: World) {
  if (!w.bundles.length) return bundleStep(w);
  const before = pick(w.rng, w.bundles) as {
    sources: { id: string }[];
    claims: { source: string; quotes: unknown[] }[];
  };
  const id = `src-${w.u}-${w.n}-again`;
  const s = { id, text: sourceText(w, id) };
  // Stored evidence never changes: the same statement found again in a new source is a new claim, citing
  // the first source's words and the new source's.
  const first = before.claims[0] as { id: string; source: string; quotes: unknown[] };
  const claims = [
    ...before.claims,
    { ...first, id: `${first.id}-again-${w.n}`, quotes: [...first.quotes, quote(w, s, first.source)] },
  ];
  const source = {
    ...s,
    sha256: createHash('sha256').update(s.text).digest('hex'),
    title: id,
    language: 'en',
  };
  if (await load(w, { ...before, sources: [...before.sources, source], claims })) w.sources.push(s);
}

async function gql(
  w: World,
  headers: Record<string, string>,
  query: string,
  variables: Record<string, unknown>,
) {
  const res = await w.app.graphql(query, variables, headers);
  // Refusals are part of a random walk; an internal error never is.
  expect(res.errors?.map((e) => e.extensions?.code) ?? []).not.toContain('INTERNAL_SERVER_ERROR');
  return res.data as Record<string, Record<string, unknown>> | undefined;
}

const STEPS: Record<string, (w: World) => Promise<unknown>> = {
  bundle: bundleStep,
  citeAgain: citeAgainStep,
  recordClaim: async (w) => {
    if (!w.sources.length || !w.entities.length) return;
    const s = pick(w.rng, w.sources);
    const q = quote(w, s, s.id);
    const d = await gql(
      w,
      w.analyst,
      'mutation($input: RecordClaimInput!) { recordClaim(input: $input) { id } }',
      {
        input: {
          subjectId: pick(w.rng, w.entities).id,
          summary: `Recorded ${w.n++}`,
          sourceId: s.id,
          excerpts: [{ quote: q.exact, start: q.start, end: q.end }],
          confidence: 0.5,
          ...(w.rng.next() < 0.5
            ? {
                figure: {
                  measure: 'people_held',
                  value: w.n,
                  unit: 'people',
                  ...figureParts(w),
                  duringId: pick(w.rng, w.entities).id,
                  ...(w.claims.length && w.rng.next() < 0.5 ? { shareOfClaimId: pick(w.rng, w.claims) } : {}),
                },
              }
            : {}),
        },
      },
    );
    if (d?.recordClaim) w.claims.push(String(d.recordClaim.id));
  },
  // Names with evidence (issue #15): an alias citing a claim about its entity, and a retraction.
  addAlias: async (w) => {
    if (!w.claims.length) return;
    const claimId = pick(w.rng, w.claims);
    const [row] = await w.executor.read(claimSubject, { id: claimId });
    if (!row) return;
    await gql(
      w,
      w.analyst,
      'mutation($e: ID!, $a: AliasInput!, $c: ID!) { addAlias(entityId: $e, alias: $a, claimId: $c, reason: "named so") { id } }',
      { e: row.subjectId, a: { value: `Name ${w.n++}`, lang: 'en' }, c: claimId },
    );
  },
  retractAlias: async (w) => {
    if (!w.entities.length) return;
    const { id } = pick(w.rng, w.entities);
    const [row] = await w.executor.read(entityAliases, { id });
    const aliases = JSON.parse(String(row?.aliasesJson ?? '[]')) as { value: string; lang: string }[];
    if (!aliases.length) return;
    await gql(
      w,
      w.analyst,
      'mutation($e: ID!, $a: AliasInput!) { retractAlias(entityId: $e, alias: $a, reason: "misread") { id } }',
      { e: id, a: pick(w.rng, aliases) },
    );
  },
  updateEntity: async (w) => {
    if (!w.entities.length) return;
    const { id } = pick(w.rng, w.entities);
    const [row] = await w.executor.read(entityVersion, { id });
    if (!row) return;
    await gql(
      w,
      w.analyst,
      'mutation($id: ID!, $v: Int!, $p: EntityPatch!) { updateEntity(id: $id, version: $v, patch: $p) { id } }',
      {
        id,
        v: row.version,
        p: { description: `Updated ${w.n++}` },
      },
    );
  },
  // A corrected source: a SourceVersion, and sometimes a new PUBLISHED_VIA chain.
  updateSource: async (w) => {
    if (!w.sources.length) return;
    const { id } = pick(w.rng, w.sources);
    const [row] = await w.executor.read(recordVersion, { id });
    if (!row?.version) return;
    const actors = w.entities.filter((e) => e.kind === 'Actor');
    const via = actors.length && w.rng.next() < 0.5 ? [{ actorId: pick(w.rng, actors).id }] : undefined;
    await gql(
      w,
      w.admin,
      'mutation($id: ID!, $v: Int!, $p: SourcePatch!) { updateSource(id: $id, version: $v, patch: $p, reason: "corrected") { id } }',
      { id, v: row.version, p: { title: `Corrected ${w.n++}`, ...(via ? { publishedVia: via } : {}) } },
    );
  },
  // An amended claim: a ClaimVersion; a figure's new value, a relation's new role (a former-claims relationship).
  amendClaim: async (w) => {
    if (!w.claims.length) return;
    const id = pick(w.rng, w.claims);
    const [row] = await w.executor.read(recordVersion, { id });
    if (!row?.version) return;
    const amendment =
      row.kind === 'figure'
        ? { figure: { value: 100 + w.n++ } }
        : row.kind === 'relation' && w.rng.next() < 0.5
          ? { relation: { role: pick(w.rng, ['witness', 'perpetrator', 'victim']) } }
          : { summary: `Amended ${w.n++}` };
    await gql(
      w,
      w.admin,
      'mutation($id: ID!, $v: Int!, $a: ClaimAmendmentInput!) { amendClaim(id: $id, version: $v, amendment: $a, reason: "amended") { id } }',
      { id, v: row.version, a: amendment },
    );
  },
  dispute: async (w) => {
    if (!w.claims.length) return;
    await gql(
      w,
      w.analyst,
      'mutation($id: ID!) { disputeClaim(id: $id, reason: "Contradicted later") { id } }',
      { id: pick(w.rng, w.claims) },
    );
  },
  retract: async (w) => {
    if (!w.claims.length) return;
    await gql(
      w,
      w.analyst,
      'mutation($id: ID!) { retractClaim(id: $id, reason: "Withdrawn by the source") { id } }',
      { id: pick(w.rng, w.claims) },
    );
  },
  sensitivity: async (w) => {
    const ids = [...w.claims, ...w.entities.map((e) => e.id), ...w.sources.map((s) => s.id)];
    if (!ids.length) return;
    await gql(
      w,
      w.admin,
      'mutation($id: ID!, $s: Sensitivity!) { setSensitivity(id: $id, sensitivity: $s) { id } }',
      { id: pick(w.rng, ids), s: pick(w.rng, SENS) },
    );
  },
  judge: async (w) => {
    const kind = pick(w.rng, ['Actor', 'Place', 'Event'] as const);
    const same = w.entities.filter((e) => e.kind === kind);
    if (same.length < 2) return;
    const [a, b] = [pick(w.rng, same), pick(w.rng, same)];
    if (a.id === b.id) return;
    await gql(
      w,
      w.analyst,
      'mutation($a: ID!, $b: ID!, $j: MatchJudgement!) { judgeMatch(id: $a, candidateId: $b, judgement: $j, note: "looked") { __typename } }',
      { a: a.id, b: b.id, j: pick(w.rng, ['same', 'not_same', 'unsure']) },
    );
  },
  merge: async (w) => {
    const kind = pick(w.rng, ['Actor', 'Place', 'Event'] as const);
    const same = w.entities.filter((e) => e.kind === kind);
    if (same.length < 2) return;
    const [a, b] = [pick(w.rng, same), pick(w.rng, same)];
    if (a.id === b.id) return;
    const d = await gql(
      w,
      w.admin,
      'mutation($k: ID!, $m: ID!) { mergeEntities(keepId: $k, mergeId: $m, note: "duplicate") { merge { id } } }',
      { k: a.id, m: b.id },
    );
    if (d?.mergeEntities) w.merges.push(String((d.mergeEntities.merge as { id: string }).id));
  },
  unmerge: async (w) => {
    if (!w.merges.length) return;
    await gql(
      w,
      w.admin,
      'mutation($id: ID!) { unmergeEntities(mergeId: $id, note: "not the same after all") { id } }',
      { id: pick(w.rng, w.merges) },
    );
  },
  acled: async (w) => {
    const file = path.join(tmp, `${w.u}-${w.n++}.csv`);
    writeFileSync(
      file,
      readFileSync(path.join(FIXTURES, 'acled-events.csv'), 'utf8').replaceAll('__U__', `${w.u}${w.n}`),
    );
    w.acled.push(`${w.u}${w.n}`);
    await importFile(w.executor, file, 'acled', { recordedBy: 'acled importer' });
  },
  // A later release of an imported ACLED file: another fatalities count supersedes the earlier claim.
  acledRelease: async (w) => {
    if (!w.acled.length) return;
    const tag = pick(w.rng, w.acled);
    const fatalities = 3 + Math.floor(w.rng.next() * 50);
    const file = path.join(tmp, `${w.u}-${w.n++}.csv`);
    writeFileSync(
      file,
      readFileSync(path.join(FIXTURES, 'acled-events.csv'), 'utf8')
        .replaceAll('__U__', tag)
        .replace(/,2,,1654000002/, `,${fatalities},,1654000002`),
    );
    let r: Awaited<ReturnType<typeof importFile>>;
    try {
      r = await importFile(w.executor, file, 'acled', { recordedBy: 'acled importer' });
    } catch (err) {
      // Refused whole only because an actor or event of the file was merged away since: nothing written.
      if (err instanceof BundleError && err.problems.every((p) => p.message.includes('was merged into')))
        return;
      throw err;
    }
    // A count this event has not had before supersedes the live one (a repeated count corroborates).
    const seen = (w.fatalities[tag] ??= new Set([2]));
    if (!seen.has(fatalities)) expect(r.counts.superseded).toBeGreaterThanOrEqual(1);
    seen.add(fatalities);
  },
  ftm: async (w) => {
    const file = path.join(tmp, `${w.u}-${w.n++}.ndjson`);
    writeFileSync(
      file,
      readFileSync(path.join(FIXTURES, 'ftm-entities.ndjson'), 'utf8').replaceAll('__U__', `${w.u}${w.n}`),
    );
    await importFile(w.executor, file, 'ftm', { recordedBy: 'ftm importer' });
  },
};

/** Builds a random graph on A: a few bundles first, then random steps (one more step: one more entry above). */
async function buildRandomGraph(w: World, steps: number) {
  await bundleStep(w);
  await bundleStep(w);
  await STEPS.acled!(w);
  await STEPS.acledRelease!(w);
  await STEPS.ftm!(w);
  const names = Object.keys(STEPS);
  for (let i = 0; i < steps; i++) await STEPS[pick(w.rng, names)]!(w);
}

describe('lossless backup', () => {
  let servers: EmbeddedNeo4j[] = [];
  let dbs: Database[] = [];
  let close = async () => {};

  beforeAll(async () => {
    // A restore is one transaction that also reads the restored store back to verify it: give it the
    // time an operator would (README: NEO4J_TX_TIMEOUT_MS for the CLI), as two busy cores need.
    ({ servers, dbs, close } = await startPrivateNeo4j('backup', 2, { NEO4J_TX_TIMEOUT_MS: '180000' }));
  }, 120_000);
  afterAll(async () => {
    await close();
    rmSync(tmp, { recursive: true, force: true });
  });

  async function freshWorld(seed: number): Promise<World> {
    const [a] = dbs as [Database];
    await a.executor.write(wipe);
    const app = await startTestApp({ db: a, config: testConfig({ NEO4J_URI: servers[0]!.uri }) });
    const admin = (await keyHeaders(a, 'admin')).headers;
    const analyst = (await keyHeaders(a, 'analyst')).headers;
    return {
      rng: new Rng(seed),
      u: `s${seed}`,
      app,
      admin,
      analyst,
      executor: a.executor,
      entities: [],
      claims: [],
      sources: [],
      merges: [],
      bundles: [],
      acled: [],
      fatalities: {},
      n: 0,
    };
  }

  it(`restores a random graph whole: equal canonical dumps, byte-identical exports (${SEEDS} seeds)`, async () => {
    const [a, b] = dbs as [Database, Database];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const w = await freshWorld(seed);
      try {
        await buildRandomGraph(w, 20);
      } finally {
        await w.app.close();
      }
      const before = await canonicalDump(a.executor);
      const first = await exportTo(a.executor, path.join(tmp, `backup-${seed}-a.json`));
      await b.executor.write(wipe);
      await importFile(b.executor, path.join(tmp, `backup-${seed}-a.json`), 'bundle');
      const after = await canonicalDump(b.executor);
      // The operator's integrity check is clean on the graph and on its restore.
      for (const db of [a, b]) {
        const violated = (await checkStore(db.executor)).invariants.filter((i) => i.count);
        expect(violated, `seed ${seed}: kg check`).toEqual([]);
      }
      expect(after.nodes, `seed ${seed}`).toEqual(before.nodes);
      expect(after.rels, `seed ${seed}`).toEqual(before.rels);
      // Lookups by identifier answer the same on the restore (its index is built from the restored keys).
      const keys = (await a.executor.read(identifierKeys)).map((r) => String(r.key));
      expect(keys.length, `seed ${seed}: identifiers`).toBeGreaterThan(0);
      for (const key of keys) {
        const [was, is] = await Promise.all([a, b].map((db) => entityByIdentifier(db.executor, key)));
        expect(is?.id, `seed ${seed}: ${key}`).toBe(was?.id);
      }
      const holders = (db: Database) =>
        identifierHolders(db.executor, keys).then((l) => l.sort((x, y) => x.id.localeCompare(y.id)));
      expect(await holders(b), `seed ${seed}: import reuse by identifier`).toEqual(await holders(a));
      const second = await exportTo(b.executor, path.join(tmp, `backup-${seed}-b.json`));
      expect(second.text === first.text, `seed ${seed}: export of the restore is byte-identical`).toBe(true);
      // Every excerpt of every claim is in the readable part too (the old export kept one source's).
      const doc = JSON.parse(first.text) as { claims: { quotes: unknown[] }[] };
      const readable = doc.claims.reduce((n, c) => n + c.quotes.length, 0);
      const stored = before.rels.filter((r) => r.includes('-SUPPORTED_BY->')).length;
      expect(readable, `seed ${seed}`).toBe(stored);
      // Supersessions are in it (each graph has at least one later ACLED release).
      expect(
        before.rels.some((r) => r.includes('-SUPERSEDES->')),
        `seed ${seed}`,
      ).toBe(true);
    }
  }, 600_000);

  it('refuses a restore into a store with records, writing nothing', async () => {
    const [a, b] = dbs as [Database, Database];
    const w = await freshWorld(101);
    try {
      await bundleStep(w);
    } finally {
      await w.app.close();
    }
    await exportTo(a.executor, path.join(tmp, 'occupied.json'));
    await b.executor.write(wipe);
    await importFile(b.executor, path.join(tmp, 'occupied.json'), 'bundle');
    const before = await canonicalDump(b.executor);
    await expect(importFile(b.executor, path.join(tmp, 'occupied.json'), 'bundle')).rejects.toMatchObject({
      extensions: { code: 'CONFLICT' },
      message: expect.stringContaining('only into an empty store'),
    });
    // Seeding (loadBundle) a backup would load its readable part only and lose the rest: refused too.
    await expect(
      loadBundle(b.executor, path.join(tmp, 'occupied.json'), { force: true }),
    ).rejects.toMatchObject({
      problems: [{ path: 'store', message: expect.stringContaining('restore it with kg import') }],
    });
    expect(await canonicalDump(b.executor)).toEqual(before);
  }, 120_000);

  it('refuses a tampered store section: an unknown label, an unknown relationship type, a dangling end', async () => {
    const [a, b] = dbs as [Database, Database];
    const w = await freshWorld(202);
    try {
      await bundleStep(w);
    } finally {
      await w.app.close();
    }
    const good = JSON.parse((await exportTo(a.executor, path.join(tmp, 'good.json'))).text) as {
      store: { nodes: { labels: string[] }[]; relationships: { type: string; to: number }[] };
    };
    await b.executor.write(wipe);
    const tampered: [string, (d: typeof good) => void, RegExp][] = [
      ['label', (d) => (d.store.nodes[0]!.labels = ['ApiKey']), /labels ApiKey are not the model's/],
      ['type', (d) => (d.store.relationships[0]!.type = 'OWNS'), /relationship type OWNS is not the model's/],
      [
        'dangling',
        (d) => (d.store.relationships[0]!.to = d.store.nodes.length),
        /no node \d+ in the store section/,
      ],
      [
        'missing record',
        (d) =>
          d.store.nodes.splice(
            d.store.nodes.findIndex((n) => n.labels.includes('Claim')),
            1,
          ),
        /is not in the store section as a Claim/,
      ],
    ];
    for (const [name, change, message] of tampered) {
      const doc = structuredClone(good);
      change(doc);
      const file = path.join(tmp, `tampered-${name.replace(' ', '-')}.json`);
      writeFileSync(file, JSON.stringify(doc));
      const err = await importFile(b.executor, file, 'bundle').then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, name).toBeInstanceOf(BundleError);
      expect((err as BundleError).problems.map((p) => p.message).join('\n'), name).toMatch(message);
    }
    // A readable part that says other than the store section (a claim's words edited in one of them only).
    const edited = structuredClone(good) as unknown as { claims: { summary: string }[] };
    edited.claims[0]!.summary = 'Edited after the backup was taken.';
    const file = path.join(tmp, 'tampered-readable.json');
    writeFileSync(file, JSON.stringify(edited));
    await expect(importFile(b.executor, file, 'bundle')).rejects.toMatchObject({
      extensions: { code: 'INVALID_BUNDLE' },
      message: expect.stringContaining('first difference at claims[0].summary'),
    });
    expect((await b.executor.read(count))[0]!.n).toBe(
      (await b.executor.read(statement('test.backup.ledger', 'MATCH (m:Migration) RETURN count(m) AS n')))[0]!
        .n,
    );
  }, 120_000);

  it('reads again when a write commits during the read, so that the backup restores; refuses a store that never stops changing', async () => {
    const [a, b] = dbs as [Database, Database];
    const w = await freshWorld(404);
    try {
      await bundleStep(w);
      // A bundle loaded between the readable records and the store section: the first read met it.
      const met = await readBackup(a.executor, {
        duringRead: async (attempt) => {
          if (attempt === 1) await bundleStep(w);
        },
      });
      expect(met.attempts).toBe(2);
      const file = path.join(tmp, 'met-a-write.json');
      const out = createWriteStream(file);
      await writeBundleJson(bundleFromRows(met.records, SENSITIVITIES, met.store), out);
      out.end();
      await once(out, 'finish');
      await b.executor.write(wipe);
      await importFile(b.executor, file, 'bundle');
      expect(await canonicalDump(b.executor)).toEqual(await canonicalDump(a.executor));

      // An export's own audit record (a read, over HTTP) met during the read is no change to the evidence:
      // read once; and a restore goes into a store holding such records, as into one holding key audits.
      const viewer = { role: 'viewer' as const, keyId: null, name: 'backup test' };
      const exportAudit = () =>
        appendReadAudit(a.executor, { operation: 'export', viewer, input: {}, affectedIds: [], details: {} });
      const read = await readBackup(a.executor, { duringRead: async () => void (await exportAudit()) });
      expect(read.attempts).toBe(1);
      await b.executor.write(wipe);
      await appendReadAudit(b.executor, {
        operation: 'export',
        viewer,
        input: {},
        affectedIds: [],
        details: {},
      });
      await importFile(b.executor, file, 'bundle');

      // Writes that keep committing during every read: refused whole, with the reason.
      await expect(
        readBackup(a.executor, { attempts: 2, duringRead: () => bundleStep(w) }),
      ).rejects.toMatchObject({
        extensions: { code: 'CONFLICT' },
        message: expect.stringContaining(
          'changed while the backup was read, 2 times in a row; nothing was exported',
        ),
      });

      // This service's own writes keep committing during every read: after two reads that met one, the
      // next is made with them held back; the held write commits after it, and nothing is lost.
      const before = w.n;
      const writes: Promise<void>[] = [];
      const held = await readBackup(a.executor, {
        duringRead: async () => {
          const write = bundleStep(w);
          writes.push(write);
          // Until it commits, or is held back (however slow the machine, never a timer).
          for (let done = false; !done && !a.executor.writesHeld;)
            await Promise.race([write.then(() => (done = true)), new Promise((r) => setTimeout(r, 20))]);
        },
      });
      expect(held.attempts).toBe(3);
      await Promise.all(writes);
      expect(w.n - before).toBe(3);
      const heldFile = path.join(tmp, 'held-writes.json');
      const heldOut = createWriteStream(heldFile);
      await writeBundleJson(bundleFromRows(held.records, SENSITIVITIES, held.store), heldOut);
      heldOut.end();
      await once(heldOut, 'finish');
      await b.executor.write(wipe);
      await importFile(b.executor, heldFile, 'bundle');
    } finally {
      await w.app.close();
    }
  }, 180_000);

  it('exports a redacted share with less clearance: no store section, nothing hidden, every excerpt of what is shown', async () => {
    const [a] = dbs as [Database];
    const w = await freshWorld(303);
    try {
      for (let i = 0; i < 3; i++) await bundleStep(w);
      await citeAgainStep(w);
    } finally {
      await w.app.close();
    }
    const pub = await exportTo(
      a.executor.forRequest('backup-test', ['public']),
      path.join(tmp, 'public.json'),
    );
    const doc = JSON.parse(pub.text) as Record<string, unknown>;
    expect(doc).not.toHaveProperty('store');
    expect(pub.text).not.toMatch(/"(restricted|confidential)"/);
    const hidden = await a.executor.read(
      statement(
        'test.backup.hidden',
        "MATCH (n) WHERE n.sensitivity IN ['restricted', 'confidential'] RETURN n.id AS id",
      ),
    );
    for (const { id } of hidden) expect(pub.text).not.toContain(`"${String(id)}"`);
  }, 120_000);
});
