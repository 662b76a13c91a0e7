// Items for `tamis report`, in path order, one row per distinct SHA-256.
// The canonical place of an item is its smallest path, so the report does not
// depend on which copy the workers happened to reach first.
import type Database from 'better-sqlite3';
import type { Finding, Kind, Verdict } from '../../core/types.ts';
import type { ReportItem } from '../store.ts';

interface Row {
  sha256: string; size: number; mime: string; title: string | null; date: string | null;
  path: string; parent_sha256: string | null; kind: Kind; paths: string; verdict: Verdict; findings: string;
}

export async function* reportRows(db: Database.Database): AsyncGenerator<ReportItem> {
  const rows = db.prepare(`
    SELECT i.sha256, i.size, i.mime, i.title, i.date, o.path, o.parent_sha256, o.kind, i.verdict,
      (SELECT json_group_array(json_object('rule', f.rule, 'severity', f.severity, 'message', f.message,
          'evidence', json(f.evidence), 'related', json(f.related)))
        FROM (SELECT * FROM findings f WHERE f.sha256 = i.sha256 ORDER BY
          CASE f.severity WHEN 'critical' THEN 0 WHEN 'warn' THEN 1 ELSE 2 END, f.rule, f.message, f.evidence) f) AS findings,
      (SELECT json_group_array(path) FROM (SELECT path FROM occurrences p WHERE p.sha256 = i.sha256 ORDER BY p.path)) AS paths
    FROM items i
    JOIN occurrences o ON o.id = (SELECT id FROM occurrences c WHERE c.sha256 = i.sha256 ORDER BY c.path LIMIT 1)
    ORDER BY o.path, i.sha256`);
  for (const r of rows.iterate() as IterableIterator<Row>) {
    yield {
      id: r.sha256,
      sha256: r.sha256,
      path: r.path,
      paths: JSON.parse(r.paths) as string[],
      parent: r.parent_sha256,
      kind: r.kind,
      mime: r.mime,
      size: r.size,
      title: r.title,
      date: r.date,
      verdict: r.verdict,
      findings: JSON.parse(r.findings) as Finding[],
    };
  }
}
