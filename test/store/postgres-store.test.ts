// The store contract (store-contract.ts) against the PostgreSQL store, in a
// database of its own, plus what only PostgreSQL has to care about:
// concurrent migrations, text it cannot hold, tsvector size limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/pg-store.ts';
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
});
