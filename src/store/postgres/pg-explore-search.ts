// Faceted search for the explorer over PostgreSQL: the page of ids and the
// facets (pg-explore-facets.ts), in one statement or at once on two
// connections depending on the selection's size (pg-explore-plan.ts);
// snippets and details are then read for the page's rows alone.
import type { Kind, Verdict } from '../../core/types.ts';
import type { ExploreResult, SearchFilters, SortOrder } from '../explore.ts';
import { CLOSE, OPEN, VERDICT_RANK, toSnippet } from '../sqlite/explore-search.ts';
import type { PgDb } from './pg-db.ts';
import { filterSql, type PgFilter } from './pg-explore-filters.ts';
import { filterFacetsSql, largeFacetsSql, smallFacetsSql } from './pg-explore-facets.ts';
import { tally, type GroupRow, type RuleRow } from '../facet-tally.ts';
import { isLarge, searchRows } from './pg-explore-plan.ts';

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

// Relevance reads the tsvector of every ranked match (ts_rank; the GIN index
// only says which items match): for a word in a third of a million items
// that is seconds. So the ranking covers the RANKED newest matches: with
// fewer matches, as in most searches, all are ranked and the order is exact;
// with more, the top hits are the most relevant of the newest RANKED, and
// pages past RANKED go on in newest order. The total and the facets always
// count every match (pg-explore-facets.ts).
export const RANKED = 1000;

type HitRow = Partial<Headlines> & {
  id: number; sha256: string; title: string | null; date: string | null; verdict: Verdict; sender: string | null; size: number;
  mime: string; kind: Kind | null; path: string; body: string | null;
};
type Page = { limit: number; offset: number; sort?: SortOrder };
type Shape = 'large' | 'small';

async function pageIds(db: PgDb, f: PgFilter, order: string, limit: number, offset: number): Promise<number[]> {
  const n = f.params.values.length;
  return (await searchRows<{ id: number }>(db, `SELECT i.id FROM ${f.from} WHERE ${f.where} ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...f.params.values, limit, offset])).map((r) => r.id);
}

/** Ids of a page in relevance order, for a large selection: the newest RANKED found by a walk of items_newest, ranked. */
async function rankedIds(db: PgDb, f: PgFilter, limit: number, offset: number): Promise<number[]> {
  const n = f.params.values.length;
  const ranked = offset < RANKED ? searchRows<{ id: number }>(db, `SELECT c.id FROM (
      SELECT i.id FROM ${f.from} WHERE ${f.where} ORDER BY ${ORDER.newest} LIMIT ${RANKED}) c
    JOIN item_texts t ON t.item_id = c.id
    ORDER BY ${rankSql(`$${n + 3}::tsquery`)} DESC, c.id LIMIT $${n + 1} OFFSET $${n + 2}`,
  [...f.params.values, Math.min(limit, RANKED - offset), offset, f.query!.rank]) : Promise.resolve([]);
  const rest = offset + limit > RANKED
    ? pageIds(db, f, ORDER.newest, offset + limit - Math.max(offset, RANKED), Math.max(offset, RANKED)) : Promise.resolve([]);
  const [head, tail] = await Promise.all([ranked, rest]);
  return [...head.map((r) => r.id), ...tail];
}

/** The same page as SQL over the kept matches `m` (smallFacetsSql), positions from 1; `$k` are the limit, offset and rank query. */
function pageOverMatches(order: string | null, page: Page, k: number): string {
  const window = (sql: string) => `SELECT id, pos FROM (${sql}) o WHERE pos > $${k + 1} AND pos <= $${k + 1} + $${k}`;
  if (order) return window(`SELECT i.id, row_number() OVER (ORDER BY ${order}) AS pos FROM m i`);
  const ranked = window(`SELECT c.id, row_number() OVER (ORDER BY ${rankSql(`$${k + 2}::tsquery`)} DESC, c.id) AS pos
      FROM (SELECT i.id FROM m i ORDER BY ${ORDER.newest} LIMIT ${RANKED}) c JOIN item_texts t ON t.item_id = c.id`);
  return page.offset + page.limit <= RANKED ? ranked
    : `${ranked} UNION ALL ${window(`SELECT i.id, row_number() OVER (ORDER BY ${ORDER.newest}) AS pos FROM m i`)} AND pos > ${RANKED}`;
}

/** Page ids, total and facets; `shape` forces one plan (tests run both). */
async function select(db: PgDb, f: PgFilter, page: Page, shape?: Shape): Promise<[number[], ReturnType<typeof tally>]> {
  const sort = page.sort ?? (f.query ? 'relevance' : 'newest');
  const order = sort === 'relevance' && f.query ? null : ORDER[sort === 'relevance' ? 'newest' : sort];
  const p = f.params.values;
  if (!f.query) {
    const sql = filterFacetsSql(f);
    const [ids, groups, rules] = await Promise.all([pageIds(db, f, order!, page.limit, page.offset),
      searchRows<GroupRow>(db, sql.groups, p), searchRows<RuleRow>(db, sql.rules, p)]);
    return [ids, tally(groups, rules)];
  }
  if (shape ? shape === 'large' : await isLarge(db, f, RANKED)) {
    // The page by a walk of items_newest, beside one pass over the matches for the facets.
    const [ids, groups] = await Promise.all([order ? pageIds(db, f, order, page.limit, page.offset) : rankedIds(db, f, page.limit, page.offset),
      searchRows<GroupRow>(db, largeFacetsSql(f), p)]);
    return [ids, tally(groups, null)];
  }
  const rows = await searchRows<GroupRow & RuleRow & { part: number; id: number }>(db, smallFacetsSql(f, pageOverMatches(order, page, p.length + 1)),
    [...p, page.limit, page.offset, ...(order ? [] : [f.query.rank])]);
  const ids = rows.filter((r) => r.part === 2).sort((a, b) => a.n - b.n).map((r) => r.id);
  return [ids, tally(rows.filter((r) => r.part === 0), rows.filter((r) => r.part === 1))];
}

export async function exploreSearch(db: PgDb, filters: SearchFilters, page: Page, shape?: Shape): Promise<ExploreResult> {
  const f = await filterSql(db, filters);
  const [idList, { total, facets }] = await select(db, f, page, shape);

  const detail = idList.length ? await db.rows<HitRow>(`SELECT i.id, i.sha256, i.title, i.date, i.verdict, i.sender, i.size, i.mime, i.kind,
      ${f.query ? headlinesSql('$2::tsquery') : 'left(t.body, 200) AS body'},
      (SELECT path FROM occurrences o WHERE o.sha256 = i.sha256 ORDER BY o.path LIMIT 1) AS path
    FROM items i LEFT JOIN item_texts t ON t.item_id = i.id WHERE i.id = ANY ($1::bigint[])`,
  f.query ? [idList, f.query.rank] : [idList]) : [];
  const byId = new Map(detail.map((r) => [r.id, r]));
  const rows = idList.map((id) => byId.get(id)!).filter(Boolean);

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
