// RTF: the visible text, and the \info group's fields kept separately
// (author, operator = last modified by, company, creation/revision/print
// times, editing minutes). One forward pass, group depth capped; \'hh bytes
// are decoded with the current font's \fcharset or the document's \ansicpg
// code page, \uN with its \ucN skip; \binN data is skipped unread.
import { TamisError } from '../core/errors.ts';
import type { Metadata } from '../core/types.ts';
import type { Ingestor } from './ingestor.ts';
import { decodeCodePage } from './ole-property-set.ts';

const SKIP = new Set(['fonttbl', 'colortbl', 'stylesheet', 'pict', 'object', 'objdata', 'themedata', 'colorschememapping', 'datastore',
  'latentstyles', 'listtable', 'listoverridetable', 'rsidtbl', 'generator', 'xmlnstbl', 'mmathPr', 'fldinst', 'bkmkstart', 'bkmkend',
  'filetbl', 'revtbl', 'list', 'listlevel', 'leveltext', 'levelnumbers', 'listname', 'listoverride', 'lfolevel', 'pgdsctbl', 'nonshppict', 'shppict', 'blipuid', 'wgrffmtfilter', 'protusertbl', 'listtext']);
const INFO_TEXT: Record<string, string> = { title: 'title', subject: 'subject', author: 'author', operator: 'operator', company: 'company', manager: 'manager', category: 'category', keywords: 'keywords', doccomm: 'comments', hlinkbase: 'hyperlinkBase' };
const INFO_TIME: Record<string, string> = { creatim: 'creatim', revtim: 'revtim', printim: 'printim', buptim: 'backupTime' };
const INFO_NUM: Record<string, string> = { edmins: 'edmins', nofpages: 'pages', nofwords: 'words', nofchars: 'chars', version: 'version', vern: 'internalVersion' };
const MAX_DEPTH = 1000;
const SYMBOLS: Record<string, string> = {
  rquote: '’', lquote: '‘', rdblquote: '”', ldblquote: '“', endash: '–', emdash: '—', bullet: '•', emspace: '\u2003', enspace: '\u2002', qmspace: '\u2005',
};

/** \fcharset values to Windows code pages (0 ANSI, 1 default, 2 symbol: the document's \ansicpg). */
const CHARSET_CP: Record<number, number> = {
  77: 10000, 128: 932, 129: 949, 134: 936, 136: 950, 161: 1253, 162: 1254, 163: 1258, 177: 1255, 178: 1256, 186: 1257, 204: 1251, 222: 874, 238: 1250,
};

interface Group { skip: boolean; uc: number; field?: string; time?: Record<string, number>; fonttbl?: boolean; object?: boolean; cp?: number }

