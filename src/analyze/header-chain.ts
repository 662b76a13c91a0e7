// Header forensics that need nothing but the email itself: the Received
// chain must run forward in time from bottom to top, and the first hop must
// follow the Date header closely (from 1 hour before to 24 hours after).
import type { Finding } from '../core/types.ts';
import type { EmailFacts } from './email-facts.ts';

/** Clocks of different servers disagree a little; more than this is not drift. */
const CLOCK_SKEW_MS = 10 * 60_000;
const DATE_BEFORE_MS = 60 * 60_000;
const DATE_AFTER_MS = 24 * 60 * 60_000;

export function headerChainFindings(facts: EmailFacts): Finding[] {
  const out: Finding[] = [];
  const hops = facts.received.filter((r) => r.time);
  // Top is newest: each hop must not be older than the one below it.
  for (let i = 0; i + 1 < hops.length; i++) {
    const upper = hops[i]!;
    const lower = hops[i + 1]!;
    if (lower.time!.getTime() - upper.time!.getTime() > CLOCK_SKEW_MS) {
      out.push({ rule: 'header.received-out-of-order', severity: 'warn', related: [],
        message: `The Received chain runs backwards in time: a server claims to have handed the message on ${Math.round((lower.time!.getTime() - upper.time!.getTime()) / 60_000)} minutes after the next one received it. Headers were probably written by hand.`,
        evidence: { earlierHop: lower.value, laterHop: upper.value } });
      break;
    }
  }
  const first = hops[hops.length - 1];
  if (first && facts.date) {
    const delta = first.time!.getTime() - facts.date.getTime();
    if (delta < -DATE_BEFORE_MS || delta > DATE_AFTER_MS) {
      out.push({ rule: 'header.date-mismatch', severity: 'warn', related: [],
        message: `The Date header (${facts.date.toISOString()}) is ${formatDelta(delta)} the first server's receipt (${first.time!.toISOString()}); genuine mail is received within minutes of being written.`,
        evidence: { date: facts.date.toISOString(), firstReceived: first.time!.toISOString(), deltaMinutes: Math.round(delta / 60_000) } });
    }
  }
  return out;
}

function formatDelta(ms: number): string {
  const h = Math.abs(ms) / 3_600_000;
  const amount = h >= 48 ? `${Math.round(h / 24)} days` : `${h.toFixed(1)} hours`;
  return ms < 0 ? `${amount} after` : `${amount} before`;
}
