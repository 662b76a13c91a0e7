// Store operations of the analysis phase (findings, verdicts, DKIM keys,
// threads) over PostgreSQL, the twin of src/store/sqlite/sqlite-analysis.ts.
import type pg from 'pg';
import type { Finding, Verdict } from '../../core/types.ts';
import type { DkimKey } from '../../keys/key-index.ts';
import type { AnalysisSubject, StoredFinding } from '../store.ts';
import type { ThreadNode } from '../../analyze/corpus/threads.ts';
import { toJson, type PgDb } from './pg-db.ts';

// Rows per INSERT when a whole table is rewritten: bounded parameter size.
const CHUNK = 5000;

function chunks<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

// Findings as one json array; ids follow the array's order (reports and the item page keep it).
const INSERT_FINDINGS = `INSERT INTO findings (sha256, analyzer, rule, severity, message, evidence, related, item_id)
  SELECT f->>'sha256', $2, f->>'rule', f->>'severity', f->>'message', f->'evidence', f->'related',
    (SELECT id FROM items WHERE sha256 = f->>'sha256')
  FROM json_array_elements($1::json) WITH ORDINALITY AS x(f, ord) ORDER BY x.ord`;

const findingRows = (sha256: string, findings: Finding[]) =>
  findings.map((f) => ({ sha256, rule: f.rule, severity: f.severity, message: f.message, evidence: f.evidence, related: f.related }));

export class PgAnalysis {
  private readonly db: PgDb;
  constructor(db: PgDb) { this.db = db; }

  async addKeys(keys: DkimKey[]): Promise<number> {
    const norm = keys.map((k) => ({ ...k, name: k.name.toLowerCase().replace(/\.$/, '') }));
    return this.db.transaction(async (c) => {
      let added = 0;
      for (const part of chunks(norm)) {
        added += (await c.query(`INSERT INTO dkim_keys (name, value, source, imported_at)
          SELECT n, v, s, t FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS k(n, v, s, t, ord) ORDER BY ord
          ON CONFLICT (name, value) DO NOTHING`, [part.map((k) => k.name), part.map((k) => k.value), part.map((k) => k.source), part.map((k) => k.importedAt)])).rowCount ?? 0;
      }
      // Emails whose signatures name these keys are verified again on the next analysis.
      await c.query(`DELETE FROM analyses WHERE analyzer = 'dkim' AND sha256 IN (
        SELECT sha256 FROM findings WHERE analyzer = 'dkim'
          AND lower(((evidence->>'selector') || '._domainkey.' || (evidence->>'domain')) COLLATE "C") = ANY ($1::text[]))`,
      [[...new Set(norm.map((k) => k.name))]]);
      return added;
    });
  }

  async listKeys(): Promise<DkimKey[]> {
    return this.db.rows<DkimKey>('SELECT name, value, source, imported_at AS "importedAt" FROM dkim_keys ORDER BY name, id');
  }

  async pending(analyzer: string, version: number, ingestor: string): Promise<string[]> {
    return (await this.db.rows<{ sha256: string }>(`SELECT i.sha256 FROM items i
      LEFT JOIN analyses a ON a.sha256 = i.sha256 AND a.analyzer = $1 AND a.version = $2
      WHERE i.ingestor = $3 AND i.status = 'done' AND a.sha256 IS NULL ORDER BY i.id`, [analyzer, version, ingestor])).map((r) => r.sha256);
  }

  /** One statement: the old findings out, the new in, the analysis marked done. */
  async saveItemFindings(sha256: string, analyzer: string, version: number, findings: Finding[]): Promise<void> {
    await this.db.write(`WITH gone AS (DELETE FROM findings WHERE sha256 = $3 AND analyzer = $2),
        added AS (${INSERT_FINDINGS})
      INSERT INTO analyses (sha256, analyzer, version, analyzed_at) VALUES ($3, $2, $4, $5)
      ON CONFLICT (sha256, analyzer) DO UPDATE SET version = excluded.version, analyzed_at = excluded.analyzed_at`,
    [toJson(findingRows(sha256, findings)), analyzer, sha256, version, new Date().toISOString()]);
  }

