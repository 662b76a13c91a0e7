// Parsers that read attacker-made bytes, each with the inputs fast-check
// should throw at them. Shared by the short CI run (test/fuzz.test.ts) and
// the long run (bench/fuzz.ts). The property: nothing but TamisError escapes.
// The .pst and RAR readers' targets are in container-targets.ts.
import fc from 'fast-check';
import { listParts } from '../../src/ingest/mime-parts.ts';
import { splitMbox } from '../../src/ingest/mbox.ts';
import { zipIngestor } from '../../src/ingest/zip.ts';
import { emailIngestor } from '../../src/ingest/email.ts';
import { sniff } from '../../src/ingest/sniff.ts';
import { parseZoneFile } from '../../src/keys/zone-file.ts';
import { toFtsQuery } from '../../src/search/fts-query.ts';
import { zipSync } from 'fflate';
import { CONTAINER_TARGETS } from './container-targets.ts';
import { onlyTamisErrors } from './damage.ts';

const enc = new TextEncoder();

/** Bytes that look like the format often enough to reach deep code paths. */
export const mimeish = fc.array(fc.oneof(
  fc.constantFrom('From: a@b.c\r\n', 'Content-Type: multipart/mixed; boundary="x"\r\n', 'Content-Type: multipart/alternative; boundary=y\r\n',
    'Content-Transfer-Encoding: base64\r\n', 'Content-Transfer-Encoding: quoted-printable\r\n', 'Content-Disposition: attachment; filename*0*=UTF-8\'\'%C3%A9; filename*1="x"\r\n',
    '\r\n', '--x\r\n', '--x--\r\n', '--y\r\n', '=C3=A9=\r\n', 'SGVsbG8=\r\n', '\n', ' folded\r\n', 'Subject: =?UTF-8?B?w6k=?=\r\n'),
  fc.string({ maxLength: 40 })), { maxLength: 60 }).map((parts) => enc.encode(parts.join('')));

export const mboxish = fc.array(fc.oneof(
  fc.constantFrom('From a@b Mon Jan  1 00:00:00 2017\n', '>From x\n', '>>From y\n', '\n', '\r\n', 'From: z\n', 'body\n'),
  fc.string({ maxLength: 30 })), { maxLength: 60 }).map((parts) => enc.encode(`From start\n${parts.join('')}`));

/** Real zips, then truncated, bit-flipped or spliced. */
const zipish = fc.tuple(
  fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.uint8Array({ maxLength: 200 }), { maxKeys: 5 }),
  fc.nat(), fc.nat(), fc.uint8Array({ maxLength: 16 }),
).map(([files, cut, flip, junk]) => {
  const z = zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [`f-${k.replace(/[^a-z0-9.]/gi, '_')}`, v])));
  const out = new Uint8Array(z.subarray(0, z.length - (cut % Math.max(1, z.length / 2))));
  if (out.length) out[flip % out.length] ^= 0xff;
  const spliced = new Uint8Array(out.length + junk.length);
  spliced.set(out);
  spliced.set(junk, out.length);
  return spliced;
});

const zoneish = fc.array(fc.oneof(
  fc.constantFrom('$ORIGIN example.com.\n', '$TTL 300\n', 's._domainkey IN TXT ( "v=DKIM1; " "p=AB" )\n', '"unterminated\n', '(', ')', ';c\n', '\\', '\\065', ' IN TXT "x"\n', '@ TXT "y"\n'),
  fc.string({ maxLength: 30 })), { maxLength: 40 }).map((p) => p.join(''));

export const FUZZ_TARGETS = {
  'mime-parts': fc.asyncProperty(fc.oneof(mimeish, fc.uint8Array({ maxLength: 300 })), async (b) => {
    try { listParts(b); } catch (e) { onlyTamisErrors(e); }
  }),
  email: fc.asyncProperty(mimeish, async (b) => {
    try { await emailIngestor.extract({ bytes: b, name: 'x.eml', ext: 'eml', mime: 'message/rfc822' }); } catch (e) { onlyTamisErrors(e); }
  }),
  mbox: fc.asyncProperty(fc.oneof(mboxish, fc.uint8Array({ maxLength: 300 })), async (b) => {
    try { for (const m of splitMbox(b)) void m; } catch (e) { onlyTamisErrors(e); }
  }),
  zip: fc.asyncProperty(fc.oneof(zipish, fc.uint8Array({ maxLength: 300 })), async (b) => {
    sniff(b, 'x.zip');
    try { await zipIngestor.extract({ bytes: b, name: 'x.zip', ext: 'zip', mime: 'application/zip' }); } catch (e) { onlyTamisErrors(e); }
  }),
  'zone-file': fc.asyncProperty(zoneish, async (s) => { parseZoneFile(s); }),
  'search-query': fc.asyncProperty(fc.string({ maxLength: 60 }), async (q) => {
    try { toFtsQuery(q); } catch (e) { onlyTamisErrors(e); }
  }),
  ...CONTAINER_TARGETS,
};
