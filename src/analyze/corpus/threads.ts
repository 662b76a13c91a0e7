// Email threads by Jamie Zawinski's algorithm (https://www.jwz.org/doc/threading.html):
// Message-ID, In-Reply-To and References build the tree; messages the dump
// lacks become empty "dummy" containers so their replies stay together; the
// subject joins a reply to a thread only when it carries no reference at all.

export interface ThreadMessage {
  sha256: string;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string | null;
  /** Milliseconds since 1970, for ordering replies. */
  time: number | null;
}

/** One node of a stored thread: `parent` is the index of the parent node, or null for the root. */
export interface ThreadNode { sha256: string | null; messageId: string | null; parent: number | null }

interface Container {
  id: string;
  message: ThreadMessage | null;
  parent: Container | null;
  children: Container[];
}

const REPLY_PREFIX = /^\s*((re|fwd?|tr|aw|wg|sv|antw|réf|rif)\s*(\[\d+\])?\s*:\s*)+/i;
export const baseSubject = (s: string | null): string => (s ?? '').replace(REPLY_PREFIX, '').replace(/\s+/g, ' ').trim().toLowerCase();

function isAncestor(maybe: Container, of: Container): boolean {
  for (let c: Container | null = of; c; c = c.parent) if (c === maybe) return true;
  return false;
}

function link(parent: Container, child: Container): void {
  if (child.parent === parent || isAncestor(child, parent)) return; // never create a loop
  if (child.parent) child.parent.children = child.parent.children.filter((c) => c !== child);
  child.parent = parent;
  parent.children.push(child);
}

function earliest(c: Container): number {
  let t = c.message?.time ?? Infinity;
  for (const k of c.children) t = Math.min(t, earliest(k));
  return t;
}

/** Drop empty containers: a dummy with no children goes, one with children hands them up. */
function prune(list: Container[], atRoot: boolean): Container[] {
  const out: Container[] = [];
  for (const c of list) {
    c.children = prune(c.children, false);
    for (const k of c.children) k.parent = c;
    if (c.message) { out.push(c); continue; }
    if (c.children.length === 0) continue;
    // At the root a dummy with several children stays: it is what holds the thread together.
    if (atRoot && c.children.length > 1) { out.push(c); continue; }
    for (const k of c.children) { k.parent = c.parent; out.push(k); }
  }
  return out;
}

export function buildThreads(messages: ThreadMessage[]): ThreadNode[][] {
  const byId = new Map<string, Container>();
  const get = (id: string): Container => {
    let c = byId.get(id);
    if (!c) { c = { id, message: null, parent: null, children: [] }; byId.set(id, c); }
    return c;
  };
  let unique = 0;
  const sorted = [...messages].sort((a, b) => (a.time ?? 0) - (b.time ?? 0) || a.sha256.localeCompare(b.sha256));
  for (const m of sorted) {
    // A second message with the same Message-ID (or none) gets a container of its own.
    let own = m.messageId ? get(m.messageId) : null;
    if (!own || own.message) own = get(`\u0000${unique++}`);
    own.message = m;
    const refs = [...m.references];
    if (m.inReplyTo && refs[refs.length - 1] !== m.inReplyTo) refs.push(m.inReplyTo);
    let prev: Container | null = null;
    for (const r of refs) {
      const c = get(r);
      if (prev && !c.parent) link(prev, c);
      prev = c;
    }
    if (prev && prev !== own) link(prev, own);
  }
  let roots = prune([...byId.values()].filter((c) => !c.parent), true);
  for (const r of roots) r.parent = null;

  // Subject fallback: a "Re:" with no reference at all joins the thread whose root has that subject.
  const bySubject = new Map<string, Container>();
  for (const r of roots) {
    const s = baseSubject(r.message?.subject ?? r.children[0]?.message?.subject ?? null);
    const m = r.message;
    const isReply = m ? REPLY_PREFIX.test(m.subject ?? '') : false;
    if (s && !isReply && !bySubject.has(s)) bySubject.set(s, r);
  }
  roots = roots.filter((r) => {
    const m = r.message;
    if (!m || m.references.length || m.inReplyTo || !REPLY_PREFIX.test(m.subject ?? '')) return true;
    const target = bySubject.get(baseSubject(m.subject));
    if (!target || target === r) return true;
    link(target, r);
    return false;
  });

  const threads: ThreadNode[][] = [];
  for (const root of roots.sort((a, b) => earliest(a) - earliest(b))) {
    const nodes: ThreadNode[] = [];
    const walk = (c: Container, parent: number | null): void => {
      const index = nodes.length;
      nodes.push({ sha256: c.message?.sha256 ?? null, messageId: c.id.startsWith('\u0000') ? null : c.id, parent });
      for (const k of [...c.children].sort((a, b) => earliest(a) - earliest(b))) walk(k, index);
    };
    walk(root, null);
    if (nodes.filter((n) => n.sha256).length >= 2) threads.push(nodes);
  }
  return threads;
}
