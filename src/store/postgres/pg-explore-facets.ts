// The explorer's facets over PostgreSQL: how many selected items per verdict,
// kind, sender, domain, mime and finding rule, and the total (the sum of the
// grouping). Always exact, whatever the size of the selection.
//
// With words, reading the selection means visiting the heap of item_texts
// for every match (the GIN index holds no item ids): by far the dearest step
// for a common word. Each shape below reads the matches once.
import type { PgFilter } from './pg-explore-filters.ts';

// Rules: distinct (rule, item) pairs first, then counted; count(item_id)
// skips findings without an item, as count(DISTINCT item_id) would.
const rulesSql = (findings: string) => `SELECT rule, count(item_id) AS n FROM (SELECT x.rule, x.item_id FROM ${findings} GROUP BY 1, 2) r
  GROUP BY rule ORDER BY n DESC, rule LIMIT 40`;

/** Filters only: the grouping and the rules, two statements over covering indexes (items_facet_cover, findings_rule_item). */
export const filterFacetsSql = (f: PgFilter) => ({
  groups: `SELECT i.verdict, coalesce(i.kind, 'other') AS kind, i.sender, i.mime, count(*) AS n FROM ${f.from} WHERE ${f.where} GROUP BY 1, 2, 3, 4`,
  rules: rulesSql(`findings x${f.where === 'true' ? '' : ` WHERE x.item_id IN (SELECT i.id FROM ${f.from} WHERE ${f.where})`}`),
});

/**
 * A large selection in one pass: each match is grouped with the set of its
 * rules (findings aggregated per item, merged by item id), so the rule counts
 * come out of the same grouping, counted in tally() (facet-tally.ts).
 */
export const largeFacetsSql = (f: PgFilter) => `SELECT i.verdict, coalesce(i.kind, 'other') AS kind, i.sender, i.mime, r.rules, count(*) AS n
  FROM ${f.from} LEFT JOIN (SELECT item_id, array_agg(rule) AS rules FROM (SELECT DISTINCT item_id, rule FROM findings) d GROUP BY item_id) r ON r.item_id = i.id
  WHERE ${f.where} GROUP BY 1, 2, 3, 4, 5`;

/**
 * A smaller selection: its matches kept once (MATERIALIZED `m`, with what
 * ordering needs), then the grouping, the rules (their findings probed by
 * item id) and the page (`page`: SQL over `m` giving id and pos) from them.
 * Rows are told apart by `part`: 0 grouping, 1 rule, 2 page.
 */
export const smallFacetsSql = (f: PgFilter, page: string) => `WITH m AS MATERIALIZED (
    SELECT i.id, i.date, i.sha256, i.verdict, coalesce(i.kind, 'other') AS kind, i.sender, i.mime FROM ${f.from} WHERE ${f.where})
  SELECT 0 AS part, verdict, kind, sender, mime, NULL AS rule, count(*) AS n, NULL::bigint AS id FROM m GROUP BY 2, 3, 4, 5
  UNION ALL SELECT 1, NULL, NULL, NULL, NULL, rule, n, NULL FROM (${rulesSql('findings x JOIN m ON m.id = x.item_id')}) r
  UNION ALL SELECT 2, NULL, NULL, NULL, NULL, NULL, pos, id FROM (${page}) p`;
