// Team mode through app.inject, on a real PostgreSQL team database and a
// real store: sessions, access to every investigation route, roles, CSRF,
// the login rate limit and the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { SCHEMA } from '../../src/team/team-db.ts';
import type { ExploreResult, ItemDetail } from '../../src/store/explore.ts';
import { startTeamServer, PASSWORD, type TeamServer } from '../helpers/team-server.ts';
import { tempDir } from '../helpers/tmp.ts';

const tmp = tempDir();
let team: TeamServer;
let app: FastifyInstance;
const PREFIX = '/api/investigations/:investigation/';

beforeAll(async () => {
  team = await startTeamServer(tmp.dir);
  app = team.app;
});
afterAll(async () => { await team?.close(); tmp.cleanup(); });

interface Login { cookie: string; csrf: string }
type Method = NonNullable<InjectOptions['method']>;

async function login(user: string, remoteAddress = '127.0.0.1'): Promise<Login> {
  const res = await app.inject({ method: 'POST', url: '/api/login', payload: { user, password: PASSWORD }, remoteAddress });
  expect(res.statusCode, res.body).toBe(200);
  return { cookie: String(res.headers['set-cookie']).split(';')[0]!, csrf: (res.json() as { csrfToken: string }).csrfToken };
}

function call(method: string, url: string, who?: Login, o: { csrf?: boolean; payload?: object } = {}): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = {};
  if (who) headers.cookie = who.cookie;
  if (who && o.csrf !== false && method !== 'GET') headers['x-csrf-token'] = who.csrf;
  const payload = o.payload ?? (method === 'PUT' || method === 'POST' ? { role: 'reader' } : undefined);
  return app.inject({ method: method as Method, url, headers, ...(payload ? { payload } : {}) });
}

const errorCode = (res: LightMyRequestResponse) => (res.json() as { error?: { code: string } }).error?.code;
const registered = () => (app as unknown as { apiRoutes: string[] }).apiRoutes.map((r) => r.split(' ') as [string, string]);
const roleOf = (method: string, url: string) => (app as unknown as { apiRouteRoles: Record<string, string> }).apiRouteRoles[`${method} ${url}`];
const investigationRoutes = () => registered().filter(([, url]) => url.startsWith(PREFIX));

/** A concrete URL for a route pattern: real item and thread, a real user name. */
function fill(url: string, investigation: string): string {
  const sha = team.ui.signed.items[0]!.sha256;
  const values: Record<string, string> = { investigation, sha256: sha, id: '1', user: 'reader' };
  return url.replace(/:(\w+)/g, (_, p: string) => values[p] ?? 'x');
}

async function auditRows(where: string, args: unknown[]): Promise<{ actor: string; action: string; target: string | null; client: string | null; investigation_id: string | null }[]> {
  return (await team.db.pool.query(`SELECT actor, action, target, client, investigation_id FROM ${SCHEMA}.audit WHERE ${where} ORDER BY id`, args)).rows;
}

