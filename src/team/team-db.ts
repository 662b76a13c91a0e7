// The team database (PostgreSQL): accounts, sessions, investigations, who
// may read which, and the audit log. Everything lives in its own schema,
// `tamis_team`, so the same PostgreSQL database can also hold a store or the
// work queue without a clash. Migrations are numbered and applied in order
// under an advisory lock (two servers starting together apply them once).
import pg from 'pg';
import { TamisError } from '../core/errors.ts';

export const SCHEMA = 'tamis_team';

const MIGRATIONS: string[] = [
  `CREATE TABLE ${SCHEMA}.users (
     id serial PRIMARY KEY,
     name text NOT NULL UNIQUE,
     password_hash text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now()
   );
   CREATE TABLE ${SCHEMA}.sessions (
     token_hash text PRIMARY KEY,
     user_id integer NOT NULL REFERENCES ${SCHEMA}.users(id) ON DELETE CASCADE,
     csrf_token text NOT NULL,
     client text,
     created_at timestamptz NOT NULL DEFAULT now(),
     expires_at timestamptz NOT NULL
   );
   CREATE INDEX sessions_user ON ${SCHEMA}.sessions (user_id);
   CREATE TABLE ${SCHEMA}.investigations (
     id text PRIMARY KEY,
     name text NOT NULL,
     db text NOT NULL,
     blobs text,
     created_at timestamptz NOT NULL DEFAULT now()
   );
   CREATE TABLE ${SCHEMA}.memberships (
     user_id integer NOT NULL REFERENCES ${SCHEMA}.users(id) ON DELETE CASCADE,
     investigation_id text NOT NULL REFERENCES ${SCHEMA}.investigations(id) ON DELETE CASCADE,
     role text NOT NULL CHECK (role IN ('reader', 'editor', 'admin')),
     granted_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (user_id, investigation_id)
   );
   CREATE TABLE ${SCHEMA}.audit (
     id bigserial PRIMARY KEY,
     at timestamptz NOT NULL DEFAULT clock_timestamp(),
     user_id integer REFERENCES ${SCHEMA}.users(id) ON DELETE SET NULL,
     actor text NOT NULL,
     investigation_id text,
     action text NOT NULL,
     target text,
     client text,
     detail jsonb
   );
   CREATE INDEX audit_investigation ON ${SCHEMA}.audit (investigation_id, id DESC);
   -- The login rate limit counts recent failures by account and by address.
   CREATE INDEX audit_login_failures ON ${SCHEMA}.audit (at) WHERE action = 'login.failure';`,
];

export type Queryable = Pick<pg.Pool, 'query'>;

export class TeamDb {
  readonly pool: pg.Pool;
  private constructor(pool: pg.Pool) { this.pool = pool; }

  /** Connects (and checks the connection) without touching the schema. */
  static async connect(url: string): Promise<TeamDb> {
    if (!/^postgres(ql)?:\/\//i.test(url)) throw new TamisError('E_USAGE', `the team database is a PostgreSQL URL (postgres://…), not "${url.slice(0, 100)}"`);
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on('error', () => {});
    try {
      await pool.query('SELECT 1');
    } catch (err) {
      await pool.end().catch(() => {});
      const missing = (err as { code?: string }).code === '3D000';
      throw new TamisError('E_TEAM_DB', missing ? `${redact(url)} does not exist (create it with \`tamis team init --team ${redact(url)}\`)` : `${redact(url)}: ${(err as Error).message}`);
    }
    return new TeamDb(pool);
  }

  /** Applies the migrations not applied yet; returns how many ran. */
  async migrate(): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("SELECT pg_advisory_xact_lock(hashtext('tamis_team.migrate'))");
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
      const { rows } = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${SCHEMA}.migrations`);
      const current = rows[0]?.v ?? 0;
      if (current > MIGRATIONS.length) throw new TamisError('E_TEAM_DB', `the team database is at schema version ${current}, newer than this tamis (${MIGRATIONS.length}): upgrade tamis`);
      for (let v = current + 1; v <= MIGRATIONS.length; v++) {
        await client.query(MIGRATIONS[v - 1]!);
        await client.query(`INSERT INTO ${SCHEMA}.migrations (version) VALUES ($1)`, [v]);
      }
      await client.query('COMMIT');
      return MIGRATIONS.length - current;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err instanceof TamisError ? err : new TamisError('E_TEAM_DB', (err as Error).message, { cause: err });
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> { await this.pool.end(); }
}

/** Creates the database named in the URL when it does not exist yet (through the server's `postgres` database). */
export async function createDatabaseIfMissing(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new TamisError('E_USAGE', 'the team database URL names no database (postgres://host/NAME)');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  try {
    await client.connect();
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    return true;
  } catch (err) {
    throw new TamisError('E_TEAM_DB', `cannot create ${redact(url)}: ${(err as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.slice(0, 100);
  }
}