export function parseRtf(src: string): { text: string; meta: Metadata } {
  if (!src.startsWith('{\\rtf')) throw new TamisError('E_RTF_INVALID', 'no {\\rtf header');
  let codePage = 1252;
  const meta: Metadata = {};
  const out: string[] = [];
  let bytes: number[] = [];
  let stack: Group[] = [];
  let g: Group = { skip: false, uc: 1 };
  let skipChars = 0;
  const fieldText = new Map<string, string>();
  const flushBytes = () => {
    if (!bytes.length) return;
    emit(decodeCodePage(Uint8Array.from(bytes), g.cp ?? codePage));
    bytes = [];
  };
  const emit = (s: string) => {
    if (g.field) fieldText.set(g.field, (fieldText.get(g.field) ?? '') + s);
    else if (!g.skip) out.push(s);
  };
  const fontCp = new Map<number, number>();
  let font = -1;
  let i = 0;
  let starAt = -1;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '{') {
      flushBytes();
      if (stack.length >= MAX_DEPTH) throw new TamisError('E_RTF_INVALID', `groups nested deeper than ${MAX_DEPTH}`);
      stack.push(g);
      g = { ...g, field: g.field, time: undefined };
      i++;
      continue;
    }
    if (c === '}') {
      flushBytes();
      if (g.time && g.field) {
        const t = g.time;
        if (t.yr) meta[g.field] = new Date(Date.UTC(t.yr, (t.mo ?? 1) - 1, t.dy ?? 1, t.hr ?? 0, t.min ?? 0, t.sec ?? 0)).toISOString().replace('.000Z', '');
      }
      g = stack.pop() ?? g;
      if (stack.length === 0) break; // the document's group is closed: trailing bytes are not RTF
      i++;
      continue;
    }
    if (c === '\\') {
      const next = src[i + 1];
      if (next === undefined) break;
      if (next === "'") {
        const hex = src.slice(i + 2, i + 4);
        if (skipChars > 0) skipChars--;
        else if (/^[0-9a-f]{2}$/i.test(hex)) bytes.push(parseInt(hex, 16));
        i += 4;
        continue;
      }
      if (!/[a-zA-Z]/.test(next)) {
        flushBytes();
        // \* marks an optional destination only at the start of a group; elsewhere it is ignored.
        if (next === '*') { if (/\{\s*$/.test(src.slice(Math.max(0, i - 3), i))) starAt = stack.length; }
        else if (next === '~') emit('\u00a0');
        else if (next === '{' || next === '}' || next === '\\') emit(next);
        else if (next === '\n' || next === '\r') emit('\n');
        i += 2;
        continue;
      }
      const m = /^([a-zA-Z]{1,32})(-?\d{1,10})? ?/.exec(src.slice(i + 1, i + 48))!;
      const word = m[1]!;
      const param = m[2] === undefined ? undefined : Number(m[2]);
      i += 1 + m[0].length;
      if (word !== 'u') flushBytes();
      if (word === 'bin') { i += Math.max(0, param ?? 0); continue; } // raw bytes, may hold braces
      if (g.fonttbl && word === 'f' && param !== undefined) font = param;
      else if (g.fonttbl && word === 'fcharset' && param !== undefined && CHARSET_CP[param]) fontCp.set(font, CHARSET_CP[param]!);
      else if (g.fonttbl && word === 'cpg' && param) fontCp.set(font, param);
      else if (word === 'f' && param !== undefined) g.cp = fontCp.get(param);
      else if (word === 'fonttbl') { g.skip = true; g.fonttbl = true; }
      else if (word === 'object') { g.skip = true; g.object = true; }
      else if (word === 'result' && g.object) { g.skip = false; g.object = false; } // an object's rendered text
      else if (word === 'ansicpg' && param) codePage = param;
      else if (word === 'uc' && param !== undefined) g.uc = param;
      else if (word === 'u' && param !== undefined) { flushBytes(); emit(String.fromCharCode(param < 0 ? param + 65536 : param)); skipChars = g.uc; }
      else if (word === 'par' || word === 'line' || word === 'row' || word === 'sect' || word === 'page') emit('\n');
      else if (word === 'tab' || word === 'cell') emit('\t');
      else if (word === 'info') g.skip = true;
      else if (SYMBOLS[word]) emit(SYMBOLS[word]!);
      else if (INFO_TEXT[word]) { g.field = INFO_TEXT[word]; fieldText.set(g.field!, ''); }
      else if (INFO_TIME[word]) { g.field = INFO_TIME[word]; g.time = {}; }
      else if (INFO_NUM[word] && param !== undefined) meta[INFO_NUM[word]] = param;
      else if (g.time && ['yr', 'mo', 'dy', 'hr', 'min', 'sec'].includes(word) && param !== undefined) g.time[word] = param;
      else if (SKIP.has(word) || starAt === stack.length) g.skip = true;
      if (starAt === stack.length && word !== 'u') starAt = -1;
      continue;
    }
    if (c === '\r' || c === '\n') { i++; continue; }
    if (skipChars > 0) { skipChars--; i++; continue; }
    bytes.push(c.charCodeAt(0) & 0xff);
    i++;
  }
  flushBytes();
  for (const [field, value] of fieldText) if (value.trim()) meta[field] = value.trim();
  meta.codePage = codePage;
  return { text: out.join('').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim(), meta };
}

export const rtfIngestor: Ingestor = {
  name: 'rtf',
  score({ mime, ext }) {
    if (mime === 'application/rtf' || mime === 'text/rtf') return 100;
    return ext === 'rtf' ? 10 : 0;
  },
  async extract({ bytes }) {
    const { text, meta } = parseRtf(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'));
    return {
      title: typeof meta.title === 'string' ? meta.title : undefined,
      date: typeof meta.creatim === 'string' ? meta.creatim : undefined,
      text, meta, children: [],
    };
  },
};
