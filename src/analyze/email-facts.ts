// The facts about an email that header and profile rules read, taken from the
// metadata the email ingestor stored (src/ingest/email.ts).
import type { Metadata } from '../core/types.ts';

export interface EmailFacts {
  fromAddress: string | null;
  fromDomain: string | null;
  messageId: string | null;
  messageIdHost: string | null;
  inReplyTo: string | null;
  references: string[];
  date: Date | null;
  /** The Date header as written (its UTC offset is a clue to the sender's clock). */
  dateRaw: string | null;
  /** Received headers, newest (top) first, with their parsed time. */
  received: { value: string; time: Date | null }[];
  mailer: string | null;
}

const parseTime = (s: string | undefined | null): Date | null => {
  if (!s) return null;
  const t = Date.parse(s.replace(/\([^)]*\)/g, ' ').trim());
  return Number.isFinite(t) ? new Date(t) : null;
};

const angle = (id: string | null | undefined): string | null => {
  if (!id) return null;
  const m = /<([^>]+)>/.exec(id);
  return (m ? m[1]! : id.trim()).toLowerCase() || null;
};

/** The raw headers emailFacts reads (the corpus pass loads no others). */
export const FACT_HEADERS = ['received', 'x-mailer', 'user-agent'] as const;

export function emailFacts(meta: Metadata): EmailFacts {
  const headers = (Array.isArray(meta.headers) ? meta.headers : []) as [string, string][];
  const values = (name: string) => headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
  const from = meta.from as { address?: string } | null;
  const address = from?.address?.toLowerCase() || null;
  const messageId = angle(meta.messageId as string | null);
  return {
    fromAddress: address,
    fromDomain: address?.includes('@') ? address.split('@').pop()! : null,
    messageId,
    messageIdHost: messageId?.includes('@') ? messageId.split('@').pop()! : null,
    inReplyTo: angle(meta.inReplyTo as string | null),
    references: ((meta.references as string[] | undefined) ?? []).map((r) => angle(r)!).filter(Boolean),
    date: parseTime(meta.date as string | null),
    dateRaw: typeof meta.date === 'string' ? meta.date : null,
    received: values('received').map((value) => ({ value, time: parseTime(value.split(';').pop()) })),
    mailer: (values('x-mailer')[0] ?? values('user-agent')[0] ?? null)?.trim() || null,
  };
}
