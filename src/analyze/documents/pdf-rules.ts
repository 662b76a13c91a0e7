// PDF-specific forensics: the Info dictionary against XMP (two records of
// the same facts, which an editor may update only one of), editing or
// image tools in Producer/Creator/XMP history, and incremental updates
// appended after the first save.
import type { Finding } from '../../core/types.ts';
import type { Metadata } from '../../core/types.ts';
import { wordDiff } from './text-diff.ts';

const EDITING_TOOLS = /photoshop|gimp|inkscape|ilovepdf|smallpdf|sejda|pdfescape|pdf-xchange|phantompdf|nitro|pdfelement|pdf ?editor|canva|paint\.net|affinity|pixelmator|preview \(edit\)/i;

const f = (rule: string, severity: Finding['severity'], message: string, evidence: Record<string, unknown>): Finding =>
  ({ rule, severity, message, evidence, related: [] });

const norm = (s: unknown) => (typeof s === 'string' ? s.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase() : '');

type RevisionText = { end: number; text: string };
type Signed = { byteRange: number[]; coversUpTo: number };

/** What changed between saved states, and whether a signed state was changed later. */
function historyFindings(meta: Metadata, finalText: string, size: number): Finding[] {
  const out: Finding[] = [];
  const revisions = (meta.revisionTexts ?? []) as RevisionText[];
  const states = [...revisions, { end: size, text: finalText }];
  const first = states[0]!;
  if (revisions.length && norm(first.text) !== norm(finalText)) {
    const diff = wordDiff(first.text, finalText);
    const shown = diff.changes.slice(0, 3).map((c) => `"${c.removed}" → "${c.added}"`).join('; ');
    out.push(f('pdf.revision-text-changed', 'warn',
      `The text was changed by a later save: ${shown}${diff.changes.length > 3 ? '…' : ''}.`,
      { firstRevisionEnd: first.end, changes: diff.changes, truncated: diff.truncated }));
  }
  for (const sig of (meta.signatures ?? []) as Signed[]) {
    if (sig.coversUpTo >= size) continue;
    // The state the signature covers is the revision ending where its range ends.
    const signed = states.find((s) => Math.abs(s.end - sig.coversUpTo) <= 2) ?? states.find((s) => s.end >= sig.coversUpTo);
    const changed = signed && signed !== states[states.length - 1] && norm(signed.text) !== norm(finalText);
    if (changed) {
      const diff = wordDiff(signed.text, finalText);
      out.push(f('pdf.changed-after-signature', 'critical',
        `The document was signed over its first ${sig.coversUpTo} bytes, and its text was changed afterwards: ${diff.changes.slice(0, 3).map((c) => `"${c.removed}" → "${c.added}"`).join('; ')}.`,
        { byteRange: sig.byteRange, signedBytes: sig.coversUpTo, fileBytes: size, changes: diff.changes, truncated: diff.truncated }));
    } else {
      out.push(f('pdf.appended-after-signature', 'info',
        `Bytes were added after the signed range (${sig.coversUpTo} of ${size} bytes), without changing the text (often validation data or annotations).`,
        { byteRange: sig.byteRange, signedBytes: sig.coversUpTo, fileBytes: size }));
    }
  }
  return out;
}

export function pdfFindings(meta: Metadata, finalText = '', size = 0): Finding[] {
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
  out.push(...historyFindings(meta, finalText, size));
  const revisions = Number(meta.revisions ?? 1);
  if (revisions > 1) {
    out.push(f('pdf.incremental-update', 'warn',
      `The file holds ${revisions} revisions: content was appended after it was first saved (an incremental update), which is how PDFs are edited in place.`,
      { revisions, revisionEnds: meta.revisionEnds ?? null }));
  }
  return out;
}
