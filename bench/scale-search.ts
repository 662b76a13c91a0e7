// Part 2 of bench/scale.ts: the explorer's faceted search (what GET /api/search
// runs) on a PostgreSQL store of N generated items (scale-corpus.ts), timed
// per query class: a rare word (≤ 0.1 % of items), a medium one (1–5 %), a
// common one (≥ 30 %), two words, a prefix, a word with a facet filter, and
// no words (filters only, newest first).
import type { Finding, Verdict } from '../src/core/types.ts';
import type { SearchFilters } from '../src/store/explore.ts';
import { PostgresStore } from '../src/store/postgres/pg-store.ts';
import { buildVocabulary, findingsFor, generateDump } from './scale-corpus.ts';
import { bulkRecord } from './scale-load.ts';

type Query = { cls: string; f: SearchFilters };

function queries(topSender: string): Query[] {
  const q = (cls: string, list: SearchFilters[]) => list.map((f) => ({ cls, f }));
  return [
    ...q('rare', [{ q: 'bénévoles' }, { q: 'sécurité' }, { q: 'discours' }, { q: 'déplacement' }]),
    ...q('medium', [{ q: 'trésorerie' }, { q: 'facture' }, { q: 'virement' }, { q: 'budget' }]),
    ...q('common', [{ q: 'campagne' }, { q: 'réunion' }, { q: 'équipe' }, { q: 'meeting' }]),
    ...q('and', [{ q: 'facture virement' }, { q: 'campagne réunion' }, { q: 'réunion trésorerie' }, { q: 'budget presse' }]),
    ...q('prefix', [{ q: 'dél*' }, { q: 'camp*' }, { q: 'fact*' }, { q: 'tréso*' }]),
    ...q('word+filter', [{ q: 'trésorerie', verdict: ['consistent'] }, { q: 'campagne', verdict: ['verified'] }, { q: 'réunion', sender: [topSender] },
      { q: 'budget', verdict: ['suspicious', 'tampered'] }]),
    ...q('empty', [{}, { verdict: ['tampered'] }, { sender: [topSender] }, { kind: ['document'], dateFrom: '2016-01-01', dateTo: '2016-06-30' }]),
  ];
}

/** Write N generated items unless the database already holds exactly them (reuse = true). */
async function populate(store: PostgresStore, n: number): Promise<Record<string, number>> {
  const t0 = performance.now();
  const vocabulary = await buildVocabulary(async (words) => (await store.db.rows<{ l: string }>(
    `SELECT array_to_string(tsvector_to_array(to_tsvector('tamis', w)), ' ') AS l FROM unnest($1::text[]) WITH ORDINALITY AS x(w, ord) ORDER BY ord`,
    [words])).map((r) => r.l));
  const verdicts = new Map<string, Verdict>();
  const findings = new Map<string, Map<string, Finding[]>>();
  const written = await bulkRecord(store, generateDump(n, vocabulary), {
    onItem: (g) => {
      if (g.verdict !== 'consistent') verdicts.set(g.item.sha256, g.verdict);
      for (const [analyzer, f] of findingsFor(g.verdict, g.occ.kind)) {
        const byItem = findings.get(analyzer) ?? new Map<string, Finding[]>();
        byItem.set(g.item.sha256, [...(byItem.get(g.item.sha256) ?? []), f]);
        findings.set(analyzer, byItem);
      }
    },
    progress: (k) => process.stderr.write(`${k} items written (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`),
  });
  const tItems = performance.now();
  // The analysis phase's writes, through the store: verdicts (and the kind column), findings.
  await store.setVerdicts(verdicts);
  for (const [analyzer, byItem] of findings) await store.replaceAnalyzerFindings(analyzer, byItem);
  const tAnalysis = performance.now();
  // What autovacuum would do sooner or later: statistics and the visibility map (index-only scans).
  await store.db.rows('VACUUM (ANALYZE)');
  const tEnd = performance.now();
  return {
    written, vocabulary: vocabulary.length, itemsSeconds: Math.round((tItems - t0) / 1000), analysisSeconds: Math.round((tAnalysis - tItems) / 1000),
    vacuumSeconds: Math.round((tEnd - tAnalysis) / 1000), itemsPerSec: Math.round(written / ((tItems - t0) / 1000)),
  };
}

const pct = (sorted: number[], p: number) => +sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!.toFixed(1);
const stats = (times: number[]) => {
  const s = [...times].sort((a, b) => a - b);
  return { n: s.length, p50ms: pct(s, 0.5), p95ms: pct(s, 0.95), maxMs: +s[s.length - 1]!.toFixed(1) };
};

export async function searchBench(url: string, n: number, options: { reuse: boolean; rounds?: number }): Promise<Record<string, unknown>> {
  const store = await PostgresStore.open(url);
  const have = (await store.counts()).items;
  const generation = options.reuse && have === n ? { reused: have } : await populate(store, n);
  const top = await store.explore.search({}, { limit: 1, offset: 0 });
  const list = queries(top.facets.sender[0]!.value);
  const times = new Map<string, number[]>();
  const matches: Record<string, number> = {};
  // One untimed round to warm the caches, then the timed rounds, queries interleaved.
  for (let round = 0; round <= (options.rounds ?? 5); round++) {
    for (const { cls, f } of list) {
      const t = performance.now();
      const r = await store.explore.search(f, { limit: 20, offset: 0 });
      const ms = performance.now() - t;
      matches[`${cls}: ${JSON.stringify(f)}`] = r.total;
      if (round > 0) times.set(cls, [...(times.get(cls) ?? []), ms]);
    }
  }
  const size = await store.db.one<{ db: string; items: string; texts: string; gin: string }>(`SELECT pg_size_pretty(pg_database_size(current_database())) AS db,
    pg_size_pretty(pg_total_relation_size('items')) AS items, pg_size_pretty(pg_total_relation_size('item_texts')) AS texts,
    pg_size_pretty(pg_relation_size('item_texts_tsv')) AS gin`);
  await store.close();
  const all = [...times.values()].flat();
  return {
    items: n, generation, size, queries: all.length, overall: stats(all),
    byClass: Object.fromEntries([...times].map(([cls, t]) => [cls, stats(t)])), matches,
  };
}
