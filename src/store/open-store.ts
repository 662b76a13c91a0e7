// Opens the store named on the command line. SQLite is the zero-config
// default: `tamis.db` plus a `tamis.blobs/` folder of original bytes beside it.
// A postgres:// URL opens the team store (PostgreSQL); its original bytes go
// to a local or shared folder, `--blobs`, by default ./tamis.blobs. Either
// store may keep them in S3-compatible storage instead: --blobs s3://bucket/prefix.
import { existsSync } from 'node:fs';
import { TamisError } from '../core/errors.ts';
import { openBlobStore } from './blobs/open-blob-store.ts';
import type { Store } from './store.ts';
import type { BlobStore } from './blobs/blob-store.ts';

export const DEFAULT_DB = 'tamis.db';
export const DEFAULT_PG_BLOBS = 'tamis.blobs';

export const isPostgresUrl = (db: string | undefined): boolean => /^postgres(ql)?:\/\//i.test(db ?? '');

export function blobRootFor(dbFile: string): string {
  return dbFile.replace(/\.(db|sqlite3?)$/i, '') + '.blobs';
}

export interface OpenOptions {
  /** Refuse to create a store: read commands on a missing store are errors. */
  mustExist?: boolean;
  /** Where original bytes go: a folder or s3://bucket/prefix (default: beside a SQLite file; ./tamis.blobs for PostgreSQL). */
  blobs?: string;
}

/** Async because a PostgreSQL store connects and brings its schema up to date first. */
export async function openStore(db: string | undefined, options: OpenOptions = {}): Promise<{ store: Store; blobs: BlobStore }> {
  const file = db ?? DEFAULT_DB;
  if (isPostgresUrl(file)) {
    const blobs = await openBlobStore(options.blobs ?? DEFAULT_PG_BLOBS); // first: a bad location opens nothing
    // Loaded only here: a SQLite user's `tamis search` need not load the pg driver.
    const { PostgresStore } = await import('./postgres/pg-store.ts');
    return { blobs, store: await PostgresStore.open(file, { mustExist: options.mustExist }) };
  }
  if (options.mustExist && !existsSync(file)) {
    throw new TamisError('E_DB_OPEN', `${file} does not exist (run \`tamis ingest\` first, or pass --db)`);
  }
  const blobs = await openBlobStore(options.blobs ?? blobRootFor(file));
  const { SqliteStore } = await import('./sqlite/sqlite-store.ts');
  return { store: new SqliteStore(file), blobs };
}
