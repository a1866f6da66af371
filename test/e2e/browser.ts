/// <reference lib="dom" />
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { projectRoot } from '../../src/paths.js';

/** Screenshots of every e2e test are kept here (CI keeps test-results/ as artifacts). */
export const ARTIFACTS = path.join(projectRoot, 'test-results', 'e2e');

/** Debian's Chromium (apt-get install -y chromium); CHROMIUM_PATH overrides. No browser is downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Builds the explorer from web/ into a fresh folder, so the tests always drive the current source. It is
 * a test build (mode `test`): only that has the `window.__explorer` hook the tests read the canvas with.
 */
export async function buildExplorer(): Promise<string> {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'hrkg-explorer-'));
  await build({
    configFile: path.join(projectRoot, 'web', 'vite.config.ts'),
    mode: 'test',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, sourcemap: false },
  });
  return outDir;
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (.ci/run does) or set CHROMIUM_PATH`,
    );
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Collects what the page logs as errors (CSP violations, exceptions, failed requests). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

/** Waits until the explorer has no request in flight. */
export async function idle(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.busy === '0', undefined, { timeout: 20_000 });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/** The ids of the nodes in view, through the page's test hook. */
export async function nodeIds(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    ((window as unknown as { __explorer: { nodeIds(): string[] } }).__explorer.nodeIds() as string[]).sort(),
  );
}
