import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import { projectRoot } from '../../src/paths.js';

/**
 * The explorer's test hook (window.__explorer) is for the browser tests only: a production build
 * (`npm run build:web`) must not carry it, in its code or its source maps. A test build (what
 * test/e2e/browser.ts serves) must, or the e2e tests could not drive the canvas.
 */
const dirs: string[] = [];

async function buildExplorer(mode: 'production' | 'test'): Promise<Map<string, string>> {
  const outDir = mkdtempSync(path.join(os.tmpdir(), `hrkg-explorer-${mode}-`));
  dirs.push(outDir);
  await build({
    configFile: path.join(projectRoot, 'web', 'vite.config.ts'),
    mode,
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
  });
  const files = new Map<string, string>();
  for (const f of readdirSync(outDir, { recursive: true, withFileTypes: true }))
    if (f.isFile()) files.set(f.name, readFileSync(path.join(f.parentPath, f.name), 'utf8'));
  return files;
}

const having = (files: Map<string, string>, text: string) =>
  [...files].filter(([, body]) => body.includes(text)).map(([name]) => name);

describe('explorer bundle', () => {
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('has no test hook in a production build, and has it in a test build', async () => {
    const production = await buildExplorer('production');
    expect(
      [...production.keys()].some((f) => f.endsWith('.js.map')),
      'source maps are built',
    ).toBe(true);
    expect(having(production, '__explorer')).toEqual([]);
    // Nor the hook's code, under any name (main.ts's source, in the maps, names it).
    expect(having(production, 'hasKey').filter((f) => f.endsWith('.js'))).toEqual([]);

    const test = await buildExplorer('test');
    expect(having(test, '__explorer').filter((f) => f.endsWith('.js'))).toHaveLength(1);
    expect(having(test, 'hasKey').filter((f) => f.endsWith('.js'))).toHaveLength(1);
  }, 120_000);
});
