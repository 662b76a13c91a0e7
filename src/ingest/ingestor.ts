// The contract every format module under src/ingest/ fulfils. One ingestor per
// format; the registry (registry.ts) picks one by sniffed MIME type, extension
// and a score. Ingestors are pure: bytes in, extraction out; they throw
// TamisError (src/core/errors.ts) when the input is broken.
import type { Metadata } from '../core/types.ts';
import type { Limits } from '../core/limits.ts';

export interface IngestInput {
  /** Exact bytes of the item. */
  bytes: Uint8Array;
  /** The item's own name (basename or archive member name), for extension hints. */
  name: string;
  /** Lower-case extension without the dot, '' when none. */
  ext: string;
  /** MIME type guessed by sniff.ts from magic bytes and extension. */
  mime: string;
  /** Hostile-input limits (src/core/limits.ts; DEFAULT_LIMITS when absent); containers must respect them. */
  limits?: Limits;
}

export interface ChildOut {
  /** Member name inside the parent (archive entry path, attachment filename, '3.eml' for mbox). */
  name: string;
  /** Exact bytes of the child (decoded for attachments, uncompressed for members). */
  bytes: Uint8Array;
  /** How the parent holds it; the pipeline derives the item kind from it. */
  role: 'member' | 'attachment' | 'message';
  /** Facts the parent knows about the child (zip entry time, Content-Type, mbox repair...). */
  meta?: Metadata;
}

export interface Extraction {
  /** Refined MIME type, when the ingestor knows better than the sniffer. */
  mime?: string;
  /** Subject or document title. */
  title?: string;
  /** ISO-8601 date (email Date, document creation) or undefined. */
  date?: string;
  /** Searchable text (body, document text). */
  text?: string;
  meta: Metadata;
  children: ChildOut[];
  /** Problems that did not stop extraction (e.g. one broken zip member). */
  warnings?: { code: string; message: string; member?: string }[];
}

export interface Ingestor {
  /** Short stable name, recorded with each item ('zip', 'email', 'pdf'...). */
  name: string;
  /** 0 = cannot handle; higher wins. Usually 100 for a MIME match, 10 for an extension match. */
  score(input: Pick<IngestInput, 'mime' | 'ext'>): number;
  extract(input: IngestInput): Promise<Extraction>;
}
