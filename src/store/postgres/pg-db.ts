// The connection pool behind the PostgreSQL store, and what every query
// needs: numbers as numbers, text PostgreSQL can hold, retries of writes
// that lost a deadlock against another worker, and errors without passwords.
import pg from 'pg';
import { TamisError } from '../../core/errors.ts';

// bigint (ids, sizes, counts) and numeric (sums) as JS numbers: sizes stay far below 2^53.
const NUMERIC_OIDS = new Set([20, 1700]);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    NUMERIC_OIDS.has(oid) ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** A URL fit for messages: the password, if any, replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

// PostgreSQL text cannot hold NUL, and its json cannot hold \u0000 or a lone
// surrogate (JSON.stringify writes both as \u escapes; a lone surrogate is
// the only kind it escapes): U+FFFD takes their place, as it does for lone
// surrogates in text sent as UTF-8.
const BAD_JSON_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/gi;

/** A value as a json parameter PostgreSQL accepts. */
export function toJson(value: unknown): string {
  return JSON.stringify(value).replace(BAD_JSON_ESCAPE, '$1\\ufffd');
}

export function cleanText<T>(v: T): T {
  return (typeof v === 'string' && v.includes('\0') ? v.replaceAll('\0', '\uFFFD') : v) as T;
}

const clean = (v: unknown): unknown => (Array.isArray(v) ? v.map(cleanText) : cleanText(v));

// deadlock_detected, serialization_failure: another worker's transaction won; ours can run again.
const RETRYABLE = new Set(['40P01', '40001']);

export type Queryable = pg.Pool | pg.PoolClient;

export class PgDb {
  readonly pool: pg.Pool;
  readonly where: string;

  constructor(url: string, options: { max?: number } = {}) {
    this.where = redactUrl(url);
    this.pool = new pg.Pool({ connectionString: url, max: options.max ?? 8, types, application_name: 'tamis' });
    // An idle connection the server dropped is replaced on next use; without
    // a listener its error would end the process.
    this.pool.on('error', () => {});
  }

  /** Rows of one statement. Parameters are always bound, never spliced into the SQL. */
  async rows<T = Record<string, unknown>>(sql: string, params: unknown[] = [], on: Queryable = this.pool): Promise<T[]> {
    return (await on.query({ text: sql, values: params.map(clean) })).rows as T[];
  }

  async one<T = Record<string, unknown>>(sql: string, params: unknown[] = [], on: Queryable = this.pool): Promise<T | undefined> {
    return (await this.rows<T>(sql, params, on))[0];
  }

  /** An idempotent write, run again if it lost a deadlock against another process. */
  async write(sql: string, params: unknown[] = []): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.pool.query({ text: sql, values: params.map(clean) })).rowCount ?? 0;
      } catch (err) {
        if (attempt >= 5 || !RETRYABLE.has((err as { code?: string }).code ?? '')) throw err;
        await new Promise((r) => setTimeout(r, 10 * attempt * Math.random()));
      }
    }
  }

  /** Several statements as one transaction on one connection; `begin` may add settings (SET LOCAL …). */
  async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query(begin);
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /** Check the server answers, with a message a user can act on when it does not. */
  async connect(): Promise<void> {
    try {
      await this.pool.query('SELECT 1');
    } catch (err) {
      const e = err as { code?: string; message: string };
      const hint = e.code === '3D000' ? ' (create it first: createdb NAME)' : '';
      throw new TamisError('E_DB_OPEN', `${this.where}: ${e.message}${hint}`, { cause: err });
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
