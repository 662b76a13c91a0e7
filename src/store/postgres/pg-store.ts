// The team store: PostgreSQL, shared by any number of ingest workers. Same
// tables and semantics as the SQLite store (src/store/sqlite/). Each
// extraction is one statement calling a server-side function (pg-functions.ts):
// one round trip, one transaction, so a kill at any moment leaves either all
// of an item or none of it, and no write batching is needed.
import { TamisError } from '../../core/errors.ts';
import type { Finding, Kind, Verdict } from '../../core/types.ts';
import type { DkimKey } from '../../keys/key-index.ts';
import type { ThreadNode } from '../../analyze/corpus/threads.ts';
import type {
  AnalysisSubject, StoredFinding, ChildRecord, RetryJob, CorpusCounts, FailureRecord, InputRecord, ItemRecord, KnownItem, Occurrence,
  ReportItem, SearchHit, SearchOptions, Store,
} from '../store.ts';
import { CLOSE, OPEN } from '../sqlite/explore-search.ts';
import { PgDb, toJson } from './pg-db.ts';
import { migrate } from './pg-schema.ts';
import { PgAnalysis } from './pg-analysis.ts';
import { PgExplorer } from './pg-explore.ts';
import { reportRows } from './pg-report.ts';
import { takeFailedForRetry } from './pg-retry.ts';
import { toTsQuery } from './pg-tsquery.ts';
import { headlinesSql, pickHeadline, rankSql, type Headlines } from './pg-explore-search.ts';

/** An email's From address, kept as a column for the explorer's sender facet. */
function senderOf(meta: ItemRecord['meta']): string | null {
  const address = (meta.from as { address?: unknown } | null | undefined)?.address;
  return typeof address === 'string' && address ? address.toLowerCase() : null;
}

/**
 * The arguments of tamis_record_extraction for one extraction, as
 * recordExtraction binds them (bench/scale-load.ts binds the same, in bulk).
 */
export function extractionParams(item: ItemRecord, children: ChildRecord[], occ: Occurrence, failures: FailureRecord[]): string[] {
  const { text, ...fields } = item;
  return [toJson({ ...fields, textLength: text.length, sender: senderOf(item.meta) }), text, toJson(children), toJson(occ), toJson(failures),
    new Date().toISOString()];
}

type Cluster = { cluster: number; reason: string; members: { sha256: string; path: string; title: string | null; verdict: Verdict }[] };
type DupEdge = { a: string; b: string; similarity: number };

export class PostgresStore implements Store {
  readonly db: PgDb;
  readonly explore: PgExplorer;
  private readonly analysis: PgAnalysis;

  private constructor(db: PgDb) {
    this.db = db;
    this.explore = new PgExplorer(db);
    this.analysis = new PgAnalysis(db);
  }

  /** Connect and bring the schema up to date; `mustExist` refuses a database without a store. */
  static async open(url: string, options: { mustExist?: boolean } = {}): Promise<PostgresStore> {
    const db = new PgDb(url);
    try {
      await db.connect();
      await migrate(db.pool, { mustExist: options.mustExist, where: db.where });
    } catch (err) {
      await db.close().catch(() => {});
      if (err instanceof TamisError) throw err;
      throw new TamisError('E_DB_OPEN', `${db.where}: ${(err as Error).message}`, { cause: err });
    }
    return new PostgresStore(db);
  }

  async knownItem(sha256: string): Promise<KnownItem | undefined> {
    return this.db.one<KnownItem>(`SELECT i.sha256, i.mime, i.ingestor, i.status,
        coalesce((SELECT json_agg(json_build_object('name', c.name, 'role', c.role, 'sha256', c.sha256, 'size', c.size, 'meta', c.meta) ORDER BY c.ord)
          FROM children c WHERE c.parent_sha256 = i.sha256), '[]') AS children
      FROM items i WHERE i.sha256 = $1`, [sha256]);
  }

  async recordExtraction(item: ItemRecord, children: ChildRecord[], occ: Occurrence, failures: FailureRecord[]): Promise<void> {
    await this.db.write('SELECT tamis_record_extraction($1::json, $2, $3::json, $4::json, $5::json, $6)', extractionParams(item, children, occ, failures));
  }

  async recordOccurrence(occ: Occurrence, failures: FailureRecord[]): Promise<void> {
    await this.db.write('SELECT tamis_record_occurrence($1::json, $2::json, $3)', [toJson(occ), toJson(failures), new Date().toISOString()]);
  }

  async recordFailure(failure: FailureRecord): Promise<void> {
    await this.db.write('SELECT tamis_add_failures($1::json, $2)', [toJson([failure]), new Date().toISOString()]);
  }

  async inputDone(input: InputRecord): Promise<boolean> {
    return (await this.db.one('SELECT 1 FROM inputs WHERE path = $1 AND size = $2 AND mtime_ms = $3', [input.path, input.size, input.mtimeMs])) !== undefined;
  }

