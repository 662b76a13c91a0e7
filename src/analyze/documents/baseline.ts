// What the dump's own people and clocks look like, learned from its emails
// (names of senders and recipients, Date offsets) and its documents'
// authors. Document rules compare each document with this baseline.
// Verified emails come first: when the dump has enough of them, the script
// of names and the time zones are learned from them alone, so forged emails
// planted with (say) Cyrillic names or a Moscow clock cannot make a forged
// document's metadata look ordinary.
import type { EmailFacts } from '../email-facts.ts';
import type { DocFacts } from './doc-facts.ts';

export interface Baseline {
  /** Name tokens of the people of the corpus (lower case, no accents). */
  people: Set<string>;
  /** Share of person names written in Latin script (0..1), and how many were seen. */
  latinShare: number;
  namesSeen: number;
  /** UTC offsets (minutes) of the corpus' own clocks. */
  offsets: Set<number>;
  offsetsSeen: number;
  /** Where the script share and the time zones were learned. */
  learnedFrom: 'verified emails' | 'all emails';
}

/** Fewer verified emails than this, and every email is used (with documents' repeated authors). */
export const MIN_VERIFIED_EMAILS = 10;

export const nameTokens = (name: string): string[] =>
  name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((t) => t.length >= 3);

/** A letter of any script but Latin (punctuation, digits and symbols do not count). */
const FOREIGN_LETTER = /(?!\p{Script=Latin})\p{L}/u;
export const isLatin = (s: string): boolean => !FOREIGN_LETTER.test(s);

export interface BaselineInput {
  emails: { facts: EmailFacts; names: string[]; verified?: boolean }[];
  /** `verified`: carried by a verified email, so its author vouches for itself. */
  docs: (DocFacts & { verified?: boolean })[];
}

export function learnBaseline({ emails, docs }: BaselineInput): Baseline {
  const people = new Set<string>();
  let latin = 0;
  let names = 0;
  const offsetCounts = new Map<number, number>();
  let offsetsSeen = 0;
  const trusted = emails.filter((e) => e.verified).length >= MIN_VERIFIED_EMAILS;
  // Every name joins the people; only trusted ones count for the script share.
  const addName = (n: string, counts: boolean) => {
    if (!n.trim()) return;
    if (counts) {
      names++;
      if (isLatin(n)) latin++;
    }
    for (const t of nameTokens(n)) people.add(t);
  };
  for (const e of emails) {
    const counts = !trusted || Boolean(e.verified);
    for (const n of e.names) addName(n, counts);
    if (!counts) continue;
    const m = /([+-])(\d\d)(\d\d)\s*(\(.*\))?\s*$/.exec(e.facts.date ? String(e.facts.dateRaw ?? '') : '');
    if (m) {
      const off = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
      offsetCounts.set(off, (offsetCounts.get(off) ?? 0) + 1);
      offsetsSeen++;
    }
  }
  // A document author joins the corpus' people only when two documents name
  // them, or a verified email carried the document: a forged document must
  // not vouch for its own fake author.
  const authorCounts = new Map<string, number>();
  for (const d of docs) if (d.author) authorCounts.set(d.author.value, (authorCounts.get(d.author.value) ?? 0) + (d.verified ? 2 : 1));
  for (const [name, n] of authorCounts) if (n >= 2) addName(name, !trusted);
  // An offset is the corpus' own when at least 2% of its emails use it.
  const offsets = new Set([...offsetCounts].filter(([, n]) => n >= Math.max(1, offsetsSeen * 0.02)).map(([o]) => o));
  return { people, latinShare: names ? latin / names : 1, namesSeen: names, offsets, offsetsSeen, learnedFrom: trusted ? 'verified emails' : 'all emails' };
}
