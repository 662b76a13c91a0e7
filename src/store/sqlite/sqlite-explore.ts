// The explorer (src/store/explore.ts) over the SQLite store: read-only
// queries, each in its own module by view.
import type Database from 'better-sqlite3';
import type { Correspondents, Dashboard, ExploreResult, Explorer, ItemDetail, SearchFilters, SortOrder, ThreadSummary, ThreadView, TimelineDay } from '../explore.ts';
import { exploreSearch } from './explore-search.ts';
import { itemDetail } from './explore-item.ts';
import { threadList, threadView } from './explore-threads.ts';
import { correspondents, dashboard, timeline } from './explore-overview.ts';

export class SqliteExplorer implements Explorer {
  private readonly db: Database.Database;
  constructor(db: Database.Database) { this.db = db; }

  async search(filters: SearchFilters, page: { limit: number; offset: number; sort?: SortOrder }): Promise<ExploreResult> {
    return exploreSearch(this.db, filters, page);
  }
  async item(sha256: string, options: { maxTextChars?: number } = {}): Promise<ItemDetail | undefined> {
    return itemDetail(this.db, sha256, options.maxTextChars ?? 200_000);
  }
  async text(sha256: string): Promise<string | undefined> {
    return this.db.prepare('SELECT f.body FROM items i JOIN items_fts f ON f.rowid = i.id WHERE i.sha256 = ?').pluck().get(sha256) as string | undefined;
  }
  async html(sha256: string): Promise<string | undefined> {
    const html = this.db.prepare("SELECT json_extract(meta, '$.html') FROM items WHERE sha256 = ?").pluck().get(sha256);
    return typeof html === 'string' ? html : undefined;
  }
  async canonicalName(sha256: string): Promise<string | undefined> {
    return this.db.prepare('SELECT name FROM occurrences WHERE sha256 = ? ORDER BY path LIMIT 1').pluck().get(sha256) as string | undefined;
  }
  async thread(id: number): Promise<ThreadView | undefined> { return threadView(this.db, id); }
  async threads(page: { limit: number; offset: number }): Promise<{ total: number; threads: ThreadSummary[] }> { return threadList(this.db, page); }
  async timeline(filters: SearchFilters): Promise<TimelineDay[]> { return timeline(this.db, filters); }
  async correspondents(filters: SearchFilters, limit: number): Promise<Correspondents> { return correspondents(this.db, filters, limit); }
  async dashboard(): Promise<Dashboard> { return dashboard(this.db); }
  async failures(page: { limit: number; offset: number }): Promise<{ total: number; failures: { path: string; code: string; message: string }[] }> {
    return {
      total: this.db.prepare('SELECT count(*) FROM failures').pluck().get() as number,
      failures: this.db.prepare('SELECT path, code, message FROM failures ORDER BY path, code LIMIT ? OFFSET ?').all(page.limit, page.offset) as
        { path: string; code: string; message: string }[],
    };
  }
}
