// `tamis ingest --retry-failed` over PostgreSQL: take back what failed so it
// runs again (same steps as src/store/sqlite/sqlite-retry.ts, in one transaction).
import type pg from 'pg';
import type { RetryJob, Role } from '../store.ts';
import type { PgDb } from './pg-db.ts';

/** Codes of failures where the job, not the bytes, failed: worth running again. */
const JOB_FAILURES = ['E_TIMEOUT', 'E_WORKER_CRASH', 'E_OUT_OF_MEMORY', 'E_IO'];

export async function takeFailedForRetry(db: PgDb): Promise<RetryJob[]> {
  return db.transaction(async (c: pg.PoolClient) => {
    const q = <T>(sql: string, params: unknown[] = []) => db.rows<T>(sql, params, c);
    const jobs: RetryJob[] = [];
    const forgetUnder = (p: string) => q(`DELETE FROM failures WHERE path = $1 OR starts_with(path, $1 || '!/')`, [p]);
    // 1. Items whose extraction failed: every place they were met runs again.
    for (const item of await q<{ id: number; sha256: string }>(`SELECT id, sha256 FROM items WHERE status = 'failed' ORDER BY id`)) {
      const occs = await q<{ path: string; parent_sha256: string | null; parent_path: string | null; role: Role; name: string }>(
        'SELECT path, parent_sha256, parent_path, role, name FROM occurrences WHERE sha256 = $1 ORDER BY id', [item.sha256]);
      for (const o of occs) {
        jobs.push({ path: o.path, sha256: item.sha256, parentSha256: o.parent_sha256, parentPath: o.parent_path, role: o.role, name: o.name });
        await forgetUnder(o.path);
      }
      await q(`WITH a AS (DELETE FROM occurrences WHERE sha256 = $1), b AS (DELETE FROM children WHERE parent_sha256 = $1),
          c AS (DELETE FROM findings WHERE sha256 = $1), d AS (DELETE FROM analyses WHERE sha256 = $1),
          e AS (DELETE FROM failures WHERE item_sha256 = $1)
        DELETE FROM items WHERE id = $2`, [item.sha256, item.id]); // item_texts goes with the item (ON DELETE CASCADE)
    }
    // 2. Jobs that died without an item.
    const dead = await q<{ path: string; sha256: string | null }>('SELECT path, sha256 FROM failures WHERE code = ANY ($1::text[]) ORDER BY id', [JOB_FAILURES]);
    for (const f of dead) {
      await q('DELETE FROM failures WHERE path = $1', [f.path]);
      const cut = f.path.lastIndexOf('!/');
      if (cut === -1 || !f.sha256) {
        // A file of the input folder: unmark it, the walk reads it again.
        await q('DELETE FROM inputs WHERE path = $1', [cut === -1 ? f.path : f.path.slice(0, f.path.indexOf('!/'))]);
        continue;
      }
      const parentPath = f.path.slice(0, cut);
      const name = f.path.slice(cut + 2);
      const parent = (await q<{ sha256: string }>('SELECT sha256 FROM occurrences WHERE path = $1 ORDER BY sha256 LIMIT 1', [parentPath]))[0]?.sha256;
      const role = parent
        ? (await q<{ role: Role }>('SELECT role FROM children WHERE parent_sha256 = $1 AND name = $2 AND sha256 = $3 LIMIT 1', [parent, name, f.sha256]))[0]?.role
        : undefined;
      jobs.push({ path: f.path, sha256: f.sha256, parentSha256: parent ?? null, parentPath, role: role ?? 'member', name });
    }
    return jobs;
  });
}
