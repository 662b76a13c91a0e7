// The embedded store: one SQLite file in WAL mode with a single writer (the
// ingest main thread). Each extraction is one transaction, so a kill at any
// moment leaves either all of an item or none of it.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { TamisError } from '../../core/errors.ts';
import type { Kind } from '../../core/types.ts';
import { toFtsQuery } from '../../search/fts-query.ts';
import { migrate } from './schema.ts';
import { reportRows } from './sqlite-report.ts';
import { SqliteAnalysis } from './sqlite-analysis.ts';
import { takeFailedForRetry } from './sqlite-retry.ts';
import type { DkimKey } from '../../keys/key-index.ts';
import type { ThreadNode } from '../../analyze/corpus/threads.ts';
import { SqliteExplorer } from './sqlite-explore.ts';
import type { Finding, Verdict } from '../../core/types.ts';
import type {
  AnalysisSubject, StoredFinding, ChildRecord, RetryJob, CorpusCounts, FailureRecord, InputRecord, ItemRecord, KnownItem, Occurrence,
  ReportItem, SearchHit, SearchOptions, Store,
} from '../store.ts';

// Writes are grouped: one outer transaction is committed every 250 ms or
// 2,000 writes (FTS5 pays a segment flush per commit), and each write is a
// savepoint inside it, so every item is still all-or-nothing. A kill loses
// at most the open batch, which the rerun redoes.
const BATCH_MS = 250;
const BATCH_WRITES = 2000;

/** An email's From address, kept as a column for the explorer's sender facet. */
function senderOf(meta: ItemRecord['meta']): string | null {
  const address = (meta.from as { address?: unknown } | null | undefined)?.address;
  return typeof address === 'string' && address ? address.toLowerCase() : null;
}

export class SqliteStore implements Store {
  readonly db: Database.Database;
  private readonly stmts;
  private readonly analysis: SqliteAnalysis;
  readonly explore: SqliteExplorer;
  private batchWrites = 0;
  private batchStarted = 0;

