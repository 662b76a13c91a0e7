// One CSV row per item, for spreadsheets. Cells a spreadsheet would run as a
// formula (=, +, -, @, tab, CR) get a leading apostrophe: titles come from
// the dump, and the dump is attacker-made.
import type { Writable } from 'node:stream';
import type { Store } from '../store/store.ts';
import { writeChunk } from './write-chunk.ts';

export const CSV_COLUMNS = ['id', 'sha256', 'path', 'parent', 'kind', 'mime', 'size', 'title', 'date', 'verdict', 'rules', 'paths'] as const;

export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function writeCsvReport(store: Store, out: Writable): Promise<void> {
  await writeChunk(out, CSV_COLUMNS.join(',') + '\r\n');
  for await (const item of store.reportItems()) {
    const row = [
      item.id, item.sha256, item.path, item.parent, item.kind, item.mime, item.size, item.title, item.date,
      item.verdict, [...new Set(item.findings.map((f) => f.rule))].join(';'), item.paths.join(' | '),
    ];
    await writeChunk(out, row.map(csvCell).join(',') + '\r\n');
  }
}
