// Legacy Office (Word .doc, Excel .xls, PowerPoint .ppt and other OLE2
// compound files): every SummaryInformation / DocumentSummaryInformation
// field kept separately, with the code page the file was saved with (a
// Cyrillic 1251 in a French corpus is a clue). Text: Word's piece table,
// Excel's strings and cells, PowerPoint's text atoms; readable runs of the
// main stream when those structures cannot be read. Encrypted files keep
// their (unencrypted) property sets and get an E_OLE_ENCRYPTED warning.
import CFB from 'cfb';
import { TamisError } from '../core/errors.ts';
import type { Metadata } from '../core/types.ts';
import type { Ingestor } from './ingestor.ts';
import { FMTID_DOC_SUMMARY, FMTID_SUMMARY, filetimeToIso, parsePropertySet, type PropertySection } from './ole-property-set.ts';
import { oleStrings } from './ole-strings.ts';
import { wordText } from './ole-word.ts';
import { xlsText } from './ole-xls.ts';
import { pptText } from './ole-ppt.ts';

const SUMMARY: Record<number, string> = {
  2: 'title', 3: 'subject', 4: 'author', 5: 'keywords', 6: 'comments', 7: 'template', 8: 'lastModifiedBy', 9: 'revision',
  14: 'pageCount', 15: 'wordCount', 16: 'charCount', 18: 'application', 19: 'security',
};
const SUMMARY_TIMES: Record<number, string> = { 11: 'lastPrinted', 12: 'created', 13: 'modified' };
// [MS-OSHARED] 2.3.3.2.2.1 (PIDDSI): PIDDSI_HEADINGPAIR is 0x0C, PIDDSI_DOCPARTS (titles of parts) 0x0D;
// exiftool agrees (test/ingest/ole2.test.ts).
const DOC_SUMMARY: Record<number, string> = {
  2: 'category', 3: 'presentationTarget', 4: 'bytes', 5: 'lines', 6: 'paragraphs', 7: 'slides', 8: 'notes',
  12: 'headingPairs', 13: 'titlesOfParts', 14: 'manager', 15: 'company', 16: 'linksUpToDate',
};
const OLE_MIMES = new Set(['application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint', 'application/x-ole-storage', 'application/vnd.visio']);

/** A stream at the top level (embedded objects carry their own streams deeper down); names are case-insensitive. */
function stream(cfb: CFB.CFB$Container, name: string): Uint8Array | undefined {
  const want = name.toLowerCase();
  const i = cfb.FileIndex.findIndex((e, k) => e.type === 2 && e.name.toLowerCase() === want && cfb.FullPaths[k]!.split('/').filter(Boolean).length === 2);
  const c = i === -1 ? undefined : cfb.FileIndex[i]!.content;
  return c ? Uint8Array.from(c as ArrayLike<number>) : undefined;
}

function apply(meta: Metadata, section: PropertySection, names: Record<number, string>): void {
  for (const [id, value] of section.properties) {
    const key = names[id];
    if (key && value !== null && value !== '') meta[key] = value;
  }
}

/** The document's text from its main stream, and whether that stream is encrypted. */
function mainText(cfb: CFB.CFB$Container, codePage: number): { text: string; encrypted: boolean } {
  const flagged = Boolean(stream(cfb, 'EncryptionInfo') || stream(cfb, 'EncryptedSummary'));
  const word = stream(cfb, 'WordDocument');
  const book = stream(cfb, 'Workbook') ?? stream(cfb, 'Book');
  const ppt = stream(cfb, 'PowerPoint Document');
  const main = word ?? book ?? ppt;
  if (!main) return { text: '', encrypted: flagged };
  const r = word ? wordText(word, stream(cfb, '0Table'), stream(cfb, '1Table'), codePage) : book ? xlsText(book) : pptText(main, stream(cfb, 'Current User'));
  const encrypted = flagged || r.encrypted;
  if (encrypted) return { text: '', encrypted };
  return { text: r.text ?? oleStrings(main), encrypted };
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
    meta.streams = cfb.FileIndex.filter((e) => e.type === 2).length;
    const { text, encrypted } = mainText(cfb, typeof meta.codePage === 'number' ? meta.codePage : 1252);
    if (encrypted) {
      meta.encrypted = true;
      warnings.push({ code: 'E_OLE_ENCRYPTED', message: 'the content is encrypted with a password; only the property sets were read' });
    }
    return {
      title: typeof meta.title === 'string' ? meta.title : undefined,
      date: typeof meta.created === 'string' ? meta.created : undefined,
      text,
      meta,
      children: [],
      ...(warnings.length ? { warnings } : {}),
    };
  },
};
