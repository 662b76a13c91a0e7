// What a domain's genuine mail looks like, learned from the dump's own
// DKIM-verified messages, then held against the unverified ones claiming the
// same domain or sender. A profile needs enough verified mail to speak.
import type { Finding } from '../../core/types.ts';
import type { EmailFacts } from '../email-facts.ts';

export interface ProfiledEmail {
  sha256: string;
  facts: EmailFacts;
  /** Proven by a DKIM signature of its From domain. */
  verified: boolean;
  /** Carries a DKIM signature of its From domain, valid or not. */
  signedByFromDomain: boolean;
}

const MIN_VERIFIED = 5;
const MIN_SIGNED_SHARE = 0.8;
const MIN_SENDER_VERIFIED = 3;

interface DomainProfile { verified: number; claimed: number; signed: number; hosts: Set<string> }

export function senderProfileFindings(emails: ProfiledEmail[]): Map<string, Finding[]> {
  const domains = new Map<string, DomainProfile>();
  const mailers = new Map<string, { verified: number; seen: Set<string> }>();
  for (const e of emails) {
    const d = e.facts.fromDomain;
    if (!d) continue;
    const p = domains.get(d) ?? { verified: 0, claimed: 0, signed: 0, hosts: new Set() };
    p.claimed++;
    if (e.signedByFromDomain) p.signed++;
    if (e.verified) {
      p.verified++;
      if (e.facts.messageIdHost) p.hosts.add(e.facts.messageIdHost);
      const s = mailers.get(e.facts.fromAddress!) ?? { verified: 0, seen: new Set() };
      s.verified++;
      s.seen.add(e.facts.mailer ?? '(none)');
      mailers.set(e.facts.fromAddress!, s);
    }
    domains.set(d, p);
  }

  const out = new Map<string, Finding[]>();
  const add = (sha: string, f: Finding) => out.set(sha, [...(out.get(sha) ?? []), f]);
  for (const e of emails) {
    const d = e.facts.fromDomain;
    if (!d || e.verified) continue;
    const p = domains.get(d)!;
    if (p.verified < MIN_VERIFIED) continue;
    const share = p.signed / p.claimed;
    if (!e.signedByFromDomain && share >= MIN_SIGNED_SHARE) {
      add(e.sha256, { rule: 'profile.unsigned-from-signing-domain', severity: 'warn', related: [],
        message: `Unsigned, yet it claims to come from ${d}, which signed ${p.signed} of the ${p.claimed} messages claiming it in this dump (${p.verified} verified). Mail really sent from ${d} would carry its signature.`,
        evidence: { domain: d, verified: p.verified, signed: p.signed, claimed: p.claimed } });
    }
    const host = e.facts.messageIdHost;
    if (host && p.hosts.size > 0 && !p.hosts.has(host)) {
      add(e.sha256, { rule: 'header.message-id-host', severity: 'warn', related: [],
        message: `Its Message-ID was made by "${host}", but ${d}'s verified mail takes its Message-IDs from ${[...p.hosts].slice(0, 3).join(', ')}.`,
        evidence: { domain: d, host, verifiedHosts: [...p.hosts] } });
    }
    const s = e.facts.fromAddress ? mailers.get(e.facts.fromAddress) : undefined;
    const mailer = e.facts.mailer ?? '(none)';
    if (s && s.verified >= MIN_SENDER_VERIFIED && !s.seen.has(mailer)) {
      add(e.sha256, { rule: 'header.mailer-unusual', severity: 'warn', related: [],
        message: `Written with "${mailer}", which ${e.facts.fromAddress} never used in ${s.verified} verified messages (${[...s.seen].join(', ')}).`,
        evidence: { sender: e.facts.fromAddress, mailer, verifiedMailers: [...s.seen] } });
    }
  }
  return out;
}
