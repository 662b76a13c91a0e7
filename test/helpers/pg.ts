// A throwaway PostgreSQL database per test file, on the server the tests run
// against (127.0.0.1:5432, trust auth; .ci/run starts it when it is down).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

// The local server's superuser; USER is often unset in CI containers.
process.env.PGUSER ??= 'postgres';
const HOST = process.env.PGHOST ?? '127.0.0.1';

export interface TestDatabase { url: string; name: string; drop: () => Promise<void> }

export async function createTestDb(prefix = 'tamis_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ host: HOST, database: 'postgres' });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${HOST}:5432 (start it: pg_ctlcluster <version> main start): ${(err as Error).message}`);
  }
  await admin.query(`CREATE DATABASE ${name}`); // a name made here, never user text
  await admin.end();
  return {
    url: `postgres://${HOST}/${name}`,
    name,
    drop: async () => {
      const c = new pg.Client({ host: HOST, database: 'postgres' });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
