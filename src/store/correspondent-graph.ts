// The correspondents graph from (sender, recipient, messages) rows, shared by
// both engines: each groups its emails' To and Cc addresses in SQL, the
// graph (merged edges, the `limit` busiest addresses, their display names)
// is made here, the same way for SQLite and PostgreSQL.
import type { Correspondents } from './explore.ts';

export type EdgeRow = { a: string; b: string | null; n: number };

/** The busiest addresses (sent + received) and the edges between them; names come from `nameOf`, called once with them all. */
export async function correspondentGraph(rows: EdgeRow[], limit: number,
  nameOf: (addresses: string[]) => Map<string, string> | Promise<Map<string, string>>): Promise<Correspondents> {
  const weight = new Map<string, { sent: number; received: number }>();
  const merged = new Map<string, { from: string; to: string; messages: number }>();
  for (const e of rows) {
    if (!e.b || e.a === e.b) continue;
    const key = `${e.a}\n${e.b}`;
    const m = merged.get(key) ?? { from: e.a, to: e.b, messages: 0 };
    m.messages += e.n;
    merged.set(key, m);
    const wa = weight.get(e.a) ?? { sent: 0, received: 0 };
    wa.sent += e.n; weight.set(e.a, wa);
    const wb = weight.get(e.b) ?? { sent: 0, received: 0 };
    wb.received += e.n; weight.set(e.b, wb);
  }
  const top = [...weight.entries()].sort((x, y) => (y[1].sent + y[1].received) - (x[1].sent + x[1].received) || x[0].localeCompare(y[0])).slice(0, limit);
  const keep = new Set(top.map(([a]) => a));
  const names = await nameOf([...keep]);
  return {
    nodes: top.map(([address, w]) => ({ address, name: names.get(address) ?? null, ...w })),
    edges: [...merged.values()].filter((e) => keep.has(e.from) && keep.has(e.to)).sort((x, y) => y.messages - x.messages || x.from.localeCompare(y.from)),
  };
}
