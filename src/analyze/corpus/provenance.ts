// Proof travels along what a verified email carries. Its attachments are
// covered by the DKIM body hash, so they are verified too, and so is every
// copy of the same bytes anywhere in the dump (it is the same item). An
// email whose text a verified reply quotes is corroborated: the quote shows
// the text existed, not that the quoted file is untouched elsewhere.
import type { Finding } from '../../core/types.ts';

export interface ProvenanceEmail {
  sha256: string;
  verified: boolean;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  children: { sha256: string; role: string; name: string }[];
  text: () => Promise<string>;
}

const MIN_QUOTED_SHARE = 0.6;
const MIN_LINE = 12;

const norm = (line: string) => line.replace(/\s+/g, ' ').trim().toLowerCase();

/** Lines a reply quotes ("> text"), without the quote marks. */
function quotedLines(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^\s*(?:>\s?)+(.*)$/.exec(line);
    if (m && m[1]!.trim().length >= MIN_LINE) out.add(norm(m[1]!));
  }
  return out;
}

/** The lines a quote of this email would hold: its own body, not its header block or earlier quotes. */
function ownLines(text: string): string[] {
  const body = text.includes('\n\n') ? text.slice(text.indexOf('\n\n') + 2) : text;
  return body.split('\n').filter((l) => !/^\s*>/.test(l) && l.trim().length >= MIN_LINE).map(norm);
}

export async function provenanceFindings(emails: ProvenanceEmail[]): Promise<Map<string, Finding[]>> {
  const out = new Map<string, Finding[]>();
  const add = (sha: string, f: Finding) => out.set(sha, [...(out.get(sha) ?? []), f]);
  const byMessageId = new Map<string, ProvenanceEmail[]>();
  for (const e of emails) if (e.messageId) byMessageId.set(e.messageId, [...(byMessageId.get(e.messageId) ?? []), e]);

  for (const v of emails) {
    if (!v.verified) continue;
    for (const c of v.children) {
      if (c.role !== 'attachment') continue;
      add(c.sha256, { rule: 'provenance.attachment-of-verified', severity: 'info', related: [v.sha256],
        message: `Byte-identical to the attachment "${c.name}" of a DKIM-verified email: the signature's body hash covers these exact bytes.`,
        evidence: { email: v.sha256, attachmentName: c.name } });
    }
    const parents = [v.inReplyTo, ...v.references].filter((x): x is string => Boolean(x));
    if (parents.length === 0) continue;
    const quoted = quotedLines(await v.text());
    if (quoted.size === 0) continue;
    for (const id of new Set(parents)) {
      for (const q of byMessageId.get(id) ?? []) {
        if (q.verified || q.sha256 === v.sha256) continue;
        const lines = ownLines(await q.text());
        if (lines.length === 0) continue;
        const found = lines.filter((l) => quoted.has(l)).length;
        if (found / lines.length >= MIN_QUOTED_SHARE) {
          add(q.sha256, { rule: 'provenance.quoted-in-verified', severity: 'info', related: [v.sha256],
            message: `${found} of its ${lines.length} lines are quoted word for word in a DKIM-verified reply, which shows this text existed as written.`,
            evidence: { reply: v.sha256, linesQuoted: found, lines: lines.length } });
        }
      }
    }
  }
  return out;
}
