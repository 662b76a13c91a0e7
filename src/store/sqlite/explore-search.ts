// Faceted search for the explorer: one query for the page of hits, one for
// every facet over the same filtered set (materialised once).
import type Database from 'better-sqlite3';
import type { Kind, Verdict } from '../../core/types.ts';
import type { ExploreResult, FacetName, FacetValue, SearchFilters, Snippet, SortOrder } from '../explore.ts';
import { DOMAIN_SQL, filterSql } from './explore-filters.ts';

const FACET_LIMIT = 20;
// Private-use markers around matched words: split into runs, never shown.
const OPEN = '\u{F0001}';
const CLOSE = '\u{F0002}';

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
  relevance: 'bm25(items_fts, 5.0, 3.0, 1.0), i.sha256',
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
  const ids = db.prepare(`SELECT i.id FROM ${f.from} WHERE ${f.where} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
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

  const facetRows = db.prepare(`
    WITH base AS MATERIALIZED (SELECT i.sha256, i.verdict, i.sender, i.mime, coalesce(i.kind, 'other') AS kind FROM ${f.from} WHERE ${f.where})
    SELECT 'total' AS facet, NULL AS value, count(*) AS n FROM base
    UNION ALL SELECT 'kind', kind, count(*) FROM base GROUP BY kind
    UNION ALL SELECT 'verdict', verdict, count(*) FROM base GROUP BY verdict
    UNION ALL SELECT * FROM (SELECT 'sender', sender, count(*) AS n FROM base WHERE sender IS NOT NULL GROUP BY sender ORDER BY n DESC, sender LIMIT ${FACET_LIMIT})
    UNION ALL SELECT * FROM (SELECT 'domain', ${DOMAIN_SQL.replaceAll('i.', '')} AS d, count(*) AS n FROM base WHERE sender LIKE '%@%' GROUP BY d ORDER BY n DESC, d LIMIT ${FACET_LIMIT})
    UNION ALL SELECT * FROM (SELECT 'mime', mime, count(*) AS n FROM base GROUP BY mime ORDER BY n DESC, mime LIMIT ${FACET_LIMIT})
    UNION ALL SELECT * FROM (SELECT 'rule', x.rule, count(DISTINCT x.sha256) AS n FROM base JOIN findings x ON x.sha256 = base.sha256
      GROUP BY x.rule ORDER BY n DESC, x.rule LIMIT 40)`).all(f.params) as { facet: FacetName | 'total'; value: string | null; n: number }[];

  const facets: Record<FacetName, FacetValue[]> = { kind: [], verdict: [], sender: [], domain: [], mime: [], rule: [] };
  let total = 0;
  for (const r of facetRows) {
    if (r.facet === 'total') total = r.n;
    else if (r.value !== null) facets[r.facet].push({ value: r.value, count: r.n });
  }
  for (const k of ['kind', 'verdict'] as const) facets[k].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
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
