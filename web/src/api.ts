// Typed calls to the tamis API (docs/api.md). Shapes come from the server's own types.
import { currentInvestigation } from './router.tsx';
import type {
  Correspondents, Dashboard, ExploreResult, ItemDetail, SearchFilters, SortOrder, ThreadSummary, ThreadView, TimelineDay,
} from '../../src/store/explore.ts';

export type { Correspondents, Dashboard, ExploreResult, ItemDetail, SearchFilters, SortOrder, ThreadSummary, ThreadView, TimelineDay };
export type { Verdict } from '../../src/core/types.ts';

export class ApiError extends Error {
  readonly code: string;
  constructor(code: string, message: string) { super(message); this.code = code; }
}

/** Where an investigation's routes are: /api in local mode, /api/investigations/:id in team mode (from the address bar). */
export function apiUrl(path: string): string {
  const inv = currentInvestigation();
  return `${inv ? `/api/investigations/${inv}` : '/api'}${path}`;
}

// Team mode: the session's CSRF token (from login or /api/me), sent with every state-changing request.
let csrfToken = '';
export const setCsrfToken = (token: string) => { csrfToken = token; };
// Called when a request answers 401: the session is gone, the UI shows the login page.
let onUnauthenticated: () => void = () => {};
export const setOnUnauthenticated = (f: () => void) => { onUnauthenticated = f; };

async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 204) return undefined as T;
  const json = await res.json().catch(() => null) as ({ error?: { code: string; message: string } } & T) | null;
  if (!res.ok || !json) {
    const err = new ApiError(json?.error?.code ?? 'E_NETWORK', json?.error?.message ?? `${res.status} ${res.statusText}`);
    if (err.code === 'E_API_UNAUTHENTICATED' && url !== '/api/login' && url !== '/api/me') onUnauthenticated();
    throw err;
  }
  return json;
}

/** A route of the current investigation (or of the local store). */
const get = <T,>(path: string, params?: URLSearchParams): Promise<T> => request<T>('GET', apiUrl(params && params.size ? `${path}?${params}` : path));

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
    get<ExploreResult & { limit: number; offset: number }>('/search', paramsFromFilters(f, { limit: String(page.limit), offset: String(page.offset), sort: page.sort })),
  item: (sha: string) => get<ItemDetail>(`/items/${sha}`),
  diff: (copy: string, original: string) =>
    get<{ ops: { op: 'equal' | 'added' | 'removed'; text: string }[]; truncated: boolean }>(`/items/${copy}/diff`, new URLSearchParams({ against: original })),
  thread: (id: number) => get<ThreadView>(`/threads/${id}`),
  threads: (offset = 0) => get<{ total: number; threads: ThreadSummary[] }>('/threads', new URLSearchParams({ limit: '50', offset: String(offset) })),
  timeline: (f: SearchFilters) => get<{ days: TimelineDay[] }>('/timeline', paramsFromFilters(f)),
  correspondents: (f: SearchFilters, limit = 40) => get<Correspondents>('/correspondents', paramsFromFilters(f, { limit: String(limit) })),
  dashboard: () => get<Dashboard>('/dashboard'),
};

// Team mode (docs/api.md, "Team mode").
export type Role = 'reader' | 'editor' | 'admin';
export interface Me { user: { name: string }; csrfToken: string; investigations: { id: string; name: string; role: Role }[] }
export interface AuditEntry { id: number; at: string; actor: string; action: string; target: string | null; client: string | null; detail: Record<string, unknown> | null }
export interface Member { user: string; role: Role; grantedAt: string }

export const teamApi = {
  me: () => request<Me>('GET', '/api/me'),
  login: (user: string, password: string) => request<Me>('POST', '/api/login', { user, password }),
  logout: () => request<void>('POST', '/api/logout'),
  audit: (params: URLSearchParams) => get<{ total: number; entries: AuditEntry[]; limit: number; offset: number }>('/audit', params),
  members: () => get<{ members: Member[] }>('/members'),
  grant: (user: string, role: Role) => request<{ members: Member[] }>('PUT', apiUrl(`/members/${encodeURIComponent(user)}`), { role }),
  revoke: (user: string) => request<{ members: Member[] }>('DELETE', apiUrl(`/members/${encodeURIComponent(user)}`)),
};
