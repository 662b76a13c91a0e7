// Users type words, not FTS5 syntax. Translate a search box into a safe FTS5
// expression: words are ANDed, "quoted phrases" kept, OR between terms,
// -word excludes, word* is a prefix. Anything else is quoted, so no input
// can raise an FTS5 syntax error. parseQuery is the same reading for the
// PostgreSQL store, which builds a tsquery from it (src/store/postgres/pg-tsquery.ts).
import { TamisError } from '../core/errors.ts';

type Token = { type: 'term'; text: string; prefix: boolean; negate: boolean } | { type: 'or' };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) { i++; continue; }
    let negate = false;
    if (c === '-' && i + 1 < input.length && !/\s/.test(input[i + 1]!)) { negate = true; i++; }
    if (input[i] === '"') {
      const end = input.indexOf('"', i + 1);
      const text = input.slice(i + 1, end === -1 ? input.length : end);
      i = end === -1 ? input.length : end + 1;
      if (text.trim()) tokens.push({ type: 'term', text, prefix: false, negate });
      continue;
    }
    let j = i;
    while (j < input.length && !/\s/.test(input[j]!)) j++;
    let word = input.slice(i, j);
    i = j;
    if (!negate && word === 'OR') { tokens.push({ type: 'or' }); continue; }
    const prefix = word.endsWith('*');
    word = word.replace(/\*+$/, '');
    if (word) tokens.push({ type: 'term', text: word, prefix, negate });
  }
  return tokens;
}

const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;

export interface QueryTerm { text: string; prefix: boolean }

/**
 * The search box parsed, for every store engine: groups of alternatives
 * (a OR b), all groups required, and the excluded terms.
 */
export interface ParsedQuery { groups: QueryTerm[][]; negatives: QueryTerm[] }

export function parseQuery(input: string): ParsedQuery {
  const groups: QueryTerm[][] = [];
  const negatives: QueryTerm[] = [];
  let joinWithPrevious = false;
  for (const t of tokenize(input)) {
    if (t.type === 'or') { joinWithPrevious = groups.length > 0; continue; }
    const term = { text: t.text, prefix: t.prefix };
    if (t.negate) { negatives.push(term); joinWithPrevious = false; continue; }
    if (joinWithPrevious) groups[groups.length - 1]!.push(term);
    else groups.push([term]);
    joinWithPrevious = false;
  }
  if (groups.length === 0) {
    throw new TamisError('E_QUERY', negatives.length ? 'a query needs at least one word to look for, not only exclusions' : 'the query is empty');
  }
  return { groups, negatives };
}

export function toFtsQuery(input: string): string {
  const { groups: parsed, negatives: excluded } = parseQuery(input);
  const expr = (t: QueryTerm) => quote(t.text) + (t.prefix ? '*' : '');
  const groups = parsed.map((g) => g.map(expr));
  const negatives = excluded.map(expr);
  const positive = groups.map((g) => (g.length > 1 ? `(${g.join(' OR ')})` : g[0]!)).join(' AND ');
  const left = groups.length > 1 ? `(${positive})` : positive;
  return negatives.length ? `${left} NOT (${negatives.join(' OR ')})` : positive;
}
