import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/graph/database.js';
import { startEmbeddedNeo4j, type EmbeddedNeo4j } from '../../src/graph/embedded.js';
import { statement } from '../../src/graph/executor.js';
import { migrate } from '../../src/graph/migrate.js';
import { projectRoot } from '../../src/paths.js';
import { checkStore, INVARIANTS, type CheckReport, type InvariantName } from '../../src/services/check.js';
import { loadBundle, SAMPLE_BUNDLE } from '../../src/services/import.js';
import { testConfig, testDatabase } from '../helpers/app.js';

/**
 * `kg check`, the store's integrity check. Defects are seeded by direct Cypher writes (product code never
 * writes them) in a Neo4j of this file's own, so that the run's shared store stays clean; the shared store
 * itself is checked after all integration suites (test/global-setup.ts).
 */

const KG = path.join(projectRoot, 'src/cli/kg.ts');

function kg(args: string[], uri: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', KG, ...args], {
      cwd: projectRoot,
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: '', NEO4J_URI: uri },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const found = (r: CheckReport) =>
  Object.fromEntries(r.invariants.filter((i) => i.count).map((i) => [i.name, [...i.ids].sort()])) as Partial<
    Record<InvariantName, string[]>
  >;

/** One direct write, as a defect would arrive: by hand, by a bug, or by a damaged restore. */
const seed = (name: string, cypher: string) => statement(`test.check.${name}`, cypher);