  async markInputDone(input: InputRecord, sha256: string | null): Promise<void> {
    await this.db.write(`INSERT INTO inputs (path, abs_path, size, mtime_ms, sha256, finished_at) VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (path) DO UPDATE SET abs_path = excluded.abs_path, size = excluded.size, mtime_ms = excluded.mtime_ms,
        sha256 = excluded.sha256, finished_at = excluded.finished_at`,
    [input.path, input.absPath, input.size, input.mtimeMs, sha256, new Date().toISOString()]);
  }

  async search(query: string, options: SearchOptions): Promise<{ hits: SearchHit[]; total: number }> {
    const { match, rank } = await toTsQuery(this.db, query);
    if (match === null) return { hits: [], total: 0 };
    // The page first, then headlines for its rows alone.
    const [count, rows] = await Promise.all([
      this.db.one<{ n: number }>('SELECT count(*) AS n FROM item_texts t WHERE t.tsv @@ $1::tsquery', [match]),
      this.db.rows<Headlines & { sha256: string; title: string | null; score: number; path: string; kind: Kind }>(`
        SELECT p.sha256, p.title, p.score, ${headlinesSql('$4::tsquery')},
          (SELECT path FROM occurrences o WHERE o.sha256 = p.sha256 ORDER BY o.path LIMIT 1) AS path,
          (SELECT kind FROM occurrences o WHERE o.sha256 = p.sha256 ORDER BY o.path LIMIT 1) AS kind
        FROM (SELECT i.id, i.sha256, i.title, ${rankSql('$4::tsquery')} AS score FROM item_texts t JOIN items i ON i.id = t.item_id
          WHERE t.tsv @@ $1::tsquery ORDER BY score DESC, i.sha256 LIMIT $2 OFFSET $3) p
        JOIN item_texts t ON t.item_id = p.id
        ORDER BY p.score DESC, p.sha256`, [match, options.limit, options.offset ?? 0, rank]),
    ]);
    const marks = (s: string) => s.replaceAll(OPEN, '**').replaceAll(CLOSE, '**');
    return {
      total: count!.n,
      hits: rows.map((r) => ({
        id: r.sha256, sha256: r.sha256, title: r.title, snippet: marks(pickHeadline(r)), score: Math.round(r.score * 1000) / 1000, path: r.path, kind: r.kind,
      })),
    };
  }

  async counts(): Promise<CorpusCounts> {
    const [totals, failed, kinds, codes] = await Promise.all([
      this.db.one<{ items: number; bytes: number }>('SELECT count(*) AS items, coalesce(sum(size), 0) AS bytes FROM items'),
      this.db.one<{ n: number }>('SELECT count(*) AS n FROM failures'),
      this.db.rows<{ kind: string | null; n: number }>(`SELECT kind, count(*) AS n FROM (
          SELECT (SELECT kind FROM occurrences o WHERE o.sha256 = i.sha256 ORDER BY o.path LIMIT 1) AS kind FROM items i
        ) k GROUP BY kind ORDER BY kind NULLS FIRST`),
      this.db.rows<{ code: string; n: number }>('SELECT code, count(*) AS n FROM failures GROUP BY code ORDER BY code'),
    ]);
    const byKind: Record<string, number> = {};
    for (const r of kinds) byKind[r.kind ?? 'other'] = r.n;
    return { items: totals!.items, bytes: totals!.bytes, failed: failed!.n, byKind, failuresByCode: Object.fromEntries(codes.map((r) => [r.code, r.n])) };
  }

  reportItems(): AsyncIterable<ReportItem> {
    return reportRows(this.db);
  }

  async failures(): Promise<FailureRecord[]> {
    return this.db.rows<FailureRecord>('SELECT path, sha256, code, message FROM failures ORDER BY path, code');
  }

  // Analysis phase (pg-analysis.ts).
  async addKeys(keys: DkimKey[]): Promise<number> { return this.analysis.addKeys(keys); }
  async listKeys(): Promise<DkimKey[]> { return this.analysis.listKeys(); }
  async pendingAnalysis(analyzer: string, version: number, ingestor: string): Promise<string[]> { return this.analysis.pending(analyzer, version, ingestor); }
  async saveItemFindings(sha256: string, analyzer: string, version: number, findings: Finding[]): Promise<void> {
    await this.analysis.saveItemFindings(sha256, analyzer, version, findings);
  }
  async replaceAnalyzerFindings(analyzer: string, byItem: Map<string, Finding[]>): Promise<void> { await this.analysis.replaceAnalyzerFindings(analyzer, byItem); }
  async allFindings(): Promise<Map<string, StoredFinding[]>> { return this.analysis.allFindings(); }
  async analysisSubjects(options: { emailHeaders?: readonly string[] } = {}): Promise<AnalysisSubject[]> { return this.analysis.subjects(options.emailHeaders); }
  async itemText(rowid: number): Promise<string> { return this.analysis.text(rowid); }
  async setVerdicts(verdicts: Map<string, Verdict>): Promise<void> { await this.analysis.setVerdicts(verdicts); }
  async replaceThreads(threads: ThreadNode[][]): Promise<void> { await this.analysis.replaceThreads(threads); }

