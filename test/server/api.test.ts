// The HTTP API over a real store built from the generated dumps, through
// fastify's app.inject (no network): search and facets, items with their
// evidence, diffs, downloads, sanitised HTML, threads, timeline,
// correspondents, dashboard, and the one error shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { STATUS } from '../../src/server/api-errors.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';
import type { Dashboard, ExploreResult, ItemDetail, ThreadSummary, ThreadView, TimelineDay, Correspondents } from '../../src/store/explore.ts';
import { buildUiStore, type UiStore } from '../helpers/ui-store.ts';
import { tempDir } from '../helpers/tmp.ts';
import { REMOTE_HOST } from '../fixtures/hostile-html-email.ts';

const tmp = tempDir();
let ui: UiStore;
let store: Store;
let app: FastifyInstance;

beforeAll(async () => {
  ui = await buildUiStore(tmp.dir);
  const opened = await openStore(ui.db, { mustExist: true });
  store = opened.store;
  app = await buildApp({ store, blobs: opened.blobs });
});
afterAll(async () => { await app?.close(); await store?.close(); tmp.cleanup(); });

async function get<T>(url: string, status = 200): Promise<T> {
  const res = await app.inject({ url });
  expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(status);
  return res.json() as T;
}
const expectError = async (url: string, status: number, code: string) => {
  const body = await get<{ error: { code: string; message: string } }>(url, status);
  expect(body).toEqual({ error: { code, message: expect.any(String) } });
};
const pathsOf = (sha: string) => [...ui.signed.items, ...ui.leak.items].filter((i) => i.sha256 === sha).map((i) => i.path);

