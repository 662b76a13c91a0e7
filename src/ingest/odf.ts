// OpenDocument (odt, ods, odp…): meta.xml fields kept separately — initial
// creator and last editor, creation and last-save dates (local time, as ODF
// writes them), editing time and cycles, generator — and the text of
// content.xml. The zip is read through zip-toc.ts with a size budget.
import { decodeXML } from 'entities';
import { TamisError } from '../core/errors.ts';
import type { Metadata } from '../core/types.ts';
import type { Ingestor } from './ingestor.ts';
import { readCentralDirectory, readEntry } from './zip-toc.ts';
import { xmlString } from './xml-scan.ts';

const MAX_PART = 64 << 20;
const META_FIELDS: Record<string, string> = {
  'dc:title': 'title', 'dc:subject': 'subject', 'dc:description': 'description', 'meta:initial-creator': 'initialCreator',
  'dc:creator': 'creator', 'meta:creation-date': 'creationDate', 'dc:date': 'date', 'meta:editing-cycles': 'editingCycles',
  'meta:generator': 'generator', 'meta:print-date': 'printDate', 'meta:printed-by': 'printedBy', 'dc:language': 'language',
};

/** ISO 8601 duration (PT1H2M3S, P1DT2H) to seconds. */
export function durationSeconds(s: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(s.trim());
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Math.round(Number(m[4] ?? 0));
}

function metaFields(xml: string): Metadata {
  const meta: Metadata = {};
  for (const [tag, key] of Object.entries(META_FIELDS)) {
    const m = new RegExp(`<${tag}(?:\\s[^>]*)?>([^<]*)</${tag}>`).exec(xml);
    if (m) meta[key] = decodeXML(m[1]!).trim();
  }
  const d = /<meta:editing-duration>([^<]*)<\/meta:editing-duration>/.exec(xml);
  if (d) {
    meta.editingDurationRaw = d[1];
    const secs = durationSeconds(d[1]!);
    if (secs !== undefined) meta.editingDuration = secs;
  }
  const stats = /<meta:document-statistic\s([^>]*)\/?>/.exec(xml);
  if (stats) {
    for (const a of stats[1]!.matchAll(/meta:([a-z-]+)="(\d+)"/g)) meta[a[1]!.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())] = Number(a[2]);
  }
  const custom: Record<string, string> = {};
  for (const u of xml.matchAll(/<meta:user-defined meta:name="([^"]*)"[^>]*>([^<]*)<\/meta:user-defined>/g)) custom[decodeXML(u[1]!)] = decodeXML(u[2]!);
  if (Object.keys(custom).length) meta.custom = custom;
  return meta;
}

/** Visible text of content.xml: paragraphs and headings as lines, cells separated by tabs. Linear regexes only. */
export function odfText(xml: string): string {
  const body = xml.replace(/<office:(automatic-styles|font-face-decls|scripts)>[\s\S]*?<\/office:\1>/g, '');
  return decodeXML(body
    .replace(/<text:s(?:\s+text:c="(\d+)")?\s*\/>/g, (_, n: string | undefined) => ' '.repeat(Math.min(Number(n ?? 1), 100)))
    .replace(/<text:tab\s*\/>|<\/table:table-cell>/g, '\t')
    .replace(/<text:line-break\s*\/>|<\/text:p>|<\/text:h>|<\/table:table-row>/g, '\n')
    .replace(/<[^>]*>/g, ''))
    .replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

export const odfIngestor: Ingestor = {
  name: 'odf',
  score({ mime, ext }) {
    if (mime.startsWith('application/vnd.oasis.opendocument.')) return 100;
    return ['odt', 'ods', 'odp', 'odg', 'ott', 'ots', 'otp'].includes(ext) ? 10 : 0;
  },
  async extract({ bytes }) {
    const entries = readCentralDirectory(bytes);
    if (!entries || entries.length === 0) throw new TamisError('E_ODF_INVALID', 'not a zip package');
    const byName = new Map(entries.map((e) => [e.name, e]));
    const part = (name: string): string | undefined => {
      const e = byName.get(name);
      if (!e) return undefined;
      try { return xmlString(readEntry(bytes, e, MAX_PART)); } catch (err) { throw new TamisError('E_ODF_INVALID', `${name}: ${(err as Error).message}`); }
    };
    if (byName.has('META-INF/manifest.xml') && /manifest:encryption-data/.test(part('META-INF/manifest.xml') ?? '')) {
      throw new TamisError('E_ODF_ENCRYPTED', 'the document is encrypted with a password');
    }
    const metaXml = part('meta.xml');
    const meta: Metadata = metaXml ? metaFields(metaXml) : {};
    const mimetype = byName.has('mimetype') ? Buffer.from(readEntry(bytes, byName.get('mimetype')!, 256)).toString('latin1').trim() : undefined;
    if (mimetype) meta.mimetype = mimetype;
    meta.zipEntries = entries.map((e) => ({ name: e.name, modified: e.modified }));
    const content = part('content.xml');
    return {
      ...(mimetype?.startsWith('application/vnd.oasis.opendocument.') ? { mime: mimetype } : {}),
      title: typeof meta.title === 'string' && meta.title ? meta.title : undefined,
      date: typeof meta.creationDate === 'string' ? meta.creationDate : undefined,
      text: content ? odfText(content) : '',
      meta,
      children: [],
    };
  },
};
