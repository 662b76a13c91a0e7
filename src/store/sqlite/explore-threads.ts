// Stored threads (computed by the analysis, src/analyze/corpus/threads.ts) as trees for the UI.
import type Database from 'better-sqlite3';
import type { ThreadSummary, ThreadView } from '../explore.ts';
import { itemLinks } from './explore-item.ts';

export function threadView(db: Database.Database, id: number): ThreadView | undefined {
  const rows = db.prepare('SELECT ord, parent, sha256, message_id FROM threads WHERE thread = ? ORDER BY ord').all(id) as
    { ord: number; parent: number | null; sha256: string | null; message_id: string | null }[];
  if (!rows.length) return undefined;
  const shas = rows.map((r) => r.sha256).filter((s): s is string => Boolean(s));
  const links = itemLinks(db, shas);
  const extra = new Map<string, { date: string | null; sender: string | null }>();
  const stmt = db.prepare('SELECT date, sender FROM items WHERE sha256 = ?');
  for (const s of shas) extra.set(s, (stmt.get(s) as { date: string | null; sender: string | null } | undefined) ?? { date: null, sender: null });
  const nodes = rows.map((r) => ({
    index: r.ord, parent: r.parent, messageId: r.message_id,
    item: r.sha256 ? { ...links.get(r.sha256)!, ...extra.get(r.sha256)! } : null,
  }));
  const first = nodes.find((n) => n.item?.title)?.item?.title ?? null;
  return { id, subject: first, nodes };
}

export function threadList(db: Database.Database, page: { limit: number; offset: number }): { total: number; threads: ThreadSummary[] } {
  const total = db.prepare('SELECT count(DISTINCT thread) FROM threads').pluck().get() as number;
  const rows = db.prepare(`SELECT t.thread AS id, count(t.sha256) AS messages, min(i.date) AS first, max(i.date) AS last,
      (SELECT i2.title FROM threads t2 JOIN items i2 ON i2.sha256 = t2.sha256 WHERE t2.thread = t.thread ORDER BY t2.ord LIMIT 1) AS subject
    FROM threads t LEFT JOIN items i ON i.sha256 = t.sha256
    GROUP BY t.thread ORDER BY messages DESC, t.thread LIMIT ? OFFSET ?`).all(page.limit, page.offset) as ThreadSummary[];
  return { total, threads: rows };
}

