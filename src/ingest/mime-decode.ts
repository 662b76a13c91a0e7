// Content-Transfer-Encoding decoders, incremental so that a part read from a
// file in chunks decodes to exactly the bytes the whole part decodes to (the
// whole-part functions are the incremental ones fed once). No charset is ever
// applied: these are the bytes that get hashed.
import { hexVal } from './mime-headers.ts';

export interface PartDecoder {
  /** Decoded bytes of the next piece of the encoded body (a view, valid until the next call). */
  push(chunk: Uint8Array): Uint8Array;
  /** What remains once the body has ended. */
  end(): Uint8Array;
}

const EMPTY = new Uint8Array(0);
const B64 = new Int16Array(256).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) B64[c.charCodeAt(0)] = i;

/** Lenient base64: non-alphabet bytes skipped, padding optional; '=' closes a unit (some mailers pad every line). */
export class Base64Decoder implements PartDecoder {
  private acc = 0;
  private bits = 0;
  push(src: Uint8Array): Uint8Array {
    const out = new Uint8Array(Math.ceil((src.length * 3) / 4) + 1); // +1: up to 6 bits carried in
    let o = 0, acc = this.acc, bits = this.bits;
    for (let i = 0; i < src.length; i++) {
      const v = src[i] === 0x3d ? -2 : B64[src[i]!]!;
      if (v === -2) { acc = 0; bits = 0; continue; }
      if (v < 0) continue;
      acc = ((acc << 6) | v) & 0xffffff;
      bits += 6;
      if (bits >= 8) { bits -= 8; out[o++] = (acc >> bits) & 0xff; }
    }
    this.acc = acc;
    this.bits = bits;
    return out.subarray(0, o);
  }
  end(): Uint8Array { return EMPTY; }
}

// An '=' followed by more blanks than this, still undecided at a chunk end, is
// taken as a literal '=' (whole, it could be a soft break): keeps memory bounded.
const MAX_QP_CARRY = 64 * 1024;

/** Quoted-printable: soft breaks removed, =XX decoded, a stray '=' kept; hard breaks stay as written (CRLF or LF). */
export class QuotedPrintableDecoder implements PartDecoder {
  private carry: Uint8Array | null = null;
  push(chunk: Uint8Array, final = false): Uint8Array {
    const src = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = null;
    const out = new Uint8Array(src.length);
    let o = 0;
    for (let i = 0; i < src.length; i++) {
      const c = src[i]!;
      if (c !== 0x3d) { out[o++] = c; continue; }
      let j = i + 1; // '=' then blanks a transport may have added, then the line break: a soft break
      while (src[j] === 0x20 || src[j] === 0x09) j++;
      // Undecided until the next chunk: keep the '=' and what follows.
      const open = !final && src.length - i <= MAX_QP_CARRY && (j >= src.length || (src[j] === 0x0d && j + 1 >= src.length));
      if (open || (!final && j === i + 1 && hexVal(src[j]) >= 0 && i + 2 >= src.length)) { this.carry = src.slice(i); break; }
      if (j >= src.length && final) { i = j; continue; } // '=' ending the part: no final line break
      if (src[j] === 0x0a) { i = j; continue; }
      if (src[j] === 0x0d && src[j + 1] === 0x0a) { i = j + 1; continue; }
      const hi = hexVal(src[i + 1]), lo = hexVal(src[i + 2]);
      if (hi >= 0 && lo >= 0) { out[o++] = (hi << 4) | lo; i += 2; } else out[o++] = c;
    }
    return out.subarray(0, o);
  }
  end(): Uint8Array { return this.push(EMPTY, true); }
}

/** 7bit, 8bit, binary, unknown: the bytes as they are. */
class PassThrough implements PartDecoder {
  push(chunk: Uint8Array): Uint8Array { return chunk; }
  end(): Uint8Array { return EMPTY; }
}

export function partDecoder(cte: string): PartDecoder {
  if (cte.includes('base64')) return new Base64Decoder();
  if (cte.includes('quoted-printable')) return new QuotedPrintableDecoder();
  return new PassThrough();
}

export const decodeBase64 = (src: Uint8Array): Uint8Array => new Base64Decoder().push(src).slice();
export const decodeQuotedPrintable = (src: Uint8Array): Uint8Array => new QuotedPrintableDecoder().push(src, true).slice();

/** A whole body decoded into an own buffer (a view would drag the whole message along). */
export function decodeBody(body: Uint8Array, cte: string): Uint8Array {
  if (cte.includes('base64')) return decodeBase64(body);
  if (cte.includes('quoted-printable')) return decodeQuotedPrintable(body);
  return body.slice();
}
