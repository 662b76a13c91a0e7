// RFC 6376 §3.4.3-3.4.4 body canonicalization, as a stream: a 1 GB
// attachment is hashed piece by piece. One canonicalizer feeds every body
// hash that uses its algorithm (sha1/sha256, with or without l=). The same
// code, with checkpoints, finds how much of a changed body is still the one
// that was signed (findSignedPrefix): mailing lists append footers.
import { createHash, type Hash } from 'node:crypto';
import type { Canon } from './canonical-header.ts';

const CR = 0x0d, LF = 0x0a, SP = 0x20, TAB = 0x09;
const BLOCK = 64 * 1024;
const CRLFS = Buffer.alloc(BLOCK, '\r\n');
// Input bytes per slice: each can add at most two output bytes (a space and itself; CR LF stays two).
const SLICE = BLOCK / 2 - 8;

/**
 * Canonicalizes a body. `sink` receives the canonical bytes (a view valid
 * only during the call); `checkpoint(rawEnd)` is called each time the output
 * so far is exactly the canonical form of the raw body's first `rawEnd` bytes
 * (after each non-empty line).
 */
export class BodyCanonicalizer {
  private readonly relaxed: boolean;
  private readonly out = Buffer.allocUnsafe(BLOCK);
  private len = 0;
  private wsp = false;
  private cr = false;
  private lineEmpty = true;
  private emptyLines = 0;
  private wroteAny = false;
  private raw = 0;
  private readonly sink: (bytes: Buffer) => void;
  private readonly checkpoint?: (rawEnd: number) => void;

  constructor(canon: Canon, sink: (bytes: Buffer) => void, checkpoint?: (rawEnd: number) => void) {
    this.relaxed = canon === 'relaxed';
    this.sink = sink;
    this.checkpoint = checkpoint;
  }

  update(chunk: Uint8Array): void {
    // In slices, so the output block stays small whatever the chunk (a body read whole can be 1 GB).
    for (let from = 0; from < chunk.length; from += SLICE) this.slice(chunk, from, Math.min(chunk.length, from + SLICE));
  }

  private slice(chunk: Uint8Array, from: number, to: number): void {
    const relaxed = this.relaxed;
    for (let i = from; i < to; i++) {
      const c = chunk[i]!;
      if (this.cr) {
        this.cr = false;
        if (c === LF) { this.endLine(this.raw + i + 1); continue; }
        this.content(CR);
      }
      if (c === CR) { this.cr = true; continue; }
      if (relaxed && (c === SP || c === TAB)) { this.wsp = true; continue; }
      this.content(c);
    }
    if (to === chunk.length) this.raw += chunk.length;
    this.flush();
  }

  end(): void {
    if (this.cr) { this.cr = false; this.content(CR); }
    // A last line without CRLF gets one; an empty body is CRLF under simple, nothing under relaxed.
    if (!this.lineEmpty || (!this.relaxed && !this.wroteAny)) this.crlf();
    this.flush();
  }

  private content(c: number): void {
    if (this.lineEmpty) {
      if (this.emptyLines) this.pendingLines();
      this.lineEmpty = false;
    }
    if (this.wsp) { this.out[this.len++] = SP; this.wsp = false; }
    this.out[this.len++] = c;
    this.wroteAny = true;
  }

  private endLine(rawEnd: number): void {
    this.wsp = false;
    if (this.lineEmpty) { this.emptyLines++; return; }
    this.crlf();
    this.lineEmpty = true;
    if (this.checkpoint) { this.flush(); this.checkpoint(rawEnd); }
  }

  private crlf(): void {
    this.out[this.len++] = CR;
    this.out[this.len++] = LF;
    this.wroteAny = true;
  }

  /** Empty lines followed by content are part of the body (only trailing ones are dropped). */
  private pendingLines(): void {
    this.flush();
    let n = this.emptyLines * 2;
    while (n > 0) { const k = Math.min(n, BLOCK); this.sink(CRLFS.subarray(0, k)); n -= k; }
    this.emptyLines = 0;
  }

