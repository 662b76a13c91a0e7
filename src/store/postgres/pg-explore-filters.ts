// Search-box words and facet choices -> one SQL FROM/WHERE over `items i`,
// as src/store/sqlite/explore-filters.ts does for SQLite: the hit list, the
// facets, the timeline and the correspondents count the same items.
import type { SearchFilters } from '../explore.ts';
import { checkDay } from '../sqlite/explore-filters.ts';
import type { PgDb } from './pg-db.ts';
import { toTsQuery } from './pg-tsquery.ts';

/** Bound parameters, numbered as they are added. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

export interface PgFilter {
  /** FROM clause (with the searchable text joined when there are words). */
  from: string;
  where: string;
  params: Params;
  /** With words: the tsquery of the wanted words, to rank and highlight by (bound by the caller that needs it). */
  query: { rank: string } | null;
}

export const DOMAIN_SQL = "substr(i.sender, strpos(i.sender, '@') + 1)";

export async function filterSql(db: PgDb, f: SearchFilters): Promise<PgFilter> {
  const params = new Params();
  const where: string[] = [];
  const q = f.q?.trim() ?? '';
  let from = 'items i';
  let query: PgFilter['query'] = null;
  if (q) {
    const ts = await toTsQuery(db, q);
    // A query no word of which can match (stop words only) binds NULL: nothing matches.
    where.push(`t.tsv @@ ${params.add(ts.match)}::tsquery`);
    query = { rank: ts.rank };
    from = 'items i JOIN item_texts t ON t.item_id = i.id';
  }
  const list = (values: string[] | undefined, column: string): void => {
    const vs = (values ?? []).filter((v) => v !== '');
    if (vs.length) where.push(`${column} = ANY (${params.add(vs)}::text[])`);
  };
  list(f.kind, "coalesce(i.kind, 'other')");
  list(f.verdict, 'i.verdict');
  list(f.sender?.map((s) => s.toLowerCase()), 'i.sender');
  list(f.domain?.map((s) => s.toLowerCase()), DOMAIN_SQL);
  list(f.mime, 'i.mime');
  const rules = (f.rule ?? []).filter(Boolean);
  if (rules.length) where.push(`EXISTS (SELECT 1 FROM findings x WHERE x.item_id = i.id AND x.rule = ANY (${params.add(rules)}::text[]))`);
  const dateFrom = checkDay('dateFrom', f.dateFrom);
  const dateTo = checkDay('dateTo', f.dateTo);
  // Dates are stored as ISO strings: a day range is a string range.
  if (dateFrom) where.push(`i.date >= ${params.add(dateFrom)}`);
  if (dateTo) where.push(`i.date <= ${params.add(`${dateTo}\uffff`)}`);
  return { from, where: where.length ? where.join(' AND ') : 'true', params, query };
}
