// The web UI end to end: the real server on a real store, driven in Debian's
// Chromium by playwright-core. Screenshots go to test-output/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp, DEFAULT_WEB_ROOT } from '../../src/server/app.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';
import { buildUiStore, type UiStore } from '../helpers/ui-store.ts';
import { tempDir } from '../helpers/tmp.ts';
import { REMOTE_HOST } from '../fixtures/hostile-html-email.ts';

const SHOTS = join(import.meta.dirname, '../../test-output/screenshots');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const tmp = tempDir();
let ui: UiStore;
let store: Store;
let app: FastifyInstance;
let origin: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const requests: string[] = [];
const pageErrors: string[] = [];
const dialogs: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(DEFAULT_WEB_ROOT, 'index.html'))) execFileSync('npm', ['run', 'build:web'], { stdio: 'inherit' });
  ui = await buildUiStore(tmp.dir);
  const opened = await openStore(ui.db, { mustExist: true });
  store = opened.store;
  app = await buildApp({ store, blobs: opened.blobs });
  origin = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('127.0.0.1', 'localhost');
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.on('request', (r) => requests.push(r.url()));
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await store?.close();
  tmp.cleanup();
});

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

describe('web UI', () => {
  it('searches "tresorerie" and opens the altered copy with its changes highlighted', async () => {
    await page.goto(`${origin}/search`);
    await page.getByRole('searchbox', { name: 'Search' }).fill('tresorerie');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/search\?q=tresorerie/);
    await expect.poll(() => page.locator('.hit').count()).toBeGreaterThan(5);
    expect(await page.locator('.hit mark').first().textContent()).toMatch(/trésorerie/i);
    await shot('01-search-tresorerie');

    await page.locator('.hit-title', { hasText: 'rapport-T1-modifie.txt' }).click();
    await page.waitForURL(/\/item\/[0-9a-f]{64}$/);
    await page.locator('[data-rule="dup.altered-copy"]').waitFor();
    expect(await page.locator('.verdict-line .badge').textContent()).toBe('tampered');
    const diff = page.getByTestId('diff');
    await diff.locator('ins').first().waitFor();
    expect(await diff.locator('ins').allTextContents()).toContain('14');
    expect(await diff.locator('del').allTextContents()).toContain('4');
    await shot('02-altered-copy-diff');
  });

  it("shows a tampered email's DKIM finding with the key and where it came from", async () => {
    await page.getByRole('link', { name: 'Verification' }).click();
    await page.getByTestId('count-tampered').waitFor();
    await page.locator('a', { hasText: 'dkim.signature-mismatch' }).first().click();
    await page.waitForURL(/rule=dkim.signature-mismatch/);
    await page.locator('.hit-title').first().click();
    const finding = page.locator('[data-rule="dkim.signature-mismatch"]');
    await finding.waitFor();
    expect(await page.locator('.verdict-line .badge').textContent()).toBe('tampered');
    expect(await finding.getByTestId('dkim-key').textContent()).toContain('keys.zone');
    await shot('03-tampered-email-dkim');
  });

  it('opens a thread as a tree', async () => {
    await page.getByRole('link', { name: 'Threads' }).click();
    await page.locator('table a').first().click();
    await page.waitForURL(/\/thread\/\d+$/);
    const items = page.getByTestId('thread').locator('li');
    await expect.poll(() => items.count()).toBeGreaterThan(2);
    const indents = await items.evaluateAll((lis) => lis.map((li) => (li as unknown as { style: { paddingLeft: string } }).style.paddingLeft));
    expect(indents.some((p) => p !== '0em')).toBe(true);
    await shot('04-thread');
  });

  it('narrows the search to a day by clicking the timeline', async () => {
    await page.goto(`${origin}/search`);
    await page.locator('.timeline .bar').first().waitFor();
    expect(await page.locator('.timeline .bar').first().getAttribute('data-unit')).toBe('month');
    // The busiest month, then within it the busiest day.
    const busiest = async () => page.locator('.timeline .bar').evaluateAll((bars) => {
      type El = { querySelector(s: string): { textContent: string | null } | null; getAttribute(n: string): string | null };
      const total = (g: El) => Number(/: (\d+) item/.exec(g.querySelector('title')?.textContent ?? '')?.[1] ?? 0);
      return (bars as unknown as El[]).reduce((a, b) => (total(b) > total(a) ? b : a)).getAttribute('data-bucket');
    });
    const month = await busiest();
    await page.locator(`.timeline .bar[data-bucket="${month}"]`).click();
    await page.waitForURL(new RegExp(`from=${month}-01`));
    await expect.poll(() => page.locator('.timeline .bar').first().getAttribute('data-unit')).toBe('day');
    const day = (await busiest())!;
    await page.locator(`.timeline .bar[data-bucket="${day}"]`).click();
    await page.waitForURL(new RegExp(`from=${day}&to=${day}`));
    const expected = (await store.explore.search({ dateFrom: day, dateTo: day }, { limit: 1, offset: 0 })).total;
    await expect.poll(() => page.getByTestId('total').textContent()).toBe(`${expected} item${expected === 1 ? '' : 's'}`);
    expect(await page.getByTestId('date-chip').textContent()).toContain(day);
    await shot('05-timeline-day');
    // The same range typed in the date facet.
    await page.goto(`${origin}/search`);
    await page.getByLabel('From day').fill(day);
    await page.getByLabel('To day').fill(day);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(new RegExp(`from=${day}&to=${day}`));
    await expect.poll(() => page.getByTestId('total').textContent()).toBe(`${expected} item${expected === 1 ? '' : 's'}`);
  });

  it('filters by a correspondent from the graph', async () => {
    await page.getByRole('link', { name: 'Correspondents' }).click();
    const node = page.locator('.graph .node').first();
    await node.waitFor();
    const address = (await node.getAttribute('data-address'))!;
    await shot('06-correspondents');
    await node.click();
    await page.waitForURL(/\/search\?sender=/);
    await page.locator('.hit').first().waitFor();
    const senders = await page.locator('.hit .muted').allTextContents();
    expect(senders.every((s) => s.includes(address))).toBe(true);
  });

  it('renders hostile HTML without running anything or loading anything from elsewhere', async () => {
    requests.length = 0;
    await page.goto(`${origin}/item/${ui.hostileSha}`);
    const frame = page.frameLocator('iframe.email-html');
    await frame.locator('body').getByText('voici le virement confidentiel').waitFor();
    expect(await frame.locator('body').textContent()).toContain('Montant : 48 000 euros');
    await page.waitForTimeout(1500); // let any deferred load (meta refresh, lazy image) fire if it could
    await shot('07-hostile-html');
    expect(await page.title()).toBe('tamis');
    expect(dialogs).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => u.includes(REMOTE_HOST))).toEqual([]);
    expect(requests.filter((u) => !u.startsWith(origin))).toEqual([]);
  });

  it('raised no script error on any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
