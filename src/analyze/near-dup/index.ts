// Streaming near-duplicate index: documents are added one by one, only
// their signatures' band keys are kept, and each new document is compared
// with at most one earlier member per band bucket (a star, not all pairs),
// which is enough to join it to its cluster. Candidates are confirmed by
// exact Jaccard over shingle sets fetched on demand.
import { bandKeys, jaccard, shingles, signature } from './minhash.ts';

export interface DupEdge { a: string; b: string; similarity: number }

export class NearDupIndex {
  private readonly buckets: Map<number, string>[] = [];
  private readonly threshold: number;
  private readonly shinglesOf: (id: string) => Promise<Uint32Array>;
  readonly edges: DupEdge[] = [];

  constructor(options: { threshold?: number; shinglesOf: (id: string) => Promise<Uint32Array> }) {
    this.threshold = options.threshold ?? 0.8;
    this.shinglesOf = options.shinglesOf;
  }

  /** A document indexed by an earlier run: its band keys join the buckets, with no comparison (done then). */
  addKnown(id: string, keys: number[]): void {
    keys.forEach((k, band) => {
      const map = (this.buckets[band] ??= new Map());
      if (!map.has(k)) map.set(k, id);
    });
  }

  /** Adds a document; returns its band keys (empty when too short to compare) and the confirmed edges to earlier documents. */
  async add(id: string, text: string): Promise<{ keys: number[]; edges: DupEdge[] }> {
    const sh = shingles(text);
    if (sh.length === 0) return { keys: [], edges: [] };
    const keys = bandKeys(signature(sh));
    const candidates = new Set<string>();
    keys.forEach((k, band) => {
      const map = (this.buckets[band] ??= new Map());
      const first = map.get(k);
      if (first === undefined) map.set(k, id);
      else candidates.add(first);
    });
    const found: DupEdge[] = [];
    for (const c of candidates) {
      const similarity = jaccard(sh, await this.shinglesOf(c));
      if (similarity >= this.threshold) found.push({ a: c, b: id, similarity: Math.round(similarity * 1000) / 1000 });
    }
    this.edges.push(...found);
    return { keys, edges: found };
  }
}

/** Connected components of the confirmed edges, members sorted, clusters sorted by first member. */
export function clustersOf(edges: DupEdge[]): string[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const { a, b } of edges) {
    for (const x of [a, b]) if (!parent.has(x)) parent.set(x, x);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const groups = new Map<string, string[]>();
  for (const x of parent.keys()) groups.set(find(x), [...(groups.get(find(x)) ?? []), x]);
  return [...groups.values()].map((g) => g.sort()).sort((p, q) => (p[0]! < q[0]! ? -1 : 1));
}