describe('sessions', () => {
  it('answers 401 on every route but login without a session, with a bogus one, and with an expired one', async () => {
    const routes = registered().filter(([m, url]) => roleOf(m, url) !== 'public');
    expect(routes.length).toBeGreaterThan(18);
    const bob = await login('reader');
    await team.db.pool.query(`UPDATE ${SCHEMA}.sessions SET expires_at = now() - interval '1 second' WHERE csrf_token = $1`, [bob.csrf]);
    for (const [method, url] of routes) {
      for (const who of [undefined, { cookie: 'tamis_session=' + 'A'.repeat(43), csrf: 'x' }, bob]) {
        const res = await call(method, fill(url, 'alpha'), who);
        expect(res.statusCode, `${method} ${url}`).toBe(401);
        expect(errorCode(res)).toBe('E_API_UNAUTHENTICATED');
      }
    }
  });

  it('logs in with an HttpOnly SameSite=Strict cookie, tells who is logged in, and logs out', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/login', payload: { user: 'Reader', password: PASSWORD } });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^tamis_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=604800$/);
    const body = res.json() as { user: { name: string }; csrfToken: string; investigations: { id: string; role: string }[] };
    expect(body.user.name).toBe('reader');
    expect(body.investigations).toEqual([{ id: 'alpha', name: 'Alpha leak', role: 'reader' }]);
    const who = { cookie: cookie.split(';')[0]!, csrf: body.csrfToken };
    const me = await call('GET', '/api/me', who);
    expect((me.json() as { csrfToken: string }).csrfToken).toBe(body.csrfToken);
    expect((await call('GET', '/api/investigations', who)).json()).toEqual({ investigations: body.investigations });
    // The database holds only a hash of the cookie's token.
    const token = who.cookie.split('=')[1]!;
    expect((await team.db.pool.query(`SELECT 1 FROM ${SCHEMA}.sessions WHERE token_hash = $1`, [token])).rowCount).toBe(0);
    const out = await call('POST', '/api/logout', who);
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await call('GET', '/api/me', who)).statusCode).toBe(401);
  });

  it('refuses a wrong password or an unknown user the same way', async () => {
    for (const [user, password] of [['reader', 'wrong password!'], ['nobody', PASSWORD]]) {
      const res = await app.inject({ method: 'POST', url: '/api/login', payload: { user, password }, remoteAddress: '10.0.0.1' });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { code: 'E_API_UNAUTHENTICATED', message: expect.stringContaining('wrong user name or password') } });
    }
  });

  it('makes the cookie Secure with the __Host- prefix over https', async () => {
    const proxied = await buildApp({ team: { db: team.db }, trustProxy: true });
    try {
      const res = await proxied.inject({ method: 'POST', url: '/api/login', payload: { user: 'reader', password: PASSWORD }, headers: { 'x-forwarded-proto': 'https' } });
      expect(String(res.headers['set-cookie'])).toMatch(/^__Host-tamis_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Secure; /);
      const cookie = String(res.headers['set-cookie']).split(';')[0]!;
      expect((await proxied.inject({ url: '/api/me', headers: { cookie, 'x-forwarded-proto': 'https' } })).statusCode).toBe(200);
    } finally { await proxied.close(); }
  });
});

