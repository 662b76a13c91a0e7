// The explorer's facet counts from one grouping of the selection, shared by
// both engines: each engine groups by (verdict, kind, sender, mime) in SQL —
// a few hundred rows — and the sums per facet, domains and top values are
// made here, the same way for SQLite and PostgreSQL.
import type { FacetName, FacetValue } from './explore.ts';

const FACET_LIMIT = 20;
const RULE_LIMIT = 40;

export type GroupRow = { verdict: string; kind: string; sender: string | null; mime: string; n: number; rules?: string[] | null };
export type RuleRow = { rule: string; n: number };

/** The facets and the total from the grouping rows and the rule counts (or the rule sets of the groups). */
export function tally(groups: GroupRow[], ruleRows: RuleRow[] | null): { total: number; facets: Record<FacetName, FacetValue[]> } {
  const counters = { verdict: new Map<string, number>(), kind: new Map<string, number>(), sender: new Map<string, number>(), domain: new Map<string, number>(), mime: new Map<string, number>(), rule: new Map<string, number>() };
  const bump = (m: Map<string, number>, v: string, n: number) => m.set(v, (m.get(v) ?? 0) + n);
  let total = 0;
  for (const { verdict, kind, sender, mime, n, rules } of groups) {
    total += n;
    bump(counters.verdict, verdict, n);
    bump(counters.kind, kind, n);
    bump(counters.mime, mime, n);
    if (sender) {
      bump(counters.sender, sender, n);
      const at = sender.lastIndexOf('@');
      if (at >= 0) bump(counters.domain, sender.slice(at + 1), n);
    }
    for (const rule of rules ?? []) bump(counters.rule, rule, n);
  }
  for (const { rule, n } of ruleRows ?? []) counters.rule.set(rule, n);
  const byCount = (a: FacetValue, b: FacetValue) => b.count - a.count || (a.value < b.value ? -1 : 1);
  const top = (m: Map<string, number>, n: number): FacetValue[] => [...m].map(([value, count]) => ({ value, count })).sort(byCount).slice(0, n);
  return {
    total,
    facets: {
      verdict: top(counters.verdict, 10), kind: top(counters.kind, 10), sender: top(counters.sender, FACET_LIMIT),
      domain: top(counters.domain, FACET_LIMIT), mime: top(counters.mime, FACET_LIMIT), rule: top(counters.rule, RULE_LIMIT),
    },
  };
}
