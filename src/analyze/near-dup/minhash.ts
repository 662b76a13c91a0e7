// Near-duplicate candidates without comparing all pairs: word 5-shingles,
// 128-value MinHash signatures, LSH banding over 21 bands of 6 rows. With
// 21×6, a pair at Jaccard 0.8 shares a band with probability 0.998, a pair
// at 0.5 with 0.27; every candidate is then confirmed by exact Jaccard.
const BANDS = 21;
const ROWS = 6;
export const PERMUTATIONS = 128; // the last 2 values are not banded
const SHINGLE = 5;
export const MIN_TOKENS = 20;

// Deterministic odd multipliers and offsets (xorshift seeded).
const A = new Uint32Array(PERMUTATIONS);
const B = new Uint32Array(PERMUTATIONS);
{
  let x = 0x9e3779b9;
  const next = () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x >>> 0; };
  for (let i = 0; i < PERMUTATIONS; i++) { A[i] = next() | 1; B[i] = next(); }
}

/** Words with accents and case folded; "12 000" and "12.000" become one token. */
export function tokens(text: string): string[] {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
    .replace(/(\d)[\s.,\u00a0\u202f](?=\d{3}\b)/g, '$1')
    .split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Sorted distinct hashes of the text's word 5-shingles (empty when too short to compare). */
export function shingles(text: string): Uint32Array {
  const t = tokens(text);
  if (t.length < MIN_TOKENS) return new Uint32Array(0);
  const set = new Set<number>();
  for (let i = 0; i + SHINGLE <= t.length; i++) set.add(fnv1a(t.slice(i, i + SHINGLE).join(' ')));
  return Uint32Array.from(set).sort();
}

export function signature(sh: Uint32Array): Uint32Array {
  const sig = new Uint32Array(PERMUTATIONS).fill(0xffffffff);
  for (let k = 0; k < sh.length; k++) {
    const x = sh[k]!;
    for (let i = 0; i < PERMUTATIONS; i++) {
      const h = (Math.imul(A[i]!, x) + B[i]!) >>> 0;
      if (h < sig[i]!) sig[i] = h;
    }
  }
  return sig;
}

export function bandKeys(sig: Uint32Array): number[] {
  const keys: number[] = [];
  for (let b = 0; b < BANDS; b++) {
    let h = 0x811c9dc5 ^ b;
    for (let r = 0; r < ROWS; r++) h = Math.imul(h ^ sig[b * ROWS + r]!, 16777619);
    keys.push(h >>> 0);
  }
  return keys;
}

export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let inter = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) { inter++; i++; j++; } else if (a[i]! < b[j]!) i++; else j++;
  }
  return inter / (a.length + b.length - inter);
}
