// Forensic rules over one document's metadata, against the corpus baseline.
// Each rule quotes the exact field and value; docs/rules.md gives the exact
// condition of each.
import type { Finding } from '../../core/types.ts';
import { isLatin, nameTokens, type Baseline } from './baseline.ts';
import type { DocFacts, Field } from './doc-facts.ts';

const GENERIC_NAMES = /^(user|utilisateur|admin|administrat(or|eur)|owner|propri[ée]taire|unknown|inconnu|auteur|author|windows user|utilisateur windows|microsoft office (user|utilisateur)|office|pc|home)$/i;
/** Code pages of scripts other than Latin (Windows ANSI and DOS/Mac variants). */
const FOREIGN_CODEPAGES: Record<number, string> = {
  1251: 'Cyrillic', 866: 'Cyrillic', 10007: 'Cyrillic', 1253: 'Greek', 1255: 'Hebrew', 1256: 'Arabic',
  874: 'Thai', 932: 'Japanese', 936: 'Simplified Chinese', 949: 'Korean', 950: 'Traditional Chinese',
};
const CLOCK_SLACK_MS = 60_000;

const f = (rule: string, severity: Finding['severity'], message: string, evidence: Record<string, unknown>): Finding =>
  ({ rule, severity, message, evidence, related: [] });

function scriptOf(s: string): string {
  for (const [name, re] of [['Cyrillic', /\p{Script=Cyrillic}/u], ['Greek', /\p{Script=Greek}/u], ['Arabic', /\p{Script=Arabic}/u],
    ['Hebrew', /\p{Script=Hebrew}/u], ['Han', /\p{Script=Han}/u], ['Hangul', /\p{Script=Hangul}/u], ['Japanese', /[\p{Script=Hiragana}\p{Script=Katakana}]/u]] as const) {
    if (re.test(s)) return name;
  }
  return 'other';
}

export interface DocRuleOptions { leakDate?: Date }

export function metadataFindings(d: DocFacts, base: Baseline, opts: DocRuleOptions = {}): Finding[] {
  const out: Finding[] = [];
  // Foreign script in a person field, in a corpus whose people write in Latin script.
  if (base.namesSeen >= 10 && base.latinShare >= 0.9) {
    for (const p of [d.author, d.lastModifiedBy, d.company].filter((x): x is Field<string> => Boolean(x))) {
      if (isLatin(p.value)) continue;
      out.push(f('doc.foreign-script', 'warn',
        `The ${p.field} field reads "${p.value}", in ${scriptOf(p.value)} script, while ${Math.round(base.latinShare * 100)}% of the ${base.namesSeen} names in this dump's ${base.learnedFrom} are in Latin script.`,
        { field: p.field, value: p.value, script: scriptOf(p.value), corpusLatinShare: base.latinShare, learnedFrom: base.learnedFrom }));
    }
    if (d.codePage && FOREIGN_CODEPAGES[d.codePage.value]) {
      out.push(f('doc.foreign-codepage', 'warn',
        `The document was saved with code page ${d.codePage.value} (${FOREIGN_CODEPAGES[d.codePage.value]}), the setting of a ${FOREIGN_CODEPAGES[d.codePage.value]}-language system, in a corpus written in Latin script.`,
        { field: d.codePage.field, value: d.codePage.value, script: FOREIGN_CODEPAGES[d.codePage.value] }));
    }
  }
  // An editor nobody in the dump knows.
  const editor = d.lastModifiedBy;
  if (editor && !GENERIC_NAMES.test(editor.value.trim()) && base.people.size >= 10) {
    const tokens = nameTokens(editor.value);
    if (tokens.length && !tokens.some((t) => base.people.has(t))) {
      out.push(f('doc.unknown-editor', 'warn',
        `The document was last saved by "${editor.value}", a name that appears nowhere else in the dump: not a sender or recipient of its emails, not an author of its documents.`,
        { field: editor.field, value: editor.value }));
    }
  }
  if (d.created && d.modified && d.created.value.getTime() - d.modified.value.getTime() > CLOCK_SLACK_MS) {
    out.push(f('doc.created-after-modified', 'warn',
      `It claims to have been modified (${d.modified.value.toISOString()}) before it was created (${d.created.value.toISOString()}).`,
      { created: { field: d.created.field, value: d.created.value.toISOString() }, modified: { field: d.modified.field, value: d.modified.value.toISOString() } }));
  }
  if (opts.leakDate && d.modified && d.modified.value.getTime() > opts.leakDate.getTime()) {
    out.push(f('doc.modified-after-leak', 'warn',
      `It was modified on ${d.modified.value.toISOString()}, after the dump appeared (${opts.leakDate.toISOString()}).`,
      { field: d.modified.field, value: d.modified.value.toISOString(), leakDate: opts.leakDate.toISOString() }));
  }
  if (d.editSeconds && d.created && d.modified) {
    const span = (d.modified.value.getTime() - d.created.value.getTime()) / 1000;
    if (span >= 0 && d.editSeconds.value > span + 3600) {
      out.push(f('doc.edit-time-inconsistent', 'warn',
        `It records ${Math.round(d.editSeconds.value / 60)} minutes of editing between its creation and last save, which are only ${Math.round(span / 60)} minutes apart.`,
        { field: d.editSeconds.field, editSeconds: d.editSeconds.value, createdToModifiedSeconds: span }));
    }
  }
  if (base.offsetsSeen >= 20 && base.offsets.size) {
    for (const o of d.utcOffsets) {
      if (base.offsets.has(o.value)) continue;
      out.push(f('doc.foreign-timezone', 'warn',
        `Its ${o.field} is written in UTC${o.value >= 0 ? '+' : '-'}${String(Math.floor(Math.abs(o.value) / 60)).padStart(2, '0')}:${String(Math.abs(o.value) % 60).padStart(2, '0')}, a time zone none of the dump's ${base.learnedFrom} use (${[...base.offsets].sort((a, b) => a - b).map((x) => `${x >= 0 ? '+' : ''}${x / 60}h`).join(', ')}).`,
        { field: o.field, offsetMinutes: o.value, corpusOffsets: [...base.offsets], learnedFrom: base.learnedFrom }));
      break;
    }
  }
  return out;
}
