// PDF-specific forensics: the Info dictionary against XMP (two records of
// the same facts, which an editor may update only one of), editing or
// image tools in Producer/Creator/XMP history, and incremental updates
// appended after the first save.
import type { Finding } from '../../core/types.ts';
import type { Metadata } from '../../core/types.ts';

const EDITING_TOOLS = /photoshop|gimp|inkscape|ilovepdf|smallpdf|sejda|pdfescape|pdf-xchange|phantompdf|nitro|pdfelement|pdf ?editor|canva|paint\.net|affinity|pixelmator|preview \(edit\)/i;

const f = (rule: string, severity: Finding['severity'], message: string, evidence: Record<string, unknown>): Finding =>
  ({ rule, severity, message, evidence, related: [] });

const norm = (s: unknown) => (typeof s === 'string' ? s.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase() : '');

export function pdfFindings(meta: Metadata): Finding[] {
  const out: Finding[] = [];
  const xmp = (meta.xmp ?? {}) as Record<string, unknown>;
  const pairs: [string, unknown, string, unknown][] = [
    ['author', meta.author, 'dc:creator', xmp['dc:creator']],
    ['producer', meta.producer, 'pdf:producer', xmp['pdf:producer']],
    ['title', meta.title, 'dc:title', xmp['dc:title']],
  ];
  for (const [infoKey, infoValue, xmpKey, xmpValue] of pairs) {
    const a = norm(infoValue);
    const b = norm(Array.isArray(xmpValue) ? xmpValue.join('; ') : xmpValue);
    if (a && b && a !== b && !a.includes(b) && !b.includes(a)) {
      out.push(f('pdf.info-xmp-mismatch', 'warn',
        `The Info dictionary and the XMP metadata disagree: ${infoKey} "${infoValue}" vs ${xmpKey} "${String(xmpValue)}". An editor updated one record of the document and not the other.`,
        { info: { field: infoKey, value: infoValue }, xmp: { field: xmpKey, value: xmpValue } }));
    }
  }
  const tools = [['creator', meta.creator], ['producer', meta.producer], ['xmp:creatortool', xmp['xmp:creatortool']], ['xmpmm:history', xmp['xmpmm:history']]] as const;
  for (const [field, value] of tools) {
    const s = typeof value === 'string' ? value : value ? JSON.stringify(value) : '';
    const m = EDITING_TOOLS.exec(s);
    if (m) {
      out.push(f('pdf.post-processing', 'warn',
        `The ${field} field names "${m[0]}", an editing or image tool, not the program that writes such documents: the PDF was reworked after it was made.`,
        { field, value: s.slice(0, 300), tool: m[0] }));
      break;
    }
  }
  const revisions = Number(meta.revisions ?? 1);
  if (revisions > 1) {
    out.push(f('pdf.incremental-update', 'warn',
      `The file holds ${revisions} revisions: content was appended after it was first saved (an incremental update), which is how PDFs are edited in place.`,
      { revisions, revisionEnds: meta.revisionEnds ?? null }));
  }
  return out;
}
