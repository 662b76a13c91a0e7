// 7z and RAR archives, read with 7-Zip compiled to WebAssembly (7z-wasm).
// Everything happens in 7-Zip's in-memory file system (the host disk is
// never mounted), so member names cannot escape anywhere. The listing is
// checked against the limits before anything is unpacked (bombs).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import SevenZipDefault from '7z-wasm';
import type { SevenZipModule, SevenZipModuleFactory, SevenZipModuleOptions } from '7z-wasm';
import { TamisError } from '../core/errors.ts';
import { DEFAULT_LIMITS, type Limits } from '../core/limits.ts';
import type { ChildOut, Extraction, Ingestor } from './ingestor.ts';

type Warning = NonNullable<Extraction['warnings']>[number];
// CommonJS package: its typings describe the default export that Node's loader hands over as the module itself.
const SevenZip = SevenZipDefault as unknown as SevenZipModuleFactory;
// Node's WebAssembly global, which the es2024 lib (no DOM) does not declare.
const Wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object, imports: object) => object } }).WebAssembly;
let compiled: object | undefined;
/**
 * 7-Zip's WebAssembly, compiled once per thread: left to the library, every run compiled the 1.6 MB module
 * again, most of the time taken by a small archive (each archive takes two runs: list, then extract).
 */
const instantiateWasm = (imports: object, ready: (instance: object, module: object) => void): object => {
  compiled ??= new Wasm.Module(readFileSync(createRequire(import.meta.url).resolve('7z-wasm/7zz.wasm')));
  // Synchronous, so a failure rejects the factory's promise instead of leaving it pending.
  ready(new Wasm.Instance(compiled, imports), compiled);
  return {};
};

interface Listed { path: string; size: number; packed: number; folder: boolean; encrypted: boolean; modified?: string }

/**
 * 7-Zip's format switch for what the magic bytes say. Without one it tries
 * every format it knows, and opens a zip found inside a broken RAR as if it
 * were the archive.
 */
function typeSwitch(b: Uint8Array): string[] {
  const head = Buffer.from(b.buffer, b.byteOffset, Math.min(8, b.byteLength)).toString('latin1');
  if (head.startsWith('7z\xbc\xaf\x27\x1c')) return ['-t7z'];
  if (head === 'Rar!\x1a\x07\x01\x00') return ['-tRar5'];
  if (head.startsWith('Rar!\x1a\x07\x00')) return ['-tRar'];
  return [];
}

async function run(bytes: Uint8Array, args: (archive: string) => string[]): Promise<{ mod: SevenZipModule; out: string[]; err: string[]; code: number }> {
  const out: string[] = [];
  const err: string[] = [];
  let code = 0;
  const opts = { print: (l: string) => out.push(l), printErr: (l: string) => err.push(l), quit: (c: number) => { code = c; }, instantiateWasm };
  const mod = await SevenZip(opts as Partial<SevenZipModuleOptions>);
  mod.FS.mkdir('/in');
  mod.FS.writeFile('/in/archive', bytes);
  // Emscripten's exit also sets process.exitCode: a damaged archive must not
  // become the exit status of the process that read it.
  const exitCode = process.exitCode;
  try {
    // callMain returns 7-Zip's exit code (0 ok, 1 warnings, 2 fatal errors).
    const r = mod.callMain(args('/in/archive')) as unknown;
    if (typeof r === 'number') code = r;
  } catch (e) {
    code = (e as { status?: number }).status ?? 2;
  } finally {
    process.exitCode = exitCode;
  }
  return { mod, out, err, code };
}

function parseListing(lines: string[]): Listed[] {
  const entries: Listed[] = [];
  let cur: Record<string, string> | null = null;
  let inEntries = false;
  for (const line of lines) {
    if (line.startsWith('----------')) { inEntries = true; continue; }
    if (!inEntries) continue;
    const m = /^([A-Za-z ]+) = (.*)$/.exec(line);
    if (m) { (cur ??= {})[m[1]!] = m[2]!; continue; }
    if (line.trim() === '' && cur) {
      if (cur.Path !== undefined) {
        entries.push({ path: cur.Path, size: Number(cur.Size ?? 0), packed: Number(cur['Packed Size'] ?? 0), folder: cur.Folder === '+' || /^D/.test(cur.Attributes ?? ''),
          encrypted: cur.Encrypted === '+', modified: cur.Modified || undefined });
      }
      cur = null;
    }
  }
  if (cur?.Path !== undefined) entries.push({ path: cur.Path, size: Number(cur.Size ?? 0), packed: Number(cur['Packed Size'] ?? 0), folder: cur.Folder === '+' || /^D/.test(cur.Attributes ?? ''), encrypted: cur.Encrypted === '+' });
  return entries;
}

function walk(fs: SevenZipModule['FS'], dir: string, base: string, out: string[]): void {
  for (const name of fs.readdir(dir) as string[]) {
    if (name === '.' || name === '..') continue;
    const p = `${dir}/${name}`;
    const rel = base ? `${base}/${name}` : name;
    const mode = fs.stat(p).mode;
    if (fs.isDir(mode)) walk(fs, p, rel, out);
    else if (fs.isFile(mode)) out.push(rel);
  }
}

