// The web UI in team mode, end to end: the real server over a real team
// database and store, driven in Debian's Chromium by playwright-core —
// login, the investigation picker, search under /i/:investigation/, an item
// (audited), no access to another investigation, the admin's audit page,
// logout. Screenshots go to test-output/screenshots/team-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEFAULT_WEB_ROOT } from '../../src/server/app.ts';
import { SCHEMA } from '../../src/team/team-db.ts';
import { startTeamServer, PASSWORD, type TeamServer } from '../helpers/team-server.ts';
import { tempDir } from '../helpers/tmp.ts';

const SHOTS = join(import.meta.dirname, '../../test-output/screenshots');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const tmp = tempDir();
let team: TeamServer;
let origin: string;
let browser: Browser;
let page: Page;
const requests: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(DEFAULT_WEB_ROOT, 'index.html'))) execFileSync('npm', ['run', 'build:web'], { stdio: 'inherit' });
  team = await startTeamServer(tmp.dir);
  origin = (await team.app.listen({ port: 0, host: '127.0.0.1' })).replace('127.0.0.1', 'localhost');
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await newPage();
});
afterAll(async () => {
  await browser?.close();
  await team?.close();
  tmp.cleanup();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.on('request', (r) => requests.push(r.url()));
  const p = await context.newPage();
  p.on('pageerror', (e) => pageErrors.push(e.message));
  return p;
}

async function logIn(p: Page, user: string, password: string): Promise<void> {
  await p.getByLabel('User name').fill(user);
  await p.getByLabel('Password').fill(password);
  await p.getByRole('button', { name: 'Log in' }).click();
}

const shot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, `team-${name}.png`), fullPage: true });

describe('web UI in team mode', () => {
  it('logs in, picks an investigation and searches it', async () => {
    await page.goto(`${origin}/`);
    await page.getByRole('form', { name: 'Log in' }).waitFor();
    await logIn(page, 'reader', 'not the password');
    expect(await page.getByRole('alert').textContent()).toBe('Wrong user name or password.');
    await shot(page, '01-login-refused');
    await logIn(page, 'reader', PASSWORD);
    await page.getByTestId('investigations').waitFor();
    expect(await page.getByTestId('user').textContent()).toBe('reader');
    expect(await page.locator('a.investigation').allTextContents()).toEqual(['Alpha leak']);
    await shot(page, '02-investigations');

    await page.locator('a.investigation', { hasText: 'Alpha leak' }).click();
    await page.waitForURL(`${origin}/i/alpha/`);
    await page.getByTestId('count-tampered').waitFor();
    await page.getByRole('link', { name: 'Search' }).click();
    await page.waitForURL(`${origin}/i/alpha/search`);
    await page.getByRole('searchbox', { name: 'Search' }).fill('tresorerie');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/i\/alpha\/search\?q=tresorerie$/);
    await expect.poll(() => page.locator('.hit').count()).toBeGreaterThan(5);
    expect(await page.locator('.hit mark').first().textContent()).toMatch(/trésorerie/i);
    await shot(page, '03-search');

    await page.locator('.hit-title', { hasText: 'rapport-T1-modifie.txt' }).click();
    await page.waitForURL(/\/i\/alpha\/item\/[0-9a-f]{64}$/);
    await page.locator('[data-rule="dup.altered-copy"]').waitFor();
    await page.getByTestId('diff').locator('ins').first().waitFor();
    const sha = page.url().split('/').pop()!;
    expect(await page.getByRole('link', { name: 'Download original' }).getAttribute('href')).toBe(`/api/investigations/alpha/items/${sha}/raw`);
    await shot(page, '04-item');
    const { rows } = await team.db.pool.query(`SELECT action FROM ${SCHEMA}.audit WHERE actor = 'reader' AND target = $1 AND investigation_id = 'alpha'`, [sha]);
    expect(rows.map((r: { action: string }) => r.action)).toEqual(expect.arrayContaining(['item.view', 'item.diff']));
    // Every API call went to this investigation's routes.
    const api = requests.filter((u) => u.startsWith(`${origin}/api/`)).map((u) => new URL(u).pathname);
    expect(api.filter((p) => !p.startsWith('/api/investigations/alpha/') && !['/api/me', '/api/login'].includes(p))).toEqual([]);
  });

  it('refuses an investigation the user is not a member of', async () => {
    await page.goto(`${origin}/i/beta/search?q=tresorerie`);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('no access to the investigation “beta”');
    expect(await page.locator('.hit').count()).toBe(0);
  });

  it("shows an admin the investigation's audit log, then logs out", async () => {
    const admin = await newPage();
    await admin.goto(`${origin}/i/alpha/`);
    await logIn(admin, 'admin', PASSWORD);
    await admin.getByRole('link', { name: 'Access and audit' }).click();
    await admin.waitForURL(`${origin}/i/alpha/admin`);
    const audit = admin.getByTestId('audit');
    await audit.locator('tr', { hasText: 'item.view' }).first().waitFor();
    expect(await audit.locator('tr', { hasText: 'reader' }).count()).toBeGreaterThan(0);
    expect(await admin.getByTestId('members').locator('tbody tr').count()).toBe(3);
    await shot(admin, '05-audit');
    await admin.getByRole('button', { name: 'Log out' }).click();
    await admin.getByRole('form', { name: 'Log in' }).waitFor();
    expect((await admin.context().cookies()).filter((c) => c.name === 'tamis_session')).toEqual([]);
  });

  it('raised no script error and loaded nothing from elsewhere', () => {
    expect(pageErrors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith(origin))).toEqual([]);
  });
});
