// What the web UI and its API read from a store: faceted search, one item
// with everything known about it, threads, timeline, correspondents and the
// verification dashboard. Both store engines implement it; the shapes are the
// API's (docs/api.md), so the server passes them through.
import type { Finding, Kind, Metadata, Verdict } from '../core/types.ts';
import type { Effect } from '../analyze/verdict.ts';
import type { Role } from './store.ts';

export type SortOrder = 'relevance' | 'newest' | 'oldest' | 'verdict';

export interface SearchFilters {
  /** Words as typed in the search box (same syntax as `tamis search`); empty lists everything. */
  q?: string;
  kind?: string[];
  verdict?: string[];
  sender?: string[];
  domain?: string[];
  mime?: string[];
  rule?: string[];
  /** Inclusive day bounds, YYYY-MM-DD. */
  dateFrom?: string;
  dateTo?: string;
}

/** A snippet as text runs, `hit` marking the matched words: no markup to escape or inject. */
export type Snippet = { text: string; hit: boolean }[];

export interface ExploreHit {
  sha256: string; path: string; kind: Kind; mime: string; title: string | null; date: string | null;
  verdict: Verdict; sender: string | null; size: number; snippet: Snippet;
}

export interface FacetValue { value: string; count: number }
export type FacetName = 'kind' | 'verdict' | 'sender' | 'domain' | 'mime' | 'rule';

export interface ExploreResult {
  total: number;
  hits: ExploreHit[];
  facets: Record<FacetName, FacetValue[]>;
}

export interface ItemFinding extends Finding { analyzer: string; effect: Effect }

export interface ItemLink { sha256: string; path: string | null; title: string | null; verdict: Verdict | null; mime: string | null; kind: Kind | null }

export interface ItemDetail {
  sha256: string; size: number; mime: string; ingestor: string | null; title: string | null; date: string | null;
  kind: Kind; verdict: Verdict; status: 'done' | 'failed'; errorCode: string | null; errorMessage: string | null;
  /** Metadata as extracted, without the email's HTML body (served sanitised on its own). */
  meta: Metadata;
  hasHtml: boolean;
  text: string;
  textLength: number;
  textTruncated: boolean;
  paths: { path: string; role: Role; kind: Kind; name: string; parentSha256: string | null; parentPath: string | null }[];
  parents: ItemLink[];
  children: (ItemLink & { name: string; role: Role; size: number })[];
  findings: ItemFinding[];
  /** Items the findings point at (the verified original of an altered copy, the email carrying an attachment). */
  related: ItemLink[];
  failures: { path: string; code: string; message: string }[];
  thread: number | null;
  cluster: { id: number; reason: string; members: ItemLink[] } | null;
}

export interface ThreadView {
  id: number;
  subject: string | null;
  nodes: { index: number; parent: number | null; messageId: string | null; item: (ItemLink & { date: string | null; sender: string | null }) | null }[];
}

export interface ThreadSummary { id: number; subject: string | null; messages: number; first: string | null; last: string | null }

export interface TimelineDay { day: string; total: number; byVerdict: Partial<Record<Verdict, number>> }

export interface Correspondents {
  nodes: { address: string; name: string | null; sent: number; received: number }[];
  edges: { from: string; to: string; messages: number }[];
}

export interface Dashboard {
  items: number; bytes: number; failures: number;
  byVerdict: Record<Verdict, number>;
  byKind: Record<string, number>;
  byRule: { rule: string; severity: string; effect: Effect; items: number }[];
  failuresByCode: Record<string, number>;
  /** Tampered first, then suspicious; capped. */
  flagged: (ItemLink & { date: string | null; rules: string[] })[];
}

export interface Explorer {
  search(filters: SearchFilters, page: { limit: number; offset: number; sort?: SortOrder }): Promise<ExploreResult>;
  item(sha256: string, options?: { maxTextChars?: number }): Promise<ItemDetail | undefined>;
  /** The full extracted text, for diffs. */
  text(sha256: string): Promise<string | undefined>;
  /** The raw HTML body of an email, unsanitised (the server sanitises it). */
  html(sha256: string): Promise<string | undefined>;
  /** Where a blob came from, for a download name. */
  canonicalName(sha256: string): Promise<string | undefined>;
  thread(id: number): Promise<ThreadView | undefined>;
  threads(page: { limit: number; offset: number }): Promise<{ total: number; threads: ThreadSummary[] }>;
  timeline(filters: SearchFilters): Promise<TimelineDay[]>;
  correspondents(filters: SearchFilters, limit: number): Promise<Correspondents>;
  dashboard(): Promise<Dashboard>;
  failures(page: { limit: number; offset: number }): Promise<{ total: number; failures: { path: string; code: string; message: string }[] }>;
}
