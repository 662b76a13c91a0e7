// Stored threads (computed by the analysis, src/analyze/corpus/threads.ts) as trees for the UI.
import type { ThreadSummary, ThreadView } from '../explore.ts';
import type { PgDb } from './pg-db.ts';
import { itemLinks } from './pg-explore-item.ts';

export async function threadView(db: PgDb, id: number): Promise<ThreadView | undefined> {
  const rows = await db.rows<{ ord: number; parent: number | null; sha256: string | null; message_id: string | null; date: string | null; sender: string | null }>(
    `SELECT t.ord, t.parent, t.sha256, t.message_id, i.date, i.sender FROM threads t LEFT JOIN items i ON i.sha256 = t.sha256
     WHERE t.thread = $1 ORDER BY t.ord`, [id]);
  if (!rows.length) return undefined;
  const links = await itemLinks(db, rows.map((r) => r.sha256).filter((s): s is string => Boolean(s)));
  const nodes = rows.map((r) => ({
    index: r.ord, parent: r.parent, messageId: r.message_id,
    item: r.sha256 ? { ...links.get(r.sha256)!, date: r.date, sender: r.sender } : null,
  }));
  const first = nodes.find((n) => n.item?.title)?.item?.title ?? null;
  return { id, subject: first, nodes };
}

export async function threadList(db: PgDb, page: { limit: number; offset: number }): Promise<{ total: number; threads: ThreadSummary[] }> {
  const [count, threads] = await Promise.all([
    db.one<{ n: number }>('SELECT count(DISTINCT thread) AS n FROM threads'),
    db.rows<ThreadSummary>(`SELECT t.thread AS id, count(t.sha256) AS messages, min(i.date) AS first, max(i.date) AS last,
        (SELECT i2.title FROM threads t2 JOIN items i2 ON i2.sha256 = t2.sha256 WHERE t2.thread = t.thread ORDER BY t2.ord LIMIT 1) AS subject
      FROM threads t LEFT JOIN items i ON i.sha256 = t.sha256
      GROUP BY t.thread ORDER BY messages DESC, t.thread LIMIT $1 OFFSET $2`, [page.limit, page.offset]),
  ]);
  // Same key order as the SQLite explorer's rows.
  return { total: count!.n, threads: threads.map((t) => ({ id: t.id, messages: t.messages, first: t.first, last: t.last, subject: t.subject })) };
}
