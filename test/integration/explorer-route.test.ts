import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, testConfig, type TestApp } from '../helpers/app.js';

/** What `/` answers when the explorer is missing or turned off: a clear message, and the API still works. */
describe('explorer route', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('answers 503 with the command to run when the explorer has not been built', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'hrkg-no-explorer-'));
    app = await startTestApp({ config: testConfig({ EXPLORER_DIR: empty }) });
    const res = await fetch(`${app.url}/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
    const api = await app.graphql<{ viewer: { role: string } }>('{ viewer { role } }');
    expect(api.data?.viewer.role).toBe('anonymous');
  });

  it('answers 404 when turned off with EXPLORER_DIR=off', async () => {
    app = await startTestApp({ config: testConfig({ EXPLORER_DIR: 'off' }) });
    const res = await fetch(`${app.url}/`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('EXPLORER_DIR=off');
  });
});
