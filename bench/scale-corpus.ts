// The generated corpus of bench/scale.ts: a Zipf-distributed French/English
// vocabulary (real words first, pseudo-words for the long tail) with the
// campaign words planted at chosen ranks, so that queries fall into classes
// (rare, medium, common), and a dump of emails with attachments, documents,
// images and archives: senders, dates, mimes and verdicts vary, so facets
// mean something. Deterministic for a seed.
import { createHash } from 'node:crypto';
import type { Finding, Verdict } from '../src/core/types.ts';
import type { ChildRecord, FailureRecord, ItemRecord, Occurrence } from '../src/store/store.ts';
import { ENGLISH, FRENCH } from './scale-words.ts';

/** mulberry32: fast, seeded, good enough for text. */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sampler of ranks 0..n-1 with P(r) ∝ (r+1)^-s. */
export function zipf(n: number, s: number, rnd: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) cdf[r] = sum += (r + 1) ** -s;
  for (let r = 0; r < n; r++) cdf[r]! /= sum;
  return () => {
    const u = rnd();
    let lo = 0, hi = n - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cdf[mid]! < u) lo = mid + 1; else hi = mid; }
    return lo;
  };
}

// Where each campaign word sits in the ranking (1 = most frequent word, stop
// words included). With 40,000 words, s = 1 and ~110 words an item, ranks
// ≤ 24 are in ≥ 30 % of the items, ranks ~250–800 in 1–5 %, ranks ≥ 15,000 in ≤ 0.1 %.
export const CAMPAIGN: Record<string, number> = {
  campagne: 12, réunion: 16, équipe: 20, meeting: 24, comité: 110, dons: 160, salle: 200, budget: 260, rapport: 330, compte: 400,
  trésorerie: 480, facture: 560, presse: 650, virement: 750, banque: 900, schedule: 1100, délégués: 1300, financier: 1700,
  prévisions: 2200, invoice: 3000, départementaux: 4500, donors: 6000, venue: 9000, déplacement: 16_000, bénévoles: 22_000,
  sécurité: 30_000, discours: 38_000,
};

const ONSETS = ['b', 'c', 'd', 'f', 'g', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'ch', 'tr', 'pr', 'gr', 'br', 'cl', 'pl', 'j', 'qu', 'z'];
const NUCLEI = ['a', 'e', 'i', 'o', 'u', 'é', 'è', 'ou', 'ai', 'on', 'an', 'in', 'eu', 'oi', 'ê', 'â', 'au', 'ie'];
const CODAS = ['', '', '', 'r', 's', 't', 'l', 'n', 'x', 'que', 'tion', 'ment', 'eur', 'ette', 'ier', 'ard', 'elle', 'isme'];

/** Pronounceable pseudo-words with accents: the tail of a real vocabulary (names, jargon, rare words). */
function* pseudoWords(rnd: () => number): Generator<string> {
  for (;;) {
    let w = '';
    const syllables = 2 + Math.floor(rnd() * 3);
    for (let i = 0; i < syllables; i++) w += ONSETS[Math.floor(rnd() * ONSETS.length)]! + NUCLEI[Math.floor(rnd() * NUCLEI.length)]!;
    yield w + CODAS[Math.floor(rnd() * CODAS.length)]!;
  }
}

/**
 * The ranking: French and English words interleaved two to one, then
 * pseudo-words; one word per lexeme (`lexemes` gives each word's indexed
 * form, '' for a stop word), none sharing a campaign word's lexeme, and the
 * campaign words at their ranks.
 */
export async function buildVocabulary(lexemes: (words: string[]) => Promise<string[]>, size = 40_000, seed = 7): Promise<string[]> {
  const fr = FRENCH.split(/\s+/).filter(Boolean);
  const en = ENGLISH.split(/\s+/).filter(Boolean);
  const real: string[] = [];
  for (let i = 0, j = 0; i < fr.length || j < en.length;) {
    if (i < fr.length) real.push(fr[i++]!);
    if (i < fr.length) real.push(fr[i++]!);
    if (j < en.length) real.push(en[j++]!);
  }
  const rnd = makeRng(seed);
  const tail = pseudoWords(rnd);
  const candidates = [...real];
  while (candidates.length < size * 1.4) candidates.push(tail.next().value);
  const campaign = Object.keys(CAMPAIGN);
  const [campaignLex, lex] = await Promise.all([lexemes(campaign), lexemes(candidates)]);
  const taken = new Set(campaignLex.flatMap((l) => l.split(' ')));
  const words: string[] = [];
  for (let i = 0; i < candidates.length && words.length < size - campaign.length; i++) {
    const parts = lex[i]!.split(' ').filter(Boolean);
    if (parts.length === 0) { if (!words.includes(candidates[i]!)) words.push(candidates[i]!); continue; } // stop word
    if (parts.some((p) => taken.has(p))) continue;
    for (const p of parts) taken.add(p);
    words.push(candidates[i]!);
  }
  for (const [w, rank] of Object.entries(CAMPAIGN).sort((a, b) => a[1] - b[1])) words.splice(rank - 1, 0, w);
  return words;
}

