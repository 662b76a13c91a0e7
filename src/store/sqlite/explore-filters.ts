// Search-box words and facet choices -> one SQL FROM/WHERE over `items i`,
// shared by the hit list, the facets, the timeline and the correspondents so
// every view of a filtered set counts the same items.
import { TamisError } from '../../core/errors.ts';
import { toFtsQuery } from '../../search/fts-query.ts';
import type { SearchFilters } from '../explore.ts';

export interface FilterSql {
  /** FROM clause (with the full-text join when there are words). */
  from: string;
  where: string;
  params: Record<string, string>;
  hasQuery: boolean;
  /** Words and nothing else: the full-text index alone answers. */
  queryOnly: boolean;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const DOMAIN_SQL = "substr(i.sender, instr(i.sender, '@') + 1)";

export function checkDay(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!DAY.test(value)) throw new TamisError('E_API_INVALID', `${name} must be a day written YYYY-MM-DD, not "${value.slice(0, 40)}"`);
  return value;
}

export function filterSql(f: SearchFilters): FilterSql {
  const params: Record<string, string> = {};
  const where: string[] = [];
  const q = f.q?.trim() ?? '';
  let from = 'items i';
  if (q) {
    params.match = toFtsQuery(q);
    from = 'items_fts JOIN items i ON i.id = items_fts.rowid';
    where.push('items_fts MATCH @match');
  }
  const list = (name: string, values: string[] | undefined, column: string): void => {
    const vs = (values ?? []).filter((v) => v !== '');
    if (!vs.length) return;
    const names = vs.map((v, k) => { params[`${name}${k}`] = v; return `@${name}${k}`; });
    where.push(`${column} IN (${names.join(', ')})`);
  };
  list('kind', f.kind, "coalesce(i.kind, 'other')");
  list('verdict', f.verdict, 'i.verdict');
  list('sender', f.sender?.map((s) => s.toLowerCase()), 'i.sender');
  list('domain', f.domain?.map((s) => s.toLowerCase()), DOMAIN_SQL);
  list('mime', f.mime, 'i.mime');
  const rules = (f.rule ?? []).filter(Boolean);
  if (rules.length) {
    const names = rules.map((r, k) => { params[`rule${k}`] = r; return `@rule${k}`; });
    where.push(`EXISTS (SELECT 1 FROM findings x WHERE x.item_id = i.id AND x.rule IN (${names.join(', ')}))`);
  }
  const dateFrom = checkDay('dateFrom', f.dateFrom);
  const dateTo = checkDay('dateTo', f.dateTo);
  // Dates are stored as ISO strings: a day range is a string range.
  if (dateFrom) { params.dateFrom = dateFrom; where.push('i.date >= @dateFrom'); }
  if (dateTo) { params.dateTo = `${dateTo}\uffff`; where.push('i.date <= @dateTo'); }
  return { from, where: where.length ? where.join(' AND ') : '1', params, hasQuery: Boolean(q), queryOnly: Boolean(q) && where.length === 1 };
}
