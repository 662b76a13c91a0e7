// The search box (src/search/fts-query.ts syntax) as a PostgreSQL tsquery.
// The user's words only ever travel as bound parameters: each term becomes
// phraseto_tsquery($n) (a word or a "phrase", parsed by the same parser and
// dictionaries as the index), or to_tsquery($n) on a quoted, escaped lexeme
// with :* for word*; the terms are combined with || (OR), && (AND) and
// !! (NOT) in SQL this module writes itself.
import { parseQuery, type QueryTerm } from '../../search/fts-query.ts';
import type { PgDb } from './pg-db.ts';

/** Punctuation read as a space, in the index (pg-schema.ts) as in queries: file names and addresses split into words. */
export const SPLIT_CHARS = '.@/\\_:;,!?+=#&~|<>()[]{}"*%^';

const splitWords = (text: string): string => [...text].map((c) => (SPLIT_CHARS.includes(c) ? ' ' : c)).join('');

/** tsquery syntax for a prefix: the words quoted (so no operator inside counts), then :*. */
export const prefixLexeme = (text: string): string => `'${splitWords(text).replace(/\\/g, '\\\\').replace(/'/g, "''")}':*`;

export function tsQuerySql(input: string): { sql: string; params: string[] } {
  const { groups, negatives } = parseQuery(input); // E_QUERY on an empty or exclusions-only query
  const params: string[] = [];
  const term = (t: QueryTerm): string => {
    params.push(t.prefix ? prefixLexeme(t.text) : splitWords(t.text));
    return t.prefix ? `to_tsquery('tamis', $${params.length})` : `phraseto_tsquery('tamis', $${params.length})`;
  };
  const positive = groups.map((g) => `(${g.map(term).join(' || ')})`).join(' && ');
  const negative = negatives.length ? negatives.map(term).join(' || ') : null;
  // Words the dictionaries drop (stop words like "le") leave an empty query,
  // which would turn "-x" alone into "everything but x": it matches nothing instead.
  // ts_rank scores a negation near zero: hits are ranked on the wanted words alone.
  const sql = `SELECT CASE WHEN numnode(p) = 0 THEN NULL ELSE ${negative ? 'p && !!n' : 'p'} END::text AS match, p::text AS rank
    FROM (SELECT ${positive} AS p${negative ? `, ${negative} AS n` : ''}) x`;
  return { sql, params };
}

export interface TsQuery {
  /** What a hit must match, as text to bind as `$k::tsquery` (the planner then sees a constant and uses the GIN index); null: nothing can match. */
  match: string | null;
  /** The wanted words only, for ts_rank and ts_headline. */
  rank: string;
}

export async function toTsQuery(db: PgDb, input: string): Promise<TsQuery> {
  const { sql, params } = tsQuerySql(input);
  const row = await db.one<{ match: string | null; rank: string }>(sql, params);
  return { match: row?.match ?? null, rank: row?.rank ?? '' };
}