describe('kg check', () => {
  let dir: string;
  let server: EmbeddedNeo4j;
  let db: Database;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hrkg-check-'));
    server = await startEmbeddedNeo4j({ dataDir: dir, heap: '512m', pagecache: '32m' });
    db = testDatabase(server.uri, testConfig({ NEO4J_URI: server.uri }));
    await migrate(db.executor);
    await loadBundle(db.executor, SAMPLE_BUNDLE);
  });
  afterAll(async () => {
    await db?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds the sample store clean, and kg check exits 0', async () => {
    const report = await checkStore(db.executor, { pageSize: 7 });
    expect(found(report)).toEqual({});
    expect(report.clean).toBe(true);
    expect(report.invariants.map((i) => i.name)).toEqual(Object.keys(INVARIANTS));
    expect(report.scanned).toMatchObject({ claims: 64, sources: 1, entities: 28 });
    expect(report.scanned.excerpts).toBeGreaterThan(0);
    expect(report.scanned.figures).toBeGreaterThan(0);

    const run = await kg(['check'], server.uri);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/clean\.\n$/);
    expect(run.stdout).not.toMatch(/FAIL/);
  });

  it('finds each invariant broken by a seeded defect, with its ids, and kg check exits 1 naming them', async () => {
    const ex = db.executor;
    const [figure] = await ex.read(
      seed(
        'aFigure',
        'MATCH (c:Claim)-[:OBJECT]->(f:Figure) WHERE f.text IS NOT NULL RETURN f.id AS id, c.id AS claimId ORDER BY f.id LIMIT 1',
      ),
    );
    await ex.write(
      seed(
        'defects',
        `MATCH (ev:Event {id: 'ev-amnesty-releases-2022'}), (a:Actor {id: 'ac-sohr'}), (b:Actor {id: 'ac-syrian-regime'}),
               (s:Source {id: 'src-sohr-amnesty-2022'}), (f:Figure {id: $figureId})
         MATCH (someExcerpt:Excerpt)-[:IN_SOURCE]->(s)
         WITH ev, a, b, s, f, someExcerpt ORDER BY someExcerpt.id LIMIT 1
         CREATE (:Claim {id: 'cl-check-no-excerpt', kind: 'statement', subjectId: ev.id})-[:ABOUT]->(ev)
         CREATE (:Excerpt {id: 'ex-check-wrong-words', exact: 'words the source never had', start: 0, end: 26})-[:IN_SOURCE]->(s)
         CREATE (:Excerpt {id: 'ex-check-no-source', exact: 'x', start: 0, end: 1})
         CREATE (:Source {id: 'src-check-tampered', text: 'the text as stored', sha256: $otherHash})
         CREATE (a)-[:MEMBER_OF {id: 'rel-check-no-claim', claimIds: []}]->(b)
         CREATE (a)-[:LOCATED_IN {id: 'rel-check-ghost-claim', claimIds: ['cl-check-ghost']}]->(:Place {id: 'pl-check'})
         CREATE (c:Claim {id: 'cl-check-wrong-subject', kind: 'statement', subjectId: 'ac-sohr'})-[:ABOUT]->(ev)
         CREATE (c)-[:SUPPORTED_BY]->(someExcerpt)
         CREATE (a)-[:HELD_IN {id: 'rel-check-misfit', claimIds: ['cl-check-wrong-subject']}]->(b)
         CREATE (:Entity:Place {id: 'pl-check-city', kind: 'Place', type: 'city', facilityKind: 'prison'})
         CREATE (:AuditRecord {id: 'audit-check-merge', operation: 'mergeEntities', affectedIds: ['ac-x', 'merge-check-gone']})
         CREATE (:AuditRecord {id: 'audit-check-other', operation: 'recordClaim', affectedIds: ['merge-not-a-merge-op']})
         CREATE (ev)-[:IN_PLACE {placeId: 'pl-check-stale', at: 'start', key: '2022-05-01'}]->(a)
         SET f.text = 'words nobody wrote'`,
      ),
      { figureId: figure!.id as string, otherHash: '0'.repeat(64) },
    );
    // An event that lost its actor rows: off its actors' timelines.
    await ex.write(
      seed('staleActorRows', "MATCH (:Event {id: 'ev-amnesty-decree-2022'})-[w:WITH_ACTOR]->() DELETE w"),
    );
    // Entities are paged by id: the place's label set as the loader would (Entity + kind).
    await ex.write(seed('placeLabel', "MATCH (p:Place {id: 'pl-check'}) SET p:Entity"));
    // Keys a lookup by identifier would miss: not canonical (as before migration 0012), one left out.
    await ex.write(
      seed(
        'staleKeys',
        `MATCH (d:Entity {id: 'pl-daraa'}), (r:Entity {id: 'pl-rif-dimashq'})
         SET d.identifierKeys = ['iso3166:sy-dr'], r.identifierKeys = []`,
      ),
    );

    const report = await checkStore(ex, { pageSize: 5 });
    expect(report.clean).toBe(false);
    expect(found(report)).toEqual({
      'claim-without-excerpt': ['cl-check-no-excerpt'],
      'excerpt-not-in-source': ['ex-check-no-source', 'ex-check-wrong-words'],
      'source-hash-mismatch': ['src-check-tampered'],
      'relation-without-claim': ['rel-check-ghost-claim', 'rel-check-no-claim'],
      'claim-edges-disagree': ['cl-check-wrong-subject'],
      'audit-merge-missing': ['merge-check-gone'],
      'figure-text-not-quoted': [figure!.id],
      'event-places-stale': ['ev-amnesty-decree-2022', 'ev-amnesty-releases-2022'],
      'relation-type-misfit': ['pl-check-city', 'rel-check-misfit'],
      'identifier-key-stale': ['pl-daraa', 'pl-rif-dimashq'],
    });

    // The ids listed are capped; the count is not.
    const capped = await checkStore(ex, { idsPerInvariant: 1 });
    const excerpts = capped.invariants.find((i) => i.name === 'excerpt-not-in-source')!;
    expect(excerpts).toMatchObject({ count: 2, ids: ['ex-check-no-source'] });

    const run = await kg(['check'], server.uri);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    for (const ids of Object.values(found(report))) for (const id of ids) expect(run.stdout).toContain(id);
    expect(run.stdout).toMatch(/^FAIL source-hash-mismatch: .*\n {5}1 record\(s\): src-check-tampered$/m);
    expect(run.stdout).toMatch(/10 invariant\(s\) violated\.\n$/);

    const json = await kg(['check', '--json'], server.uri);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as CheckReport;
    expect(parsed.clean).toBe(false);
    expect(found(parsed)).toEqual(found(report));
  });
});