describe('access to investigations', () => {
  it('answers 403 on every investigation route to a user without access, as for an investigation that does not exist', async () => {
    const routes = investigationRoutes();
    // search, the four item routes, threads (2), timeline, correspondents, dashboard, failures, report, members (3), audit.
    expect(routes.length).toBeGreaterThanOrEqual(16);
    const outsider = await login('outsider');
    const admin = await login('admin');
    for (const [method, url] of routes) {
      for (const [who, inv] of [[outsider, 'alpha'], [outsider, 'no-such-one'], [admin, 'no-such-one'], [outsider, '..%2Falpha']] as const) {
        const res = await call(method, fill(url, inv), who);
        expect(res.statusCode, `${who === admin ? 'admin' : 'outsider'} ${method} ${fill(url, inv)}: ${res.body.slice(0, 200)}`).toBe(403);
        expect(errorCode(res)).toBe('E_API_FORBIDDEN');
      }
    }
    // Nothing was served, so nothing was audited as seen.
    expect(await auditRows("actor = 'outsider' AND action LIKE 'item.%'", [])).toEqual([]);
  });

  it('serves the same routes to a member, from the investigation\'s store', async () => {
    const reader = await login('reader');
    const r = (await call('GET', '/api/investigations/alpha/search?q=tresorerie', reader)).json() as ExploreResult;
    expect(r.total).toBeGreaterThan(5);
    const item = (await call('GET', `/api/investigations/alpha/items/${r.hits[0]!.sha256}`, reader)).json() as ItemDetail;
    expect(item.sha256).toBe(r.hits[0]!.sha256);
    // Local mode's paths do not exist in team mode.
    expect((await call('GET', '/api/search?q=tresorerie', reader)).statusCode).toBe(404);
  });

  it('keeps editor and admin routes from readers, and admin routes from editors', async () => {
    const reader = await login('reader');
    const editor = await login('editor');
    const admin = await login('admin');
    const rank = { reader: 0, editor: 1, admin: 2 } as const;
    const routes = investigationRoutes();
    const adminRoutes = routes.filter(([m, u]) => roleOf(m, u) === 'admin').map(([m, u]) => `${m} ${u}`);
    expect(adminRoutes).toEqual(expect.arrayContaining([`GET ${PREFIX}audit`, `GET ${PREFIX}members`, `PUT ${PREFIX}members/:user`, `DELETE ${PREFIX}members/:user`]));
    expect(roleOf('GET', `${PREFIX}report`)).toBe('editor');
    for (const [method, url] of routes) {
      const need = rank[roleOf(method, url) as keyof typeof rank];
      for (const [who, role] of [[reader, 'reader'], [editor, 'editor'], [admin, 'admin']] as const) {
        // PUT/DELETE on members change access: only the GETs are tried with each role here.
        if (method !== 'GET' && rank[role] >= need) continue;
        const res = await call(method, fill(url, 'alpha'), who);
        if (rank[role] < need) {
          expect(res.statusCode, `${role} ${method} ${url}`).toBe(403);
          expect(errorCode(res)).toBe('E_API_FORBIDDEN');
        } else {
          expect([200, 404], `${role} ${method} ${url}: ${res.body.slice(0, 200)}`).toContain(res.statusCode);
        }
      }
    }
  });

  it('lets an admin grant and revoke access, effective at the next request, and never remove the last admin', async () => {
    const admin = await login('admin');
    const outsider = await login('outsider');
    const url = '/api/investigations/alpha/dashboard';
    expect((await call('GET', url, outsider)).statusCode).toBe(403);
    const granted = await call('PUT', '/api/investigations/alpha/members/outsider', admin, { payload: { role: 'reader' } });
    expect(granted.statusCode, granted.body).toBe(200);
    expect((granted.json() as { members: { user: string; role: string }[] }).members).toContainEqual(expect.objectContaining({ user: 'outsider', role: 'reader' }));
    expect((await call('GET', url, outsider)).statusCode).toBe(200);
    expect((await call('DELETE', '/api/investigations/alpha/members/outsider', admin)).statusCode).toBe(200);
    expect((await call('GET', url, outsider)).statusCode).toBe(403);
    expect(errorCode(await call('PUT', '/api/investigations/alpha/members/admin', admin, { payload: { role: 'reader' } }))).toBe('E_API_INVALID');
    expect(errorCode(await call('DELETE', '/api/investigations/alpha/members/admin', admin))).toBe('E_API_INVALID');
    expect(errorCode(await call('PUT', '/api/investigations/alpha/members/ghost', admin, { payload: { role: 'reader' } }))).toBe('E_API_NOT_FOUND');
    expect(errorCode(await call('PUT', '/api/investigations/alpha/members/outsider', admin, { payload: { role: 'owner' } }))).toBe('E_API_INVALID');
    const log = await auditRows("investigation_id = 'alpha' AND action LIKE 'member.%' AND actor = 'admin'", []);
    expect(log.map((r) => `${r.action} ${r.target}`)).toEqual(['member.grant outsider', 'member.revoke outsider']);
  });
});

describe('CSRF', () => {
  it('refuses state-changing requests without the session\'s token, or from another site', async () => {
    const admin = await login('admin');
    for (const headers of [{}, { 'x-csrf-token': 'wrong' }, { 'x-csrf-token': admin.csrf.slice(1) }]) {
      for (const [method, url] of [['POST', '/api/logout'], ['PUT', '/api/investigations/alpha/members/outsider'], ['DELETE', '/api/investigations/alpha/members/reader']]) {
        const res = await app.inject({ method: method as Method, url, headers: { cookie: admin.cookie, ...headers }, payload: { role: 'admin' } });
        expect(res.statusCode, `${method} ${url}`).toBe(403);
        expect(errorCode(res)).toBe('E_API_CSRF');
      }
    }
    // The right token from another site's page is refused too.
    const cross = await app.inject({ method: 'POST', url: '/api/logout', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, origin: 'https://evil.example' } });
    expect(errorCode(cross)).toBe('E_API_CSRF');
    expect(errorCode(await app.inject({ method: 'POST', url: '/api/login', payload: { user: 'admin', password: PASSWORD }, headers: { origin: 'https://evil.example' } }))).toBe('E_API_CSRF');
    // Login takes JSON only: a cross-site form can send text/plain or a form body, not JSON.
    const form = await app.inject({ method: 'POST', url: '/api/login', payload: `user=admin&password=${PASSWORD}`, headers: { 'content-type': 'text/plain' } });
    expect(errorCode(form)).toBe('E_API_INVALID');
    // Nothing changed, and the session is still alive.
    expect((await call('GET', '/api/me', admin)).statusCode).toBe(200);
    expect((await call('GET', '/api/investigations/alpha/dashboard', await login('reader'))).statusCode).toBe(200);
  });
});

