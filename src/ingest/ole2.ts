// Legacy Office (Word .doc, Excel .xls, PowerPoint .ppt and other OLE2
// compound files): every SummaryInformation / DocumentSummaryInformation
// field kept separately, with the code page the file was saved with (a
// Cyrillic 1251 in a French corpus is a clue). Text is best effort: the
// readable runs of the main stream (Unicode or 8-bit), enough to search.
import CFB from 'cfb';
import { TamisError } from '../core/errors.ts';
import type { Metadata } from '../core/types.ts';
import type { Ingestor } from './ingestor.ts';
import { FMTID_DOC_SUMMARY, FMTID_SUMMARY, filetimeToIso, parsePropertySet, type PropertySection } from './ole-property-set.ts';
import { oleStrings } from './ole-strings.ts';

const SUMMARY: Record<number, string> = {
  2: 'title', 3: 'subject', 4: 'author', 5: 'keywords', 6: 'comments', 7: 'template', 8: 'lastModifiedBy', 9: 'revision',
  14: 'pageCount', 15: 'wordCount', 16: 'charCount', 18: 'application', 19: 'security',
};
const SUMMARY_TIMES: Record<number, string> = { 11: 'lastPrinted', 12: 'created', 13: 'modified' };
const DOC_SUMMARY: Record<number, string> = {
  2: 'category', 3: 'presentationTarget', 4: 'bytes', 5: 'lines', 6: 'paragraphs', 7: 'slides', 8: 'notes',
  12: 'titlesOfParts', 13: 'headingPairs', 14: 'manager', 15: 'company', 16: 'linksUpToDate',
};
const MAIN_STREAMS = ['WordDocument', 'Workbook', 'Book', 'PowerPoint Document'];
const OLE_MIMES = new Set(['application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint', 'application/x-ole-storage', 'application/vnd.visio']);

/** A stream at the top level: embedded objects carry their own property sets deeper down. */
function stream(cfb: CFB.CFB$Container, name: string): Uint8Array | undefined {
  const i = cfb.FileIndex.findIndex((e, k) => e.name === name && e.type === 2 && cfb.FullPaths[k]!.split('/').filter(Boolean).length === 2);
  const c = i === -1 ? undefined : cfb.FileIndex[i]!.content;
  return c ? Uint8Array.from(c as ArrayLike<number>) : undefined;
}

function apply(meta: Metadata, section: PropertySection, names: Record<number, string>): void {
  for (const [id, value] of section.properties) {
    const key = names[id];
    if (key && value !== null && value !== '') meta[key] = value;
  }
}

export const ole2Ingestor: Ingestor = {
  name: 'ole2',
  score({ mime, ext }) {
    if (OLE_MIMES.has(mime)) return 90;
    return ['doc', 'xls', 'ppt', 'dot', 'xlt', 'pot', 'mpp', 'vsd', 'pub', 'shw'].includes(ext) && mime !== 'application/vnd.ms-outlook' ? 10 : 0;
  },
  async extract({ bytes }) {
    let cfb: CFB.CFB$Container;
    try {
      cfb = CFB.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { type: 'buffer' });
    } catch (err) {
      throw new TamisError('E_OLE_INVALID', (err as Error).message);
    }
    const meta: Metadata = {};
    const warnings: { code: string; message: string }[] = [];
    for (const name of ['\u0005SummaryInformation', '\u0005DocumentSummaryInformation']) {
      const data = stream(cfb, name);
      if (!data) continue;
      const { sections, problems, ticks } = parsePropertySet(data);
      for (const p of problems) warnings.push({ code: 'E_OLE_INVALID', message: `${name.slice(1)}: ${p}` });
      for (const s of sections) {
        if (s.fmtid === FMTID_SUMMARY) {
          apply(meta, s, SUMMARY);
          meta.codePage = s.codePage;
          for (const [id, key] of Object.entries(SUMMARY_TIMES)) {
            const t = ticks.get(`${s.fmtid}:${id}`);
            const iso = t === undefined ? null : filetimeToIso(t);
            if (iso) meta[key] = iso;
          }
          // EditTime is a duration, not an instant (ticks of 100 ns).
          const edit = ticks.get(`${s.fmtid}:10`);
          if (edit !== undefined) meta.editTimeSeconds = Number(edit / 10_000_000n);
        } else if (s.fmtid === FMTID_DOC_SUMMARY) {
          apply(meta, s, DOC_SUMMARY);
        } else if (s.names.size) {
          const custom: Record<string, unknown> = {};
          for (const [id, n] of s.names) if (s.properties.has(id)) custom[n] = s.properties.get(id);
          meta.custom = custom;
        }
      }
    }
    meta.encrypted = Boolean(stream(cfb, 'EncryptionInfo')) || undefined;
    if (meta.encrypted === undefined) delete meta.encrypted;
    meta.streams = cfb.FileIndex.filter((e) => e.type === 2).length;
    const main = MAIN_STREAMS.map((n) => stream(cfb, n)).find(Boolean);
    return {
      title: typeof meta.title === 'string' ? meta.title : undefined,
      date: typeof meta.created === 'string' ? meta.created : undefined,
      text: main ? oleStrings(main) : '',
      meta,
      children: [],
      ...(warnings.length ? { warnings } : {}),
    };
  },
};
