// The explorer (src/store/explore.ts) over the PostgreSQL store: read-only
// queries, each in its own module by view, as for SQLite.
import type { Correspondents, Dashboard, ExploreResult, Explorer, ItemDetail, SearchFilters, SortOrder, ThreadSummary, ThreadView, TimelineDay } from '../explore.ts';
import type { PgDb } from './pg-db.ts';
import { exploreSearch } from './pg-explore-search.ts';
import { itemDetail } from './pg-explore-item.ts';
import { threadList, threadView } from './pg-explore-threads.ts';
import { correspondents, dashboard, timeline } from './pg-explore-overview.ts';

export class PgExplorer implements Explorer {
  private readonly db: PgDb;
  constructor(db: PgDb) { this.db = db; }

  async search(filters: SearchFilters, page: { limit: number; offset: number; sort?: SortOrder }): Promise<ExploreResult> {
    return exploreSearch(this.db, filters, page);
  }
  async item(sha256: string, options: { maxTextChars?: number } = {}): Promise<ItemDetail | undefined> {
    return itemDetail(this.db, sha256, options.maxTextChars ?? 200_000);
  }
  async text(sha256: string): Promise<string | undefined> {
    return (await this.db.one<{ body: string }>('SELECT t.body FROM items i JOIN item_texts t ON t.item_id = i.id WHERE i.sha256 = $1', [sha256]))?.body;
  }
  async html(sha256: string): Promise<string | undefined> {
    const html = (await this.db.one<{ html: unknown }>("SELECT meta->'html' AS html FROM items WHERE sha256 = $1", [sha256]))?.html;
    return typeof html === 'string' ? html : undefined;
  }
  async canonicalName(sha256: string): Promise<string | undefined> {
    return (await this.db.one<{ name: string }>('SELECT name FROM occurrences WHERE sha256 = $1 ORDER BY path LIMIT 1', [sha256]))?.name;
  }
  async thread(id: number): Promise<ThreadView | undefined> { return threadView(this.db, id); }
  async threads(page: { limit: number; offset: number }): Promise<{ total: number; threads: ThreadSummary[] }> { return threadList(this.db, page); }
  async timeline(filters: SearchFilters): Promise<TimelineDay[]> { return timeline(this.db, filters); }
  async correspondents(filters: SearchFilters, limit: number): Promise<Correspondents> { return correspondents(this.db, filters, limit); }
  async dashboard(): Promise<Dashboard> { return dashboard(this.db); }
  async failures(page: { limit: number; offset: number }): Promise<{ total: number; failures: { path: string; code: string; message: string }[] }> {
    const [count, failures] = await Promise.all([
      this.db.one<{ n: number }>('SELECT count(*) AS n FROM failures'),
      this.db.rows<{ path: string; code: string; message: string }>('SELECT path, code, message FROM failures ORDER BY path, code LIMIT $1 OFFSET $2', [page.limit, page.offset]),
    ]);
    return { total: count!.n, failures };
  }
}