  private flush(): void {
    if (this.len) this.sink(this.out.subarray(0, this.len));
    this.len = 0;
  }
}

export type BodyHashAlgo = 'sha1' | 'sha256';

/** A body hash as one signature needs it: canonicalization, algorithm, l= limit. */
export interface BodyHashSpec { canon: Canon; algo: BodyHashAlgo; limit: number | null }
export const bodyHashKey = (s: BodyHashSpec): string => `${s.canon}/${s.algo}/${s.limit ?? ''}`;

export interface BodyHashResult {
  /** base64, as bh= carries it. */
  digest: string;
  /** Bytes hashed (at most l=). */
  hashed: number;
  /** Length of the whole canonical body. */
  canonicalLength: number;
}

/** Computes several body hashes in one pass over the body. */
export class BodyHasher {
  private readonly canonicalizers = new Map<Canon, BodyCanonicalizer>();
  private readonly targets: { key: string; spec: BodyHashSpec; hash: Hash; hashed: number }[] = [];
  private readonly lengths = new Map<Canon, number>();

  constructor(specs: readonly BodyHashSpec[]) {
    const seen = new Set<string>();
    for (const spec of specs) {
      const key = bodyHashKey(spec);
      if (seen.has(key)) continue;
      seen.add(key);
      this.targets.push({ key, spec, hash: createHash(spec.algo), hashed: 0 });
    }
    for (const canon of new Set(this.targets.map((t) => t.spec.canon))) {
      const fed = this.targets.filter((t) => t.spec.canon === canon);
      this.lengths.set(canon, 0);
      this.canonicalizers.set(canon, new BodyCanonicalizer(canon, (bytes) => {
        this.lengths.set(canon, this.lengths.get(canon)! + bytes.length);
        for (const t of fed) {
          const room = t.spec.limit === null ? bytes.length : Math.min(bytes.length, t.spec.limit - t.hashed);
          if (room <= 0) continue;
          t.hash.update(room === bytes.length ? bytes : bytes.subarray(0, room));
          t.hashed += room;
        }
      }));
    }
  }

  update(chunk: Uint8Array): void {
    for (const c of this.canonicalizers.values()) c.update(chunk);
  }

  end(): Map<string, BodyHashResult> {
    for (const c of this.canonicalizers.values()) c.end();
    const out = new Map<string, BodyHashResult>();
    for (const t of this.targets) {
      out.set(t.key, { digest: t.hash.digest('base64'), hashed: t.hashed, canonicalLength: this.lengths.get(t.spec.canon)! });
    }
    return out;
  }
}

/** How much of a body the signer's bh= covers, when the body now has more. */
export interface SignedPrefix {
  /** Raw body bytes the signed part ends at (a line end): what follows was added. */
  rawEnd: number;
  /** Canonical bytes of the signed part. */
  canonicalLength: number;
}

/** Bodies searched for a signed prefix: larger ones are not (a hash per line). */
export const PREFIX_SEARCH_MAX = 32 << 20;

/**
 * The longest prefix of `body`, ending at a line end, whose canonical form
 * hashes to `expected` (the bytes bh= holds); null if none. A match means
 * the signed body is intact and only text after it was added.
 */
export function findSignedPrefix(body: Uint8Array, canon: Canon, algo: BodyHashAlgo, expected: Buffer): SignedPrefix | null {
  if (body.length > PREFIX_SEARCH_MAX) return null;
  let found: SignedPrefix | null = null;
  // The empty body, before any line (simple: one CRLF; relaxed: nothing).
  if (createHash(algo).update(canon === 'simple' ? '\r\n' : '').digest().equals(expected)) found = { rawEnd: 0, canonicalLength: canon === 'simple' ? 2 : 0 };
  const hash = createHash(algo);
  let length = 0;
  const c = new BodyCanonicalizer(canon, (bytes) => { hash.update(bytes); length += bytes.length; }, (rawEnd) => {
    if (rawEnd < body.length && hash.copy().digest().equals(expected)) found = { rawEnd, canonicalLength: length };
  });
  c.update(body);
  return found;
}
