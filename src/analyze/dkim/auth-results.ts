// The results an ARC-Authentication-Results field records (RFC 8617
// §4.1.1: an Authentication-Results payload, RFC 8601, after "i=N;"). Read
// to know what an intermediary saw on arrival, e.g. "dkim=pass
// header.d=en-marche.example": comments dropped, each resinfo kept with its
// properties.

export interface AuthResult { method: string; result: string; props: Record<string, string> }

/** Removes RFC 5322 comments (nested parentheses, quoted strings left alone). */
function uncomment(text: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && (quoted || depth > 0)) { if (depth === 0) out += c + (text[i + 1] ?? ''); i++; continue; }
    if (depth === 0 && c === '"') quoted = !quoted;
    if (!quoted && c === '(') { depth++; continue; }
    if (!quoted && c === ')' && depth > 0) { depth--; out += ' '; continue; }
    if (depth === 0) out += c;
  }
  return out;
}

/** The instance and results of an AAR value; null when it does not start with "i=N;". */
export function parseArcAuthResults(value: string): { instance: number; authservId: string; results: AuthResult[] } | null {
  const text = uncomment(value);
  const m = /^\s*i\s*=\s*(\d{1,2})\s*;/.exec(text);
  if (!m) return null;
  const parts = text.slice(m[0].length).split(';').map((p) => p.trim());
  const authservId = (parts.shift() ?? '').split(/\s+/)[0] ?? '';
  const results: AuthResult[] = [];
  for (const part of parts) {
    const tokens = part.replace(/\s*=\s*/g, '=').split(/\s+/).filter(Boolean);
    const head = /^([A-Za-z0-9-]+)=([A-Za-z0-9-]+)$/.exec(tokens.shift() ?? '');
    if (!head) continue;
    const props: Record<string, string> = {};
    for (const t of tokens) {
      const p = /^([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)?)=(.*)$/.exec(t);
      if (p) props[p[1]!.toLowerCase()] = p[2]!.replace(/^"|"$/g, '');
    }
    results.push({ method: head[1]!.toLowerCase(), result: head[2]!.toLowerCase(), props });
  }
  return { instance: Number(m[1]), authservId, results };
}
