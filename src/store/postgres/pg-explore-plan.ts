// How the explorer's search statements run over PostgreSQL: the planner
// settings they need, and the estimate that picks a plan shape for a
// selection's size (pg-explore-search.ts).
import type { PgDb } from './pg-db.ts';
import type { PgFilter } from './pg-explore-filters.ts';

// For each search statement only (SET LOCAL, in its own transaction):
// - work_mem: a common word has hundreds of thousands of matches in a
//   million items; their hash table, grouping and bitmap stay in memory
//   (a lossy bitmap would re-read every matching tsvector);
// - random_page_cost: the store is meant to sit in memory or on SSD; at the
//   server's default (4, spinning disks) the planner prefers scanning the
//   1 GB items heap to the narrow covering indexes (items_facet_cover);
// - jit: compiling these statements costs more (~0.3 s) than it saves.
const SETTINGS = "SET LOCAL work_mem = '64MB'; SET LOCAL random_page_cost = 1.1; SET LOCAL jit = off";

/** Rows of one search statement, under SETTINGS. */
export const searchRows = <T>(db: PgDb, sql: string, params: unknown[]): Promise<T[]> =>
  db.transaction((client) => db.rows<T>(sql, params, client), `BEGIN READ ONLY; ${SETTINGS}`);

type Explained = { 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] };
const planRows = async (db: PgDb, sql: string, params: unknown[] = []) =>
  (await db.rows<Explained>(`EXPLAIN (FORMAT JSON) ${sql}`, params))[0]!['QUERY PLAN'][0].Plan['Plan Rows'];

/**
 * Whether the selection is large enough that walking the items newest first
 * (and testing each against the words) finds `wanted` matches sooner than one
 * pass over all matches: the walk tests about wanted × items / matches items,
 * the pass visits every match; the walk is taken when it is clearly (4×)
 * cheaper, matches > 2·√(wanted × items). The planner's estimates (statistics
 * of the tsvectors and columns) are enough to choose, and cost one planning.
 */
export async function isLarge(db: PgDb, f: PgFilter, wanted: number): Promise<boolean> {
  const [matches, items] = await Promise.all([planRows(db, `SELECT 1 FROM ${f.from} WHERE ${f.where}`, f.params.values), planRows(db, 'SELECT 1 FROM items')]);
  return matches > 2 * Math.sqrt(wanted * items);
}
