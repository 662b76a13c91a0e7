// Team mode: each investigation's store is opened on first use and kept
// open. A store that fails to open is not cached (the next request tries
// again), and a changed location (`tamis team add-investigation` again)
// opens the new one and closes the old.
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import type { BlobStore } from '../store/blobs/blob-store.ts';
import type { Investigation } from '../team/investigations.ts';

export interface OpenedStore { store: Store; blobs: BlobStore }

export class StoreCache {
  private readonly open = new Map<string, { key: string; opened: Promise<OpenedStore> }>();

  get(inv: Investigation): Promise<OpenedStore> {
    const key = `${inv.db}\n${inv.blobs ?? ''}`;
    const current = this.open.get(inv.id);
    if (current?.key === key) return current.opened;
    if (current) void current.opened.then((s) => s.store.close(), () => {});
    const opened = openStore(inv.db, { mustExist: true, blobs: inv.blobs ?? undefined });
    this.open.set(inv.id, { key, opened });
    opened.catch(() => { if (this.open.get(inv.id)?.opened === opened) this.open.delete(inv.id); });
    return opened;
  }

  async close(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map((e) => e.opened.then((s) => s.store.close(), () => {})));
  }
}
