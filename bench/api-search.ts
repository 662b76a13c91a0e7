// Latency of GET /api/search (with its facets) on a store of N generated
// emails (default 10,000, each with its attachments: ~12,000 items).
// Requests go through the real HTTP server on loopback, one at a time.
// Usage: node bench/api-search.ts [count] [requests]
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { makeMailDump } from '../test/fixtures/make-mail-dump.ts';
import { openStore } from '../src/store/open-store.ts';
import { buildApp } from '../src/server/app.ts';

const count = Number(process.argv[2] ?? 10_000);
const requests = Number(process.argv[3] ?? 1000);
const root = new URL('./out/', import.meta.url).pathname;
const dump = join(root, `maildir-${count}`);
const db = join(root, `api-${count}.db`);
const bin = new URL('../bin/tamis.js', import.meta.url).pathname;

if (!existsSync(dump)) await makeMailDump(dump, { count, seed: 1, layout: 'maildir' });
if (!existsSync(db)) {
  const r = spawnSync(process.execPath, [bin, 'ingest', dump, '--db', db, '--no-ocr', '--quiet'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('ingest failed');
}

const { store, blobs } = await openStore(db, { mustExist: true });
const app = await buildApp({ store, blobs });
const base = await app.listen({ port: 0, host: '127.0.0.1' });
const items = (await store.counts()).items;

// Queries users type: common and rare words, prefixes, phrases, with and without facet filters.
const dash = await (await fetch(`${base}/api/dashboard`)).json() as { byVerdict: Record<string, number> };
const sample = await (await fetch(`${base}/api/search?limit=200`)).json() as { hits: { title: string | null; sender: string | null }[] };
const words = [...new Set(sample.hits.flatMap((h) => (h.title ?? '').toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter((w) => w.length > 3))].slice(0, 40);
const senders = [...new Set(sample.hits.map((h) => h.sender).filter(Boolean))] as string[];
const queries: string[] = [];
for (let i = 0; queries.length < requests; i++) {
  const w = words[i % words.length]!;
  const variants = [
    `q=${encodeURIComponent(w)}`,
    `q=${encodeURIComponent(w.slice(0, 4))}*`,
    `q=${encodeURIComponent(`${w} ${words[(i + 7) % words.length]}`)}`,
    `q=${encodeURIComponent(w)}&verdict=verified`,
    `sender=${encodeURIComponent(senders[i % senders.length] ?? '')}&kind=email`,
    `verdict=suspicious&sort=verdict`,
    `q=${encodeURIComponent(w)}&offset=20&from=2017-01-01&to=2017-05-05`,
    '',
  ];
  queries.push(variants[i % variants.length]!);
}

const times: number[] = [];
const byVariant = new Map<number, number[]>();
for (const q of queries.slice(0, 50)) await fetch(`${base}/api/search?${q}`); // warm the page cache
for (const [i, q] of queries.entries()) {
  const t = performance.now();
  const res = await fetch(`${base}/api/search?${q}`);
  await res.arrayBuffer();
  const ms = performance.now() - t;
  times.push(ms);
  byVariant.set(i % 8, [...(byVariant.get(i % 8) ?? []), ms]);
  if (!res.ok) throw new Error(`${q}: ${res.status}`);
}
await app.close();
await store.close();
times.sort((a, b) => a - b);
const pct = (p: number) => +times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!.toFixed(1);
console.log(JSON.stringify({
  date: new Date().toISOString().slice(0, 10),
  machine: `${cpus()[0]?.model ?? 'cpu'} ×${availableParallelism()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
  node: process.version, items, verdicts: dash.byVerdict, requests: times.length,
  p50ms: pct(50), p95ms: pct(95), p99ms: pct(99), maxMs: +times[times.length - 1]!.toFixed(1),
  // p95 per kind of request: words, prefix, two words, words+verdict, sender+kind, verdict only, words+page 2+dates, everything.
  p95msByVariant: [...byVariant.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => +t.sort((a, b) => a - b)[Math.floor(0.95 * t.length)]!.toFixed(1)),
}, null, 2));
