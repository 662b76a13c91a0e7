// Store operations of the analysis phase (findings, verdicts, DKIM keys),
// kept apart from the ingest writes in sqlite-store.ts.
import type Database from 'better-sqlite3';
import type { Finding, Verdict } from '../../core/types.ts';
import type { DkimKey } from '../../keys/key-index.ts';
import type { AnalysisSubject } from '../store.ts';
import type { ThreadNode } from '../../analyze/corpus/threads.ts';

type Row = { sha256: string; analyzer: string; rule: string; severity: Finding['severity']; message: string; evidence: string; related: string };

export const toFinding = (r: Row): Finding & { analyzer: string } => ({
  rule: r.rule, severity: r.severity, message: r.message, evidence: JSON.parse(r.evidence), related: JSON.parse(r.related), analyzer: r.analyzer,
});

export class SqliteAnalysis {
  private readonly db: Database.Database;
  // Prepared once: the DKIM phase saves findings for every email.
  private readonly stmts;
  constructor(db: Database.Database) {
    this.db = db;
    this.stmts = {
      deleteItemFindings: db.prepare('DELETE FROM findings WHERE sha256 = ? AND analyzer = ?'),
      insertFinding: db.prepare(`INSERT INTO findings (sha256, analyzer, rule, severity, message, evidence, related, item_id)
        VALUES (@sha256, @analyzer, @rule, @severity, @message, @evidence, @related, (SELECT id FROM items WHERE sha256 = @sha256))`),
      markAnalysed: db.prepare('INSERT OR REPLACE INTO analyses (sha256, analyzer, version, analyzed_at) VALUES (?, ?, ?, ?)'),
    };
  }

  addKeys(keys: DkimKey[]): number {
    const insert = this.db.prepare('INSERT OR IGNORE INTO dkim_keys (name, value, source, imported_at) VALUES (?, ?, ?, ?)');
    let added = 0;
    this.db.transaction(() => {
      for (const k of keys) added += insert.run(k.name.toLowerCase().replace(/\.$/, ''), k.value, k.source, k.importedAt).changes;
      // Emails whose signatures name these keys are verified again on the next analysis.
      const names = [...new Set(keys.map((k) => k.name.toLowerCase().replace(/\.$/, '')))];
      const forget = this.db.prepare(`DELETE FROM analyses WHERE analyzer = 'dkim' AND sha256 IN (
        SELECT sha256 FROM findings WHERE analyzer = 'dkim'
          AND lower(json_extract(evidence, '$.selector') || '._domainkey.' || json_extract(evidence, '$.domain')) = ?)`);
      for (const n of names) forget.run(n);
    })();
    return added;
  }

  listKeys(): DkimKey[] {
    return this.db.prepare('SELECT name, value, source, imported_at AS importedAt FROM dkim_keys ORDER BY name, id').all() as DkimKey[];
  }

  pending(analyzer: string, version: number, ingestor: string): string[] {
    return this.db.prepare(`SELECT i.sha256 FROM items i
      LEFT JOIN analyses a ON a.sha256 = i.sha256 AND a.analyzer = ? AND a.version = ?
      WHERE i.ingestor = ? AND i.status = 'done' AND a.sha256 IS NULL ORDER BY i.id`).pluck().all(analyzer, version, ingestor) as string[];
  }

  /** The caller runs it in a transaction (the store's batched writes). */
  saveItemFindings(sha256: string, analyzer: string, version: number, findings: Finding[]): void {
    this.stmts.deleteItemFindings.run(sha256, analyzer);
    this.insertFindings(sha256, analyzer, findings);
    this.stmts.markAnalysed.run(sha256, analyzer, version, new Date().toISOString());
  }

