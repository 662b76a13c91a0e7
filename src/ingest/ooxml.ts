// Office Open XML (DOCX/XLSX/PPTX and their macro/template variants): text
// plus the document properties, each field kept apart (creator is not
// lastModifiedBy), and the zip's own entry list with timestamps, which a
// forensic rule compares with the claimed dates.
import type { Ingestor, IngestInput, Extraction } from './ingestor.ts';
import { TamisError } from '../core/errors.ts';
import { readCentralDirectory, readEntry, scanLocalHeaders, type ZipEntryInfo } from './zip-toc.ts';
import { docxText, parseRels, pptxText, xlsxText, type Package, type Rel } from './ooxml-text.ts';
import { attr, scanXml, xmlString } from './xml-scan.ts';
import { OOXML_PROTECTED, oleTopLevelNames } from './sniff-containers.ts';

const WORD = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const EXCEL = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const POWERPOINT = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';

const OWN_MIMES = new Set([
  WORD, EXCEL, POWERPOINT, OOXML_PROTECTED,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.template',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.template',
  'application/vnd.openxmlformats-officedocument.presentationml.template',
  'application/vnd.openxmlformats-officedocument.presentationml.slideshow',
  'application/vnd.ms-word.document.macroEnabled.12', 'application/vnd.ms-word.template.macroEnabled.12',
  'application/vnd.ms-excel.sheet.macroEnabled.12', 'application/vnd.ms-excel.template.macroEnabled.12',
  'application/vnd.ms-powerpoint.presentation.macroEnabled.12', 'application/vnd.ms-powerpoint.slideshow.macroEnabled.12',
  'application/vnd.ms-powerpoint.template.macroEnabled.12',
]);
const OWN_EXTS = new Set(['docx', 'docm', 'dotx', 'dotm', 'xlsx', 'xlsm', 'xltx', 'xltm', 'pptx', 'pptm', 'ppsx', 'ppsm', 'potx', 'potm']);

/** Largest single XML part we inflate (a huge worksheet is still text), and all parts together. */
const MAX_PART = 128 * 1024 * 1024;
const MAX_TOTAL = 512 * 1024 * 1024;
const NUMERIC_APP = new Set(['totalTime', 'pages', 'words', 'characters', 'charactersWithSpaces', 'lines', 'paragraphs', 'slides', 'notes', 'hiddenSlides', 'mmClips', 'docSecurity']);

const lowerFirst = (s: string) => s.replace(/^[A-Z]+(?=[A-Z][a-z]|$)|^[A-Z]/, (m) => m.toLowerCase());

/** Simple children of the root element: local name -> text. */
function rootFields(xml: string): Map<string, string> {
  const out = new Map<string, string>();
  let depth = 0;
  let field: string | undefined;
  let value = '';
  let nested = false;
  scanXml(xml, {
    open(name, _raw, self) {
      if (self) {
        if (depth === 1) out.set(name, ''); // an empty field is still a field
        return;
      }
      depth++;
      if (depth === 2) (field = name), (value = ''), (nested = false);
      else if (depth > 2) nested = true; // vectors (HeadingPairs...) are not simple fields
    },
    close() {
      if (depth === 2 && field !== undefined && !nested) out.set(field, value);
      depth = Math.max(0, depth - 1);
    },
    text(t) {
      if (depth === 2) value += t;
    },
  });
  return out;
}

/** docProps/custom.xml: name -> typed value. */
function customProps(xml: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let name: string | undefined;
  let type = '';
  let value = '';
  scanXml(xml, {
    open(tag, raw) {
      if (tag === 'property') (name = attr(raw, 'name')), (type = ''), (value = '');
      else if (name !== undefined && !type) type = tag;
    },
    close(tag) {
      if (tag !== 'property' || name === undefined) return;
      let v: unknown = value;
      if (/^(i[1-8]|ui[1-8]|int|uint|r4|r8|decimal)$/.test(type) && value.trim() !== '' && Number.isFinite(Number(value))) v = Number(value);
      else if (type === 'bool') v = value.trim() === 'true' || value.trim() === '1';
      out[name] = v;
      name = undefined;
    },
    text(t) {
      if (name !== undefined) value += t;
    },
  });
  return out;
}

function openPackage(bytes: Uint8Array, warnings: NonNullable<Extraction['warnings']>): { pkg: Package; entries: ZipEntryInfo[]; recovered: boolean } {
  const central = readCentralDirectory(bytes);
  const entries = central ?? scanLocalHeaders(bytes);
  if (entries.length === 0) throw new TamisError('E_OOXML_INVALID', 'not a zip package');
  // OOXML part names are case-insensitive.
  const byName = new Map(entries.map((e) => [e.name.toLowerCase(), e]));
  const cache = new Map<string, string | undefined>();
  let budget = MAX_TOTAL; // zip-bomb guard across parts
  const xml = (path: string): string | undefined => {
    const key = path.toLowerCase();
    if (cache.has(key)) return cache.get(key);
    const e = byName.get(key);
    let s: string | undefined;
    if (e) {
      try {
        const raw = readEntry(bytes, e, Math.min(MAX_PART, budget));
        budget -= raw.length;
        s = xmlString(raw);
      } catch (err) {
        warnings.push({ code: 'E_OOXML_INVALID', message: (err as Error).message, member: e.name });
      }
    }
    cache.set(key, s);
    return s;
  };
  const rels = (path: string): Rel[] => {
    const slash = path.lastIndexOf('/');
    const relsPath = `${path.slice(0, slash + 1)}_rels/${path.slice(slash + 1)}.rels`;
    const x = xml(relsPath);
    return x === undefined ? [] : parseRels(x, path);
  };
  return { pkg: { xml, rels, names: entries.map((e) => e.name) }, entries, recovered: !central };
}