describe('search', () => {
  it('finds accented words without accents, with snippets marked as runs', async () => {
    const r = await get<ExploreResult>('/api/search?q=tresorerie');
    expect(r.total).toBeGreaterThan(5);
    expect(r.hits.length).toBe(Math.min(20, r.total));
    const marked = r.hits.flatMap((h) => h.snippet.filter((s) => s.hit).map((s) => s.text.toLowerCase()));
    expect(marked.length).toBeGreaterThan(0);
    expect(new Set(marked)).toEqual(new Set(['trésorerie']));
    // Every hit is an item of the generated dumps, shown at one of its manifest paths.
    for (const h of r.hits) expect(pathsOf(h.sha256), h.path).toContain(h.path);
  });

  it('counts facets over the whole match set, and each facet filter narrows to its count', async () => {
    const all = await get<ExploreResult>('/api/search?q=tresorerie&limit=200');
    const sum = (name: keyof ExploreResult['facets']) => all.facets[name].reduce((n, v) => n + v.count, 0);
    expect(sum('verdict')).toBe(all.total);
    expect(sum('kind')).toBe(all.total);
    for (const facet of ['verdict', 'kind', 'rule', 'mime', 'sender'] as const) {
      for (const v of all.facets[facet]) {
        const narrowed = await get<ExploreResult>(`/api/search?q=tresorerie&${facet}=${encodeURIComponent(v.value)}&limit=200`);
        expect(narrowed.total, `${facet}=${v.value}`).toBe(v.count);
      }
    }
    // Two values of one facet are OR, two facets AND.
    const two = all.facets.verdict.slice(0, 2);
    const either = await get<ExploreResult>(`/api/search?q=tresorerie&verdict=${two[0]!.value}&verdict=${two[1]!.value}`);
    expect(either.total).toBe(two[0]!.count + two[1]!.count);
  });

  it('lists everything without words, filters by day, and pages without overlap', async () => {
    const all = await get<ExploreResult>('/api/search?limit=200&sort=oldest');
    const counts = await store.counts();
    expect(all.total).toBe(counts.items);
    const dated = all.hits.filter((h) => h.date);
    expect(dated.map((h) => h.date)).toEqual([...dated.map((h) => h.date)].sort());
    const day = dated[0]!.date!.slice(0, 10);
    const oneDay = await get<ExploreResult>(`/api/search?from=${day}&to=${day}&limit=200`);
    expect(oneDay.total).toBeGreaterThan(0);
    for (const h of oneDay.hits) expect(h.date!.slice(0, 10)).toBe(day);
    const p1 = await get<ExploreResult>('/api/search?q=réunion&limit=5&offset=0');
    const p2 = await get<ExploreResult>('/api/search?q=réunion&limit=5&offset=5');
    expect(p1.total).toBeGreaterThan(5);
    expect(p1.hits.map((h) => h.sha256).filter((s) => p2.hits.some((h) => h.sha256 === s))).toEqual([]);
  });

  it('sorts flagged items first on request', async () => {
    const r = await get<ExploreResult>('/api/search?sort=verdict&limit=50');
    expect(r.hits[0]!.verdict).toBe('tampered');
    const rank = { tampered: 0, suspicious: 1, verified: 2, corroborated: 3, consistent: 4 };
    const ranks = r.hits.map((h) => rank[h.verdict]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('rejects bad input with a coded error, never a 500', async () => {
    await expectError('/api/search?q=-seulement', 400, 'E_QUERY');
    await expectError('/api/search?limit=0', 400, 'E_API_INVALID');
    await expectError('/api/search?limit=abc', 400, 'E_API_INVALID');
    await expectError('/api/search?from=2017-13', 400, 'E_API_INVALID');
    await expectError('/api/search?sort=random', 400, 'E_API_INVALID');
    await expectError(`/api/search?q=${'a'.repeat(2000)}`, 400, 'E_API_INVALID');
    // FTS syntax typed by a user is quoted, not an error.
    await get<ExploreResult>('/api/search?q=' + encodeURIComponent('NEAR( "x AND ) ^col:'));
  });
});

describe('items', () => {
  it('shows tampered emails with their DKIM finding: the key checked and where it came from, or the body hashes', async () => {
    const tampered = ui.signed.items.filter((i) => i.expect === 'tampered' && !i.path.startsWith('docs/'));
    expect(tampered.length).toBeGreaterThan(3);
    const seen = new Set<string>();
    for (const t of tampered) {
      const item = await get<ItemDetail>(`/api/items/${t.sha256}`);
      expect(item.verdict).toBe('tampered');
      expect(item.paths.map((p) => p.path)).toContain(t.path);
      expect(item.meta.html).toBeUndefined();
      const dkim = item.findings.find((f) => f.rule.startsWith('dkim.') && f.effect === 'contradicts')!;
      expect(dkim, item.findings.map((f) => f.rule).join()).toBeDefined();
      seen.add(dkim.rule);
      if (dkim.rule === 'dkim.signature-mismatch') {
        const key = dkim.evidence.key as { id: string; source: string; importedAt: string };
        expect(key.source).toContain('keys.zone');
        expect(key.id).toMatch(/^[0-9a-f]{16}$/);
        expect(dkim.evidence.selector).toBeTruthy();
      } else {
        expect(dkim.rule).toBe('dkim.body-hash-mismatch');
        expect(dkim.evidence.bodyHashSigned).not.toBe(dkim.evidence.bodyHashNow);
      }
    }
    expect(seen).toEqual(new Set(['dkim.signature-mismatch', 'dkim.body-hash-mismatch']));
  });

  it('gives the altered copy a word diff against its verified original', async () => {
    const copy = ui.signed.items.find((i) => i.label === 'copy-altered-figures')!;
    const item = await get<ItemDetail>(`/api/items/${copy.sha256}`);
    const f = item.findings.find((x) => x.rule === 'dup.altered-copy')!;
    const original = String(f.evidence.original);
    expect(item.related.map((r) => r.sha256)).toContain(original);
    expect(item.related.find((r) => r.sha256 === original)!.verdict).toBe('verified');
    const diff = await get<{ ops: { op: string; text: string }[] }>(`/api/items/${copy.sha256}/diff?against=${original}`);
    // "4 250 000" became "14 250 000": the changed word is marked, the rest of the figure is shared.
    const at = diff.ops.findIndex((o) => o.op === 'added' && o.text.trim() === '14');
    expect(at).toBeGreaterThan(0);
    expect(diff.ops[at - 1]).toEqual({ op: 'removed', text: '4' });
    expect(diff.ops[at + 1]!.text.startsWith(' 250 000')).toBe(true);
    expect(diff.ops.filter((o) => o.op === 'added').map((o) => o.text).join(' ')).toContain('Bahamas');
    // The equal and removed runs rebuild the original text; equal and added ones the copy.
    const [orig, mine] = await Promise.all([store.explore.text(original), store.explore.text(copy.sha256)]);
    const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
    expect(diff.ops.filter((o) => o.op !== 'added').map((o) => o.text).join('')).toBe(norm(orig!));
    expect(diff.ops.filter((o) => o.op !== 'removed').map((o) => o.text).join('')).toBe(norm(mine!));
  });

  it('downloads the original bytes exactly, as an attachment', async () => {
    const m = ui.signed.items.find((i) => !i.path.includes('!') && !i.path.startsWith('docs/'))!;
    const res = await app.inject({ url: `/api/items/${m.sha256}/raw` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-disposition']).toContain(`attachment; filename="${m.path.split('/').pop()}"`);
    expect(res.rawPayload.equals(readFileSync(join(ui.dir, 'signed', m.path)))).toBe(true);
  });

  it('serves leaked HTML only sanitised, under a CSP that blocks scripts and remote loads', async () => {
    const res = await app.inject({ url: `/api/items/${ui.hostileSha}/html` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).toContain('sandbox');
    expect(res.body).toContain('voici le virement confidentiel');
    expect(res.body).toContain('Montant : 48 000 euros');
    expect(res.body).not.toContain(`http://${REMOTE_HOST}`.replace('http://', 'src="http://'));
    expect(res.body).not.toMatch(/<script|onerror|<iframe|<object|<link|<video|<form|<input|<svg|<meta http-equiv="refresh"|url\(|@import|srcset|background=|href=|src="(?!data:)/i);
    const item = await get<ItemDetail>(`/api/items/${ui.hostileSha}`);
    expect(item.hasHtml).toBe(true);
  });

  it('answers 404 in the error shape for unknown items and routes', async () => {
    await expectError(`/api/items/${'0'.repeat(64)}`, 404, 'E_API_NOT_FOUND');
    await expectError('/api/items/..%2F..%2Fetc%2Fpasswd', 404, 'E_API_NOT_FOUND');
    await expectError(`/api/items/${'0'.repeat(64)}/raw`, 404, 'E_API_NOT_FOUND');
    await expectError(`/api/items/${ui.signed.items[0]!.sha256}/diff?against=nope`, 404, 'E_API_NOT_FOUND');
    await expectError('/api/threads/999999', 404, 'E_API_NOT_FOUND');
    await expectError('/api/no-such-route', 404, 'E_API_NOT_FOUND');
  });
});

describe('threads, timeline, correspondents, dashboard', () => {
  it('threads every reply with the message it answers', async () => {
    const list = await get<{ total: number; threads: ThreadSummary[] }>('/api/threads?limit=500');
    expect(list.total).toBeGreaterThan(3);
    let replies = 0;
    for (const t of list.threads) {
      const view = await get<ThreadView>(`/api/threads/${t.id}`);
      expect(view.nodes.filter((n) => n.item).length).toBe(t.messages);
      expect(view.nodes[0]!.parent).toBeNull();
      for (const n of view.nodes.slice(1)) expect(n.parent).toBeLessThan(n.index);
      // A message whose In-Reply-To names a message in the thread hangs below it.
      for (const n of view.nodes) {
        if (!n.item) continue;
        const item = await get<ItemDetail>(`/api/items/${n.item.sha256}`);
        expect(item.thread).toBe(t.id);
        const irt = String(item.meta.inReplyTo ?? '').replace(/[<>]/g, '').toLowerCase();
        const parent = view.nodes.find((p) => p.messageId === irt);
        if (irt && parent) { expect(n.parent).toBe(parent.index); replies++; }
      }
    }
    expect(replies).toBeGreaterThan(3);
  });

  it('counts items per day by verdict, the same as search does', async () => {
    const { days } = await get<{ days: TimelineDay[] }>('/api/timeline');
    const day = days.reduce((a, b) => (b.total > a.total ? b : a));
    const r = await get<ExploreResult>(`/api/search?from=${day.day}&to=${day.day}`);
    expect(r.total).toBe(day.total);
    expect(Object.fromEntries(r.facets.verdict.map((v) => [v.value, v.count]))).toEqual(day.byVerdict);
    const filtered = await get<{ days: TimelineDay[] }>('/api/timeline?verdict=tampered');
    expect(filtered.days.reduce((n, d) => n + d.total, 0)).toBe((await get<ExploreResult>('/api/search?verdict=tampered')).facets.verdict
      .filter((v) => v.value === 'tampered').reduce((n, v) => n + v.count, 0) - (await undatedTampered()));
  });

  it('draws who wrote to whom from the From, To and Cc headers', async () => {
    const c = await get<Correspondents>('/api/correspondents?limit=10');
    expect(c.nodes.length).toBe(10);
    expect(c.edges.length).toBeGreaterThan(5);
    const top = c.edges[0]!;
    const sent = await get<ExploreResult>(`/api/search?sender=${encodeURIComponent(top.from)}&limit=200&kind=email`);
    expect(sent.total).toBeGreaterThanOrEqual(top.messages);
    for (const e of c.edges) expect(c.nodes.some((n) => n.address === e.from) && c.nodes.some((n) => n.address === e.to)).toBe(true);
  });

  it('lists tampered then suspicious items on the dashboard, with counts matching the report', async () => {
    const d = await get<Dashboard>('/api/dashboard');
    const counts = await store.counts();
    expect(d.items).toBe(counts.items);
    expect(Object.values(d.byVerdict).reduce((a, b) => a + b, 0)).toBe(counts.items);
    const ranks = d.flagged.map((f) => (f.verdict === 'tampered' ? 0 : 1));
    expect(ranks).toEqual([...ranks].sort());
    expect(d.flagged.length).toBe(Math.min(200, d.byVerdict.tampered + d.byVerdict.suspicious));
    expect(d.byRule.find((r) => r.rule === 'dkim.pass')?.effect).toBe('proves');
  });
});

describe('report', () => {
  it('exports the whole report as a download, in JSON and CSV', async () => {
    const counts = await store.counts();
    const json = await app.inject({ url: '/api/report' });
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-disposition']).toMatch(/^attachment; filename="tamis-report-store-\d{4}-\d{2}-\d{2}\.json"$/);
    const report = json.json() as { schema: string; items: unknown[]; failures: unknown[] };
    expect(report.schema).toBe('tamis.report/1');
    expect(report.items.length).toBe(counts.items);
    const csv = await app.inject({ url: '/api/report?format=csv' });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body.split('\r\n')[0]).toMatch(/^id,sha256,path,/);
    await expectError('/api/report?format=xml', 400, 'E_API_INVALID');
  });
});

describe('safety', () => {
  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    const res = await app.inject({ url: '/api/dashboard', headers: { host: 'attacker.example:7300' } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ error: { code: 'E_API_HOST', message: expect.any(String) } });
    expect((await app.inject({ url: '/api/dashboard', headers: { host: '127.0.0.1:7300' } })).statusCode).toBe(200);
  });

  it('sends a strict CSP and no-store on every API answer', async () => {
    const res = await app.inject({ url: '/api/search?q=budget' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

async function undatedTampered(): Promise<number> {
  const r = await get<ExploreResult>('/api/search?verdict=tampered&limit=200');
  return r.hits.filter((h) => !h.date || !/^\d{4}-\d{2}-\d{2}/.test(h.date)).length;
}

describe('docs/api.md', () => {
  it('documents exactly the routes the server registers, and every API error code', () => {
    // Local mode serves the routes documented before the team mode section (test/team checks that one).
    const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8').split(/^## Team mode$/m)[0]!;
    const documented = [...doc.matchAll(/^### `(GET|POST|PUT|DELETE|PATCH) (\/api\/[^`]+)`/gm)].map((m) => `${m[1]} ${m[2]}`);
    const registered = (app as unknown as { apiRoutes: string[] }).apiRoutes;
    expect(new Set(documented)).toEqual(new Set(registered));
    expect(documented.length).toBe(registered.length);
    for (const code of Object.keys(STATUS)) expect(doc, code).toContain(`| \`${code}\` | ${STATUS[code as keyof typeof STATUS]} |`);
  });
});
