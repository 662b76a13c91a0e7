// Corpus-level analysis: every rule that needs the whole dump. Order matters:
// email verdicts feed the profiles and the provenance, and the final
// verdicts read every finding.
import type { Finding, Verdict } from '../core/types.ts';
import type { Store } from '../store/store.ts';
import { FACT_HEADERS, emailFacts } from './email-facts.ts';
import { headerChainFindings } from './header-chain.ts';
import { senderProfileFindings } from './corpus/sender-profile.ts';
import { provenanceFindings } from './corpus/provenance.ts';
import { verdictOf } from './verdict.ts';
import { documentFindings } from './documents/document-pass.ts';
import { nearDupFindings } from './near-dup/near-dup-pass.ts';
import { buildThreads } from './corpus/threads.ts';

export interface CorpusOptions { dkimAnalyzer: string; leakDate?: Date }

export async function runCorpusPass(store: Store, dkim: CorpusOptions): Promise<Record<string, number>> {
  // Only the headers the rules read: the full lists are most of an email's metadata (600 MB on 100,000 emails).
  const subjects = await store.analysisSubjects({ emailHeaders: FACT_HEADERS });
  let all = await store.allFindings();
  const emails = subjects.filter((s) => s.ingestor === 'email' && s.status === 'done');

  // 1. Each email's own DKIM/ARC findings (a rotated key needs no revision: RSA tells it apart, dkim/rsa-digest.ts).
  const dkimOf = new Map<string, Finding[]>();
  for (const e of emails) dkimOf.set(e.sha256, (all.get(e.sha256) ?? []).filter((f) => f.analyzer === dkim.dkimAnalyzer));

  // 2. Repairs made before verifying that only the container knows of: an
  // mbox message had its >From escaping undone (RFC 4155), which DKIM needs.
  const repairs = new Map<string, Finding[]>();
  for (const s of subjects) {
    for (const c of s.children) {
      const n = Number((c.meta as { mboxUnescaped?: number }).mboxUnescaped ?? 0);
      if (c.role !== 'message' || n <= 0) continue;
      repairs.set(c.sha256, [{ rule: 'dkim.repaired-mbox-escaping', severity: 'info', related: [s.sha256],
        message: `The mailbox stored ${n} body line${n === 1 ? '' : 's'} starting "From " escaped as ">From "; the escaping was undone, restoring the message as sent.`,
        evidence: { mailbox: s.sha256, message: c.name, linesUnescaped: n } }]);
    }
  }
  await store.replaceAnalyzerFindings('repairs', repairs);

  // 3. Header chain of each email, on its own.
  const facts = new Map(emails.map((e) => [e.sha256, emailFacts(e.meta)]));
  const headerFindings = new Map<string, Finding[]>();
  for (const e of emails) {
    const f = headerChainFindings(facts.get(e.sha256)!);
    if (f.length) headerFindings.set(e.sha256, f);
  }
  await store.replaceAnalyzerFindings('header-chain', headerFindings);

  // 4. Profiles learned from the emails DKIM verifies.
  const ownVerdict = (sha: string) => verdictOf([...(dkimOf.get(sha) ?? []), ...(headerFindings.get(sha) ?? [])]);
  const profiled = emails.map((e) => {
    const f = facts.get(e.sha256)!;
    const dk = dkimOf.get(e.sha256) ?? [];
    return {
      sha256: e.sha256, facts: f,
      verified: ownVerdict(e.sha256) === 'verified',
      // A malformed signature is no signature (RFC 6376 §6.1.1); a well-formed one counts even unverified (its key may be lost).
      signedByFromDomain: dk.some((x) => {
        if (x.rule === 'dkim.malformed' || x.rule === 'dkim.not-checked') return false;
        const d = (x.evidence as { domain?: string }).domain?.toLowerCase();
        return Boolean(d && f.fromDomain && (f.fromDomain === d || f.fromDomain.endsWith(`.${d}`)));
      }),
    };
  });
  await store.replaceAnalyzerFindings('sender-profile', senderProfileFindings(profiled));

  // 5. Provenance from verified emails to what they carry and quote.
  const verifiedNow = new Set(profiled.filter((p) => p.verified).map((p) => p.sha256));
  const provenance = await provenanceFindings(emails.map((e) => {
    const f = facts.get(e.sha256)!;
    return {
      sha256: e.sha256, verified: verifiedNow.has(e.sha256), messageId: f.messageId, inReplyTo: f.inReplyTo,
      references: f.references, children: e.children, text: () => store.itemText(e.rowid),
    };
  }));
  await store.replaceAnalyzerFindings('provenance', provenance);
  const verifiedDocs = new Set([...provenance].filter(([, fs]) => fs.some((x) => x.rule === 'provenance.attachment-of-verified')).map(([sha]) => sha));

  // 6. Document metadata against the corpus baseline, learned from verified emails first.
  const leakDate = dkim.leakDate ?? latest((await store.inputs()).map((i) => i.mtimeMs));
  await store.replaceAnalyzerFindings('documents', await documentFindings(
    subjects, emails.map((e) => ({ facts: facts.get(e.sha256)!, meta: e.meta, verified: verifiedNow.has(e.sha256) })), { leakDate, verifiedDocs },
    (s) => store.itemText(s.rowid)));

  // 7. Near-duplicates, held against the items verified so far.
  all = await store.allFindings();
  const textCache = new Map<string, string>();
  const textOf = async (x: { sha256: string; rowid: number }) => {
    let t = textCache.get(x.sha256);
    if (t === undefined) { t = await store.itemText(x.rowid); if (textCache.size < 20_000) textCache.set(x.sha256, t); }
    return t;
  };
  const dups = await nearDupFindings(store, subjects, (sha) => verdictOf(all.get(sha) ?? []) === 'verified', textOf);
  await store.replaceAnalyzerFindings('near-dup', dups.findings);
  await store.replaceClusters(dups.clusters);

  // 8. Threads, for reading the correspondence in order.
  await store.replaceThreads(buildThreads(subjects.filter((s) => s.status === 'done' && (s.ingestor === 'email' || s.ingestor === 'msg')).map((s) => {
    const f = facts.get(s.sha256) ?? emailFacts(s.meta);
    return { sha256: s.sha256, messageId: f.messageId, inReplyTo: f.inReplyTo, references: f.references,
      subject: typeof s.meta.subject === 'string' ? s.meta.subject : null, time: f.date?.getTime() ?? null };
  })));

  // 9. Verdicts from everything.
  all = await store.allFindings();
  const verdicts = new Map<string, Verdict>();
  const counts: Record<string, number> = {};
  for (const s of subjects) {
    const v = verdictOf(all.get(s.sha256) ?? []);
    verdicts.set(s.sha256, v);
    counts[v] = (counts[v] ?? 0) + 1;
  }
  await store.setVerdicts(verdicts);
  return counts;
}

const latest = (times: number[]): Date | undefined => (times.length ? new Date(Math.max(...times)) : undefined);
