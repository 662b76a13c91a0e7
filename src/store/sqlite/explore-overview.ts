// The corpus at a glance: items per day by verdict, who wrote to whom, and
// the verification dashboard. Each reads the same filtered set as search.
import type Database from 'better-sqlite3';
import type { Verdict } from '../../core/types.ts';
import { effectOf } from '../../analyze/verdict.ts';
import type { Correspondents, Dashboard, SearchFilters, TimelineDay } from '../explore.ts';
import { filterSql } from './explore-filters.ts';
import { itemLinks } from './explore-item.ts';
import { correspondentGraph } from '../correspondent-graph.ts';
import { VERDICT_RANK } from './explore-search.ts';

const VERDICTS: Verdict[] = ['verified', 'corroborated', 'consistent', 'suspicious', 'tampered'];

export function timeline(db: Database.Database, filters: SearchFilters): TimelineDay[] {
  const f = filterSql(filters);
  const rows = db.prepare(`SELECT substr(i.date, 1, 10) AS day, i.verdict, count(*) AS n FROM ${f.from}
    WHERE ${f.where} AND i.date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'
    GROUP BY day, i.verdict ORDER BY day`).all(f.params) as { day: string; verdict: Verdict; n: number }[];
  const days = new Map<string, TimelineDay>();
  for (const r of rows) {
    const d = days.get(r.day) ?? { day: r.day, total: 0, byVerdict: {} };
    d.total += r.n;
    d.byVerdict[r.verdict] = r.n;
    days.set(r.day, d);
  }
  return [...days.values()];
}

export async function correspondents(db: Database.Database, filters: SearchFilters, limit: number): Promise<Correspondents> {
  const f = filterSql(filters);
  const edges = db.prepare(`WITH base AS MATERIALIZED (SELECT i.sender, i.meta FROM ${f.from} WHERE ${f.where} AND i.sender IS NOT NULL)
    SELECT sender AS a, lower(json_extract(r.value, '$.address')) AS b, count(*) AS n
    FROM base, json_each(base.meta, '$.to') r WHERE json_valid(base.meta) GROUP BY a, b
    UNION ALL
    SELECT sender, lower(json_extract(r.value, '$.address')), count(*)
    FROM base, json_each(base.meta, '$.cc') r WHERE json_valid(base.meta) GROUP BY 1, 2`).all(f.params) as { a: string; b: string | null; n: number }[];
  // A display name for each address: the one its earliest recorded email gives.
  const nameOf = db.prepare(`SELECT json_extract(meta, '$.from.name') FROM items
    WHERE sender = ? AND json_extract(meta, '$.from.name') <> '' ORDER BY id LIMIT 1`).pluck();
  return correspondentGraph(edges, limit, (keep) => new Map(keep.flatMap((a) => {
    const name = nameOf.get(a) as string | undefined;
    return name === undefined ? [] : [[a, name] as [string, string]];
  })));
}

export function dashboard(db: Database.Database, flaggedLimit = 200): Dashboard {
  const totals = db.prepare('SELECT count(*) AS items, coalesce(sum(size), 0) AS bytes FROM items').get() as { items: number; bytes: number };
  const failures = db.prepare('SELECT count(*) FROM failures').pluck().get() as number;
  const byVerdict = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const r of db.prepare('SELECT verdict, count(*) AS n FROM items GROUP BY verdict').all() as { verdict: Verdict; n: number }[]) byVerdict[r.verdict] = r.n;
  const byKind: Record<string, number> = {};
  for (const r of db.prepare("SELECT coalesce(kind, 'other') AS kind, count(*) AS n FROM items GROUP BY 1 ORDER BY 1").all() as { kind: string; n: number }[]) byKind[r.kind] = r.n;
  const byRule = (db.prepare(`SELECT rule, severity, count(DISTINCT sha256) AS items FROM findings GROUP BY rule, severity ORDER BY items DESC, rule, severity`)
    .all() as { rule: string; severity: 'info' | 'warn' | 'critical'; items: number }[]).map((r) => ({ ...r, effect: effectOf(r) }));
  const failuresByCode: Record<string, number> = {};
  for (const r of db.prepare('SELECT code, count(*) AS n FROM failures GROUP BY code ORDER BY code').all() as { code: string; n: number }[]) failuresByCode[r.code] = r.n;
  const flaggedRows = db.prepare(`SELECT i.sha256, i.date,
      (SELECT group_concat(rule) FROM (SELECT DISTINCT rule FROM findings x WHERE x.sha256 = i.sha256 AND x.severity <> 'info' ORDER BY rule)) AS rules
    FROM items i WHERE i.verdict IN ('tampered', 'suspicious') ORDER BY ${VERDICT_RANK}, i.date IS NULL, i.date DESC, i.sha256 LIMIT ?`)
    .all(flaggedLimit) as { sha256: string; date: string | null; rules: string | null }[];
  const links = itemLinks(db, flaggedRows.map((r) => r.sha256));
  return {
    ...totals, failures, byVerdict, byKind, byRule, failuresByCode,
    flagged: flaggedRows.map((r) => ({ ...links.get(r.sha256)!, date: r.date, rules: r.rules ? r.rules.split(',') : [] })),
  };
}
