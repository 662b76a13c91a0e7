// Typed calls to the tamis API (docs/api.md). Shapes come from the server's own types.
import type {
  Correspondents, Dashboard, ExploreResult, ItemDetail, SearchFilters, SortOrder, ThreadSummary, ThreadView, TimelineDay,
} from '../../src/store/explore.ts';

export type { Correspondents, Dashboard, ExploreResult, ItemDetail, SearchFilters, SortOrder, ThreadSummary, ThreadView, TimelineDay };
export type { Verdict } from '../../src/core/types.ts';

export class ApiError extends Error {
  readonly code: string;
  constructor(code: string, message: string) { super(message); this.code = code; }
}

async function get<T>(path: string, params?: URLSearchParams): Promise<T> {
  const res = await fetch(params && params.size ? `${path}?${params}` : path, { headers: { accept: 'application/json' } });
  const body = await res.json().catch(() => null) as ({ error?: { code: string; message: string } } & T) | null;
  if (!res.ok || !body) throw new ApiError(body?.error?.code ?? 'E_NETWORK', body?.error?.message ?? `${res.status} ${res.statusText}`);
  return body;
}

const FILTER_KEYS = ['kind', 'verdict', 'sender', 'domain', 'mime', 'rule'] as const;
export type ListFilter = (typeof FILTER_KEYS)[number];
export { FILTER_KEYS };

/** Filters <-> URL query: the address bar always reflects the search. */
export function filtersFromParams(p: URLSearchParams): SearchFilters {
  const f: SearchFilters = { q: p.get('q') ?? '', dateFrom: p.get('from') ?? undefined, dateTo: p.get('to') ?? undefined };
  for (const k of FILTER_KEYS) f[k] = p.getAll(k);
  return f;
}

export function paramsFromFilters(f: SearchFilters, extra: Record<string, string | undefined> = {}): URLSearchParams {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  for (const k of FILTER_KEYS) for (const v of f[k] ?? []) p.append(k, v);
  if (f.dateFrom) p.set('from', f.dateFrom);
  if (f.dateTo) p.set('to', f.dateTo);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') p.set(k, v);
  return p;
}

export const api = {
  search: (f: SearchFilters, page: { limit: number; offset: number; sort?: SortOrder }) =>
    get<ExploreResult & { limit: number; offset: number }>('/api/search', paramsFromFilters(f, { limit: String(page.limit), offset: String(page.offset), sort: page.sort })),
  item: (sha: string) => get<ItemDetail>(`/api/items/${sha}`),
  diff: (copy: string, original: string) =>
    get<{ ops: { op: 'equal' | 'added' | 'removed'; text: string }[]; truncated: boolean }>(`/api/items/${copy}/diff`, new URLSearchParams({ against: original })),
  thread: (id: number) => get<ThreadView>(`/api/threads/${id}`),
  threads: (offset = 0) => get<{ total: number; threads: ThreadSummary[] }>('/api/threads', new URLSearchParams({ limit: '50', offset: String(offset) })),
  timeline: (f: SearchFilters) => get<{ days: TimelineDay[] }>('/api/timeline', paramsFromFilters(f)),
  correspondents: (f: SearchFilters, limit = 40) => get<Correspondents>('/api/correspondents', paramsFromFilters(f, { limit: String(limit) })),
  dashboard: () => get<Dashboard>('/api/dashboard'),
};
