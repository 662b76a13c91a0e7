// One item with everything the store knows about it, for the item page.
import type Database from 'better-sqlite3';
import type { Kind, Metadata, Verdict } from '../../core/types.ts';
import { effectOf } from '../../analyze/verdict.ts';
import type { ItemDetail, ItemFinding, ItemLink } from '../explore.ts';
import type { Role } from '../store.ts';

const LINK_SQL = `SELECT i.sha256, i.title, i.verdict, i.mime, i.kind,
  (SELECT path FROM occurrences o WHERE o.sha256 = i.sha256 ORDER BY o.path LIMIT 1) AS path FROM items i`;

type LinkRow = { sha256: string; title: string | null; verdict: Verdict; mime: string; kind: Kind | null; path: string | null };
const toLink = (r: LinkRow): ItemLink => ({ sha256: r.sha256, path: r.path, title: r.title, verdict: r.verdict, mime: r.mime, kind: r.kind ?? 'other' });

export function itemLinks(db: Database.Database, shas: string[]): Map<string, ItemLink> {
  const out = new Map<string, ItemLink>();
  const stmt = db.prepare(`${LINK_SQL} WHERE i.sha256 = ?`);
  for (const sha of new Set(shas)) {
    const r = stmt.get(sha) as LinkRow | undefined;
    out.set(sha, r ? toLink(r) : { sha256: sha, path: null, title: null, verdict: null, mime: null, kind: null });
  }
  return out;
}

interface ItemRow {
  id: number; sha256: string; size: number; mime: string; ingestor: string | null; title: string | null; date: string | null;
  meta: string; status: 'done' | 'failed'; error_code: string | null; error_message: string | null; text_length: number;
  verdict: Verdict; kind: Kind | null; body: string | null;
}

const SEVERITY_RANK: Record<string, number> = { critical: 0, warn: 1, info: 2 };

export function itemDetail(db: Database.Database, sha256: string, maxTextChars: number): ItemDetail | undefined {
  const row = db.prepare(`SELECT i.*, substr(f.body, 1, @max) AS body FROM items i LEFT JOIN items_fts f ON f.rowid = i.id WHERE i.sha256 = @sha`)
    .get({ sha: sha256, max: maxTextChars }) as ItemRow | undefined;
  if (!row) return undefined;
  const meta = JSON.parse(row.meta) as Metadata;
  const hasHtml = typeof meta.html === 'string';
  delete meta.html;

  const paths = db.prepare(`SELECT path, role, kind, name, parent_sha256 AS parentSha256, parent_path AS parentPath
    FROM occurrences WHERE sha256 = ? ORDER BY path LIMIT 1000`).all(sha256) as ItemDetail['paths'];
  const parentShas = [...new Set(paths.map((p) => p.parentSha256).filter((p): p is string => Boolean(p)))];
  const childRows = db.prepare('SELECT name, role, sha256, size FROM children WHERE parent_sha256 = ? ORDER BY ord LIMIT 5000')
    .all(sha256) as { name: string; role: Role; sha256: string; size: number }[];
  const findingRows = db.prepare('SELECT analyzer, rule, severity, message, evidence, related FROM findings WHERE sha256 = ?').all(sha256) as
    { analyzer: string; rule: string; severity: ItemFinding['severity']; message: string; evidence: string; related: string }[];
  const findings: ItemFinding[] = findingRows.map((f) => ({
    analyzer: f.analyzer, rule: f.rule, severity: f.severity, message: f.message,
    evidence: JSON.parse(f.evidence) as Record<string, unknown>, related: JSON.parse(f.related) as string[], effect: effectOf(f),
  })).sort((a, b) => (SEVERITY_RANK[a.severity] ?? 3) - (SEVERITY_RANK[b.severity] ?? 3) || a.rule.localeCompare(b.rule));
  const relatedShas = findings.flatMap((f) => f.related).filter((s) => /^[0-9a-f]{64}$/.test(s));
  const links = itemLinks(db, [...parentShas, ...childRows.map((c) => c.sha256), ...relatedShas]);

  const thread = db.prepare('SELECT thread FROM threads WHERE sha256 = ? LIMIT 1').pluck().get(sha256) as number | undefined;
  const clusterRow = db.prepare('SELECT cluster, reason FROM dup_clusters WHERE sha256 = ? LIMIT 1').get(sha256) as { cluster: number; reason: string } | undefined;
  let cluster: ItemDetail['cluster'] = null;
  if (clusterRow) {
    const members = db.prepare('SELECT sha256 FROM dup_clusters WHERE cluster = ? ORDER BY sha256 LIMIT 200').pluck().all(clusterRow.cluster) as string[];
    const ml = itemLinks(db, members);
    cluster = { id: clusterRow.cluster, reason: clusterRow.reason, members: members.map((m) => ml.get(m)!) };
  }
  const failures = db.prepare(`SELECT path, code, message FROM failures
    WHERE sha256 = @sha OR item_sha256 = @sha OR path IN (SELECT path FROM occurrences WHERE sha256 = @sha) ORDER BY path, code LIMIT 500`)
    .all({ sha: sha256 }) as ItemDetail['failures'];

  return {
    sha256: row.sha256, size: row.size, mime: row.mime, ingestor: row.ingestor, title: row.title, date: row.date,
    kind: row.kind ?? paths[0]?.kind ?? 'other', verdict: row.verdict, status: row.status, errorCode: row.error_code, errorMessage: row.error_message,
    meta, hasHtml,
    text: row.body ?? '', textLength: row.text_length, textTruncated: row.text_length > maxTextChars,
    paths,
    parents: parentShas.map((s) => links.get(s)!),
    children: childRows.map((c) => ({ ...links.get(c.sha256)!, name: c.name, role: c.role, size: c.size })),
    findings,
    related: [...new Set(relatedShas)].filter((s) => s !== sha256).map((s) => links.get(s)!),
    failures,
    thread: thread ?? null,
    cluster,
  };
}
