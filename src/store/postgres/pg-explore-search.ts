// Faceted search for the explorer over PostgreSQL: the page of ids, the facet
// grouping and the rule counts run at once on three connections; snippets
// and details are then read for the page's rows alone.
import type { Kind, Verdict } from '../../core/types.ts';
import type { ExploreResult, FacetName, FacetValue, SearchFilters, SortOrder } from '../explore.ts';
import { CLOSE, OPEN, VERDICT_RANK, toSnippet } from '../sqlite/explore-search.ts';
import type { PgDb } from './pg-db.ts';
import { filterSql } from './pg-explore-filters.ts';

const FACET_LIMIT = 20;
// ts_headline re-reads the text (the index keeps no offsets): only its start is scanned.
const HEADLINE_CHARS = 60_000;
const HEADLINE_OPTIONS = `StartSel="${OPEN}", StopSel="${CLOSE}", MaxWords=16, MinWords=6, ShortWord=2, MaxFragments=1, FragmentDelimiter=" … "`;

/** Ranking like SQLite's bm25(5, 3, 1): weights {D, C, B, A} for body C, names B, title A. */
export const rankSql = (query: string) => `ts_rank('{0.1, 0.2, 0.6, 1.0}', t.tsv, ${query}, 1)`;

/** Headlines of the three searchable columns of `t`; pickHeadline keeps the one that shows a match. */
export const headlinesSql = (query: string) => `
  ts_headline('tamis', left(t.body, ${HEADLINE_CHARS}), ${query}, '${HEADLINE_OPTIONS}') AS h_body,
  ts_headline('tamis', t.title, ${query}, '${HEADLINE_OPTIONS}') AS h_title,
  ts_headline('tamis', t.names, ${query}, '${HEADLINE_OPTIONS}') AS h_names`;

export type Headlines = { h_body: string | null; h_title: string | null; h_names: string | null };

/** Like SQLite's snippet(-1): the column where the words were found, the body first. */
export function pickHeadline(r: Headlines): string {
  for (const h of [r.h_body, r.h_title, r.h_names]) if (h && h.includes(OPEN)) return h;
  return r.h_body ?? '';
}

const ORDER: Record<Exclude<SortOrder, 'relevance'>, string> = {
  newest: 'i.date DESC NULLS LAST, i.sha256',
  oldest: 'i.date ASC NULLS LAST, i.sha256',
  verdict: `${VERDICT_RANK}, i.date DESC NULLS LAST, i.sha256`,
};

type HitRow = Partial<Headlines> & {
  id: number; sha256: string; title: string | null; date: string | null; verdict: Verdict; sender: string | null; size: number;
  mime: string; kind: Kind | null; path: string; body: string | null;
};

export async function exploreSearch(db: PgDb, filters: SearchFilters, page: { limit: number; offset: number; sort?: SortOrder }): Promise<ExploreResult> {
  const f = await filterSql(db, filters);
  const sort = page.sort ?? (f.query ? 'relevance' : 'newest');
  const p = f.params.values;
  const ranked = sort === 'relevance' && f.query !== null;
  const order = ranked ? `${rankSql(`$${p.length + 3}::tsquery`)} DESC, i.id` : ORDER[sort === 'relevance' ? 'newest' : sort];
  const [ids, base, rules] = await Promise.all([
    db.rows<{ id: number }>(`SELECT i.id FROM ${f.from} WHERE ${f.where} ORDER BY ${order} LIMIT $${p.length + 1} OFFSET $${p.length + 2}`,
      [...p, page.limit, page.offset, ...(ranked ? [f.query!.rank] : [])]),
    // Facets: one grouping of the selection by every facet column at once, counted here.
    db.rows<{ verdict: string; kind: string; sender: string | null; mime: string; n: number }>(
      `SELECT i.verdict, coalesce(i.kind, 'other') AS kind, i.sender, i.mime, count(*) AS n FROM ${f.from} WHERE ${f.where} GROUP BY 1, 2, 3, 4`, p),
    db.rows<{ rule: string; n: number }>(`SELECT x.rule, count(DISTINCT x.item_id) AS n FROM findings x
      ${f.where === 'true' ? '' : `WHERE x.item_id IN (SELECT i.id FROM ${f.from} WHERE ${f.where})`}
      GROUP BY x.rule ORDER BY n DESC, x.rule LIMIT 40`, p),
  ]);

  const idList = ids.map((r) => r.id);
  const detail = idList.length ? await db.rows<HitRow>(`SELECT i.id, i.sha256, i.title, i.date, i.verdict, i.sender, i.size, i.mime, i.kind,
      ${f.query ? headlinesSql('$2::tsquery') : 'left(t.body, 200) AS body'},
      (SELECT path FROM occurrences o WHERE o.sha256 = i.sha256 ORDER BY o.path LIMIT 1) AS path
    FROM items i LEFT JOIN item_texts t ON t.item_id = i.id WHERE i.id = ANY ($1::bigint[])`,
  f.query ? [idList, f.query.rank] : [idList]) : [];
  const byId = new Map(detail.map((r) => [r.id, r]));
  const rows = idList.map((id) => byId.get(id)!).filter(Boolean);

  const counters = { verdict: new Map<string, number>(), kind: new Map<string, number>(), sender: new Map<string, number>(), domain: new Map<string, number>(), mime: new Map<string, number>() };
  const bump = (m: Map<string, number>, v: string, n: number) => m.set(v, (m.get(v) ?? 0) + n);
  let total = 0;
  for (const { verdict, kind, sender, mime, n } of base) {
    total += n;
    bump(counters.verdict, verdict, n);
    bump(counters.kind, kind, n);
    bump(counters.mime, mime, n);
    if (sender) {
      bump(counters.sender, sender, n);
      const at = sender.lastIndexOf('@');
      if (at >= 0) bump(counters.domain, sender.slice(at + 1), n);
    }
  }
  const top = (m: Map<string, number>, n: number): FacetValue[] =>
    [...m].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1)).slice(0, n);
  const facets: Record<FacetName, FacetValue[]> = {
    verdict: top(counters.verdict, 10), kind: top(counters.kind, 10), sender: top(counters.sender, FACET_LIMIT),
    domain: top(counters.domain, FACET_LIMIT), mime: top(counters.mime, FACET_LIMIT), rule: rules.map((r) => ({ value: r.rule, count: r.n })),
  };
  return {
    total,
    facets,
    hits: rows.map((r) => ({
      sha256: r.sha256, path: r.path, kind: r.kind ?? 'other', mime: r.mime, title: r.title, date: r.date,
      verdict: r.verdict, sender: r.sender, size: r.size,
      snippet: f.query ? toSnippet(pickHeadline(r as Headlines))
        : r.body ? [{ text: r.body.replace(/\s+/g, ' ').trim(), hit: false }] : [],
    })),
  };
}
