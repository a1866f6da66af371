import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { fixtureBundle, presentIds, uniq, writeBundle } from '../helpers/bundles.js';

/**
 * The kg command line, run as a child process (as a user runs it) against the test run's Neo4j through
 * NEO4J_URI, never the embedded default. Its stdout and stderr are pipes here, not terminals: no
 * progress line may appear.
 */

const KG = path.join(projectRoot, 'src/cli/kg.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function kg(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', KG, ...args], {
      cwd: projectRoot,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: '',
        NEO4J_URI: inject('neo4jUri'),
        NEO4J_PASSWORD: inject('neo4jPassword'),
        ...env,
      },
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

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'hrkg-cli-'));

describe('kg', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  describe('help and usage errors', () => {
    it('lists its commands with --help and exits 0', async () => {
      const r = await kg(['--help']);
      expect(r.code).toBe(0);
      for (const c of ['seed', 'migrate', 'import', 'export', 'keys create', 'keys revoke', 'check']) {
        expect(r.stdout).toContain(c);
      }
      expect(r.stderr).toBe('');
    });

    it('has --help on every command and subcommand', async () => {
      const runs = await Promise.all(
        [
          ['seed'],
          ['migrate'],
          ['import'],
          ['export'],
          ['keys'],
          ['keys', 'create'],
          ['keys', 'revoke'],
          ['check-bundle'],
          ['check'],
        ].map(async (cmd) => [cmd.join(' '), await kg([...cmd, '--help'])] as const),
      );
      for (const [cmd, r] of runs) {
        expect(r.code, cmd).toBe(0);
        expect(r.stdout, cmd).toMatch(new RegExp(`^Usage: kg ${cmd}`));
      }
    });

    it('exits 2 with one line on stderr for usage errors, before touching the database', async () => {
      const cases = [
        ['frobnicate'],
        [],
        ['export', '--format', 'xml'],
        ['export', '--format', 'ftm', '--bogus'],
        ['import', '--format', 'bundle'],
        ['import', 'x.yaml', '--format', 'csv'],
        ['keys', 'create', '--role', 'root', '--name', 'x'],
        ['keys', 'create', '--role', 'viewer'],
        ['keys', 'rotate'],
        ['migrate', 'now'],
        ['check', '--bogus'],
      ];
      // An unreachable database: a usage error must be found before any connection is tried.
      const runs = await Promise.all(cases.map((args) => kg(args, { NEO4J_URI: 'bolt://127.0.0.1:1' })));
      for (const [i, r] of runs.entries()) {
        const label = cases[i]!.join(' ') || '(no command)';
        expect(r.code, label).toBe(2);
        expect(r.stderr.trim().split('\n'), label).toHaveLength(1);
        expect(r.stderr, label).toMatch(/^kg: .*\(see kg .*--help\)\n$/);
        expect(r.stdout, label).toBe('');
      }
      expect(runs[0]!.stderr).toContain('unknown command "frobnicate"');
    });

    it('exits 1 with one line when the database cannot be reached', async () => {
      const r = await kg(['migrate'], { NEO4J_URI: 'bolt://127.0.0.1:1' });
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('bolt://127.0.0.1:1');
    });
  });

  it('migrates: nothing left to apply on the test database', async () => {
    const r = await kg(['migrate']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Nothing to apply/);
  });

  it('creates an API key whose secret authenticates, and revokes it', async () => {
    const name = `cli-${uniq()}`;
    const created = await kg(['keys', 'create', '--role', 'analyst', '--name', name]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const lines = created.stdout.trim().split('\n');
    const secret = lines.at(-1)!;
    const keyId = /key-[0-9a-f-]+/.exec(lines[0]!)![0];
    const who = await app.graphql<{ viewer: { role: string; name: string; keyId: string } }>(
      '{ viewer { role name keyId } }',
      undefined,
      { authorization: `Bearer ${secret}` },
    );
    expect(who.data!.viewer).toEqual({ role: 'analyst', name, keyId });

    const revoked = await kg(['keys', 'revoke', keyId]);
    expect(revoked.code).toBe(0);
    // A fresh server (no cache of verified keys) refuses it at once.
    const fresh = await startTestApp();
    try {
      const res = await fresh.graphql('{ viewer { role } }', undefined, {
        authorization: `Bearer ${secret}`,
      });
      expect(res.status).toBe(401);
    } finally {
      await fresh.close();
    }
    const again = await kg(['keys', 'revoke', keyId]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^kg: No active API key/);
  });

  it('seeds a bundle file (loaded again with force)', async () => {
    const u = uniq();
    const text = `Seed ${u}: detainees were released.`;
    const file = writeBundle(
      fixtureBundle(u, text, [
        {
          id: `cl-t${u}`,
          subject: `ev-t${u}`,
          summary: 'Released.',
          source: `src-t${u}`,
          quotes: ['were released'],
        },
      ]),
    );
    for (let i = 0; i < 2; i += 1) {
      const r = await kg(['seed', file]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Loaded .* in \d+ ms: /);
    }
    expect((await presentIds(app.db.executor, [`ev-t${u}`, `cl-t${u}`])).sort()).toEqual([
      `cl-t${u}`,
      `ev-t${u}`,
    ]);
  });

  describe('check-bundle', () => {
    it('summarises a valid bundle, lists every problem of a bad one, without a database', async () => {
      // An unreachable NEO4J_URI: the command must not need it.
      const env = { NEO4J_URI: 'bolt://127.0.0.1:1' };
      const ok = await kg(['check-bundle', 'data/sohr-2022-amnesty.bundle.yaml'], env);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/^OK: 1 sources, \d+ entities, \d+ claims/);
      const u = uniq();
      const bad = writeBundle(
        fixtureBundle(u, `Text ${u}.`, [
          { id: `cl-t${u}-a`, subject: `ev-t${u}`, summary: 's', source: `src-t${u}`, quotes: ['absent'] },
          { id: `cl-t${u}-b`, subject: `ev-none${u}`, summary: 's', source: `src-t${u}`, quotes: ['Text'] },
        ]),
      );
      const refused = await kg(['check-bundle', bad], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/2 problem\(s\)/);
      expect((await kg(['check-bundle'], env)).code).toBe(2);
    });
  });

  describe('import', () => {
    it('refuses a bad file with exit 1, every problem on stderr, and writes nothing', async () => {
      const u = uniq();
      const doc = fixtureBundle(u, `Text ${u}: nothing about it.`, [
        {
          id: `cl-t${u}-a`,
          subject: `ev-t${u}`,
          summary: 's',
          source: `src-t${u}`,
          quotes: ['not in the text'],
        },
        {
          id: `cl-t${u}-b`,
          subject: `ev-missing${u}`,
          summary: 's',
          source: `src-t${u}`,
          quotes: ['nothing'],
        },
      ]);
      const r = await kg(['import', writeBundle(doc), '--format', 'bundle']);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^kg: refused, nothing written: \d+ problem\(s\):\n/);
      expect(r.stderr).toContain('claims[0].quotes[0]');
      expect(r.stderr).toContain('claims[1].subject');
      expect(await presentIds(app.db.executor, [`src-t${u}`, `ac-t${u}`, `ev-t${u}`, `pl-t${u}`])).toEqual(
        [],
      );
    });

    it('fails with one line for a file that does not exist', async () => {
      const r = await kg(['import', path.join(tmp(), 'missing.yaml'), '--format', 'bundle']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^kg: cannot read .*missing\.yaml: no such file\n$/);
    });

    it('imports a valid bundle', async () => {
      const u = uniq();
      const r = await kg(['import', writeBundle(fixtureBundle(u, `Import ${u}.`)), '--format', 'bundle']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Imported .* \(sha256 [0-9a-f]{12}\): /);
      expect(await presentIds(app.db.executor, [`ev-t${u}`])).toEqual([`ev-t${u}`]);
    });
  });

  describe('export', () => {
    it('writes the graph as a bundle to stdout: JSON that parses, and nothing on stderr', async () => {
      // The full export is a backup, read while other test files write to the shared store: a read that
      // meets a write is made again by the export itself (readConsistently), never refused for it.
      const r = await kg(['export', '--format', 'bundle']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as { format: string; places: { id: string }[] };
      expect(doc.format).toBe('hrkg-bundle/1');
      expect(doc.places.map((p) => p.id)).toContain('pl-daraa');
    });

    it('exports only what a clearance sees', async () => {
      const u = uniq();
      const doc = fixtureBundle(u, `Restricted ${u}.`);
      (doc.places[0] as Record<string, unknown>).sensitivity = 'restricted';
      expect((await kg(['import', writeBundle(doc), '--format', 'bundle'])).code).toBe(0);
      const all = await kg(['export', '--format', 'bundle']);
      const pub = await kg(['export', '--format', 'bundle', '--clearance', 'public']);
      expect(all.code).toBe(0);
      expect(pub.code).toBe(0);
      const placeIds = (r: Run) =>
        (JSON.parse(r.stdout) as { places: { id: string }[] }).places.map((p) => p.id);
      expect(placeIds(all)).toContain(`pl-t${u}`);
      expect(placeIds(pub)).not.toContain(`pl-t${u}`);
      expect(placeIds(pub)).toContain('pl-daraa');
    });

    it('writes GraphML to a file with -o, and leaves no file when the folder does not exist', async () => {
      const dir = tmp();
      const file = path.join(dir, 'graph.graphml');
      const r = await kg(['export', '--format', 'graphml', '-o', file]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
      expect(readFileSync(file, 'utf8')).toMatch(/^<\?xml[^>]*>\s*<graphml/);
      expect(existsSync(`${file}.partial`)).toBe(false);

      const bad = await kg(['export', '--format', 'graphml', '-o', path.join(dir, 'no/such/dir.graphml')]);
      expect(bad.code).toBe(1);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    });
  });

  it('reports an invalid environment as one line', async () => {
    const r = await kg(['migrate'], { NEO4J_TX_TIMEOUT_MS: 'soon' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^kg: invalid configuration: NEO4J_TX_TIMEOUT_MS: .*\n$/);
  });
});
