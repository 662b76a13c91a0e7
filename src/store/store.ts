// The store behind every command. Two implementations share this interface
// (SQLite embedded now, PostgreSQL for teams): callers never see SQL.
// Async so a networked store fits the same shape.
import type { Finding, Kind, Metadata, Verdict } from '../core/types.ts';
import type { DkimKey } from '../keys/key-index.ts';
import type { ThreadNode } from '../analyze/corpus/threads.ts';
import type { Explorer } from './explore.ts';

export type ItemStatus = 'done' | 'failed';
export type Role = 'file' | 'member' | 'attachment' | 'message';

export interface ItemRecord {
  sha256: string;
  size: number;
  mime: string;
  ingestor: string | null;
  title: string | null;
  date: string | null;
  meta: Metadata;
  text: string;
  status: ItemStatus;
  errorCode: string | null;
  errorMessage: string | null;
}

/** A child as its parent holds it: part of the parent's bytes, so intrinsic to the parent. */
export interface ChildRecord {
  name: string;
  role: Role;
  sha256: string;
  size: number;
  meta: Metadata;
}

/** One place an item was met: the same bytes at two paths are one item, two occurrences. */
export interface Occurrence {
  path: string;
  sha256: string;
  parentSha256: string | null;
  parentPath: string | null;
  role: Role;
  kind: Kind;
  name: string;
}

export interface FailureRecord {
  path: string;
  sha256: string | null;
  code: string;
  message: string;
  /** Set when the failure is intrinsic to an item's bytes: repeated at each path the item appears. */
  itemSha256?: string;
  /** For intrinsic failures: what follows the item's path ('' or '!/member'). */
  member?: string;
}

export interface RetryJob { path: string; sha256: string | null; parentSha256: string | null; parentPath: string | null; role: Role; name: string }

export interface InputRecord {
  path: string;
  absPath: string;
  size: number;
  mtimeMs: number;
}

export interface KnownItem {
  sha256: string;
  mime: string;
  ingestor: string | null;
  status: ItemStatus;
  children: ChildRecord[];
}

export interface SearchOptions { limit: number; offset?: number }
export interface SearchHit {
  id: string; sha256: string; path: string; kind: Kind; title: string | null; snippet: string; score: number;
}

export interface ReportItem {
  id: string; sha256: string; path: string; paths: string[]; parent: string | null; kind: Kind; mime: string;
  size: number; title: string | null; date: string | null; verdict: Verdict; findings: Finding[];
}

/** What corpus analyzers read of each item. */
export interface AnalysisSubject {
  rowid: number; sha256: string; mime: string; ingestor: string | null; date: string | null; status: string;
  /** The canonical (smallest) path. */
  path: string;
  size: number;
  meta: Metadata; children: { sha256: string; role: Role; name: string; meta: Metadata }[];
}

export type StoredFinding = Finding & { analyzer: string };

export interface CorpusCounts { items: number; bytes: number; failed: number; byKind: Record<string, number>; failuresByCode: Record<string, number> }

export interface Store {
  /** The item if its extraction was already recorded (done or failed), with its children. */
  knownItem(sha256: string): Promise<KnownItem | undefined>;
  /** One atomic write: the item, its children, the occurrence, and its failures. */
  recordExtraction(item: ItemRecord, children: ChildRecord[], occurrence: Occurrence, failures: FailureRecord[]): Promise<void>;
  /** An occurrence of an item already extracted; the item's intrinsic failures are repeated at its path. */
  recordOccurrence(occurrence: Occurrence, failures: FailureRecord[]): Promise<void>;
  /** A path that produced no item at all (unreadable file, too deep...). */
  recordFailure(failure: FailureRecord): Promise<void>;
  inputDone(input: InputRecord): Promise<boolean>;
  markInputDone(input: InputRecord, sha256: string | null): Promise<void>;
  search(query: string, options: SearchOptions): Promise<{ hits: SearchHit[]; total: number }>;
  counts(): Promise<CorpusCounts>;
  reportItems(): AsyncIterable<ReportItem>;
  failures(): Promise<FailureRecord[]>;
  // Analysis phase.
  addKeys(keys: DkimKey[]): Promise<number>;
  listKeys(): Promise<DkimKey[]>;
  /** Items read by `ingestor` that `analyzer` at `version` has not seen yet. */
  pendingAnalysis(analyzer: string, version: number, ingestor: string): Promise<string[]>;
  saveItemFindings(sha256: string, analyzer: string, version: number, findings: Finding[]): Promise<void>;
  /** Corpus analyzers recompute everything: their old findings are replaced whole. */
  replaceAnalyzerFindings(analyzer: string, byItem: Map<string, Finding[]>): Promise<void>;
  allFindings(): Promise<Map<string, StoredFinding[]>>;
  /**
   * Every item for the corpus pass, an email's HTML body left out (no analyzer reads it). With `emailHeaders`,
   * an email's raw header list keeps only those names (lower case): the bulk of its metadata, held for the whole
   * pass otherwise.
   */
  analysisSubjects(options?: { emailHeaders?: readonly string[] }): Promise<AnalysisSubject[]>;
  itemText(rowid: number): Promise<string>;
  setVerdicts(verdicts: Map<string, Verdict>): Promise<void>;
  /** Email threads (JWZ), replaced whole by each analysis. */
  replaceThreads(threads: ThreadNode[][]): Promise<void>;
  replaceClusters(clusters: { reason: string; members: string[] }[]): Promise<void>;
  /** The near-duplicate index of earlier analyses: LSH band keys per item, and the confirmed pairs. */
  loadDupIndex(): Promise<{ keys: Map<string, number[]>; edges: { a: string; b: string; similarity: number }[] }>;
  saveDupIndex(keys: Map<string, number[]>, edges: { a: string; b: string; similarity: number }[]): Promise<void>;
  clusters(): Promise<{ cluster: number; reason: string; members: { sha256: string; path: string; title: string | null; verdict: Verdict }[] }[]>;
  /** Remove what failed from the store and return the jobs to run again (`ingest --retry-failed`). */
  takeFailedForRetry(): Promise<RetryJob[]>;
  /** Every item's SHA-256, for integrity checks. */
  itemHashes(): Promise<string[]>;
  /** The finished input files: the intake manifest. */
  inputs(): Promise<{ path: string; sha256: string | null; size: number; recordedAt: string; mtimeMs: number }[]>;
  /** Read side for the web UI and its API. */
  readonly explore: Explorer;
  /** Make every write so far durable and visible to other readers. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
