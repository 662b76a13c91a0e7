// Query-string values -> typed options. Repeated keys (?verdict=a&verdict=b)
// arrive as arrays; anything malformed is an E_API_INVALID, never a 500.
import type { SearchFilters, SortOrder } from '../store/explore.ts';
import { apiError } from './api-errors.ts';

export type Query = Record<string, string | string[] | undefined>;

const MAX_VALUE = 1000;

export function one(q: Query, name: string): string | undefined {
  const v = q[name];
  const s = Array.isArray(v) ? v[v.length - 1] : v;
  if (s !== undefined && s.length > MAX_VALUE) throw apiError('E_API_INVALID', `${name} is longer than ${MAX_VALUE} characters`);
  return s;
}

export function many(q: Query, name: string): string[] {
  const v = q[name];
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
  if (list.length > 50) throw apiError('E_API_INVALID', `at most 50 values of ${name}`);
  return list.filter((s) => s !== '').map((s) => s.slice(0, MAX_VALUE));
}

export function int(q: Query, name: string, fallback: number, min: number, max: number): number {
  const s = one(q, name);
  if (s === undefined || s === '') return fallback;
  const n = Number(s);
  if (!Number.isInteger(n) || n < min || n > max) throw apiError('E_API_INVALID', `${name} must be a whole number from ${min} to ${max}`);
  return n;
}

export function filters(q: Query): SearchFilters {
  return {
    q: one(q, 'q'), kind: many(q, 'kind'), verdict: many(q, 'verdict'), sender: many(q, 'sender'), domain: many(q, 'domain'),
    mime: many(q, 'mime'), rule: many(q, 'rule'), dateFrom: one(q, 'from'), dateTo: one(q, 'to'),
  };
}

const SORTS: SortOrder[] = ['relevance', 'newest', 'oldest', 'verdict'];
export function sort(q: Query): SortOrder | undefined {
  const s = one(q, 'sort');
  if (s === undefined || s === '') return undefined;
  if (!SORTS.includes(s as SortOrder)) throw apiError('E_API_INVALID', `sort must be one of ${SORTS.join(', ')}`);
  return s as SortOrder;
}

const SHA256 = /^[0-9a-f]{64}$/;
export function sha(value: string): string {
  if (!SHA256.test(value)) throw apiError('E_API_NOT_FOUND', 'an item is named by its SHA-256 (64 lowercase hex digits)');
  return value;
}
