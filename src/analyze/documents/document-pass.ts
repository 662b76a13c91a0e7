// All document rules over the corpus: learn the baseline from emails and
// documents, then judge each document, then the folders (edit bursts).
import { dirname } from 'node:path/posix';
import type { Finding, Metadata } from '../../core/types.ts';
import type { AnalysisSubject } from '../../store/store.ts';
import type { EmailFacts } from '../email-facts.ts';
import { learnBaseline } from './baseline.ts';
import { docFacts, type DocFacts } from './doc-facts.ts';
import { editBurstFindings } from './edit-burst.ts';
import { metadataFindings, type DocRuleOptions } from './metadata-rules.ts';
import { pdfFindings } from './pdf-rules.ts';
import { officeFindings } from './office-rules.ts';

function emailNames(meta: Metadata): string[] {
  const out: string[] = [];
  const add = (a: unknown) => {
    const x = a as { name?: string; address?: string } | null;
    if (x?.name) out.push(x.name);
    if (x?.address) out.push(x.address.split('@')[0]!.replace(/[._-]+/g, ' '));
  };
  add(meta.from);
  for (const k of ['to', 'cc']) for (const a of (meta[k] as unknown[] | undefined) ?? []) add(a);
  return out;
}

export async function documentFindings(
  subjects: AnalysisSubject[], emails: { facts: EmailFacts; meta: Metadata; verified?: boolean }[], opts: DocRuleOptions & { verifiedDocs?: Set<string> },
  textOf: (s: AnalysisSubject) => Promise<string>,
): Promise<Map<string, Finding[]>> {
  const docs: { s: AnalysisSubject; facts: DocFacts }[] = [];
  for (const s of subjects) {
    if (s.status !== 'done') continue;
    const facts = docFacts(s.ingestor, s.meta);
    if (facts) docs.push({ s, facts });
  }
  const base = learnBaseline({
    emails: emails.map((e) => ({ facts: e.facts, names: emailNames(e.meta), verified: e.verified })),
    docs: docs.map((d) => ({ ...d.facts, verified: opts.verifiedDocs?.has(d.s.sha256) ?? false })),
  });
  const out = new Map<string, Finding[]>();
  const add = (sha: string, fs: Finding[]) => { if (fs.length) out.set(sha, [...(out.get(sha) ?? []), ...fs]); };
  for (const { s, facts } of docs) {
    add(s.sha256, metadataFindings(facts, base, opts));
    if (facts.format === 'ooxml') add(s.sha256, officeFindings(s.meta));
    if (facts.format === 'pdf') {
      const history = Array.isArray(s.meta.revisionTexts) || Array.isArray(s.meta.signatures);
      add(s.sha256, pdfFindings(s.meta, history ? await textOf(s) : '', s.size));
    }
  }
  for (const [sha, fs] of editBurstFindings(docs.map(({ s, facts }) => ({ sha256: s.sha256, path: s.path, folder: dirname(s.path), facts })))) add(sha, fs);
  return out;
}
