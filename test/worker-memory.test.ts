// Per-item memory: `--max-worker-memory` caps each parser thread's heap. An
// item that needs more fails with E_OUT_OF_MEMORY (its bytes are kept), the
// thread is replaced and the run goes on; `--retry-failed` with a larger cap
// reads it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tamis } from './helpers/cli.ts';
import { tempDir } from './helpers/tmp.ts';

const tmp = tempDir();
const dump = join(tmp.dir, 'dump');
const db = join(tmp.dir, 'tamis.db');
afterAll(() => tmp.cleanup());

type Report = { items: { path: string; kind: string; title: string | null }[]; failures: { path: string; code: string; message: string }[] };
const report = (): Report => JSON.parse(tamis(['report', '--db', db]).stdout);

beforeAll(() => {
  mkdirSync(dump);
  // postal-mime turns a 16 MB body into strings several times its size: far more than 64 MB of heap.
  const line = 'La trésorerie de la campagne présente un solde de 12 000 euros au 2 mai.\n';
  writeFileSync(join(dump, 'a-long.eml'), `From: a@example.org\nTo: b@example.org\nSubject: Long\nContent-Type: text/plain; charset=utf-8\n\n${line.repeat(Math.ceil(16e6 / line.length))}`);
  writeFileSync(join(dump, 'b-short.eml'), 'From: c@example.org\nTo: d@example.org\nSubject: Court\n\nUn message court.\n');
  writeFileSync(join(dump, 'c-note.txt'), 'Une note.\n');
});

it('refuses a cap too small for a parser thread to start', () => {
  const r = tamis(['ingest', dump, '--db', join(tmp.dir, 'other.db'), '--max-worker-memory', '8M', '--quiet']);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/E_USAGE.*--max-worker-memory/);
});

it('fails the item that needs more than the cap with E_OUT_OF_MEMORY and goes on with the others', () => {
  const r = tamis(['ingest', dump, '--db', db, '--max-worker-memory', '64M', '--workers', '1', '--no-analyze', '--no-ocr', '--quiet']);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/E_OUT_OF_MEMORY 1/);
  const { items, failures } = report();
  const oom = failures.filter((f) => f.code === 'E_OUT_OF_MEMORY');
  expect(oom.map((f) => f.path)).toEqual(['a-long.eml']);
  expect(oom[0]!.message).toMatch(/--max-worker-memory/);
  expect(oom[0]!.message).toMatch(/64 MB/);
  // The items after it, parsed by the replacement thread.
  expect(items.find((i) => i.path === 'b-short.eml')).toMatchObject({ kind: 'email', title: 'Court' });
  expect(items.map((i) => i.path)).toContain('c-note.txt');
});

it('reads the item when retried with a larger cap', () => {
  const r = tamis(['ingest', dump, '--db', db, '--retry-failed', '--max-worker-memory', '1G', '--workers', '1', '--no-analyze', '--no-ocr', '--quiet']);
  expect(r.status, r.stderr).toBe(0);
  const { items, failures } = report();
  expect(failures.filter((f) => f.code === 'E_OUT_OF_MEMORY')).toEqual([]);
  expect(items.find((i) => i.path === 'a-long.eml')).toMatchObject({ kind: 'email', title: 'Long' });
});