/** Content type of a part from [Content_Types].xml (Override, else Default by extension). */
function contentType(pkg: Package, part: string): string | undefined {
  const x = pkg.xml('[Content_Types].xml');
  if (x === undefined) return undefined;
  let override: string | undefined;
  let byExt: string | undefined;
  const ext = part.slice(part.lastIndexOf('.') + 1).toLowerCase();
  scanXml(x, {
    open(name, raw) {
      if (name === 'Override' && (attr(raw, 'PartName') ?? '').replace(/^\//, '').toLowerCase() === part.toLowerCase()) override = attr(raw, 'ContentType');
      else if (name === 'Default' && attr(raw, 'Extension')?.toLowerCase() === ext) byExt = attr(raw, 'ContentType');
    },
  });
  return override ?? byExt;
}

/** undefined: not OLE2; true: an encrypted OOXML package inside OLE2; false: legacy Office. */
function isOle2Encrypted(bytes: Uint8Array): boolean | undefined {
  const ole = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  if (!ole.every((b, i) => bytes[i] === b)) return undefined;
  return oleTopLevelNames(bytes).some((n) => n.toLowerCase() === 'encryptedpackage');
}

export const ooxmlIngestor: Ingestor = {
  name: 'ooxml',
  score({ mime, ext }) {
    if (OWN_MIMES.has(mime)) return 100;
    return OWN_EXTS.has(ext) ? 10 : 0;
  },
  async extract(input: IngestInput): Promise<Extraction> {
    const ole = isOle2Encrypted(input.bytes);
    if (ole === true) throw new TamisError('E_OOXML_ENCRYPTED', 'OLE2 container with an EncryptedPackage stream');
    if (ole === false) throw new TamisError('E_OOXML_INVALID', 'an OLE2 (legacy Office) file, not an OOXML package');
    const warnings: NonNullable<Extraction['warnings']> = [];
    const { pkg, entries, recovered } = openPackage(input.bytes, warnings);
    if (recovered) warnings.push({ code: 'E_OOXML_INVALID', message: 'zip central directory missing; read from local headers' });

    const root = pkg.rels('');
    const main = root.find((r) => r.type.endsWith('/officeDocument') && !r.external)?.target
      ?? ['word/document.xml', 'xl/workbook.xml', 'ppt/presentation.xml'].find((p) => pkg.xml(p) !== undefined);
    if (!main || pkg.xml(main) === undefined) throw new TamisError('E_OOXML_INVALID', 'no main document part');
    const ct = contentType(pkg, main) ?? '';
    const family = /wordprocessingml|ms-word/.test(ct) || main.startsWith('word/') ? 'word'
      : /spreadsheetml|ms-excel/.test(ct) || main.startsWith('xl/') ? 'excel'
      : /presentationml|ms-powerpoint/.test(ct) || main.startsWith('ppt/') ? 'powerpoint' : undefined;
    if (!family) throw new TamisError('E_OOXML_INVALID', `unknown main part type ${ct || main}`);
    let mime = ct.endsWith('.main+xml') ? ct.slice(0, -'.main+xml'.length) : family === 'word' ? WORD : family === 'excel' ? EXCEL : POWERPOINT;
    if (mime.includes('macroEnabled') && !mime.endsWith('.12')) mime += '.12';

    const meta: Record<string, unknown> = {};
    const propPart = (suffix: string, fallback: string) => root.find((r) => r.type.endsWith(suffix))?.target ?? fallback;
    const core = pkg.xml(propPart('/core-properties', 'docProps/core.xml'));
    if (core !== undefined) for (const [k, v] of rootFields(core)) meta[k] = v;
    const app = pkg.xml(propPart('/extended-properties', 'docProps/app.xml'));
    if (app !== undefined) {
      for (const [k, v] of rootFields(app)) {
        const key = lowerFirst(k);
        if (key in meta) continue; // never let app.xml shadow a core field
        meta[key] = NUMERIC_APP.has(key) && /^-?\d{1,15}$/.test(v.trim()) ? Number(v) : v;
      }
    }
    const custom = pkg.xml(propPart('/custom-properties', 'docProps/custom.xml'));
    if (custom !== undefined) meta.custom = customProps(custom);

    let text: string;
    if (family === 'word') {
      const r = docxText(pkg, main);
      text = r.text;
      if (r.deleted) meta.deletedText = r.deleted.slice(0, 100_000);
    } else if (family === 'excel') {
      const r = xlsxText(pkg, main);
      text = r.text;
      meta.sheets = r.sheets;
    } else {
      const r = pptxText(pkg, main);
      text = r.text;
      meta.slideCount = r.slides;
    }
    meta.hasMacros = pkg.names.some((n) => /vbaProject\.bin$/i.test(n));
    meta.zipEntries = entries.map((e) => ({ name: e.name, modified: e.modified, ...(e.modifiedUtc ? { modifiedUtc: e.modifiedUtc } : {}) }));

    const title = typeof meta.title === 'string' && meta.title.trim() ? meta.title.trim() : undefined;
    const created = typeof meta.created === 'string' ? Date.parse(meta.created.trim()) : Number.NaN;
    return {
      mime,
      title,
      date: Number.isNaN(created) ? undefined : new Date(created).toISOString(),
      text: text.replace(/\r\n?/g, '\n').replace(/\n{3,}/g, '\n\n'),
      meta,
      children: [],
      ...(warnings.length ? { warnings } : {}),
    };
  },
};