  async takeFailedForRetry(): Promise<RetryJob[]> { return takeFailedForRetry(this.db); }

  async itemHashes(): Promise<string[]> {
    return (await this.db.rows<{ sha256: string }>('SELECT sha256 FROM items ORDER BY id')).map((r) => r.sha256);
  }

  async inputs(): Promise<{ path: string; sha256: string | null; size: number; recordedAt: string; mtimeMs: number }[]> {
    return this.db.rows('SELECT path, sha256, size, finished_at AS "recordedAt", mtime_ms AS "mtimeMs" FROM inputs ORDER BY path');
  }

  async replaceClusters(clusters: { reason: string; members: string[] }[]): Promise<void> {
    const rows = clusters.flatMap((c, i) => c.members.map((m) => [i + 1, c.reason, m] as const));
    await this.db.transaction(async (c) => {
      await c.query('DELETE FROM dup_clusters');
      await this.db.rows(`INSERT INTO dup_clusters (cluster, reason, sha256) SELECT * FROM unnest($1::int[], $2::text[], $3::text[])
        ON CONFLICT DO NOTHING`, [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])], c);
    });
  }

  async loadDupIndex(): Promise<{ keys: Map<string, number[]>; edges: DupEdge[] }> {
    const keys = new Map<string, number[]>();
    for (const r of await this.db.rows<{ sha256: string; bands: Buffer }>('SELECT sha256, bands FROM dup_index ORDER BY seq')) {
      keys.set(r.sha256, Array.from(new Uint32Array(r.bands.buffer.slice(r.bands.byteOffset, r.bands.byteOffset + r.bands.byteLength))));
    }
    const edges = await this.db.rows<DupEdge>('SELECT a, b, similarity FROM dup_edges ORDER BY seq');
    return { keys, edges };
  }

  async saveDupIndex(keys: Map<string, number[]>, edges: DupEdge[]): Promise<void> {
    // One row per pair, the last given winning (SQLite's INSERT OR REPLACE).
    const byPair = new Map<string, DupEdge>();
    for (const e of edges) { byPair.delete(`${e.a}\n${e.b}`); byPair.set(`${e.a}\n${e.b}`, e); }
    const pairs = [...byPair.values()];
    const entries = [...keys];
    await this.db.transaction(async (c) => {
      for (let i = 0; i < entries.length; i += 5000) {
        const part = entries.slice(i, i + 5000);
        await this.db.rows(`INSERT INTO dup_index (sha256, bands) SELECT s, b FROM unnest($1::text[], $2::bytea[]) WITH ORDINALITY AS x(s, b, ord) ORDER BY ord
          ON CONFLICT (sha256) DO UPDATE SET bands = excluded.bands, seq = excluded.seq`,
        [part.map(([s]) => s), part.map(([, b]) => Buffer.from(Uint32Array.from(b).buffer))], c);
      }
      for (let i = 0; i < pairs.length; i += 5000) {
        const part = pairs.slice(i, i + 5000);
        await this.db.rows(`INSERT INTO dup_edges (a, b, similarity) SELECT a, b, s FROM unnest($1::text[], $2::text[], $3::float8[]) WITH ORDINALITY AS x(a, b, s, ord) ORDER BY ord
          ON CONFLICT (a, b) DO UPDATE SET similarity = excluded.similarity, seq = excluded.seq`,
        [part.map((e) => e.a), part.map((e) => e.b), part.map((e) => e.similarity)], c);
      }
    });
  }

  async clusters(): Promise<Cluster[]> {
    const rows = await this.db.rows<{ cluster: number; reason: string; sha256: string; title: string | null; verdict: Verdict; path: string }>(
      `SELECT d.cluster, d.reason, d.sha256, i.title, i.verdict,
        (SELECT path FROM occurrences o WHERE o.sha256 = d.sha256 ORDER BY o.path LIMIT 1) AS path
      FROM dup_clusters d JOIN items i ON i.sha256 = d.sha256 ORDER BY d.cluster, path, d.sha256`);
    const out = new Map<number, Cluster>();
    for (const r of rows) {
      const c = out.get(r.cluster) ?? { cluster: r.cluster, reason: r.reason, members: [] };
      c.members.push({ sha256: r.sha256, path: r.path, title: r.title, verdict: r.verdict });
      out.set(r.cluster, c);
    }
    return [...out.values()];
  }

  /** Nothing to do: every write is committed when its call returns. */
  async flush(): Promise<void> {}

  async close(): Promise<void> {
    await this.db.close();
  }
}
