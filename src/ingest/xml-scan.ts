// A minimal forward-only XML tokenizer for Office parts. Text extraction only
// needs start/end tags and character data; a tree (fast-xml-parser) of a
// 50 MB worksheet would cost several times its size in memory. Every step
// advances the cursor, so it is linear time on any input, and it never
// expands DTD entities (no billion-laughs), only the five XML ones and
// character references.
import { decodeXML } from 'entities';

export interface XmlHandler {
  /** `name` is the local name (prefix stripped); `raw` the attribute text. */
  open?(name: string, raw: string, selfClosing: boolean): void;
  close?(name: string): void;
  /** Character data, entities already decoded. */
  text?(text: string): void;
}

function localName(q: string): string {
  const c = q.indexOf(':');
  return c === -1 ? q : q.slice(c + 1);
}

export function scanXml(xml: string, h: XmlHandler): void {
  const n = xml.length;
  let i = 0;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    if (lt === -1) {
      if (h.text && i < n) h.text(decodeXML(xml.slice(i)));
      return;
    }
    if (lt > i && h.text) h.text(decodeXML(xml.slice(i, lt)));
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      if (end === -1) return;
      i = end + 3;
      continue;
    }
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9);
      if (h.text) h.text(xml.slice(lt + 9, end === -1 ? n : end));
      if (end === -1) return;
      i = end + 3;
      continue;
    }
    const c = xml.charCodeAt(lt + 1);
    if (c === 0x3f /* ? */ || c === 0x21 /* ! */) {
      const end = xml.indexOf('>', lt + 2);
      if (end === -1) return;
      i = end + 1;
      continue;
    }
    // Tag end: the first '>' outside a quoted attribute value.
    let k = lt + 1;
    let quote = 0;
    for (; k < n; k++) {
      const ch = xml.charCodeAt(k);
      if (quote) {
        if (ch === quote) quote = 0;
      } else if (ch === 0x22 || ch === 0x27) quote = ch;
      else if (ch === 0x3e) break;
    }
    if (k >= n) return; // truncated part: keep what was seen
    if (c === 0x2f /* / */) {
      h.close?.(localName(xml.slice(lt + 2, k).trim()));
    } else {
      let nameEnd = lt + 1;
      while (nameEnd < k && !/[\s\/]/.test(xml[nameEnd]!)) nameEnd++;
      const name = localName(xml.slice(lt + 1, nameEnd));
      const selfClosing = xml.charCodeAt(k - 1) === 0x2f;
      h.open?.(name, xml.slice(nameEnd, selfClosing ? k - 1 : k), selfClosing);
      if (selfClosing) h.close?.(name);
    }
    i = k + 1;
  }
}

/**
 * Value of the attribute whose local name is `name`, decoded. With
 * `prefixed`, only a namespaced one matches (`r:id`, not a plain `id`).
 */
export function attr(raw: string, name: string, prefixed = false): string | undefined {
  const re = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    const q = m[1]!;
    if (localName(q) === name && (!prefixed || q.includes(':'))) return decodeXML(m[2] ?? m[3] ?? '');
  }
  return undefined;
}

/** Decode a part's bytes: XML is UTF-8 unless it says UTF-16 (BOM). */
export function xmlString(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes); // strips a UTF-8 BOM
}