export const sevenZipIngestor: Ingestor = {
  name: '7z',
  score({ mime, ext }) {
    if (mime === 'application/x-7z-compressed' || mime === 'application/vnd.rar' || mime === 'application/x-rar-compressed') return 100;
    return ['7z', 'rar'].includes(ext) ? 10 : 0;
  },
  async extract({ bytes, limits = DEFAULT_LIMITS }) {
    // -p: an empty password, so an encrypted archive fails instead of waiting for input.
    const type = typeSwitch(bytes);
    const listing = await run(bytes, (a) => ['l', '-slt', '-p', ...type, a]);
    const entries = parseListing(listing.out).filter((e) => !e.folder);
    if (listing.code !== 0 && entries.length === 0) {
      throw new TamisError('E_ARCHIVE_CORRUPT', (listing.err.join(' ').trim() || `7-Zip exit code ${listing.code}`).slice(0, 300));
    }
    const warnings: Warning[] = [];
    const problem = checkLimits(entries, limits);
    if (problem) throw new TamisError('E_BOMB', problem);
    for (const e of entries.filter((x) => x.encrypted)) warnings.push({ code: 'E_ARCHIVE_ENCRYPTED', message: 'member is encrypted', member: e.path });
    const extracted = await run(bytes, (a) => ['x', a, '-o/out', '-y', '-p', '-bd', ...type]);
    const names: string[] = [];
    try { walk(extracted.mod.FS, '/out', '', names); } catch { /* nothing extracted */ }
    // Member names are data: a member 7-Zip had to rename on the way out keeps its archived name.
    const byDisk = new Map<string, Listed | null>();
    for (const e of entries) {
      for (const k of new Set([extractedName(e.path), extractedName(e.path.replace(/\\/g, '/'))])) byDisk.set(k, byDisk.has(k) ? null : e);
    }
    const unpacked = new Set<Listed>();
    const children: ChildOut[] = names.sort().map((name) => {
      const listed = byDisk.get(name);
      if (listed) unpacked.add(listed);
      const same = !listed || listed.path === name || listed.path.replace(/\\/g, '/') === name;
      return { name: same ? name : listed.path, bytes: extracted.mod.FS.readFile(`/out/${name}`) as Uint8Array, role: 'member', meta: listed?.modified ? { archiveModified: listed.modified } : {} };
    });
    if (extracted.code !== 0 && children.length === 0 && warnings.length === 0) {
      throw new TamisError('E_ARCHIVE_CORRUPT', (extracted.err.join(' ') || `7-Zip exit code ${extracted.code}`).slice(0, 300));
    }
    const missing = entries.filter((e) => !e.encrypted && !unpacked.has(e));
    for (const m of missing.slice(0, 100)) warnings.push({ code: 'E_ARCHIVE_CORRUPT', message: 'member could not be unpacked', member: m.path });
    const encrypted = new Set(entries.filter((e) => e.encrypted).map((e) => e.path));
    for (const e of extractionErrors(extracted.err).filter((x) => !x.member || !encrypted.has(x.member)).slice(0, 100)) {
      // A member that fails its CRC is still kept (its bytes are what the dump holds), never silently.
      warnings.push({ code: 'E_ARCHIVE_CORRUPT', message: `7-Zip: ${e.problem}${e.member ? '; the member as unpacked is not what was archived' : ''}`, ...(e.member ? { member: e.member } : {}) });
    }
    return { text: entries.map((e) => e.path).join('\n'), meta: { entries: entries.length }, children, warnings };
  },
};

/**
 * Where 7-Zip's extraction puts a member: it drops empty and `.` segments and
 * every `..` (so a leading `/` or a climb out of the folder goes), except a
 * final `..`, which it renames `_`.
 */
function extractedName(path: string): string {
  const parts = path.split('/');
  return parts.map((p, i) => (p === '..' && i === parts.length - 1 ? '_' : p)).filter((p) => p && p !== '.' && p !== '..').join('/');
}

/**
 * What 7-Zip reported while unpacking: per member ("ERROR: CRC Failed : a/b.txt",
 * "Data Error", "Unexpected end of data") and for the whole archive (the
 * lines under "ERRORS:", e.g. "Headers Error").
 */
function extractionErrors(lines: string[]): { member?: string; problem: string }[] {
  const out: { member?: string; problem: string }[] = [];
  let inList = false;
  for (const raw of lines) {
    const line = raw.trim();
    const m = /^ERROR: (.+?) : (.+)$/.exec(line);
    if (m) out.push({ problem: m[1]!, member: m[2]!.replace(/\\/g, '/') });
    else if (line === 'ERRORS:') inList = true;
    else if (!line) inList = false;
    else if (inList) out.push({ problem: line.slice(0, 200) });
  }
  return out.filter((e, i) => out.findIndex((o) => o.problem === e.problem && o.member === e.member) === i);
}

function checkLimits(entries: Listed[], limits: Limits): string | null {
  if (entries.length > limits.maxEntries) return `${entries.length} members, over the limit of ${limits.maxEntries}`;
  const total = entries.reduce((n, e) => n + e.size, 0);
  if (total > limits.maxArchiveBytes) return `it would expand to ${total} bytes, over the ${limits.maxArchiveBytes}-byte archive limit`;
  const big = entries.find((e) => e.size > limits.maxMemberBytes);
  if (big) return `member "${big.path}" declares ${big.size} bytes, over the ${limits.maxMemberBytes}-byte member limit`;
  const packed = entries.reduce((n, e) => n + e.packed, 0);
  if (total > 1 << 20 && packed > 0 && total / packed > limits.maxRatio) return `it expands ${Math.round(total / packed)}-fold, over the ratio limit of ${limits.maxRatio}`;
  return null;
}