  replaceAnalyzerFindings(analyzer: string, byItem: Map<string, Finding[]>): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM findings WHERE analyzer = ?').run(analyzer);
      for (const [sha, findings] of byItem) this.insertFindings(sha, analyzer, findings);
    })();
  }

  private insertFindings(sha256: string, analyzer: string, findings: Finding[]): void {
    for (const f of findings) {
      this.stmts.insertFinding.run({ sha256, analyzer, rule: f.rule, severity: f.severity, message: f.message, evidence: JSON.stringify(f.evidence), related: JSON.stringify(f.related) });
    }
  }

  allFindings(): Map<string, (Finding & { analyzer: string })[]> {
    const out = new Map<string, (Finding & { analyzer: string })[]>();
    for (const r of this.db.prepare('SELECT * FROM findings ORDER BY sha256, id').iterate() as IterableIterator<Row>) {
      const list = out.get(r.sha256) ?? [];
      list.push(toFinding(r));
      out.set(r.sha256, list);
    }
    return out;
  }

  /**
   * Every item, for the corpus pass (Store.analysisSubjects). An email's HTML body (up to 1 MB each, kept for
   * the explorer) is left out. Rows are parsed one at a time and trimmed at once, so the whole dump's JSON text
   * and full header lists are never held together.
   */
  subjects(emailHeaders?: readonly string[]): AnalysisSubject[] {
    const keep = emailHeaders ? new Set(emailHeaders) : null;
    const out: AnalysisSubject[] = [];
    const rows = this.db.prepare(`SELECT i.id, i.sha256, i.mime, i.ingestor, CASE WHEN i.ingestor = 'email' THEN json_remove(i.meta, '$.html') ELSE i.meta END AS meta, i.date, i.status, i.size,
        (SELECT path FROM occurrences o WHERE o.sha256 = i.sha256 ORDER BY o.path LIMIT 1) AS path,
        (SELECT json_group_array(json_object('sha256', c.sha256, 'role', c.role, 'name', c.name, 'meta', json(c.meta))) FROM children c WHERE c.parent_sha256 = i.sha256) AS children
      FROM items i ORDER BY i.id`).iterate() as IterableIterator<{ id: number; sha256: string; mime: string; ingestor: string | null; meta: string; date: string | null; status: string; path: string; size: number; children: string }>;
    for (const r of rows) {
      const meta = JSON.parse(r.meta) as Record<string, unknown>;
      if (keep && r.ingestor === 'email' && Array.isArray(meta.headers)) {
        meta.headers = (meta.headers as [string, string][]).filter(([name]) => keep.has(String(name).toLowerCase()));
      }
      out.push({
        rowid: r.id, sha256: r.sha256, mime: r.mime, ingestor: r.ingestor, date: r.date, status: r.status, path: r.path, size: r.size,
        meta, children: JSON.parse(r.children),
      });
    }
    return out;
  }

  text(rowid: number): string {
    return (this.db.prepare('SELECT body FROM items_fts WHERE rowid = ?').pluck().get(rowid) as string | undefined) ?? '';
  }

  setVerdicts(verdicts: Map<string, Verdict>): void {
    const update = this.db.prepare('UPDATE items SET verdict = ? WHERE sha256 = ? AND verdict IS NOT ?');
    this.db.transaction(() => {
      for (const [sha, v] of verdicts) update.run(v, sha, v);
      // The kind at the canonical path, for the explorer's facet: settled once ingest is over.
      this.db.exec(`UPDATE items SET kind = k.kind FROM (
          SELECT i.id, (SELECT kind FROM occurrences o WHERE o.sha256 = i.sha256 ORDER BY o.path LIMIT 1) AS kind FROM items i
        ) k WHERE k.id = items.id AND items.kind IS NOT k.kind`);
    })();
  }

  replaceThreads(threads: ThreadNode[][]): void {
    const insert = this.db.prepare('INSERT INTO threads (thread, ord, parent, sha256, message_id) VALUES (?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      this.db.exec('DELETE FROM threads');
      threads.forEach((nodes, t) => nodes.forEach((n, i) => insert.run(t + 1, i, n.parent, n.sha256, n.messageId)));
    })();
  }
}