const FIRST = 'jean marie pierre sophie nicolas claire julien camille thomas anne laurent isabelle olivier nathalie benjamin julie cédric émilie stéphane hélène ludovic céline françois aurélie sylvain agnès alexandre inès mathieu chloé'.split(' ');
const LAST = 'martin bernard dubois thomas robert richard petit durand leroy moreau simon laurent lefebvre michel garcia david bertrand roux vincent fournier morel girard andré lefèvre mercier dupont lambert bonnet françois martinez legrand garnier faure rousseau blanc guérin muller henry roussel nicolas perrin morin mathieu clément gauthier dumont lopez fontaine chevalier robin masson sanchez gérard nguyen boyer denis lemaire duval joly gautier roger roche roy noël meyer lucas meunier jean perez marchand dufour blanchard barbier brun dumas brunet schmitt leroux colin fernandez'.split(' ');
const DOMAINS = ['en-marche.fr', 'en-marche.fr', 'en-marche.fr', 'gmail.com', 'orange.fr', 'wanadoo.fr', 'yahoo.fr', 'hotmail.fr', 'free.fr', 'laposte.net', 'outlook.com', 'havas.com', 'assemblee-nationale.fr'];
const ascii = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');

export type Generated = { item: ItemRecord; children: ChildRecord[]; occ: Occurrence; failures: FailureRecord[]; verdict: Verdict };

const DOCS = [
  { mime: 'application/pdf', ingestor: 'pdf', ext: 'pdf' },
  { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ingestor: 'docx', ext: 'docx' },
  { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ingestor: 'xlsx', ext: 'xlsx' },
  { mime: 'text/plain', ingestor: 'text', ext: 'txt' },
  { mime: 'application/vnd.oasis.opendocument.text', ingestor: 'odt', ext: 'odt' },
];

