// The store contract (store-contract.ts) against the PostgreSQL store, in a
// database of its own, plus what only PostgreSQL has to care about:
// concurrent migrations, text it cannot hold, tsvector size limits, the
// relevance order of a large selection (ranked newest matches, both plan shapes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { PostgresStore } from '../../src/store/postgres/pg-store.ts';
import { RANKED, exploreSearch } from '../../src/store/postgres/pg-explore-search.ts';
import { openStore } from '../../src/store/open-store.ts';
import { createTestDb } from '../helpers/pg.ts';
import { storeContract } from './store-contract.ts';
import { ITEMS } from './contract-scenario.ts';

let contractDb: Awaited<ReturnType<typeof createTestDb>>;
storeContract('PostgreSQL', {
  open: async () => { contractDb = await createTestDb(); return PostgresStore.open(contractDb.url); },
  cleanup: async () => contractDb?.drop(),
});

describe('PostgreSQL store specifics', () => {
  let db: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => { db = await createTestDb(); });
  afterAll(async () => { await db?.drop(); });

  it('refuses to read a database that holds no store, and names the problem', async () => {
    await expect(openStore(db.url, { mustExist: true })).rejects.toMatchObject({ code: 'E_DB_OPEN', message: expect.stringContaining('holds no tamis store') });
    await expect(openStore(db.url.replace(/tamis_test_\w+$/, 'tamis_no_such_db'), {})).rejects.toMatchObject({ code: 'E_DB_OPEN', message: expect.stringContaining('createdb') });
    await expect(openStore('postgres://nobody:secret@127.0.0.1:1/x', {})).rejects.toSatisfy((e: Error) => !e.message.includes('secret'));
  });

  it('migrates once when several processes open a new store at once', async () => {
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open(db.url)));
    const version = await stores[0]!.db.one<{ version: number }>('SELECT version FROM tamis_schema');
    expect(version!.version).toBeGreaterThan(0);
    await Promise.all(stores.map((s) => s.close()));
    const again = await openStore(db.url, { mustExist: true, blobs: '/tmp/x.blobs' });
    expect(again.blobs.location).toBe('/tmp/x.blobs');
    await again.store.close();
  });

  it('keeps NUL characters and lone surrogates out, as U+FFFD', async () => {
    const store = await PostgresStore.open(db.url);
    const sha = 'f'.repeat(64);
    await store.recordExtraction({ ...ITEMS.D, sha256: sha, title: 'a\u0000b', meta: { k: 'x\u0000y', ['z\u0000']: '\ud800' }, text: 'nul\u0000here trésorerie' }, [],
      { path: 'n\u0000.txt', sha256: sha, parentSha256: null, parentPath: null, role: 'file', kind: 'document', name: 'n\u0000.txt' }, []);
    const item = (await store.explore.item(sha))!;
    expect(item.title).toBe('a\uFFFDb');
    expect(item.meta).toEqual({ k: 'x\uFFFDy', ['z\uFFFD']: '\uFFFD' });
    expect(item.text).toBe('nul\uFFFDhere trésorerie');
    expect(item.paths[0]!.path).toBe('n\uFFFD.txt');
    expect((await store.search('tresorerie', { limit: 5 })).total).toBe(1);
    await store.close();
  });

  it('turns any search box into a valid query: user text never reaches the SQL or tsquery syntax', async () => {
    const store = await PostgresStore.open(db.url);
    const hostile = ["'", '\\', "l'état*", 'a:*', '&|!()<->', "'; DROP TABLE items; --", "x' | y*", '"unclosed phrase', 'OR', 'a OR', 'OR b',
      '-', '--x y', '*', 'é*', 'a:B', "\\' & !", '"" x', '(a b)*', '\u0000', '$1 $2', 'a\u0000b*'];
    for (const q of hostile) {
      for (const run of [() => store.search(q, { limit: 5 }), () => store.explore.search({ q }, { limit: 5, offset: 0 })]) {
        await run().catch((err: { code?: string }) => { expect(err.code, q).toBe('E_QUERY'); });
      }
    }
    expect((await store.db.one<{ n: number }>('SELECT count(*) AS n FROM items'))!.n).toBeGreaterThanOrEqual(0); // the table is still there
    await store.close();
  });

  it('indexes a text too large for one tsvector from its start', async () => {
    const store = await PostgresStore.open(db.url);
    const sha = 'e'.repeat(64);
    // 2.7 MB of distinct words: far past the 1 MB a tsvector can hold.
    const words = Array.from({ length: 400_000 }, (_, i) => `w${i.toString(36)}x`).join(' ');
    await store.recordExtraction({ ...ITEMS.D, sha256: sha, title: 'Énorme', text: `commencement ${words} finale` }, [],
      { path: 'huge.txt', sha256: sha, parentSha256: null, parentPath: null, role: 'file', kind: 'document', name: 'huge.txt' }, []);
    expect((await store.search('commencement', { limit: 5 })).hits.map((h) => h.sha256)).toEqual([sha]);
    expect((await store.search('enorme', { limit: 5 })).total).toBe(1);
    expect((await store.explore.text(sha))!.length).toBeGreaterThan(2_700_000);
    await store.close();
  });

  it('ranks the newest RANKED matches of a large selection, pages on newest first, and counts every match', async () => {
    const store = await PostgresStore.open(db.url);
    const n = RANKED + 30;
    // Item k is dated day k; every hundredth has the word in its title too, which ranks it first.
    await Promise.all(Array.from({ length: n }, (_, k) => {
      const sha = createHash('sha256').update(`quinconce ${k}`).digest('hex');
      return store.recordExtraction({ ...ITEMS.D, sha256: sha, title: k % 100 === 0 ? `Quinconce ${k}` : `Plan ${k}`,
        date: new Date(Date.UTC(2020, 0, 1) + k * 86_400_000).toISOString(), text: `Le quinconce du jardin, numéro ${k}.` }, [],
      { path: `q/${k}.txt`, sha256: sha, parentSha256: null, parentPath: null, role: 'file', kind: 'document', name: `${k}.txt` }, []);
    }));
    const day = (h: { date: string | null }) => Math.round((Date.parse(h.date!) - Date.UTC(2020, 0, 1)) / 86_400_000);
    // Both plan shapes (a walk of the newest items, or one pass over the matches) give the same pages.
    const pages: Record<string, number[]> = {};
    for (const shape of ['large', 'small'] as const) {
      const hits: number[] = [];
      for (let offset = 0; offset < n + 40; offset += 45) {
        const r = await exploreSearch(store.db, { q: 'quinconce' }, { limit: 45, offset }, shape);
        expect(r.total).toBe(n);
        expect(r.facets.kind).toEqual([{ value: 'other', count: n }]);
        hits.push(...r.hits.map(day));
      }
      expect(new Set(hits).size).toBe(n); // every match once, across the boundary too
      // Ranked: the newest RANKED (days 30…n-1), those with the word in the title first.
      expect(hits.slice(0, 10).sort((a, b) => a - b)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
      expect(Math.min(...hits.slice(0, RANKED))).toBe(30);
      // Past RANKED: newest first (day 0, a title match, is last: outside the ranked window).
      expect(hits.slice(RANKED)).toEqual(Array.from({ length: 30 }, (_, k) => 29 - k));
      pages[shape] = hits;
      const oldest = await exploreSearch(store.db, { q: 'quinconce' }, { limit: 5, offset: 3, sort: 'oldest' }, shape);
      expect(oldest.hits.map(day)).toEqual([3, 4, 5, 6, 7]);
    }
    expect(pages.large).toEqual(pages.small);
    expect((await store.explore.search({ q: 'quinconce' }, { limit: 45, offset: 0 })).hits.map(day)).toEqual(pages.small!.slice(0, 45));
    await store.close();
  });
});
