// Text of the three OOXML families, from their XML parts. Parts are reached
// through relationships (not hard-coded names) because writers other than
// Microsoft Office name them differently.
import { attr, scanXml } from './xml-scan.ts';

export interface Rel {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

/** Access to a package: a part's XML by path, and a part's relationships. */
export interface Package {
  xml(path: string): string | undefined;
  rels(path: string): Rel[];
  names: string[];
}

/** Relationships listed in a .rels part, targets resolved against `source`. */
export function parseRels(xml: string, source: string): Rel[] {
  const base = source.includes('/') ? source.slice(0, source.lastIndexOf('/') + 1) : '';
  const out: Rel[] = [];
  scanXml(xml, {
    open(name, raw) {
      if (name !== 'Relationship') return;
      const target = attr(raw, 'Target') ?? '';
      const external = attr(raw, 'TargetMode') === 'External';
      out.push({ id: attr(raw, 'Id') ?? '', type: attr(raw, 'Type') ?? '', target: external ? target : resolvePart(base, target), external });
    },
  });
  return out;
}

function resolvePart(base: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : base + target).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

const relOf = (pkg: Package, source: string, typeSuffix: string) =>
  pkg.rels(source).filter((r) => !r.external && r.type.endsWith(typeSuffix));

/** Word-processing text: paragraphs as lines; deleted (tracked) text apart. */
function wordPart(xml: string, deleted: string[]): string {
  let out = '';
  let inText = 0;
  let inDel = 0;
  let fallback = 0; // mc:Fallback repeats mc:Choice content (text boxes): skip it
  let tabs = 0; // w:tabs holds tab-stop definitions, not tab characters
  scanXml(xml, {
    open(name, _raw, self) {
      if (self) {
        if (fallback) return;
        if (name === 'tab' && !tabs) out += '\t';
        else if (name === 'br' || name === 'cr') out += '\n';
        else if (name === 'noBreakHyphen') out += '-';
        return;
      }
      if (name === 't') inText++;
      else if (name === 'delText') inDel++;
      else if (name === 'Fallback') fallback++;
      else if (name === 'tabs') tabs++;
    },
    close(name) {
      if (name === 't') inText = Math.max(0, inText - 1);
      else if (name === 'delText') inDel = Math.max(0, inDel - 1);
      else if (name === 'Fallback') fallback = Math.max(0, fallback - 1);
      else if (name === 'tabs') tabs = Math.max(0, tabs - 1);
      else if (name === 'p' && !fallback) out += '\n';
    },
    text(t) {
      if (fallback) return;
      if (inText) out += t;
      else if (inDel) deleted.push(t);
    },
  });
  return out;
}

export function docxText(pkg: Package, main: string): { text: string; deleted: string } {
  const deleted: string[] = [];
  const sections: string[] = [];
  const body = pkg.xml(main);
  if (body !== undefined) sections.push(wordPart(body, deleted));
  // Headers, footers, notes and comments, in the order Word lists them.
  for (const suffix of ['/header', '/footer', '/footnotes', '/endnotes', '/comments']) {
    for (const rel of relOf(pkg, main, suffix)) {
      const xml = pkg.xml(rel.target);
      if (xml !== undefined) sections.push(wordPart(xml, deleted));
    }
  }
  return { text: sections.map((s) => s.trim()).filter(Boolean).join('\n\n'), deleted: deleted.join(' ') };
}

/** Shared strings: one entry per <si>, phonetic runs (<rPh>) left out. */
function sharedStrings(xml: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inT = 0;
  let inPh = 0;
  scanXml(xml, {
    open(name, _raw, self) {
      if (self) return;
      if (name === 'si') cur = '';
      else if (name === 't') inT++;
      else if (name === 'rPh') inPh++;
    },
    close(name) {
      if (name === 'si') out.push(cur);
      else if (name === 't') inT = Math.max(0, inT - 1);
      else if (name === 'rPh') inPh = Math.max(0, inPh - 1);
    },
    text(t) {
      if (inT && !inPh) cur += t;
    },
  });
  return out;
}

/** One worksheet as tab-separated rows; shared/inline strings resolved. */
function sheetText(xml: string, shared: string[]): string {
  const rows: string[] = [];
  let cells: string[] = [];
  let type = '';
  let value = '';
  let inV = 0;
  let inIs = 0;
  let inT = 0;
  let inPh = 0;
  scanXml(xml, {
    open(name, raw, self) {
      if (name === 'c') {
        type = attr(raw, 't') ?? '';
        value = '';
        if (self) return;
      }
      if (self) return;
      if (name === 'v') inV++;
      else if (name === 'is') inIs++;
      else if (name === 't') inT++;
      else if (name === 'rPh') inPh++;
    },
    close(name) {
      if (name === 'v') inV = Math.max(0, inV - 1);
      else if (name === 'is') inIs = Math.max(0, inIs - 1);
      else if (name === 't') inT = Math.max(0, inT - 1);
      else if (name === 'rPh') inPh = Math.max(0, inPh - 1);
      else if (name === 'c') {
        let s = value;
        if (type === 's') s = shared[Number.parseInt(value, 10)] ?? '';
        else if (type === 'b') s = value === '1' ? 'TRUE' : value === '0' ? 'FALSE' : value;
        if (s !== '') cells.push(s);
        value = '';
      } else if (name === 'row') {
        if (cells.length) rows.push(cells.join('\t'));
        cells = [];
      }
    },
    text(t) {
      if (inV || (inIs && inT && !inPh)) value += t;
    },
  });
  if (cells.length) rows.push(cells.join('\t'));
  return rows.join('\n');
}

export function xlsxText(pkg: Package, main: string): { text: string; sheets: string[] } {
  const ssRel = relOf(pkg, main, '/sharedStrings')[0];
  const ssXml = ssRel ? pkg.xml(ssRel.target) : undefined;
  const shared = ssXml ? sharedStrings(ssXml) : [];
  const byId = new Map(pkg.rels(main).map((r) => [r.id, r]));
  const sheets: { name: string; path?: string }[] = [];
  const wb = pkg.xml(main);
  if (wb !== undefined) {
    scanXml(wb, {
      open(name, raw) {
        if (name !== 'sheet') return;
        const id = attr(raw, 'id', true); // r:id
        sheets.push({ name: attr(raw, 'name') ?? '', path: id ? byId.get(id)?.target : undefined });
      },
    });
  }
  const sections: string[] = [];
  for (const sh of sheets) {
    const xml = sh.path ? pkg.xml(sh.path) : undefined;
    const body = xml !== undefined ? sheetText(xml, shared) : '';
    sections.push(body ? `${sh.name}\n${body}` : sh.name);
    // Cell comments hang off the sheet.
    for (const rel of sh.path ? relOf(pkg, sh.path, '/comments') : []) {
      const c = pkg.xml(rel.target);
      if (c !== undefined) sections.push(drawingText(c));
    }
  }
  return { text: sections.map((s) => s.trim()).filter(Boolean).join('\n\n'), sheets: sheets.map((s) => s.name) };
}

/** DrawingML / comment text: every <*:t> (or <p:text>), one line per paragraph. */
function drawingText(xml: string): string {
  let out = '';
  let inT = 0;
  scanXml(xml, {
    open(name, _raw, self) {
      if (self) {
        if (name === 'br') out += '\n';
        return;
      }
      if (name === 't' || name === 'text') inT++;
    },
    close(name) {
      if (name === 't' || name === 'text') inT = Math.max(0, inT - 1);
      if (name === 'p' || name === 'text' || name === 'comment') out += '\n';
    },
    text(t) {
      if (inT) out += t;
    },
  });
  return out.replace(/\n{2,}/g, '\n').trim();
}

export function pptxText(pkg: Package, main: string): { text: string; slides: number } {
  const byId = new Map(pkg.rels(main).map((r) => [r.id, r]));
  const slides: string[] = [];
  const pres = pkg.xml(main);
  if (pres !== undefined) {
    scanXml(pres, {
      open(name, raw) {
        if (name !== 'sldId') return;
        const target = byId.get(attr(raw, 'id', true) ?? '')?.target;
        if (target) slides.push(target);
      },
    });
  }
  const sections: string[] = [];
  for (const slide of slides) {
    const xml = pkg.xml(slide);
    if (xml !== undefined) sections.push(drawingText(xml));
    // Speaker notes and comments of this slide follow it.
    for (const suffix of ['/notesSlide', '/comments']) {
      for (const rel of relOf(pkg, slide, suffix)) {
        const x = pkg.xml(rel.target);
        if (x !== undefined) sections.push(drawingText(x));
      }
    }
  }
  return { text: sections.filter(Boolean).join('\n\n'), slides: slides.length };
}
