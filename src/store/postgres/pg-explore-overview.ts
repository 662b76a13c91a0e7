// The corpus at a glance over PostgreSQL: items per day by verdict, who wrote
// to whom, and the verification dashboard (twin of sqlite/explore-overview.ts).
import type { Verdict } from '../../core/types.ts';
import { effectOf } from '../../analyze/verdict.ts';
import type { Correspondents, Dashboard, SearchFilters, TimelineDay } from '../explore.ts';
import { VERDICT_RANK } from '../sqlite/explore-search.ts';
import type { PgDb } from './pg-db.ts';
import { filterSql } from './pg-explore-filters.ts';
import { itemLinks } from './pg-explore-item.ts';
import { correspondentGraph } from '../correspondent-graph.ts';

const VERDICTS: Verdict[] = ['verified', 'corroborated', 'consistent', 'suspicious', 'tampered'];

export async function timeline(db: PgDb, filters: SearchFilters): Promise<TimelineDay[]> {
  const f = await filterSql(db, filters);
  const rows = await db.rows<{ day: string; verdict: Verdict; n: number }>(`SELECT substr(i.date, 1, 10) AS day, i.verdict, count(*) AS n
    FROM ${f.from} WHERE ${f.where} AND i.date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}'
    GROUP BY day, i.verdict ORDER BY day, i.verdict`, f.params.values);
  const days = new Map<string, TimelineDay>();
  for (const r of rows) {
    const d = days.get(r.day) ?? { day: r.day, total: 0, byVerdict: {} };
    d.total += r.n;
    d.byVerdict[r.verdict] = r.n;
    days.set(r.day, d);
  }
  return [...days.values()];
}

// lower() under the "C" collation changes ASCII letters only, as SQLite's does.
// To before Cc, each by sender and recipient: ties among edges keep SQLite's order.
const recipients = (field: 'to' | 'cc') => `SELECT ${field === 'to' ? 0 : 1} AS part, x.sender AS a, lower((r.value->>'address') COLLATE "C") AS b, count(*) AS n
  FROM base x, json_array_elements(CASE WHEN json_typeof(x.meta->'${field}') = 'array' THEN x.meta->'${field}' ELSE '[]' END) r(value)
  GROUP BY 1, 2, 3`;

export async function correspondents(db: PgDb, filters: SearchFilters, limit: number): Promise<Correspondents> {
  const f = await filterSql(db, filters);
  const edges = await db.rows<{ a: string; b: string | null; n: number }>(`WITH base AS MATERIALIZED (
      SELECT i.sender, i.meta FROM ${f.from} WHERE ${f.where} AND i.sender IS NOT NULL)
    ${recipients('to')} UNION ALL ${recipients('cc')} ORDER BY part, a, b`, f.params.values);
  // A display name for each address: the one its earliest recorded email gives.
  return correspondentGraph(edges, limit, async (keep) => new Map((await db.rows<{ sender: string; name: string }>(
    `SELECT DISTINCT ON (sender) sender, meta->'from'->>'name' AS name
    FROM items WHERE sender = ANY ($1::text[]) AND meta->'from'->>'name' <> '' ORDER BY sender, id`, [keep])).map((r) => [r.sender, r.name])));
}

export async function dashboard(db: PgDb, flaggedLimit = 200): Promise<Dashboard> {
  const [totals, failures, verdicts, kinds, rules, codes, flaggedRows] = await Promise.all([
    db.one<{ items: number; bytes: number }>('SELECT count(*) AS items, coalesce(sum(size), 0) AS bytes FROM items'),
    db.one<{ n: number }>('SELECT count(*) AS n FROM failures'),
    db.rows<{ verdict: Verdict; n: number }>('SELECT verdict, count(*) AS n FROM items GROUP BY verdict'),
    db.rows<{ kind: string; n: number }>("SELECT coalesce(kind, 'other') AS kind, count(*) AS n FROM items GROUP BY 1 ORDER BY 1"),
    db.rows<{ rule: string; severity: 'info' | 'warn' | 'critical'; items: number }>(
      'SELECT rule, severity, count(DISTINCT sha256) AS items FROM findings GROUP BY rule, severity ORDER BY items DESC, rule, severity'),
    db.rows<{ code: string; n: number }>('SELECT code, count(*) AS n FROM failures GROUP BY code ORDER BY code'),
    db.rows<{ sha256: string; date: string | null; rules: string[] | null }>(`SELECT i.sha256, i.date,
        (SELECT array_agg(DISTINCT x.rule ORDER BY x.rule) FROM findings x WHERE x.sha256 = i.sha256 AND x.severity <> 'info') AS rules
      FROM items i WHERE i.verdict IN ('tampered', 'suspicious') ORDER BY ${VERDICT_RANK}, i.date DESC NULLS LAST, i.sha256 LIMIT $1`, [flaggedLimit]),
  ]);
  const byVerdict = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const r of verdicts) byVerdict[r.verdict] = r.n;
  const links = await itemLinks(db, flaggedRows.map((r) => r.sha256));
  return {
    items: totals!.items, bytes: totals!.bytes, failures: failures!.n, byVerdict,
    byKind: Object.fromEntries(kinds.map((r) => [r.kind, r.n])),
    byRule: rules.map((r) => ({ ...r, effect: effectOf(r) })),
    failuresByCode: Object.fromEntries(codes.map((r) => [r.code, r.n])),
    flagged: flaggedRows.map((r) => ({ ...links.get(r.sha256)!, date: r.date, rules: r.rules ?? [] })),
  };
}
