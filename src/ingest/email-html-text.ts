// Plain text from an HTML mail body, for search only (layout is not kept).
// Every scan moves forward through the string: hostile mail full of
// unclosed `<script` or `<` must not make this quadratic.
import { decodeHTML } from 'entities';

/** Removes <tag ...>...</tag> blocks (content included); an unclosed block runs to the end. */
function dropBlocks(s: string, tags: readonly string[]): string {
  const open = new RegExp(`<(${tags.join('|')})\\b`, 'gi');
  let out = '';
  let pos = 0;
  for (let m = open.exec(s); m; m = open.exec(s)) {
    out += s.slice(pos, m.index) + ' ';
    const close = new RegExp(`</${m[1]}\\s*>`, 'gi');
    close.lastIndex = open.lastIndex;
    if (!close.exec(s)) return out;
    pos = open.lastIndex = close.lastIndex;
  }
  return out + s.slice(pos);
}

function dropComments(s: string): string {
  let out = '';
  let pos = 0;
  for (let i = s.indexOf('<!--'); i !== -1; i = s.indexOf('<!--', pos)) {
    out += s.slice(pos, i) + ' ';
    const end = s.indexOf('-->', i + 4);
    if (end === -1) return out;
    pos = end + 3;
  }
  return out + s.slice(pos);
}

const BLOCK_TAG = /<\/?(?:br|p|div|tr|li|ul|ol|table|h[1-6]|blockquote|pre|hr|section|article|header|footer)\b[^<>]*>/gi;

export function htmlToText(html: string): string {
  let s = dropComments(html);
  s = dropBlocks(s, ['script', 'style', 'head', 'template', 'noscript']);
  s = s.replace(BLOCK_TAG, '\n').replace(/<[^<>]*>/g, '');
  s = decodeHTML(s);
  return s
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
