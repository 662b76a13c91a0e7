// Near-duplicates: MinHash/LSH confirmed by Jaccard, clusters, altered-copy
// classification, and the index kept between runs (only new items compared).
import { afterAll, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jaccard, shingles, tokens } from '../../src/analyze/near-dup/minhash.ts';
import { NearDupIndex, clustersOf } from '../../src/analyze/near-dup/index.ts';
import { classify } from '../../src/analyze/near-dup/altered-copy.ts';
import { tamis } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

function words(seed: number, n = 400): string {
  let x = seed * 2654435761 + 1;
  const next = () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) % 5003; };
  return Array.from({ length: n }, () => `mot${next()}`).join(' ');
}
const tmp = tempDir();
afterAll(() => tmp.cleanup());

it('folds accents and digit groups into tokens', () => {
  expect(tokens('Trésorerie : 12 000 € et 4.250.000')).toEqual(['tresorerie', '12000', 'et', '4250000']);
});

it('finds planted near-copies and no unrelated pair', async () => {
  const docs = new Map<string, string>();
  for (let i = 0; i < 200; i++) docs.set(`d${i}`, words(i));
  const base = words(7).split(' ');
  for (let k = 0; k < 8; k++) base[k * 40] = `changé${k}`;
  docs.set('copy7', base.join(' '));
  const index = new NearDupIndex({ shinglesOf: async (id) => shingles(docs.get(id)!) });
  for (const [id, text] of docs) await index.add(id, text);
  expect(clustersOf(index.edges)).toEqual([['copy7', 'd7']]);
  expect(jaccard(shingles(docs.get('d7')!), shingles(docs.get('copy7')!))).toBeGreaterThan(0.8);
});

it('classifies what changed', () => {
  expect(classify([{ removed: '12 000', added: '120 000', before: '' }])).toMatchObject({ figures: true, names: false });
  expect(classify([{ removed: 'Hélène Dupré', added: 'Hélène Durand', before: '' }])).toMatchObject({ figures: false, names: true });
  expect(classify([{ removed: 'le 12 avril 2017', added: 'le 14 avril 2017', before: '' }])).toMatchObject({ dates: true });
  expect(classify([{ removed: 'déposés dans', added: 'placés auprès de', before: '' }])).toEqual({ figures: false, dates: false, names: false });
});

it('keeps its index between runs and finds a copy ingested later', () => {
  const dump = join(tmp.dir, 'dump');
  mkdirSync(dump);
  writeFileSync(join(dump, 'original.txt'), words(1));
  writeFileSync(join(dump, 'other.txt'), words(2));
  const db = join(tmp.dir, 'tamis.db');
  expect(tamis(['ingest', dump, '--db', db, '--quiet', '--no-ocr']).status).toBe(0);
  expect(JSON.parse(tamis(['dups', '--db', db, '--json']).stdout).clusters).toEqual([]);
  const copy = words(1).split(' ');
  for (let k = 0; k < 6; k++) copy[k * 60] = `autre${k}`;
  writeFileSync(join(dump, 'later-copy.txt'), copy.join(' '));
  expect(tamis(['ingest', dump, '--db', db, '--quiet', '--no-ocr']).status).toBe(0);
  const { clusters } = JSON.parse(tamis(['dups', '--db', db, '--json']).stdout) as { clusters: { members: { path: string; verdict: string }[] }[] };
  expect(clusters.map((c) => c.members.map((m) => m.path))).toEqual([['later-copy.txt', 'original.txt']]);
});

it('groups the same message met with different bodies under one Message-ID', () => {
  const dump = join(tmp.dir, 'mails');
  mkdirSync(join(dump, 'boite-a'), { recursive: true });
  mkdirSync(join(dump, 'boite-b'), { recursive: true });
  const mail = (body: string) => `From: Hélène <h@campagne.example>\r\nTo: f@campagne.example\r\nSubject: Virement\r\nDate: Tue, 02 May 2017 10:00:00 +0200\r\nMessage-ID: <same-42@mx1.campagne.example>\r\n\r\n${body}\r\n`;
  writeFileSync(join(dump, 'boite-a', '1.eml'), mail('Le virement de 12 000 euros est parti.'));
  writeFileSync(join(dump, 'boite-b', '1.eml'), mail('Le virement de 120 000 euros est parti vers Nassau.'));
  const db = join(tmp.dir, 'mails.db');
  expect(tamis(['ingest', dump, '--db', db, '--quiet', '--no-ocr']).status).toBe(0);
  const { clusters } = JSON.parse(tamis(['dups', '--db', db, '--json']).stdout) as { clusters: { reason: string; members: { path: string }[] }[] };
  expect(clusters).toEqual([{ cluster: 1, reason: 'same-message-id', members: [expect.objectContaining({ path: 'boite-a/1.eml' }), expect.objectContaining({ path: 'boite-b/1.eml' })] }]);
});
