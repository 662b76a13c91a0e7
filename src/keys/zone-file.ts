// Reads DKIM keys from a BIND zone file (RFC 1035 master file format):
// $ORIGIN/$TTL, relative and '@' owners, blank owners, TTL and class in any
// order, parenthesised multi-line records, multi-string TXT ("a" "b"),
// \" and \DDD escapes, ';' comments. Only TXT records under _domainkey are
// keys. Malformed records are reported, never thrown: an archive of old keys
// is often hand-edited.

export interface ZoneKey { selector: string; domain: string; name: string; value: string; line: number }
export interface ZoneProblem { line: number; message: string }

type Tok = { text: string; quoted: boolean; line: number };

/** Split into logical records: newlines inside ( ) or quotes do not end a record. */
function* records(src: string): Generator<{ tokens: Tok[]; startsBlank: boolean; line: number; error?: string }> {
  let tokens: Tok[] = [];
  let depth = 0;
  let line = 1;
  let recLine = 1;
  let startsBlank = false;
  let atLineStart = true;
  let i = 0;
  const flush = function* (): Generator<{ tokens: Tok[]; startsBlank: boolean; line: number; error?: string }> {
    if (tokens.length) yield { tokens, startsBlank, line: recLine };
    tokens = [];
  };
  while (i < src.length) {
    const c = src[i]!;
    if (atLineStart && depth === 0) {
      recLine = line;
      startsBlank = c === ' ' || c === '\t';
      atLineStart = false;
    }
    if (c === '\n') {
      line++; i++;
      if (depth === 0) { yield* flush(); atLineStart = true; }
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') { i++; continue; }
    if (c === ';') { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (c === '(') { depth++; i++; continue; }
    if (c === ')') { depth = Math.max(0, depth - 1); i++; continue; }
    if (c === '"') {
      let text = '';
      const start = line;
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\' && i + 1 < src.length) {
          const m = /^\d{3}/.exec(src.slice(i + 1, i + 4));
          if (m) { text += String.fromCharCode(Number(m[0]) & 0xff); i += 4; continue; }
          text += src[i + 1]; i += 2; continue;
        }
        if (src[i] === '\n') line++;
        text += src[i]; i++;
      }
      if (i >= src.length) { yield { tokens, startsBlank, line: start, error: 'unterminated quoted string' }; return; }
      i++;
      tokens.push({ text, quoted: true, line: start });
      continue;
    }
    let text = '';
    while (i < src.length && !' \t\r\n;()"'.includes(src[i]!)) {
      if (src[i] === '\\' && i + 1 < src.length) { text += src[i + 1]; i += 2; continue; }
      text += src[i]; i++;
    }
    tokens.push({ text, quoted: false, line });
  }
  yield* flush();
}

const CLASSES = new Set(['IN', 'CH', 'HS', 'CS']);

function absolute(name: string, origin: string): string {
  if (name === '@') return origin;
  if (name.endsWith('.')) return name.slice(0, -1);
  return origin ? `${name}.${origin}` : name;
}

export function parseZoneFile(src: string): { keys: ZoneKey[]; problems: ZoneProblem[] } {
  const keys: ZoneKey[] = [];
  const problems: ZoneProblem[] = [];
  let origin = '';
  let owner = '';
  for (const rec of records(src)) {
    if (rec.error) { problems.push({ line: rec.line, message: rec.error }); continue; }
    const t = rec.tokens;
    const first = t[0]!;
    if (!first.quoted && first.text.startsWith('$')) {
      const directive = first.text.toUpperCase();
      if (directive === '$ORIGIN' && t[1]) origin = absolute(t[1].text, origin).toLowerCase();
      continue;
    }
    let k = 0;
    if (!rec.startsBlank) { owner = absolute(first.text, origin).toLowerCase(); k = 1; }
    if (!owner) { problems.push({ line: rec.line, message: 'record with no owner name' }); continue; }
    // TTL and class may come in either order before the type.
    while (k < t.length && !t[k]!.quoted && (/^\d+[smhdw]?$/i.test(t[k]!.text) || CLASSES.has(t[k]!.text.toUpperCase()))) k++;
    const type = t[k]?.text.toUpperCase();
    if (type !== 'TXT') continue;
    const strings = t.slice(k + 1);
    if (strings.length === 0) { problems.push({ line: rec.line, message: `TXT record for ${owner} has no value` }); continue; }
    const value = strings.map((s) => s.text).join('');
    const m = /^(.+?)\._domainkey\.(.+)$/.exec(owner);
    if (!m) continue;
    keys.push({ selector: m[1]!, domain: m[2]!, name: owner, value, line: rec.line });
  }
  return { keys, problems };
}
