// The store contract (store-contract.ts) against the embedded SQLite store.
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { tempDir } from '../helpers/tmp.ts';
import { storeContract } from './store-contract.ts';

const tmp = tempDir();
storeContract('SQLite', { open: async () => new SqliteStore(join(tmp.dir, 'tamis.db')), cleanup: async () => tmp.cleanup() });
