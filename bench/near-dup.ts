// Near-duplicate detection at scale: N generated documents of ~1,000 words
// (default 100,000), with planted near-copies (word substitutions giving a
// Jaccard similarity of about 0.80–0.95). Measures wall time, peak RSS,
// recall on the planted pairs, and confirmed pairs that were not planted.
// Documents are regenerated from their number when needed, never stored.
// Usage: node bench/near-dup.ts [count] [pairs]
import { availableParallelism, cpus } from 'node:os';
import { NearDupIndex, clustersOf } from '../src/analyze/near-dup/index.ts';
import { jaccard, shingles } from '../src/analyze/near-dup/minhash.ts';

const count = Number(process.argv[2] ?? 100_000);
const pairs = Number(process.argv[3] ?? 2_000);
const SYL = ['ba', 'ce', 'di', 'fo', 'gu', 'la', 'me', 'ni', 'po', 'ru', 'sa', 'te', 'vi', 'zo', 'que', 'tion', 'ment', 'eur', 'ais', 'on'];
const VOCAB = Array.from({ length: 20_000 }, (_, i) => `${SYL[i % 20]}${SYL[Math.floor(i / 20) % 20]}${SYL[Math.floor(i / 400) % 20]}${i % 7 ? '' : 's'}`);

function rng(seed: number) {
  let x = seed * 2654435761 + 1;
  return () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) / 2 ** 32; };
}
function baseDoc(i: number): string[] {
  const r = rng(i + 1);
  return Array.from({ length: 1000 }, () => VOCAB[Math.floor(r() * VOCAB.length)]!);
}
/** Document i; the last `pairs` documents are near-copies of documents 0..pairs-1. */
function doc(i: number): string {
  if (i < count - pairs) return baseDoc(i).join(' ');
  const src = i - (count - pairs);
  const words = baseDoc(src);
  const r = rng(i * 7 + 3);
  const changes = 5 + Math.floor(r() * 16);
  for (let k = 0; k < changes; k++) words[Math.floor(r() * words.length)] = `x${Math.floor(r() * 1e6)}`;
  return words.join(' ');
}

const t0 = performance.now();
const index = new NearDupIndex({ shinglesOf: async (id) => shingles(doc(Number(id))) });
for (let i = 0; i < count; i++) await index.add(String(i), doc(i));
const clusters = clustersOf(index.edges);
const secs = (performance.now() - t0) / 1000;

const clusterOf = new Map<string, number>();
clusters.forEach((c, k) => c.forEach((m) => clusterOf.set(m, k)));
let found = 0;
let plantedAbove = 0;
for (let p = 0; p < pairs; p++) {
  const a = String(p);
  const b = String(count - pairs + p);
  const j = jaccard(shingles(doc(p)), shingles(doc(count - pairs + p)));
  if (j < 0.8) continue; // recall is measured on pairs at Jaccard >= 0.8
  plantedAbove++;
  if (clusterOf.has(a) && clusterOf.get(a) === clusterOf.get(b)) found++;
}
const planted = new Set(Array.from({ length: pairs }, (_, p) => `${p}|${count - pairs + p}`));
const falsePairs = index.edges.filter((e) => !planted.has(`${e.a}|${e.b}`)).length;
console.log(JSON.stringify({
  date: new Date().toISOString().slice(0, 10), machine: `${cpus()[0]?.model ?? 'cpu'} ×${availableParallelism()}`, node: process.version,
  documents: count, wordsPerDocument: 1000, plantedPairs: pairs, plantedPairsAtJaccard08: plantedAbove,
  seconds: +secs.toFixed(1), documentsPerSecond: Math.round(count / secs),
  recall: +(found / Math.max(1, plantedAbove)).toFixed(4), confirmedPairsNotPlanted: falsePairs,
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
}, null, 2));
