// The message a verifier reads: its header fields and a way to stream its
// body, from bytes in memory or from the file of a message too large to
// hold (read as a stream, never whole). Bare LF line ends become CRLF first
// (line-endings.ts): the one repair, always reported.
import { createReadStream } from 'node:fs';
import { CrlfTransform, scanFile, toCrlf } from './line-endings.ts';
import { headerFields, splitAt, type HeaderField } from './header-fields.ts';

/** The message: its bytes, or the file of one too large to hold. */
export type DkimInput = Uint8Array | { path: string };

export interface PreparedMessage {
  fields: HeaderField[];
  bareLf: number;
  /** The body, when it is in memory (the search for a signed prefix needs it whole). */
  body: Uint8Array | null;
  /** Streams the body (CRLF line ends) to `consume`. */
  feedBody(consume: (chunk: Uint8Array) => void): Promise<void>;
}

/** Header blocks are read up to this size; a signature field of 1 MB still fits. */
export const MAX_HEADER = 4 << 20;

export function prepareMessage(input: DkimInput): PreparedMessage {
  if (!('path' in input)) {
    const { bytes, bareLf } = toCrlf(input);
    const { headerLength, bodyStart } = splitAt(bytes, MAX_HEADER);
    const body = bytes.subarray(Math.min(bodyStart, bytes.length));
    return {
      fields: headerFields(Buffer.from(bytes.buffer, bytes.byteOffset, headerLength).toString('latin1')), bareLf, body,
      feedBody: async (consume) => { if (body.length) consume(body); },
    };
  }
  const { head, bareLf } = scanFile(input.path, MAX_HEADER + 16);
  const crlfHead = toCrlf(head).bytes;
  const { headerLength, bodyStart } = splitAt(crlfHead, MAX_HEADER);
  return {
    fields: headerFields(Buffer.from(crlfHead.buffer, crlfHead.byteOffset, headerLength).toString('latin1')), bareLf, body: null,
    feedBody: (consume) => new Promise((resolve, reject) => {
      const file = createReadStream(input.path, { highWaterMark: 1 << 20 });
      const crlf = new CrlfTransform();
      file.on('error', reject);
      let skip = bodyStart;
      crlf.on('data', (chunk: Buffer) => {
        if (skip >= chunk.length) { skip -= chunk.length; return; }
        consume(skip ? chunk.subarray(skip) : chunk);
        skip = 0;
      });
      crlf.on('end', resolve);
      crlf.on('error', reject);
      file.pipe(crlf);
    }),
  };
}
