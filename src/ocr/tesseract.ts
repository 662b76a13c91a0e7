// OCR with Debian's tesseract (French + English traineddata installed from
// packages: nothing is downloaded at run time). Runs as a child process with
// one OpenMP thread, since the worker pool already uses every core, and
// with a hard time limit so a hostile image cannot hold a worker.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TamisError } from '../core/errors.ts';

export interface OcrResult { text: string; engine: string; langs: string; pages: number }

const LANGS = 'fra+eng';
let version: string | null | undefined;

export function tesseractVersion(): string | null {
  if (version === undefined) {
    const r = spawnSync('tesseract', ['--version'], { encoding: 'utf8', timeout: 10_000 });
    version = r.status === 0 ? (r.stdout || r.stderr).split('\n')[0]!.trim() : null;
  }
  return version;
}

function tesseract(input: Uint8Array, timeoutMs: number): string {
  const r = spawnSync('tesseract', ['stdin', 'stdout', '-l', LANGS, '--psm', '3'], {
    input, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
  });
  if (r.error || r.status !== 0) {
    throw new TamisError('E_OCR_FAILED', (r.error?.message ?? r.stderr ?? '').toString().slice(0, 300));
  }
  return r.stdout;
}

export function ocrImage(bytes: Uint8Array, timeoutMs = 60_000): OcrResult {
  const engine = tesseractVersion();
  if (!engine) throw new TamisError('E_OCR_UNAVAILABLE', 'install the Debian packages tesseract-ocr and tesseract-ocr-fra');
  return { text: tesseract(bytes, timeoutMs).trim(), engine, langs: LANGS, pages: 1 };
}

/** Scanned PDF: render pages with poppler's pdftoppm, then OCR each. */
export function ocrPdf(bytes: Uint8Array, maxPages: number, timeoutMs = 120_000): OcrResult {
  const engine = tesseractVersion();
  if (!engine) throw new TamisError('E_OCR_UNAVAILABLE', 'install the Debian packages tesseract-ocr and tesseract-ocr-fra');
  const dir = mkdtempSync(join(tmpdir(), 'tamis-ocr-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), bytes);
    const r = spawnSync('pdftoppm', ['-r', '200', '-gray', '-png', '-f', '1', '-l', String(maxPages), join(dir, 'in.pdf'), join(dir, 'p')], {
      timeout: timeoutMs, encoding: 'utf8',
    });
    if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new TamisError('E_OCR_UNAVAILABLE', 'install the Debian package poppler-utils to OCR scanned PDFs');
    }
    const pages = readdirSync(dir).filter((f) => f.startsWith('p') && f.endsWith('.png')).sort();
    if (pages.length === 0) throw new TamisError('E_OCR_FAILED', `pdftoppm rendered no page: ${(r.stderr ?? '').slice(0, 200)}`);
    const text = pages.map((p) => tesseract(readFileSync(join(dir, p)), timeoutMs).trim()).join('\n\f\n');
    return { text, engine, langs: LANGS, pages: pages.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
