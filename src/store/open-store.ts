// Opens the store named on the command line. SQLite is the zero-config
// default: `tamis.db` plus a `tamis.blobs/` folder of original bytes beside it.
import { existsSync } from 'node:fs';
import { TamisError } from '../core/errors.ts';
import { LocalBlobStore } from './blobs/local-blob-store.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';
import type { BlobStore } from './blobs/blob-store.ts';

export const DEFAULT_DB = 'tamis.db';

export function blobRootFor(dbFile: string): string {
  return dbFile.replace(/\.(db|sqlite3?)$/i, '') + '.blobs';
}

export function openStore(db: string | undefined, options: { mustExist?: boolean } = {}): { store: Store; blobs: BlobStore } {
  const file = db ?? DEFAULT_DB;
  if (/^postgres(ql)?:\/\//i.test(file)) {
    throw new TamisError('E_DB_OPEN', 'PostgreSQL stores are not available yet in this version; use a SQLite file');
  }
  if (options.mustExist && !existsSync(file)) {
    throw new TamisError('E_DB_OPEN', `${file} does not exist (run \`tamis ingest\` first, or pass --db)`);
  }
  return { store: new SqliteStore(file), blobs: new LocalBlobStore(blobRootFor(file)) };
}
