// The metadata fields forensic rules read, under one name whatever the
// format wrote them as (OOXML core/app, OLE2 property sets, ODF meta.xml,
// PDF Info/XMP, RTF \info). Each field keeps where it came from, so a
// finding can quote the exact field and value.
import type { Metadata } from '../../core/types.ts';

export interface Field<T> { value: T; field: string }

export interface DocFacts {
  format: string;
  author?: Field<string>;
  lastModifiedBy?: Field<string>;
  company?: Field<string>;
  created?: Field<Date>;
  modified?: Field<Date>;
  editSeconds?: Field<number>;
  /** Software that wrote or last processed the file. */
  tools: Field<string>[];
  codePage?: Field<number>;
  /** UTC offsets in minutes written in the file's own dates (PDF D: strings, XMP). */
  utcOffsets: Field<number>[];
}

const str = (meta: Metadata, key: string): Field<string> | undefined => {
  const v = meta[key];
  return typeof v === 'string' && v.trim() ? { value: v.trim(), field: key } : undefined;
};

const date = (meta: Metadata, key: string): Field<Date> | undefined => {
  const v = meta[key];
  if (typeof v !== 'string' || !v.trim()) return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) && t > Date.UTC(1980, 0, 2) ? { value: new Date(t), field: key } : undefined;
};

const num = (meta: Metadata, key: string, scale = 1): Field<number> | undefined => {
  const v = typeof meta[key] === 'string' ? Number(meta[key]) : meta[key];
  return typeof v === 'number' && Number.isFinite(v) ? { value: v * scale, field: key } : undefined;
};

/** "D:20170503143000+03'00'" -> +180. */
function pdfOffset(raw: unknown): number | undefined {
  const m = typeof raw === 'string' ? /([+-])(\d\d)'?(\d\d)?'?$/.exec(raw.trim()) : null;
  if (!m) return undefined;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

export function docFacts(ingestor: string | null, meta: Metadata): DocFacts | null {
  const tools = (keys: string[]) => keys.map((k) => str(meta, k)).filter((x): x is Field<string> => Boolean(x));
  switch (ingestor) {
    case 'ooxml':
      return {
        format: 'ooxml', author: str(meta, 'creator'), lastModifiedBy: str(meta, 'lastModifiedBy'), company: str(meta, 'company'),
        created: date(meta, 'created'), modified: date(meta, 'modified'), editSeconds: num(meta, 'totalTime', 60),
        tools: tools(['application']), utcOffsets: [],
      };
    case 'ole2':
      return {
        format: 'ole2', author: str(meta, 'author'), lastModifiedBy: str(meta, 'lastModifiedBy'), company: str(meta, 'company'),
        created: date(meta, 'created'), modified: date(meta, 'modified'), editSeconds: num(meta, 'editTimeSeconds'),
        tools: tools(['application']), codePage: num(meta, 'codePage'), utcOffsets: [],
      };
    case 'odf':
      return {
        format: 'odf', author: str(meta, 'initialCreator'), lastModifiedBy: str(meta, 'creator'), created: date(meta, 'creationDate'),
        modified: date(meta, 'date'), editSeconds: num(meta, 'editingDuration'), tools: tools(['generator']), utcOffsets: [],
      };
    case 'rtf':
      return {
        format: 'rtf', author: str(meta, 'author'), lastModifiedBy: str(meta, 'operator'), company: str(meta, 'company'),
        created: date(meta, 'creatim'), modified: date(meta, 'revtim'), editSeconds: num(meta, 'edmins', 60), tools: [], utcOffsets: [],
      };
    case 'pdf': {
      const offsets: Field<number>[] = [];
      for (const field of ['creationDateRaw', 'modDateRaw']) {
        const value = pdfOffset(meta[field]);
        if (value !== undefined) offsets.push({ value, field });
      }
      return {
        format: 'pdf', author: str(meta, 'author'), created: date(meta, 'creationDate'), modified: date(meta, 'modDate'),
        tools: tools(['creator', 'producer']), utcOffsets: offsets,
      };
    }
    default:
      return null;
  }
}
