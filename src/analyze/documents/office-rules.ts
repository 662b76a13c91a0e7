// Microsoft Office writes its zip packages one way: [Content_Types].xml
// first, and every entry dated 1980-01-01 00:00 (the zip format's zero).
// A package that says Office made it but breaks that pattern was unpacked
// and zipped again by another tool: someone edited its XML by hand.
import type { Finding, Metadata } from '../../core/types.ts';

const OFFICE = /^Microsoft (Office|Excel|Word|PowerPoint|Macintosh)/i;

export function officeFindings(meta: Metadata): Finding[] {
  const app = typeof meta.application === 'string' ? meta.application : '';
  const entries = Array.isArray(meta.zipEntries) ? (meta.zipEntries as { name: string; modified?: string }[]) : [];
  if (!OFFICE.test(app) || entries.length === 0) return [];
  const dated = entries.filter((e) => e.modified && !e.modified.startsWith('1980-01-01'));
  const first = entries[0]!.name;
  if (first === '[Content_Types].xml' && dated.length === 0) return [];
  return [{
    rule: 'office.rezipped', severity: 'warn', related: [],
    message: `It claims to be written by "${app}", but its zip package is not laid out as Office writes it (${first !== '[Content_Types].xml' ? `first entry "${first}"` : `${dated.length} entries dated ${dated[0]!.modified}`}): it was unpacked and zipped again by another tool.`,
    evidence: { application: app, firstEntry: first, datedEntries: dated.slice(0, 10).map((e) => ({ name: e.name, modified: e.modified })) },
  }];
}