  constructor(file: string, options: { readonly?: boolean } = {}) {
    try {
      if (!options.readonly) mkdirSync(dirname(file), { recursive: true });
      this.db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    } catch (err) {
      throw new TamisError('E_DB_OPEN', `${file}: ${(err as Error).message}`);
    }
    if (!options.readonly) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      migrate(this.db);
    }
    this.db.pragma('busy_timeout = 5000');
    this.analysis = new SqliteAnalysis(this.db);
    this.explore = new SqliteExplorer(this.db);
    const db = this.db;
    this.stmts = {
      item: db.prepare('SELECT id, sha256, mime, ingestor, status FROM items WHERE sha256 = ?'),
      children: db.prepare('SELECT name, role, sha256, size, meta FROM children WHERE parent_sha256 = ? ORDER BY ord'),
      insertItem: db.prepare(`INSERT OR IGNORE INTO items
        (sha256, size, mime, ingestor, title, date, meta, status, error_code, error_message, text_length, ingested_at, sender)
        VALUES (@sha256, @size, @mime, @ingestor, @title, @date, @meta, @status, @errorCode, @errorMessage, @textLength, @now, @sender)`),
      insertChild: db.prepare(`INSERT OR IGNORE INTO children (parent_sha256, ord, name, role, sha256, size, meta)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
      insertOcc: db.prepare(`INSERT OR IGNORE INTO occurrences (path, sha256, parent_sha256, parent_path, role, kind, name)
        VALUES (@path, @sha256, @parentSha256, @parentPath, @role, @kind, @name)`),
      insertFailure: db.prepare(`INSERT OR IGNORE INTO failures (path, sha256, code, message, recorded_at, item_sha256, member)
        VALUES (@path, @sha256, @code, @message, @now, @itemSha256, @member)`),
      // Copies carry no item_sha256: only the originals are read, so n copies cost O(n), not O(n²).
      repeatFailures: db.prepare(`INSERT OR IGNORE INTO failures (path, sha256, code, message, recorded_at, item_sha256, member)
        SELECT DISTINCT @path || member, sha256, code, message, @now, NULL, member FROM failures WHERE item_sha256 = @sha256`),
      insertFts: db.prepare('INSERT INTO items_fts (rowid, title, names, body) VALUES (?, ?, ?, ?)'),
      ftsNames: db.prepare('SELECT names FROM items_fts WHERE rowid = ?'),
      updateFtsNames: db.prepare('UPDATE items_fts SET names = ? WHERE rowid = ?'),
      inputDone: db.prepare('SELECT 1 FROM inputs WHERE path = ? AND size = ? AND mtime_ms = ?'),
      markInput: db.prepare(`INSERT OR REPLACE INTO inputs (path, abs_path, size, mtime_ms, sha256, finished_at)
        VALUES (?, ?, ?, ?, ?, ?)`),
    };
  }

  async knownItem(sha256: string): Promise<KnownItem | undefined> {
    const row = this.stmts.item.get(sha256) as { sha256: string; mime: string; ingestor: string | null; status: 'done' | 'failed' } | undefined;
    if (!row) return undefined;
    const children = (this.stmts.children.all(sha256) as (Omit<ChildRecord, 'meta'> & { meta: string })[])
      .map((c) => ({ ...c, meta: JSON.parse(c.meta) }));
    return { sha256: row.sha256, mime: row.mime, ingestor: row.ingestor, status: row.status, children };
  }

  private addOccurrence(occ: Occurrence): void {
    const inserted = this.stmts.insertOcc.run(occ).changes > 0;
    if (!inserted) return;
    // Keep every file name of an item searchable, whichever path met it first.
    const row = this.stmts.item.get(occ.sha256) as { id: number } | undefined;
    if (!row) return;
    const current = this.stmts.ftsNames.get(row.id) as { names: string } | undefined;
    if (current && !current.names.split('\n').includes(occ.name)) {
      this.stmts.updateFtsNames.run(`${current.names}\n${occ.name}`, row.id);
    }
  }

  private addFailures(failures: FailureRecord[], now: string): void {
    for (const f of failures) this.stmts.insertFailure.run({ ...f, itemSha256: f.itemSha256 ?? null, member: f.member ?? '', now });
  }

  private readonly writeExtraction = (item: ItemRecord, children: ChildRecord[], occ: Occurrence, failures: FailureRecord[]) => {
    const now = new Date().toISOString();
    const res = this.stmts.insertItem.run({
      ...item, meta: JSON.stringify(item.meta), textLength: item.text.length, now, sender: senderOf(item.meta),
    });
    if (res.changes > 0) {
      const id = Number(res.lastInsertRowid);
      this.stmts.insertFts.run(id, item.title ?? '', occ.name, item.text);
      children.forEach((c, ord) => this.stmts.insertChild.run(item.sha256, ord, c.name, c.role, c.sha256, c.size, JSON.stringify(c.meta)));
    }
    this.addOccurrence(occ);
    this.addFailures(failures, now);
  };

  private write(fn: () => void): void {
    if (!this.db.inTransaction) {
      this.db.exec('BEGIN IMMEDIATE');
      this.batchStarted = Date.now();
      this.batchWrites = 0;
    }
    this.db.transaction(fn)(); // a SAVEPOINT inside the open batch
    if (++this.batchWrites >= BATCH_WRITES || Date.now() - this.batchStarted >= BATCH_MS) this.commit();
  }

  private commit(): void {
    if (this.db.open && this.db.inTransaction) this.db.exec('COMMIT');
  }

  async flush(): Promise<void> {
    this.commit();
  }

  async recordExtraction(item: ItemRecord, children: ChildRecord[], occ: Occurrence, failures: FailureRecord[]): Promise<void> {
    this.write(() => this.writeExtraction(item, children, occ, failures));
  }

  async recordOccurrence(occ: Occurrence, failures: FailureRecord[]): Promise<void> {
    this.write(() => {
      this.addOccurrence(occ);
      const now = new Date().toISOString();
      this.stmts.repeatFailures.run({ path: occ.path, sha256: occ.sha256, now });
      this.addFailures(failures, now);
    });
  }

  async recordFailure(failure: FailureRecord): Promise<void> {
    this.write(() => this.addFailures([failure], new Date().toISOString()));
  }

  async inputDone(input: InputRecord): Promise<boolean> {
    return this.stmts.inputDone.get(input.path, input.size, input.mtimeMs) !== undefined;
  }

  async markInputDone(input: InputRecord, sha256: string | null): Promise<void> {
    this.write(() => { this.stmts.markInput.run(input.path, input.absPath, input.size, input.mtimeMs, sha256, new Date().toISOString()); });
  }

  async search(query: string, options: SearchOptions): Promise<{ hits: SearchHit[]; total: number }> {
    const match = toFtsQuery(query);
    const total = (this.db.prepare('SELECT count(*) AS n FROM items_fts WHERE items_fts MATCH ?').get(match) as { n: number }).n;
    // The page first (ids and scores, from the full-text index alone), then
    // snippets and paths for its rows: in the ranking query they would be
    // computed for every match, not for the 20 shown (45 ms of a 110 ms
    // `tamis search salle` on 20,000 emails). Ties go by rowid, as in explore-search.ts.
    const page = this.db.prepare(`SELECT rowid AS id, -bm25(items_fts, 5.0, 3.0, 1.0) AS score FROM items_fts
      WHERE items_fts MATCH ? ORDER BY bm25(items_fts, 5.0, 3.0, 1.0), rowid LIMIT ? OFFSET ?`)
      .all(match, options.limit, options.offset ?? 0) as { id: number; score: number }[];
    if (!page.length) return { total, hits: [] };
    const ids = page.map((p) => p.id).join(',');
    const snippets = new Map((this.db.prepare(`SELECT rowid, snippet(items_fts, -1, '**', '**', '…', 16) FROM items_fts
      WHERE items_fts MATCH ? AND rowid IN (${ids})`).raw().all(match) as [number, string][]));
    const details = new Map((this.db.prepare(`SELECT i.id, i.sha256, i.title,
        (SELECT path FROM occurrences o WHERE o.sha256 = i.sha256 ORDER BY o.path LIMIT 1) AS path,
        (SELECT kind FROM occurrences o WHERE o.sha256 = i.sha256 ORDER BY o.path LIMIT 1) AS kind
      FROM items i WHERE i.id IN (${ids})`).all() as { id: number; sha256: string; title: string | null; path: string; kind: Kind }[])
      .map(({ id, ...d }) => [id, d]));
    const hits = page.flatMap(({ id, score }) => {
      const d = details.get(id);
      return d ? [{ id: d.sha256, ...d, snippet: snippets.get(id) ?? '', score: Math.round(score * 1000) / 1000 }] : [];
    });
    return { total, hits };
  }

  async counts(): Promise<CorpusCounts> {
    const totals = this.db.prepare('SELECT count(*) AS items, coalesce(sum(size), 0) AS bytes FROM items').get() as { items: number; bytes: number };
    const failed = (this.db.prepare('SELECT count(*) AS n FROM failures').get() as { n: number }).n;
    const byKind: Record<string, number> = {};
    for (const r of this.db.prepare(`SELECT kind, count(*) AS n FROM (
        SELECT (SELECT kind FROM occurrences o WHERE o.sha256 = i.sha256 ORDER BY o.path LIMIT 1) AS kind FROM items i
      ) GROUP BY kind ORDER BY kind`).all() as { kind: string; n: number }[]) byKind[r.kind ?? 'other'] = r.n;
    const failuresByCode: Record<string, number> = {};
    for (const r of this.db.prepare('SELECT code, count(*) AS n FROM failures GROUP BY code ORDER BY code').all() as { code: string; n: number }[]) {
      failuresByCode[r.code] = r.n;
    }
    return { items: totals.items, bytes: totals.bytes, failed, byKind, failuresByCode };
  }

  reportItems(): AsyncIterable<ReportItem> {
    return reportRows(this.db);
  }

  async failures(): Promise<FailureRecord[]> {
    return this.db.prepare('SELECT path, sha256, code, message FROM failures ORDER BY path, code').all() as FailureRecord[];
  }

  // Analysis phase: each call commits the open ingest batch first, so the
  // analysis sees every item and its own writes are single transactions;
  // per-email findings (one call per email) are batched like ingest writes.
  async addKeys(keys: DkimKey[]): Promise<number> { this.commit(); return this.analysis.addKeys(keys); }
  async listKeys(): Promise<DkimKey[]> { return this.analysis.listKeys(); }
  async pendingAnalysis(analyzer: string, version: number, ingestor: string): Promise<string[]> {
    this.commit();
    return this.analysis.pending(analyzer, version, ingestor);
  }
  async saveItemFindings(sha256: string, analyzer: string, version: number, findings: Finding[]): Promise<void> {
    this.write(() => this.analysis.saveItemFindings(sha256, analyzer, version, findings));
  }
  async replaceAnalyzerFindings(analyzer: string, byItem: Map<string, Finding[]>): Promise<void> {
    this.commit();
    this.analysis.replaceAnalyzerFindings(analyzer, byItem);
  }
  async allFindings(): Promise<Map<string, StoredFinding[]>> { this.commit(); return this.analysis.allFindings(); }
  async analysisSubjects(options: { emailHeaders?: readonly string[] } = {}): Promise<AnalysisSubject[]> {
    this.commit();
    return this.analysis.subjects(options.emailHeaders);
  }
  async itemText(rowid: number): Promise<string> { return this.analysis.text(rowid); }
  async setVerdicts(verdicts: Map<string, Verdict>): Promise<void> { this.commit(); this.analysis.setVerdicts(verdicts); }

  async takeFailedForRetry(): Promise<RetryJob[]> {
    this.commit();
    return takeFailedForRetry(this.db);
  }

  async itemHashes(): Promise<string[]> {
    this.commit();
    return this.db.prepare('SELECT sha256 FROM items ORDER BY id').pluck().all() as string[];
  }

  async inputs(): Promise<{ path: string; sha256: string | null; size: number; recordedAt: string; mtimeMs: number }[]> {
    this.commit();
    return this.db.prepare('SELECT path, sha256, size, finished_at AS recordedAt, mtime_ms AS mtimeMs FROM inputs ORDER BY path').all() as
      { path: string; sha256: string | null; size: number; recordedAt: string; mtimeMs: number }[];
  }

  async replaceThreads(threads: ThreadNode[][]): Promise<void> { this.commit(); this.analysis.replaceThreads(threads); }

  async replaceClusters(clusters: { reason: string; members: string[] }[]): Promise<void> {
    this.commit();
    const insert = this.db.prepare('INSERT OR IGNORE INTO dup_clusters (cluster, reason, sha256) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      this.db.exec('DELETE FROM dup_clusters');
      clusters.forEach((c, i) => { for (const m of c.members) insert.run(i + 1, c.reason, m); });
    })();
  }

  async loadDupIndex(): Promise<{ keys: Map<string, number[]>; edges: { a: string; b: string; similarity: number }[] }> {
    this.commit();
    const keys = new Map<string, number[]>();
    for (const r of this.db.prepare('SELECT sha256, bands FROM dup_index').iterate() as IterableIterator<{ sha256: string; bands: Buffer }>) {
      keys.set(r.sha256, Array.from(new Uint32Array(r.bands.buffer.slice(r.bands.byteOffset, r.bands.byteOffset + r.bands.byteLength))));
    }
    const edges = this.db.prepare('SELECT a, b, similarity FROM dup_edges').all() as { a: string; b: string; similarity: number }[];
    return { keys, edges };
  }

  async saveDupIndex(keys: Map<string, number[]>, edges: { a: string; b: string; similarity: number }[]): Promise<void> {
    this.commit();
    const k = this.db.prepare('INSERT OR REPLACE INTO dup_index (sha256, bands) VALUES (?, ?)');
    const e = this.db.prepare('INSERT OR REPLACE INTO dup_edges (a, b, similarity) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      for (const [sha, bands] of keys) k.run(sha, Buffer.from(Uint32Array.from(bands).buffer));
      for (const x of edges) e.run(x.a, x.b, x.similarity);
    })();
  }

  async clusters(): Promise<{ cluster: number; reason: string; members: { sha256: string; path: string; title: string | null; verdict: Verdict }[] }[]> {
    this.commit();
    const rows = this.db.prepare(`SELECT d.cluster, d.reason, d.sha256, i.title, i.verdict,
        (SELECT path FROM occurrences o WHERE o.sha256 = d.sha256 ORDER BY o.path LIMIT 1) AS path
      FROM dup_clusters d JOIN items i ON i.sha256 = d.sha256 ORDER BY d.cluster, path`).all() as
      { cluster: number; reason: string; sha256: string; title: string | null; verdict: Verdict; path: string }[];
    const out = new Map<number, { cluster: number; reason: string; members: { sha256: string; path: string; title: string | null; verdict: Verdict }[] }>();
    for (const r of rows) {
      const c = out.get(r.cluster) ?? { cluster: r.cluster, reason: r.reason, members: [] };
      c.members.push({ sha256: r.sha256, path: r.path, title: r.title, verdict: r.verdict });
      out.set(r.cluster, c);
    }
    return [...out.values()];
  }

  async close(): Promise<void> {
    this.commit();
    // Keeps the query planner's statistics current (cheap: it only analyses what changed a lot).
    if (this.db.open && !this.db.readonly) this.db.pragma('optimize');
    if (this.db.open) this.db.close();
  }
}
