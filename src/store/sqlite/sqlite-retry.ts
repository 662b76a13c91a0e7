// `tamis ingest --retry-failed`: take back what failed so it runs again.
// Failed items lose their rows (the blobs stay: the bytes are evidence); jobs
// that died before producing an item (time limit, crash) are rebuilt from
// their path, their parent's occurrence and the parent's child list.
import type Database from 'better-sqlite3';
import type { RetryJob, Role } from '../store.ts';

/** Codes of failures where the job, not the bytes, failed: worth running again. */
const JOB_FAILURES = ['E_TIMEOUT', 'E_WORKER_CRASH', 'E_OUT_OF_MEMORY', 'E_IO'];

export function takeFailedForRetry(db: Database.Database): RetryJob[] {
  return db.transaction(() => {
    const jobs: RetryJob[] = [];
    const forgetUnder = db.prepare(`DELETE FROM failures WHERE path = @p OR substr(path, 1, length(@p) + 2) = @p || '!/'`);
    // 1. Items whose extraction failed: every place they were met runs again.
    const failed = db.prepare(`SELECT id, sha256 FROM items WHERE status = 'failed'`).all() as { id: number; sha256: string }[];
    for (const item of failed) {
      const occs = db.prepare('SELECT path, parent_sha256, parent_path, role, name FROM occurrences WHERE sha256 = ?').all(item.sha256) as
        { path: string; parent_sha256: string | null; parent_path: string | null; role: Role; name: string }[];
      for (const o of occs) {
        jobs.push({ path: o.path, sha256: item.sha256, parentSha256: o.parent_sha256, parentPath: o.parent_path, role: o.role, name: o.name });
        forgetUnder.run({ p: o.path });
      }
      db.prepare('DELETE FROM occurrences WHERE sha256 = ?').run(item.sha256);
      db.prepare('DELETE FROM children WHERE parent_sha256 = ?').run(item.sha256);
      db.prepare('DELETE FROM items_fts WHERE rowid = ?').run(item.id);
      db.prepare('DELETE FROM findings WHERE sha256 = ?').run(item.sha256);
      db.prepare('DELETE FROM analyses WHERE sha256 = ?').run(item.sha256);
      db.prepare('DELETE FROM failures WHERE item_sha256 = ?').run(item.sha256);
      db.prepare('DELETE FROM items WHERE id = ?').run(item.id);
    }
    // 2. Jobs that died without an item.
    const dead = db.prepare(`SELECT path, sha256 FROM failures WHERE code IN (${JOB_FAILURES.map(() => '?').join(',')})`).all(...JOB_FAILURES) as
      { path: string; sha256: string | null }[];
    for (const f of dead) {
      db.prepare('DELETE FROM failures WHERE path = ?').run(f.path);
      const cut = f.path.lastIndexOf('!/');
      if (cut === -1 || !f.sha256) {
        // A file of the input folder: unmark it, the walk reads it again.
        db.prepare('DELETE FROM inputs WHERE path = ?').run(cut === -1 ? f.path : f.path.slice(0, f.path.indexOf('!/')));
        continue;
      }
      const parentPath = f.path.slice(0, cut);
      const name = f.path.slice(cut + 2);
      const parent = db.prepare('SELECT sha256 FROM occurrences WHERE path = ? ORDER BY sha256 LIMIT 1').pluck().get(parentPath) as string | undefined;
      const role = parent ? (db.prepare('SELECT role FROM children WHERE parent_sha256 = ? AND name = ? AND sha256 = ?').pluck().get(parent, name, f.sha256) as Role | undefined) : undefined;
      jobs.push({ path: f.path, sha256: f.sha256, parentSha256: parent ?? null, parentPath, role: role ?? 'member', name });
    }
    return jobs;
  })();
}