describe('login rate limit', () => {
  const attempt = (user: string, password: string, remoteAddress: string) =>
    app.inject({ method: 'POST', url: '/api/login', payload: { user, password }, remoteAddress });

  it('stops a 6th wrong password for one account within a minute, even from other addresses and with the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await attempt('editor', `guess number ${i}`, `10.1.0.${i}`)).statusCode).toBe(401);
    const limited = await attempt('editor', 'guess number 6', '10.1.0.9');
    expect(limited.statusCode).toBe(429);
    expect(errorCode(limited)).toBe('E_API_RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await attempt('editor', PASSWORD, '10.1.0.10')).statusCode).toBe(429);
    // Other accounts are not affected.
    expect((await attempt('reader', PASSWORD, '10.1.0.11')).statusCode).toBe(200);
    // A minute later (the failures made older), the right password works again.
    await team.db.pool.query(`UPDATE ${SCHEMA}.audit SET at = at - interval '61 seconds' WHERE actor = 'editor' AND action LIKE 'login.%'`);
    expect((await attempt('editor', PASSWORD, '10.1.0.12')).statusCode).toBe(200);
  });

  it('stops a 6th wrong password from one address, whatever the account', async () => {
    for (let i = 0; i < 5; i++) expect((await attempt(`user${i}`, 'some password', '10.2.0.1')).statusCode).toBe(401);
    expect((await attempt('admin', PASSWORD, '10.2.0.1')).statusCode).toBe(429);
    expect((await attempt('admin', PASSWORD, '10.2.0.2')).statusCode).toBe(200);
  });

  it('lets at most 5 of a burst of parallel guesses reach the password check', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt('outsider', `parallel guess ${i}`, `10.3.0.${i}`)));
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(5);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(15);
    const rows = await auditRows("actor = 'outsider' AND action IN ('login.failure', 'login.limited') AND client LIKE '10.3.%'", []);
    expect(rows.filter((r) => r.action === 'login.failure').length).toBe(codes.filter((c) => c === 401).length);
    await team.db.pool.query(`UPDATE ${SCHEMA}.audit SET at = at - interval '61 seconds' WHERE actor = 'outsider' AND action LIKE 'login.%'`);
  });
});

