// tar, tar.gz / tgz and plain .gz. A gzip stream is inflated first; if the
// result looks like a tar it is read as one, else it is a single child (the
// file without its .gz). Links are recorded as warnings and never followed:
// a link's target is a name, not content we hold.
import { gunzipSync } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { TamisError } from '../core/errors.ts';
import { DEFAULT_LIMITS, type Limits } from '../core/limits.ts';
import type { ChildOut, Extraction, Ingestor } from './ingestor.ts';
import { baseName } from './mime-names.ts';

type Warning = NonNullable<Extraction['warnings']>[number];

const isGzip = (b: Uint8Array): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/** ustar/GNU magic at 257, or (for old V7 archives) a first header whose checksum adds up. */
export function looksLikeTar(b: Uint8Array): boolean {
  if (b.length < 512) return false;
  if (String.fromCharCode(...b.subarray(257, 262)) === 'ustar') return true;
  const field = String.fromCharCode(...b.subarray(148, 156)).replace(/[\0 ]+$/, '').trim();
  if (!/^[0-7]{1,7}$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : b[i]!;
  return sum === parseInt(field, 8) && b[0] !== 0;
}

/** The FNAME field of a gzip header (RFC 1952 2.3), when the compressor stored one. */
function gzipOriginalName(b: Uint8Array): string | undefined {
  if (b.length < 10 || (b[3]! & 0x08) === 0) return undefined;
  let p = 10;
  if ((b[3]! & 0x04) !== 0) p += 2 + (b[10]! | (b[11]! << 8)); // FEXTRA
  const end = b.indexOf(0, p);
  return end > p ? new TextDecoder('latin1').decode(b.subarray(p, end)) : undefined;
}

/** 'a.txt.gz' -> 'a.txt', 'x.tgz' -> 'x.tar', else the name the gzip header stored. */
function gunzippedName(name: string, header: Uint8Array): string {
  const base = baseName(name);
  const m = /^(.+)\.(gz|gzip|z)$/i.exec(base);
  if (m) return m[1]!;
  if (/\.tgz$/i.test(base)) return base.slice(0, -4) + '.tar';
  if (/\.svgz$/i.test(base)) return base.slice(0, -5) + '.svg';
  const stored = gzipOriginalName(header);
  return stored ? baseName(stored) : `${base || 'data'}.out`;
}

export async function readTar(bytes: Uint8Array, limits: Limits = DEFAULT_LIMITS): Promise<{ children: ChildOut[]; warnings: Warning[]; entries: number; names: string[] }> {
  const children: ChildOut[] = [];
  const warnings: Warning[] = [];
  const names: string[] = [];
  let entries = 0;
  let expanded = 0;
  // allowUnknownFormat: V7 tars have no magic; the header checksum still guards.
  // (tar-stream's own typings omit the option; extract.js reads it.)
  const ex = tarExtract({ allowUnknownFormat: true } as Parameters<typeof tarExtract>[0]);
  ex.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  try {
    for await (const entry of ex) {
      const h = entry.header;
      entries++;
      const isFile = h.type === 'file' || h.type === 'contiguous-file';
      const size = h.size ?? 0;
      const over = entries > limits.maxEntries ? 'entries'
        : size > limits.maxMemberBytes ? `it is ${size} bytes, over the ${limits.maxMemberBytes}-byte member limit`
        : expanded + size > limits.maxArchiveBytes ? `the archive would expand past ${limits.maxArchiveBytes} bytes` : null;
      if (isFile && over) {
        entry.resume(); // skip its data without keeping it
        if (over === 'entries') {
          if (entries === limits.maxEntries + 1) warnings.push({ code: 'E_TOO_MANY_ENTRIES', message: `only the first ${limits.maxEntries} members were read` });
        } else {
          warnings.push({ code: 'E_BOMB', message: `member not unpacked: ${over}`, member: h.name });
        }
        continue;
      }
      expanded += size;
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      if (isFile) {
        names.push(h.name);
        const meta: Record<string, unknown> = { tarMode: h.mode };
        if (h.mtime && !Number.isNaN(h.mtime.getTime())) meta.tarModified = h.mtime.toISOString();
        children.push({ name: h.name, bytes: Buffer.concat(chunks), role: 'member', meta });
      } else if (h.type === 'symlink' || h.type === 'link') {
        names.push(h.name);
        warnings.push({ code: 'E_TAR_LINK', message: `${h.type} to ${JSON.stringify(h.linkname ?? '')} not followed`, member: h.name });
      }
      // Directories, devices and fifos hold no content.
    }
  } catch (err) {
    throw new TamisError('E_TAR_CORRUPT', (err as Error).message, { cause: err });
  }
  return { children, warnings, entries, names };
}

export const tarIngestor: Ingestor = {
  name: 'tar',
  score({ mime, ext }) {
    if (mime === 'application/x-tar' || mime === 'application/gzip') return 100;
    return ['tar', 'tgz', 'gz', 'gzip'].includes(ext) ? 10 : 0;
  },
  async extract({ bytes, name, limits = DEFAULT_LIMITS }) {
    let body = bytes;
    const gzipped = isGzip(bytes);
    if (gzipped) {
      try {
        // Bounded output: a gzip bomb stops at the archive limit instead of filling memory.
        body = gunzipSync(bytes, { maxOutputLength: Math.min(limits.maxArchiveBytes, 2 ** 31 - 1) });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
          throw new TamisError('E_BOMB', `gzip stream expands past ${limits.maxArchiveBytes} bytes`, { cause: err });
        }
        throw new TamisError('E_GZIP_CORRUPT', (err as Error).message, { cause: err });
      }
      if (!looksLikeTar(body)) {
        const child = gunzippedName(name, bytes);
        return {
          text: child,
          meta: { format: 'gzip', entries: 1, uncompressedSize: body.length },
          children: [{ name: child, bytes: body, role: 'member' }],
        };
      }
    } else if (!looksLikeTar(body) && !isEndOfArchive(body)) {
      throw new TamisError('E_TAR_CORRUPT', 'no tar header at the start');
    }
    const tar = await readTar(body, limits);
    return {
      mime: gzipped ? 'application/gzip' : 'application/x-tar',
      text: tar.names.join('\n'),
      meta: { format: gzipped ? 'tar+gzip' : 'tar', entries: tar.entries },
      children: tar.children,
      warnings: tar.warnings,
    };
  },
};

/** An empty tar is just zero blocks: valid, with no entries. */
function isEndOfArchive(b: Uint8Array): boolean {
  return b.length >= 512 && b.length % 512 === 0 && b.every((x) => x === 0);
}