/** The dump, item by item in ingest order: each email followed by its attachments. */
export function* generateDump(count: number, vocabulary: string[], seed = 1): Generator<Generated> {
  const rnd = makeRng(seed);
  const word = zipf(vocabulary.length, 1, rnd);
  const person = zipf(FIRST.length * LAST.length, 0.9, rnd);
  const people = Array.from({ length: FIRST.length * LAST.length }, (_, k) => {
    const first = FIRST[k % FIRST.length]!, last = LAST[Math.floor(k / FIRST.length)]!;
    const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
    return { name: `${cap(first)} ${cap(last)}`, address: `${ascii(first)}.${ascii(last)}@${DOMAINS[k % DOMAINS.length]}` };
  });
  const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)]!;
  const length = (median: number, max: number) => Math.min(max, Math.max(3, Math.round(median * Math.exp(0.8 * gauss(rnd)))));
  const words = (n: number) => Array.from({ length: n }, () => vocabulary[word()]!);
  const prose = (n: number, i: number): string => {
    const out: string[] = [];
    let sentence = 0;
    for (const w of words(n)) {
      out.push(sentence === 0 ? w[0]!.toUpperCase() + w.slice(1) : w);
      if (++sentence > 6 + rnd() * 14) { out[out.length - 1] += rnd() < 0.15 ? '.\n\n' : '.'; sentence = 0; }
    }
    return `${out.join(' ')}. Réf. ${2015 + (i % 3)}-${i}.`;
  };
  // Activity grows toward the election (May 2017): day = 857 · u^0.6.
  const date = () => new Date(Date.UTC(2015, 0, 1) + Math.floor(857 * rnd() ** 0.6 * 86_400_000)).toISOString();
  const item = (over: Partial<ItemRecord> & Pick<ItemRecord, 'mime' | 'text'>, i: number): ItemRecord => {
    const failed = rnd() < 0.01;
    return {
      sha256: createHash('sha256').update(`${i}\n${over.text}`).digest('hex'), size: over.text.length * 2 + 500, ingestor: null, title: null,
      date: null, meta: {}, status: failed ? 'failed' : 'done', errorCode: failed ? 'E_PARSE' : null, errorMessage: failed ? 'unreadable part' : null,
      ...over, ...(failed ? { text: '' } : {}),
    };
  };
  const failuresOf = (it: ItemRecord, path: string): FailureRecord[] =>
    it.status === 'failed' ? [{ path, sha256: it.sha256, code: 'E_PARSE', message: 'unreadable part', itemSha256: it.sha256, member: '' }] : [];
  let i = 0;
  while (i < count) {
    const r = rnd();
    if (r < 0.8) { // an email, sometimes with attachments
      const from = people[person()]!;
      const subject = `${rnd() < 0.4 ? 'Re: ' : ''}${words(2 + Math.floor(rnd() * 5)).join(' ')}`;
      const to = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => people[person()]!);
      const text = `Bonjour ${to[0]!.name.split(' ')[0]},\n\n${prose(length(60, 3000), i)}\n\nCordialement,\n${from.name}`;
      const path = `maildir/${from.address.split('@')[0]}/cur/${i}.eml`;
      const attachments = rnd() < 0.15 ? 1 + Math.floor(rnd() * 2) : 0;
      const atts = Array.from({ length: attachments }, (_, k) => {
        const d = pick(DOCS);
        const name = `${words(2).join('-').toLowerCase()}.${d.ext}`;
        const it = item({ mime: d.mime, ingestor: d.ingestor, title: name, text: prose(length(150, 6000), i + k + 1) }, i + k + 1);
        return { it, name, d };
      });
      const email = item({
        mime: 'message/rfc822', ingestor: 'email', title: subject, date: date(), text,
        meta: { subject, from, to, messageId: `<${i}.${from.address}>` },
      }, i);
      const verified = rnd();
      const verdict: Verdict = verified < 0.3 ? 'verified' : verified < 0.35 ? 'corroborated' : verified < 0.37 ? 'suspicious' : verified < 0.373 ? 'tampered' : 'consistent';
      yield {
        item: email, children: atts.map((a) => ({ name: a.name, role: 'attachment', sha256: a.it.sha256, size: a.it.size, meta: { contentType: a.d.mime } })),
        occ: { path, sha256: email.sha256, parentSha256: null, parentPath: null, role: 'file', kind: 'email', name: `${i}.eml` }, failures: failuresOf(email, path), verdict,
      };
      i++;
      for (const a of atts) {
        if (i >= count) break;
        const p = `${path}!/${a.name}`;
        yield {
          item: a.it, children: [], occ: { path: p, sha256: a.it.sha256, parentSha256: email.sha256, parentPath: path, role: 'attachment', kind: 'attachment', name: a.name },
          failures: failuresOf(a.it, p), verdict: verdict === 'verified' ? 'corroborated' : 'consistent',
        };
        i++;
      }
      continue;
    }
    const kind = r < 0.93 ? 'document' : r < 0.98 ? 'image' : 'archive';
    const d = kind === 'document' ? pick(DOCS) : kind === 'image' ? { mime: 'image/jpeg', ingestor: 'image', ext: 'jpg' } : { mime: 'application/zip', ingestor: 'zip', ext: 'zip' };
    const name = `${words(1 + Math.floor(rnd() * 3)).join('-').toLowerCase()}-${i}.${d.ext}`;
    const text = kind === 'document' ? prose(length(250, 20_000), i) : kind === 'image' && rnd() < 0.3 ? prose(length(15, 200), i) : '';
    const it = item({ mime: d.mime, ingestor: d.ingestor, title: kind === 'document' ? words(3).join(' ') : null, date: rnd() < 0.8 ? date().slice(0, 10) : null, text }, i);
    const path = `partage/${pick(['Finances', 'Presse', 'Comités', 'Logistique', 'Direction'])}/${name}`;
    const v = rnd();
    yield {
      item: it, children: [], occ: { path, sha256: it.sha256, parentSha256: null, parentPath: null, role: 'file', kind, name }, failures: failuresOf(it, path),
      verdict: v < 0.03 ? 'suspicious' : v < 0.035 ? 'tampered' : 'consistent',
    };
    i++;
  }
}

/** Findings per analyzer, as the analysis would write them for these verdicts. */
export function findingsFor(verdict: Verdict, kind: string): [string, Finding][] {
  const f = (rule: string, severity: Finding['severity'], message: string): Finding => ({ rule, severity, message, evidence: {}, related: [] });
  if (kind !== 'email') return verdict === 'suspicious' || verdict === 'tampered' ? [['document', f('doc.dates-inconsistent', 'warn', 'modified before created')]] : [];
  switch (verdict) {
    case 'verified': return [['dkim', f('dkim.pass', 'info', 'signature verified')]];
    case 'suspicious': return [['headers', f('header.received-order', 'warn', 'Received headers out of order')]];
    case 'tampered': return [['dkim', f('dkim.body-hash-mismatch', 'critical', 'body changed after signing')]];
    default: return [];
  }
}

function gauss(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}
