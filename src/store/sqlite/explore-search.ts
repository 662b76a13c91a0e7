// Faceted search for the explorer: one query for the page of hits, one for
// every facet over the same filtered set (materialised once).
import type Database from 'better-sqlite3';
import type { Kind, Verdict } from '../../core/types.ts';
import type { ExploreResult, SearchFilters, Snippet, SortOrder } from '../explore.ts';
import { tally } from '../facet-tally.ts';
import { filterSql } from './explore-filters.ts';

// Private-use markers around matched words: split into runs, never shown.
export const OPEN = '\u{F0001}';
export const CLOSE = '\u{F0002}';

export const VERDICT_RANK = "CASE i.verdict WHEN 'tampered' THEN 0 WHEN 'suspicious' THEN 1 WHEN 'verified' THEN 2 WHEN 'corroborated' THEN 3 ELSE 4 END";

export function toSnippet(raw: string): Snippet {
  const runs: Snippet = [];
  let rest = raw.replace(/\s+/g, ' ');
  while (rest) {
    const open = rest.indexOf(OPEN);
    if (open < 0) { runs.push({ text: rest, hit: false }); break; }
    if (open > 0) runs.push({ text: rest.slice(0, open), hit: false });
    const close = rest.indexOf(CLOSE, open);
    const end = close < 0 ? rest.length : close;
    runs.push({ text: rest.slice(open + OPEN.length, end), hit: true });
    rest = close < 0 ? '' : rest.slice(close + CLOSE.length);
  }
  return runs.filter((r) => r.text);
}

const ORDER: Record<SortOrder, string> = {
  relevance: 'bm25(items_fts, 5.0, 3.0, 1.0), items_fts.rowid',
  newest: 'i.date IS NULL, i.date DESC, i.sha256',
  oldest: 'i.date IS NULL, i.date ASC, i.sha256',
  verdict: `${VERDICT_RANK}, i.date IS NULL, i.date DESC, i.sha256`,
};

interface HitRow {
  sha256: string; title: string | null; date: string | null; verdict: Verdict; sender: string | null; size: number;
  mime: string; kind: Kind | null; path: string; snippet: string | null; body: string | null;
}

export function exploreSearch(db: Database.Database, filters: SearchFilters, page: { limit: number; offset: number; sort?: SortOrder }): ExploreResult {
  const f = filterSql(filters);
  const sort = page.sort ?? (f.hasQuery ? 'relevance' : 'newest');
  const order = sort === 'relevance' && !f.hasQuery ? ORDER.newest : ORDER[sort];
  // The page first (ids only), then snippets and details for its rows alone:
  // computed in the ranking query they would cost one per match, not per hit.
  const pageSql = f.queryOnly && sort === 'relevance'
    ? `SELECT rowid FROM items_fts WHERE items_fts MATCH @match ORDER BY ${order} LIMIT @limit OFFSET @offset`
    : `SELECT i.id FROM ${f.from} WHERE ${f.where} ORDER BY ${order} LIMIT @limit OFFSET @offset`;
  const ids = db.prepare(pageSql)
    .pluck().all({ ...f.params, limit: page.limit, offset: page.offset }) as number[];
  const snippets = new Map<number, string>();
  if (f.hasQuery && ids.length) {
    const rows = db.prepare(`SELECT rowid AS id, snippet(items_fts, -1, '${OPEN}', '${CLOSE}', '…', 16) AS s FROM items_fts
      WHERE items_fts MATCH @match AND rowid IN (${ids.join(',')})`).all({ match: f.params.match }) as { id: number; s: string }[];
    for (const r of rows) snippets.set(r.id, r.s);
  }
  const detail = db.prepare(`SELECT i.sha256, i.title, i.date, i.verdict, i.sender, i.size, i.mime, i.kind,
      ${f.hasQuery ? 'NULL' : '(SELECT substr(body, 1, 200) FROM items_fts WHERE rowid = i.id)'} AS body,
      (SELECT path FROM occurrences o WHERE o.sha256 = i.sha256 ORDER BY o.path LIMIT 1) AS path
    FROM items i WHERE i.id = ?`);
  const rows = ids.map((id) => ({ ...(detail.get(id) as HitRow), snippet: snippets.get(id) ?? null }));

  // Facets: one grouping of the selection by every facet column at once
  // (a few hundred combinations, counted here), and one integer join for rules.
  const groups = (db.prepare(`SELECT i.verdict, coalesce(i.kind, 'other'), i.sender, i.mime, count(*) FROM ${f.from} WHERE ${f.where} GROUP BY 1, 2, 3, 4`)
    .raw().all(f.params) as [string, string, string | null, string, number][]).map(([verdict, kind, sender, mime, n]) => ({ verdict, kind, sender, mime, n }));
  const selection = f.where === '1' ? '' : f.queryOnly ? 'WHERE x.item_id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH @match)'
    : `WHERE x.item_id IN (SELECT i.id FROM ${f.from} WHERE ${f.where})`;
  const rules = db.prepare(`SELECT x.rule, count(DISTINCT x.item_id) AS n FROM findings x ${selection} GROUP BY x.rule ORDER BY n DESC, x.rule LIMIT 40`)
    .all(f.where === '1' ? {} : f.params) as { rule: string; n: number }[];
  const { total, facets } = tally(groups, rules);
  return {
    total,
    facets,
    hits: rows.map((r) => ({
      sha256: r.sha256, path: r.path, kind: r.kind ?? 'other', mime: r.mime, title: r.title, date: r.date,
      verdict: r.verdict, sender: r.sender, size: r.size,
      snippet: r.snippet !== null ? toSnippet(r.snippet) : r.body ? [{ text: r.body.replace(/\s+/g, ' ').trim(), hit: false }] : [],
    })),
  };
}