  async replaceAnalyzerFindings(analyzer: string, byItem: Map<string, Finding[]>): Promise<void> {
    const all = [...byItem].flatMap(([sha, findings]) => findingRows(sha, findings));
    await this.db.transaction(async (c) => {
      await c.query('DELETE FROM findings WHERE analyzer = $1', [analyzer]);
      for (const part of chunks(all)) await this.db.rows(INSERT_FINDINGS, [toJson(part), analyzer], c);
    });
  }

  async allFindings(): Promise<Map<string, StoredFinding[]>> {
    const out = new Map<string, StoredFinding[]>();
    const rows = await this.db.rows<StoredFinding & { sha256: string }>(
      'SELECT sha256, rule, severity, message, evidence, related, analyzer FROM findings ORDER BY sha256, id');
    for (const { sha256, ...f } of rows) {
      const list = out.get(sha256) ?? [];
      list.push(f);
      out.set(sha256, list);
    }
    return out;
  }

  /** Every item for the corpus pass (Store.analysisSubjects): emails trimmed in the server, as SQLite does. */
  async subjects(emailHeaders?: readonly string[]): Promise<AnalysisSubject[]> {
    const rows = await this.db.rows<AnalysisSubject & { id: number }>(`SELECT i.id, i.sha256, i.mime, i.ingestor,
        CASE WHEN i.ingestor = 'email' THEN ((i.meta::jsonb - 'html' - 'headers') || jsonb_build_object('headers', coalesce(
          (SELECT jsonb_agg(x.h ORDER BY x.n) FROM jsonb_array_elements(coalesce(i.meta::jsonb -> 'headers', '[]')) WITH ORDINALITY AS x(h, n)
            WHERE $1::text[] IS NULL OR lower(x.h ->> 0) = ANY ($1::text[])), '[]'::jsonb)))::json
          ELSE i.meta END AS meta, i.date, i.status, i.size,
        (SELECT path FROM occurrences o WHERE o.sha256 = i.sha256 ORDER BY o.path LIMIT 1) AS path,
        coalesce((SELECT json_agg(json_build_object('sha256', c.sha256, 'role', c.role, 'name', c.name, 'meta', c.meta) ORDER BY c.ord)
          FROM children c WHERE c.parent_sha256 = i.sha256), '[]') AS children
      FROM items i ORDER BY i.id`, [emailHeaders ? [...emailHeaders] : null]);
    return rows.map(({ id, ...r }) => ({
      rowid: id, sha256: r.sha256, mime: r.mime, ingestor: r.ingestor, date: r.date, status: r.status, path: r.path, size: r.size,
      meta: r.meta, children: r.children,
    }));
  }

  async text(rowid: number): Promise<string> {
    return (await this.db.one<{ body: string }>('SELECT body FROM item_texts WHERE item_id = $1', [rowid]))?.body ?? '';
  }

  async setVerdicts(verdicts: Map<string, Verdict>): Promise<void> {
    await this.db.transaction(async (c) => {
      for (const part of chunks([...verdicts])) {
        await c.query(`UPDATE items i SET verdict = v.verdict FROM unnest($1::text[], $2::text[]) AS v(sha256, verdict)
          WHERE i.sha256 = v.sha256 AND i.verdict IS DISTINCT FROM v.verdict`, [part.map(([s]) => s), part.map(([, v]) => v)]);
      }
      // The kind at the canonical path, for the explorer's facet: settled once ingest is over.
      await c.query(`UPDATE items i SET kind = k.kind FROM (
          SELECT i2.id, (SELECT kind FROM occurrences o WHERE o.sha256 = i2.sha256 ORDER BY o.path LIMIT 1) AS kind FROM items i2
        ) k WHERE k.id = i.id AND i.kind IS DISTINCT FROM k.kind`);
    });
  }

  async replaceThreads(threads: ThreadNode[][]): Promise<void> {
    const rows = threads.flatMap((nodes, t) => nodes.map((n, i) => [t + 1, i, n.parent, n.sha256, n.messageId] as const));
    await this.db.transaction(async (c) => {
      await c.query('DELETE FROM threads');
      for (const part of chunks(rows)) await insertThreads(this.db, c, part);
    });
  }
}

async function insertThreads(db: PgDb, c: pg.PoolClient, rows: (readonly [number, number, number | null, string | null, string | null])[]): Promise<void> {
  await db.rows(`INSERT INTO threads (thread, ord, parent, sha256, message_id)
    SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[])`,
  [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3]), rows.map((r) => r[4])], c);
}
