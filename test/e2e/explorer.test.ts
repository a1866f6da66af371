/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/model/text.js';
import { dataDir } from '../../src/paths.js';
import { loadBundle } from '../../src/services/import.js';
import { startTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { uniq, writeBundle } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';
import { buildExplorer, idle, launchChromium, nodeIds, screenshot, watchErrors } from './browser.js';

/**
 * The graph explorer in real Chromium, against the real server and Neo4j with the sample graph: what an
 * investigator sees and can do, in the page itself.
 */
const ARTICLE = readFileSync(path.join(dataDir, 'sohr-2022-amnesty-release-batches.txt'), 'utf8');
const F2_QUOTE =
  'Nearly 1,160 prisoners, including persons arrested during the past months in criminal cases, released under amnesty';

// A restricted officer involved in a public release, to check what viewers' and analysts' explorers show.
const u = uniq();
const MARK = `HIDDENOFFICER${u}`;
const TEXT = `Report ${u}: detainees were released. An officer was named by a witness.`;
const restricted = {
  event: `ev-t${u}`,
  actor: `ac-t${u}-res`,
  bundle: {
    format: 'hrkg-bundle/1',
    recordedBy: 'test',
    recordedAt: '2026-11-25T10:00:00Z',
    sources: [{ id: `src-t${u}`, text: TEXT, sha256: sha256(TEXT), title: `Report ${u}`, language: 'en' }],
    actors: [{ id: `ac-t${u}-res`, type: 'person', name: `Officer ${MARK}`, sensitivity: 'restricted' }],
    events: [
      {
        id: `ev-t${u}`,
        type: 'release_batch',
        name: `Release ${u}`,
        date: { precision: 'day', value: '2022-05-03' },
      },
    ],
    claims: [
      {
        id: `cl-t${u}-rel`,
        subject: `ev-t${u}`,
        summary: `Detainees released ${u}`,
        source: `src-t${u}`,
        quotes: ['detainees were released'],
      },
      {
        id: `cl-t${u}-inv`,
        subject: `ac-t${u}-res`,
        summary: `The officer implemented the release ${u}`,
        relation: { type: 'INVOLVED_IN', object: `ev-t${u}`, role: 'implementer' },
        source: `src-t${u}`,
        quotes: ['An officer was named by a witness'],
        sensitivity: 'restricted',
      },
    ],
  },
};

// An event with 60 claims, more than the panel shows at once.
const HUB_TEXT = Array.from({ length: 60 }, (_, i) => `Witness ${i + 1} of ${u} saw the release.`).join(' ');
const hub = {
  event: `ev-t${u}-hub`,
  bundle: {
    format: 'hrkg-bundle/1',
    recordedBy: 'test',
    recordedAt: '2026-11-25T10:00:00Z',
    sources: [
      {
        id: `src-t${u}-hub`,
        text: HUB_TEXT,
        sha256: sha256(HUB_TEXT),
        title: `Testimonies ${u}`,
        language: 'en',
      },
    ],
    events: [{ id: `ev-t${u}-hub`, type: 'release_batch', name: `Witnessed release ${u}` }],
    claims: Array.from({ length: 60 }, (_, i) => ({
      id: `cl-t${u}-hub-${String(i + 1).padStart(2, '0')}`,
      subject: `ev-t${u}-hub`,
      summary: `Witness ${i + 1} saw the release.`,
      source: `src-t${u}-hub`,
      quotes: [`Witness ${i + 1} of ${u} saw`],
    })),
  },
};

describe('graph explorer (Chromium)', () => {
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let keys: { viewer: string; analyst: string };

  beforeAll(async () => {
    const dir = await buildExplorer();
    app = await startTestApp({ config: testConfig({ EXPLORER_DIR: dir }) });
    await loadBundle(app.db.executor, writeBundle(restricted.bundle));
    await loadBundle(app.db.executor, writeBundle(hub.bundle));
    keys = {
      viewer: (await keyHeaders(app.db, 'viewer', `e2e viewer ${u}`)).secret,
      analyst: (await keyHeaders(app.db, 'analyst', `e2e analyst ${u}`)).secret,
    };
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A fresh browser context (no session storage, no key) at 1366×768 on the given fragment. */
  async function open(hash = ''): Promise<Page> {
    context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
    page = await context.newPage();
    errors = watchErrors(page);
    await page.goto(`${app.url}/${hash ? `#${hash}` : ''}`);
    await idle(page);
    return page;
  }
  afterEach(async (ctx) => {
    if (page) await screenshot(page, ctx.task.name.replace(/[^\w]+/g, '-').slice(0, 80));
    expect(errors, 'no console errors, exceptions or CSP violations').toEqual([]);
    await context?.close();
  });

  const panelTitle = () => page.locator('#panel-title').innerText();
  const search = async (q: string) => {
    await page.fill('#search-input', q);
    await page.press('#search-input', 'Enter');
    await idle(page);
  };

  it('is served at / with a strict content security policy, the API staying at /graphql', async () => {
    const res = await fetch(`${app.url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('id="graph"');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const api = await app.graphql<{ viewer: { role: string } }>('{ viewer { role } }');
    expect(api.data?.viewer.role).toBe('anonymous');
    await open();
    expect(await page.locator('#who').innerText()).toContain('anonymous');
  });

  it('searches in English, opens a place and expands its neighbourhood', async () => {
    await open();
    await search('Rural Damascus');
    const hit = page.locator('#results button[data-id="pl-rif-dimashq"]');
    await expect.poll(() => hit.count()).toBe(1);
    await hit.click();
    await idle(page);
    expect(await panelTitle()).toBe('Rif Dimashq');
    const ids = await nodeIds(page);
    expect(ids).toEqual(expect.arrayContaining(['pl-rif-dimashq', 'pl-syria', 'ev-amnesty-releases-2022']));
    expect(await page.locator('#in-view button[data-id]').count()).toBe(ids.length);
    expect(await page.locator('#notice').innerText()).toMatch(/Expanded “Rif Dimashq”: \d+ neighbours/);
    // Double-clicking a node on the canvas expands it too.
    const pos = await page.evaluate(() =>
      (
        window as unknown as { __explorer: { renderedPosition(id: string): { x: number; y: number } } }
      ).__explorer.renderedPosition('ev-amnesty-releases-2022'),
    );
    await page.mouse.dblclick(pos.x, pos.y);
    await idle(page);
    expect(await nodeIds(page)).toEqual(
      expect.arrayContaining(['ev-amnesty-decree-2022', 'fg-f4-released-1168']),
    );
  });

  it('searches in Arabic and renders the Arabic names right to left', async () => {
    await open();
    await search('ريف دمشق');
    const hit = page.locator('#results button[data-id="pl-rif-dimashq"]');
    await expect.poll(() => hit.count()).toBe(1);
    const directions = await hit
      .locator('[dir=auto]')
      .evaluateAll((els) => els.map((e) => ({ text: e.textContent, rtl: e.matches(':dir(rtl)') })));
    expect(directions).toContainEqual({ text: 'ريف دمشق', rtl: true });
    expect(directions).toContainEqual({ text: 'Rif Dimashq', rtl: false });
    expect(await page.locator('#search-input').evaluate((e) => e.matches(':dir(rtl)'))).toBe(true);
    await hit.click();
    await idle(page);
    expect(await panelTitle()).toBe('Rif Dimashq');
  });

  it('expands only the kinds ticked, and labels edges with their relation and role', async () => {
    await open();
    for (const kind of ['ACTOR', 'PLACE', 'FIGURE']) await page.uncheck(`#kinds input[value="${kind}"]`);
    await search('Regime security services');
    await page.locator('#results button[data-id="ac-regime-security-services"]').click();
    await idle(page);
    const kinds = await page
      .locator('#in-view button[data-id]')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-id'), e.className]));
    expect(kinds.length).toBeGreaterThan(1);
    for (const [id, cls] of kinds)
      if (id !== 'ac-regime-security-services') expect(cls, id!).toContain('kind-EVENT');
    expect(page.url()).toContain('kinds=EVENT');
    const connections = await page.locator('#panel .connections').innerText();
    expect(connections).toContain('INVOLVED_IN (implementer)');
  });

  it('says when a neighbourhood was truncated', async () => {
    await open('limit=10&open=ev-amnesty-releases-2022');
    expect(await page.locator('#notice').innerText()).toContain('more than the limit of 10');
    expect((await nodeIds(page)).length).toBeLessThanOrEqual(11);
    expect(await page.locator('#limit').inputValue()).toBe('10');
  });

  it('shows the exact excerpt inside its source, the source metadata, and flags 1,160 vs 1,168', async () => {
    await open('open=ev-amnesty-releases-2022&sel=fg-f2-released-1160');
    await page.locator('#panel .claim').first().waitFor();
    const claim = page.locator('#panel article[data-claim="cl-f2-released-1160"]');
    expect(await claim.locator('blockquote mark').innerText()).toBe(F2_QUOTE);
    const conflict = claim.locator('[data-testid=conflict]');
    expect(await conflict.innerText()).toContain('1,168');
    expect(await conflict.innerText()).toContain('cl-f4-released-1168');
    // The figure is flagged in the list of records in view too.
    expect(await page.locator('#in-view button[data-id="fg-f2-released-1160"] .flag').count()).toBe(1);
    const source = page.locator('#panel section.source[data-source="src-sohr-amnesty-2022"]');
    const meta = await source.innerText();
    expect(meta).toContain('Syrian Observatory for Human Rights');
    expect(meta).toContain('not before May 2022 (precision: month, after)');
    expect(meta).toContain(sha256(ARTICLE));
    expect(meta).toContain('reliability unknown');
    // In the source's full text, the highlighted words are the excerpt, at its code-point offsets.
    await claim.locator('button[data-action=show-in-source]').click();
    const mark = claim.locator('mark.in-source');
    await mark.waitFor();
    expect(await mark.innerText()).toBe(F2_QUOTE);
    const start = Number(await mark.getAttribute('data-start'));
    expect(
      Array.from(ARTICLE)
        .slice(start, start + Array.from(F2_QUOTE).length)
        .join(''),
    ).toBe(F2_QUOTE);
    expect(await claim.locator('.source-view .ok').innerText()).toContain('exact words');
    expect(await mark.isVisible()).toBe(true);
  });

  it('shows a record with many claims 50 at a time', async () => {
    await open(`open=${hub.event}&sel=${hub.event}`);
    await page.locator('#panel .claim').first().waitFor();
    expect(await page.locator('#panel h3').first().textContent()).toBe('Claims (60)');
    expect(await page.locator('#panel article.claim').count()).toBe(50);
    const more = page.locator('#panel button[data-action=more-claims]');
    expect(await more.innerText()).toBe('Show 10 more (10 not shown)');
    await more.click();
    await idle(page);
    expect(await page.locator('#panel article.claim').count()).toBe(60);
    expect(await more.isVisible()).toBe(false);
  });

  it('shows the claims behind a selected edge, and selects nodes clicked on the canvas', async () => {
    await open('open=ev-amnesty-releases-2022&sel=ev-amnesty-releases-2022');
    const edge = page.locator('#panel .connections button[data-edge]', { hasText: 'PURSUANT_TO' });
    await edge.click();
    await idle(page);
    expect(await page.locator('#panel .edge-ends').innerText()).toContain(
      'Presidential amnesty decree of 30 April 2022',
    );
    expect(await page.locator('#panel article[data-claim="cl-f4-releases-pursuant-to-decree"]').count()).toBe(
      1,
    );
    expect(page.url()).toMatch(/sel=rel-/);
    const pos = await page.evaluate(() =>
      (
        window as unknown as { __explorer: { renderedPosition(id: string): { x: number; y: number } } }
      ).__explorer.renderedPosition('pl-aleppo'),
    );
    await page.mouse.click(pos.x, pos.y);
    await idle(page);
    expect(await panelTitle()).toBe('Aleppo');
  });

  it('finds and highlights a path between two selected records', async () => {
    await open('open=pl-aleppo,ac-syrian-president&sel=pl-aleppo');
    await page.locator('#panel button[data-action=path-from]').click();
    await page.locator('#in-view button[data-id="ac-syrian-president"]').click();
    await idle(page);
    await page.locator('#panel button[data-action=path-to]').click();
    await idle(page);
    const notice = await page.locator('#notice').innerText();
    expect(notice).toMatch(/^Path of \d hop\(s\): Aleppo → .* → President of the Syrian regime$/);
    expect(page.url()).toContain('from=pl-aleppo');
    expect(page.url()).toContain('to=ac-syrian-president');
    const onPath = await page.evaluate(() =>
      (window as unknown as { __explorer: { onPath(): string[] } }).__explorer.onPath(),
    );
    expect(onPath).toEqual(expect.arrayContaining(['pl-aleppo', 'ac-syrian-president']));
    expect(onPath.some((id) => id.startsWith('rel-'))).toBe(true);

    // The link reproduces the view in a new browser: same records, selection and path.
    const link = page.url();
    const before = await nodeIds(page);
    const second = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const other = await second.newPage();
    const otherErrors = watchErrors(other);
    await other.goto(link);
    await idle(other);
    expect(await nodeIds(other)).toEqual(before);
    expect(await other.locator('#panel-title').innerText()).toBe('President of the Syrian regime');
    expect(await other.locator('#notice').innerText()).toBe(notice);
    expect(otherErrors).toEqual([]);
    await second.close();
  });

  it('exports the view as PNG and as JSON', async () => {
    await open('open=ev-amnesty-decree-2022&sel=ev-amnesty-decree-2022');
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
    expect(png.suggestedFilename()).toMatch(/^hrkg-view-.*\.png$/);
    const bytes = readFileSync((await png.path())!);
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(bytes.length).toBeGreaterThan(5_000);
    const [json] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
    const doc = JSON.parse(readFileSync((await json.path())!, 'utf8')) as {
      format: string;
      link: string;
      nodes: { id: string }[];
      edges: { source: string; target: string; label: string }[];
    };
    expect(doc.format).toBe('hrkg-explorer-view/1');
    expect(doc.link).toBe(page.url());
    expect(doc.nodes.map((n) => n.id).sort()).toEqual(await nodeIds(page));
    expect(doc.edges.length).toBeGreaterThan(0);
    expect(
      doc.edges.every(
        (e) => doc.nodes.some((n) => n.id === e.source) && doc.nodes.some((n) => n.id === e.target),
      ),
    ).toBe(true);
  });

  it('draws the visible events on a timeline, uncertain dates as ranges', async () => {
    await open('open=ev-amnesty-releases-2022');
    const decree = page.locator('#timeline [data-event="ev-amnesty-decree-2022"]');
    const releases = page.locator('#timeline [data-event="ev-amnesty-releases-2022"]');
    expect(await decree.getAttribute('data-uncertain')).toBe('false');
    expect(await decree.locator('circle').count()).toBe(1);
    expect(await releases.getAttribute('data-uncertain')).toBe('true');
    expect(await releases.locator('rect').count()).toBe(1);
    expect(await releases.getAttribute('aria-label')).toContain('uncertain, 2022-04-30 – …');
    await releases.focus();
    await page.keyboard.press('Enter');
    await idle(page);
    expect(await panelTitle()).toBe('Releases of detainees in batches under the April 2022 amnesty');
  });

  it('keeps restricted records from a viewer and shows them, marked, to an analyst', async () => {
    await open(`open=${restricted.event}`);
    const useKey = async (secret: string, role: string) => {
      await page.click('#key-button');
      await page.fill('#key-input', secret);
      await page.click('#key-save');
      await page.waitForFunction((r) => document.body.dataset.role === r, role);
      await idle(page);
    };
    await useKey(keys.viewer, 'viewer');
    expect(await page.locator('#who').innerText()).toContain('viewer');
    expect(await nodeIds(page)).toEqual([restricted.event]);
    await search(MARK);
    expect(await page.locator('#results').innerText()).toContain('Nothing found');
    await page.locator('#in-view button[data-id]').first().click();
    await idle(page);
    expect(await page.locator('body').innerText()).not.toContain(MARK);
    // The key stays in this tab's session storage, never in the shareable link.
    expect(page.url()).not.toContain(keys.viewer);

    await useKey(keys.analyst, 'analyst');
    expect(await page.locator('#who').innerText()).toContain('analyst');
    expect(await nodeIds(page)).toEqual([restricted.actor, restricted.event].sort());
    const item = page.locator(`#in-view button[data-id="${restricted.actor}"]`);
    expect(await item.innerText()).toContain(MARK);
    expect(await item.locator('.badge.restricted').innerText()).toBe('restricted');
    await search(MARK);
    expect(await page.locator(`#results button[data-id="${restricted.actor}"]`).count()).toBe(1);
  });

  it('works from the keyboard alone: search, open a result, read its evidence', async () => {
    await open();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Presidential amnesty decree of 30 April 2022');
    await page.keyboard.press('Enter');
    await idle(page);
    for (let i = 0; i < 40; i++) {
      if (
        await page.evaluate(
          () => document.activeElement?.getAttribute('data-id') === 'ev-amnesty-decree-2022',
        )
      )
        break;
      await page.keyboard.press('Tab');
    }
    const focused = await page.evaluate(() => ({
      id: document.activeElement?.getAttribute('data-id'),
      name: document.activeElement?.querySelector('.name')?.textContent,
      visible: document.activeElement!.matches(':focus-visible'),
    }));
    expect(focused.id).toBeTruthy();
    expect(focused.visible, 'the focused result shows a focus ring').toBe(true);
    await page.keyboard.press('Enter');
    await idle(page);
    expect(await page.locator('#panel-title').innerText()).toBe(focused.name);
    expect(await page.locator('#panel .claim').count()).toBeGreaterThan(0);
    // The records in view are reachable by Tab too, and Enter selects them.
    for (let i = 0; i < 30; i++) {
      if (await page.evaluate(() => !!document.activeElement?.closest('#in-view'))) break;
      await page.keyboard.press('Tab');
    }
    if ((await nodeIds(page)).length) {
      const item = await page.evaluate(() => document.activeElement?.querySelector('.name')?.textContent);
      await page.keyboard.press('Enter');
      await idle(page);
      expect(await page.locator('#panel-title').innerText()).toBe(item);
    }
  });

  it('fits a 1366×768 screen without horizontal scrolling', async () => {
    await open('open=ev-amnesty-releases-2022&sel=fg-f4-released-1168');
    const layout = await page.evaluate(() => {
      const box = (sel: string) => document.querySelector(sel)!.getBoundingClientRect().toJSON() as DOMRect;
      return {
        scrollWidth: document.documentElement.scrollWidth,
        graph: box('#graph'),
        panel: box('#panel'),
        timeline: box('#timeline'),
        search: box('#search-input'),
      };
    });
    expect(layout.scrollWidth).toBeLessThanOrEqual(1366);
    expect(layout.graph.width).toBeGreaterThan(500);
    expect(layout.graph.height).toBeGreaterThan(300);
    for (const b of [layout.panel, layout.timeline, layout.search]) {
      expect(b.right).toBeLessThanOrEqual(1366);
      expect(b.bottom).toBeLessThanOrEqual(768);
    }
  });
});
