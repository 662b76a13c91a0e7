// What changed since a signature was made, where cryptography can show it.
// Mailing lists and forwarders change mail in a few habitual ways: a footer
// after the text, a "[list]" tag before the Subject. When the signer's own
// hash matches the message with that change undone, the change is proven to
// be exactly that and nothing else.
import { createHash } from 'node:crypto';
import { findSignedPrefix, type SignedPrefix } from './canonical-body.ts';
import { headerHashInput } from './canonical-header.ts';
import type { HeaderField } from './header-fields.ts';
import type { Check } from './signature-check.ts';
import type { SignatureTags } from './signature-tags.ts';

export interface AppendedText extends SignedPrefix {
  /** Bytes added after the signed part, and the first of them as text. */
  appendedBytes: number;
  appended: string;
}

const SHOWN = 2000;

/** A body whose signed part is intact and only followed by added text (for a signature without l=). */
export function appendedAfterSigning(sig: SignatureTags, body: Uint8Array | null): AppendedText | null {
  if (!body || sig.bodyLength !== null) return null;
  const prefix = findSignedPrefix(body, sig.bodyCanon, sig.hash, Buffer.from(sig.bh, 'base64'));
  if (!prefix) return null;
  const added = body.subarray(prefix.rawEnd);
  return { ...prefix, appendedBytes: added.length, appended: Buffer.from(added.subarray(0, SHOWN)).toString('utf8') };
}

/**
 * A Subject tag added after signing: the RSA signature holds the digest of
 * the headers as signed; if the headers hash to it once a leading "[...]" is
 * taken off the Subject, that tag is the whole change. Returns the tag.
 */
export function subjectTagAdded(fields: readonly HeaderField[], sig: SignatureTags, check: Check): string | null {
  if (check.reason !== 'headers-changed' || !check.digests || !sig.headers.includes('subject')) return null;
  const subject = [...fields].reverse().find((f) => f.key === 'subject');
  if (!subject) return null;
  const value = subject.raw.slice(subject.valueAt);
  const m = /^([ \t]*)(\[[^\]\r\n]{1,64}\][ \t]*)/.exec(value);
  if (!m) return null;
  const untagged: HeaderField = { ...subject, raw: subject.raw.slice(0, subject.valueAt) + m[1] + value.slice(m[0].length) };
  const swapped = fields.map((f) => (f === subject ? untagged : f));
  const digest = createHash(sig.hash).update(headerHashInput(swapped, sig)).digest('hex');
  return digest === check.digests.signed ? m[2]!.trimEnd() : null;
}
