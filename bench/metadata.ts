// Metadata and PDF text speed against the tools people use: `exiftool -j`
// in batch mode over the same Office/PDF files, and `pdftotext` over the
// same PDFs. tamis runs its ingestors in this process, on one thread.
// Files: ../shared/corpora (office, hpsf, pdf). Usage: node bench/metadata.ts [rounds]
import { readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { sniff } from '../src/ingest/sniff.ts';
import { pickIngestor } from '../src/ingest/registry.ts';
import { extractPdf } from '../src/ingest/pdf.ts';

const rounds = Number(process.argv[2] ?? 3);
const root = fileURLToPath(new URL('../../shared/corpora/', import.meta.url));
const list = (d: string, re: RegExp) => readdirSync(root + d).filter((f) => re.test(f)).map((f) => `${root}${d}/${f}`);
const docs = [...list('office', /\.(docx?|xlsx?|pptx?|od[tsp]|rtf|pdf|msg)$/i), ...list('hpsf', /\.(doc|xls|ppt)$/i), ...list('pdf', /\.pdf$/i)];
const pdfs = docs.filter((f) => f.endsWith('.pdf'));
const bytes = new Map(docs.map((f) => { const b = readFileSync(f); return [f, new Uint8Array(b.buffer, b.byteOffset, b.byteLength)]; }));

const best = (fn: () => void | Promise<void>) => async () => {
  let min = Infinity;
  for (let r = 0; r < rounds; r++) { const t = performance.now(); await fn(); min = Math.min(min, performance.now() - t); }
  return min / 1000;
};

const tamisMeta = await best(async () => {
  for (const f of docs) {
    const b = bytes.get(f)!;
    const { mime, ext } = sniff(b, f);
    try { await pickIngestor(mime, ext)?.extract({ bytes: b, name: f, ext, mime }); } catch { /* failures are counted elsewhere */ }
  }
})();
const exif = await best(() => { spawnSync('exiftool', ['-j', '-fast', ...docs], { maxBuffer: 1e9 }); })();
const tamisText = await best(async () => { for (const f of pdfs) { try { await extractPdf(bytes.get(f)!, 5000, false); } catch { /* counted elsewhere */ } } })();
// pdftotext gets a 20 s limit per file: pdf.js's bomb_giant.pdf keeps it busy for minutes.
const pdftotext = await best(() => { for (const f of pdfs) spawnSync('pdftotext', ['-q', f, '-'], { timeout: 20_000 }); })();

const row = (secs: number, n: number) => ({ seconds: +secs.toFixed(2), filesPerSec: Math.round(n / secs) });
console.log(JSON.stringify({
  date: new Date().toISOString().slice(0, 10), machine: `${cpus()[0]?.model ?? 'cpu'} ×${availableParallelism()}`, rounds,
  metadata: { files: docs.length, tamis: row(tamisMeta, docs.length), exiftool: row(exif, docs.length), ratio: +(exif / tamisMeta).toFixed(2) },
  pdfText: { files: pdfs.length, tamis: row(tamisText, pdfs.length), pdftotext: row(pdftotext, pdfs.length), ratio: +(pdftotext / tamisText).toFixed(2) },
}, null, 2));
