// Items for `tamis report`, in path order, one row per distinct SHA-256, read
// through a server-side cursor so a million items never sit in memory at once.
// The canonical place of an item is its smallest path; findings come in the
// same order as from SQLite (severity, rule, message, evidence).
import type { Finding, Kind, Verdict } from '../../core/types.ts';
import type { ReportItem } from '../store.ts';
import type { PgDb } from './pg-db.ts';

const BATCH = 1000;

interface Row {
  sha256: string; size: number; mime: string; title: string | null; date: string | null;
  path: string; parent_sha256: string | null; kind: Kind; paths: string[]; verdict: Verdict; findings: Finding[];
}

const REPORT_SQL = `
  SELECT i.sha256, i.size, i.mime, i.title, i.date, o.path, o.parent_sha256, o.kind, i.verdict,
    coalesce((SELECT json_agg(json_build_object('rule', f.rule, 'severity', f.severity, 'message', f.message,
        'evidence', f.evidence, 'related', f.related)
      ORDER BY CASE f.severity WHEN 'critical' THEN 0 WHEN 'warn' THEN 1 ELSE 2 END, f.rule, f.message, f.evidence::text COLLATE "C")
      FROM findings f WHERE f.sha256 = i.sha256), '[]') AS findings,
    (SELECT json_agg(p.path ORDER BY p.path) FROM occurrences p WHERE p.sha256 = i.sha256) AS paths
  FROM items i
  JOIN LATERAL (SELECT c.path, c.parent_sha256, c.kind FROM occurrences c WHERE c.sha256 = i.sha256 ORDER BY c.path LIMIT 1) o ON true
  ORDER BY o.path, i.sha256`;

export async function* reportRows(db: PgDb): AsyncGenerator<ReportItem> {
  const client = await db.pool.connect();
  let open = false;
  try {
    // A cursor lives in a transaction: the report is one consistent snapshot.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    open = true;
    await client.query(`DECLARE report NO SCROLL CURSOR FOR ${REPORT_SQL}`);
    for (;;) {
      const rows = (await client.query<Row>(`FETCH ${BATCH} FROM report`)).rows;
      for (const r of rows) {
        yield {
          id: r.sha256, sha256: r.sha256, path: r.path, paths: r.paths, parent: r.parent_sha256, kind: r.kind,
          mime: r.mime, size: r.size, title: r.title, date: r.date, verdict: r.verdict, findings: r.findings,
        };
      }
      if (rows.length < BATCH) break;
    }
    await client.query('COMMIT');
    open = false;
  } finally {
    // Also when the reader stops early: ending the transaction closes the cursor.
    if (open) await client.query('ROLLBACK').catch(() => {});
    client.release();
  }
}
