// HTML pages: visible text, <title>, <meta> tags and the charset.
// A hand-written single-pass scanner instead of regexes over the document:
// leaked HTML is often broken or hostile, and every step below moves the
// cursor forward (each `indexOf` resumes where the last one stopped), so the
// whole scan is linear even on 1 MB of `<<<<` or an unclosed comment.
import { decodeHTML } from 'entities';
import type { Ingestor, IngestInput, Extraction } from './ingestor.ts';
import { decodeText, detectBom } from './charset.ts';

/** Elements whose content is never shown (or is the title, kept apart). */
const HIDDEN = new Set(['script', 'style', 'noscript', 'template', 'title', 'xmp', 'iframe']);
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'caption', 'dd', 'div', 'dl', 'dt', 'fieldset',
  'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li',
  'main', 'nav', 'ol', 'option', 'p', 'pre', 'section', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'ul',
  'body', 'head', 'html', 'center', 'legend', 'details', 'summary',
]);
const CELL = new Set(['td', 'th']);

/** Charset declared in the first bytes: <meta charset=x> or http-equiv content "...; charset=x". */
export function declaredHtmlCharset(bytes: Uint8Array): string | undefined {
  // Latin-1 view of a bounded prefix: declarations are ASCII, and the bound
  // keeps the lazy pattern below cheap.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
  const m = /<meta\b[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]{1,40})/i.exec(head);
  // XHTML may declare it in the XML prolog instead.
  const x = /^\s*<\?xml\b[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_:.\-]{1,40})/.exec(head);
  return m?.[1] ?? x?.[1];
}

/** Attributes of one start tag's inside (between the name and '>'). */
function attributes(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([^\s"'=<>\/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    const key = m[1]!.toLowerCase();
    if (!out.has(key)) out.set(key, decodeHTML(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return out;
}

/** Collapse runs of spaces per line, trim lines, keep at most one blank line. */
function tidy(text: string): string {
  return text
    .replace(/[ \t\f\r\v\u00a0]+/g, (s) => (s.includes('\t') ? '\t' : ' '))
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export interface HtmlParts {
  text: string;
  title?: string;
  metaTags: Record<string, string>;
}

/** Split an HTML string into visible text, title and meta tags. Linear time. */
export function parseHtml(html: string): HtmlParts {
  const lower = html.toLowerCase();
  const out: string[] = [];
  const metaTags: Record<string, string> = {};
  let title: string | undefined;
  const n = html.length;
  let i = 0;
  let textStart = 0;
  const flush = (end: number) => {
    if (end > textStart) out.push(html.slice(textStart, end));
  };
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt === -1) break;
    const c = html.charCodeAt(lt + 1);
    if (html.startsWith('<!--', lt)) {
      flush(lt);
      const end = html.indexOf('-->', lt + 4);
      i = textStart = end === -1 ? n : end + 3; // unclosed comment swallows the rest
      continue;
    }
    if (c === 0x21 /* ! */ || c === 0x3f /* ? */) {
      flush(lt); // doctype, CDATA, processing instruction
      const end = html.indexOf('>', lt + 2);
      i = textStart = end === -1 ? n : end + 1;
      continue;
    }
    const closing = c === 0x2f; /* / */
    const nameStart = closing ? lt + 2 : lt + 1;
    let j = nameStart;
    while (j < n && /[A-Za-z0-9:\-]/.test(html[j]!) && (j > nameStart || /[A-Za-z]/.test(html[j]!))) j++;
    if (j === nameStart) {
      i = lt + 1; // a literal '<' in text
      continue;
    }
    const name = lower.slice(nameStart, j);
    // Find the tag's '>' outside quoted attribute values.
    let k = j;
    let quote = 0;
    for (; k < n; k++) {
      const ch = html.charCodeAt(k);
      if (quote) {
        if (ch === quote) quote = 0;
      } else if (ch === 0x22 || ch === 0x27) {
        if (/[=\s]/.test(html[k - 1]!)) quote = ch; // only quotes that open a value
      } else if (ch === 0x3e) break;
    }
    flush(lt);
    if (k >= n) {
      i = textStart = n; // EOF inside a tag: the rest is not text
      break;
    }
    i = textStart = k + 1;
    if (closing) {
      if (BLOCK.has(name)) out.push('\n');
      else if (CELL.has(name)) out.push('\t');
      continue;
    }
    if (BLOCK.has(name)) out.push('\n');
    else if (CELL.has(name)) out.push('\t');
    if (name === 'meta' && k - j < 16384) {
      // Bounded: a megabyte-long <meta> is not worth a regex pass.
      const attrs = attributes(html.slice(j, k));
      const key = (attrs.get('name') ?? attrs.get('http-equiv') ?? attrs.get('property'))?.toLowerCase();
      const content = attrs.get('content');
      if (key && content !== undefined && !(key in metaTags)) metaTags[key] = content;
      if (attrs.has('charset') && !('charset' in metaTags)) metaTags.charset = attrs.get('charset')!;
    } else if (HIDDEN.has(name) && html[k - 1] !== '/') {
      const end = lower.indexOf(`</${name}`, k + 1);
      if (name === 'title' && title === undefined) {
        // Bounded: an unclosed <title> would otherwise drag the whole page in.
        const inner = html.slice(k + 1, Math.min(end === -1 ? n : end, k + 1 + 2048));
        title = tidy(decodeHTML(inner.replace(/<[^<>]*>/g, ' ')));
      }
      if (end === -1) {
        i = textStart = n;
        break;
      }
      const close = html.indexOf('>', end);
      i = textStart = close === -1 ? n : close + 1;
    }
  }
  flush(n);
  return { text: tidy(decodeHTML(out.join(''))), title: title || undefined, metaTags };
}

const OWN_MIMES = new Set(['text/html', 'application/xhtml+xml']);
const OWN_EXTS = new Set(['htm', 'html', 'xhtml', 'shtml']);

export const htmlIngestor: Ingestor = {
  name: 'html',
  score({ mime, ext }) {
    if (OWN_MIMES.has(mime)) return 100;
    return OWN_EXTS.has(ext) ? 10 : 0;
  },
  async extract(input: IngestInput): Promise<Extraction> {
    const declared = detectBom(input.bytes) ? undefined : declaredHtmlCharset(input.bytes);
    const { text: html, charset, source } = decodeText(input.bytes, declared);
    const parts = parseHtml(html);
    const meta: Record<string, unknown> = {
      charset,
      charsetSource: source,
      metaTags: parts.metaTags,
    };
    if (declared) meta.declaredCharset = declared;
    if (parts.title !== undefined) meta.title = parts.title;
    for (const key of ['author', 'generator', 'description', 'keywords']) {
      if (parts.metaTags[key] !== undefined) meta[key] = parts.metaTags[key];
    }
    return { title: parts.title, text: parts.text, meta, children: [] };
  },
};