describe('audit log', () => {
  it('records searches, views, HTML views, diffs, downloads and exports with user, investigation, address and target', async () => {
    const reader = await login('reader');
    const editor = await login('editor');
    const search = await call('GET', '/api/investigations/alpha/search?q=%20Tr%C3%A9sorerie%20&verdict=tampered&verdict=suspicious&offset=20&sort=newest', reader);
    expect(search.statusCode, search.body).toBe(200);
    // Facets alone are a search too; an invalid one answers nothing and so records nothing.
    expect((await call('GET', '/api/investigations/alpha/search?kind=email', reader)).statusCode).toBe(200);
    expect((await call('GET', '/api/investigations/alpha/search?q=never-recorded&limit=0', reader)).statusCode).toBe(400);
    const sha = team.ui.signed.items.find((i) => !i.path.includes('!') && !i.path.startsWith('docs/'))!.sha256;
    expect((await call('GET', `/api/investigations/alpha/items/${sha}`, reader)).statusCode).toBe(200);
    const raw = await call('GET', `/api/investigations/alpha/items/${sha}/raw`, reader);
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['content-disposition']).toMatch(/^attachment/);
    expect((await call('GET', `/api/investigations/alpha/items/${team.ui.hostileSha}/html`, reader)).statusCode).toBe(200);
    const copy = team.ui.signed.items.find((i) => i.label === 'copy-altered-figures')!.sha256;
    const copyItem = (await call('GET', `/api/investigations/alpha/items/${copy}`, reader)).json() as ItemDetail;
    const original = String(copyItem.findings.find((f) => f.rule === 'dup.altered-copy')!.evidence.original);
    expect((await call('GET', `/api/investigations/alpha/items/${copy}/diff?against=${original}`, reader)).statusCode).toBe(200);
    const report = await call('GET', '/api/investigations/alpha/report?format=csv', editor);
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-disposition']).toMatch(/filename="tamis-report-alpha-\d{4}-\d{2}-\d{2}\.csv"/);
    // Unknown items are not "viewed".
    expect((await call('GET', `/api/investigations/alpha/items/${'0'.repeat(64)}`, reader)).statusCode).toBe(404);

    const admin = await login('admin');
    const res = await call('GET', '/api/investigations/alpha/audit?limit=1000', admin);
    expect(res.statusCode).toBe(200);
    const log = res.json() as { total: number; entries: { actor: string; action: string; target: string; client: string; at: string; detail: Record<string, unknown> | null }[] };
    const seen = log.entries.filter((e) => e.actor === 'reader' || e.actor === 'editor').map((e) => `${e.actor} ${e.action} ${e.target}`);
    expect(seen).toEqual(expect.arrayContaining([
      'reader search Trésorerie', 'reader search ', `reader item.view ${sha}`, `reader item.download ${sha}`, `reader item.html ${team.ui.hostileSha}`, `reader item.view ${copy}`,
      `reader item.diff ${copy}`, 'editor report.export csv',
    ]));
    expect(seen).not.toContain(`reader item.view ${'0'.repeat(64)}`);
    expect(seen.filter((e) => e.includes('never-recorded'))).toEqual([]);
    // Newest first: the two searches above are the reader's last (earlier tests searched too).
    const searches = log.entries.filter((e) => e.actor === 'reader' && e.action === 'search').slice(0, 2);
    expect(searches.map((e) => [e.target, e.detail])).toEqual([
      ['', { kind: ['email'] }],
      ['Trésorerie', { verdict: ['tampered', 'suspicious'], sort: 'newest', offset: 20 }],
    ]);
    for (const e of log.entries) {
      expect(e.client).toBe('127.0.0.1');
      expect(Date.parse(e.at)).toBeGreaterThan(Date.now() - 600_000);
    }
    expect(log.entries.find((e) => e.action === 'item.download')!.detail).toEqual({ name: expect.any(String) });
    // Filtered by user and action; another investigation's log does not show these rows.
    const downloads = (await call('GET', '/api/investigations/alpha/audit?user=reader&action=item.download', admin)).json() as typeof log;
    expect(downloads.entries.map((e) => e.target)).toContain(sha);
    expect(downloads.entries.every((e) => e.actor === 'reader' && e.action === 'item.download')).toBe(true);
    const beta = (await call('GET', '/api/investigations/beta/audit', admin)).json() as typeof log;
    expect(beta.entries.filter((e) => e.action.startsWith('item.') || e.action === 'search')).toEqual([]);
  });

  it('records logins, failed ones too, with the client address', async () => {
    await login('reader', '10.9.9.9');
    await app.inject({ method: 'POST', url: '/api/login', payload: { user: 'reader', password: 'not the password' }, remoteAddress: '10.9.9.8' });
    const rows = await auditRows("client IN ('10.9.9.9', '10.9.9.8')", []);
    expect(rows.map((r) => `${r.actor} ${r.action} ${r.client} ${r.investigation_id}`)).toEqual(['reader login.success 10.9.9.9 null', 'reader login.failure 10.9.9.8 null']);
  });
});

describe('docs/api.md', () => {
  it('documents every team route: the shared ones under their local path, the team ones in the team section', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/api.md'), 'utf8');
    const [shared, teamPart] = doc.split(/^## Team mode$/m) as [string, string];
    const headings = (text: string) => [...text.matchAll(/^### `(GET|POST|PUT|DELETE|PATCH) (\/api\/[^`]+)`/gm)].map((m) => `${m[1]} ${m[2]}`);
    const expected = [...headings(shared).map((r) => r.replace(' /api/', ` ${PREFIX}`)), ...headings(teamPart)];
    const actual = registered().map(([m, u]) => `${m} ${u}`);
    expect(new Set(actual)).toEqual(new Set(expected));
    expect(actual.length).toBe(expected.length);
  });
});
