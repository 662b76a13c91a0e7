// One item with everything the store knows about it, for the item page
// (the PostgreSQL twin of src/store/sqlite/explore-item.ts).
import type { Kind, Metadata, Verdict } from '../../core/types.ts';
import { effectOf } from '../../analyze/verdict.ts';
import type { ItemDetail, ItemFinding, ItemLink } from '../explore.ts';
import type { Role } from '../store.ts';
import type { PgDb } from './pg-db.ts';

type LinkRow = { sha256: string; title: string | null; verdict: Verdict; mime: string; kind: Kind | null; path: string | null };

export async function itemLinks(db: PgDb, shas: string[]): Promise<Map<string, ItemLink>> {
  const wanted = [...new Set(shas)];
  const rows = wanted.length ? await db.rows<LinkRow>(`SELECT i.sha256, i.title, i.verdict, i.mime, i.kind,
      (SELECT path FROM occurrences o WHERE o.sha256 = i.sha256 ORDER BY o.path LIMIT 1) AS path
    FROM items i WHERE i.sha256 = ANY ($1::text[])`, [wanted]) : [];
  const found = new Map(rows.map((r) => [r.sha256, r]));
  const out = new Map<string, ItemLink>();
  for (const sha of wanted) {
    const r = found.get(sha);
    out.set(sha, r ? { sha256: r.sha256, path: r.path, title: r.title, verdict: r.verdict, mime: r.mime, kind: r.kind ?? 'other' }
      : { sha256: sha, path: null, title: null, verdict: null, mime: null, kind: null });
  }
  return out;
}

interface ItemRow {
  id: number; sha256: string; size: number; mime: string; ingestor: string | null; title: string | null; date: string | null;
  meta: Metadata; status: 'done' | 'failed'; error_code: string | null; error_message: string | null; text_length: number;
  verdict: Verdict; kind: Kind | null; body: string | null;
}

type FindingRow = { analyzer: string; rule: string; severity: ItemFinding['severity']; message: string; evidence: Record<string, unknown>; related: string[] };

const SEVERITY_RANK: Record<string, number> = { critical: 0, warn: 1, info: 2 };

export async function itemDetail(db: PgDb, sha256: string, maxTextChars: number): Promise<ItemDetail | undefined> {
  const [row, paths, childRows, findingRows, threadRow, clusterRow, failures] = await Promise.all([
    db.one<ItemRow>(`SELECT i.*, left(t.body, $2) AS body FROM items i LEFT JOIN item_texts t ON t.item_id = i.id WHERE i.sha256 = $1`, [sha256, maxTextChars]),
    db.rows<ItemDetail['paths'][number]>(`SELECT path, role, kind, name, parent_sha256 AS "parentSha256", parent_path AS "parentPath"
      FROM occurrences WHERE sha256 = $1 ORDER BY path LIMIT 1000`, [sha256]),
    db.rows<{ name: string; role: Role; sha256: string; size: number }>(
      'SELECT name, role, sha256, size FROM children WHERE parent_sha256 = $1 ORDER BY ord LIMIT 5000', [sha256]),
    db.rows<FindingRow>('SELECT analyzer, rule, severity, message, evidence, related FROM findings WHERE sha256 = $1 ORDER BY id', [sha256]),
    db.one<{ thread: number }>('SELECT thread FROM threads WHERE sha256 = $1 ORDER BY thread LIMIT 1', [sha256]),
    db.one<{ cluster: number; reason: string }>('SELECT cluster, reason FROM dup_clusters WHERE sha256 = $1 ORDER BY cluster LIMIT 1', [sha256]),
    db.rows<ItemDetail['failures'][number]>(`SELECT path, code, message FROM failures
      WHERE sha256 = $1 OR item_sha256 = $1 OR path IN (SELECT path FROM occurrences WHERE sha256 = $1) ORDER BY path, code LIMIT 500`, [sha256]),
  ]);
  if (!row) return undefined;
  const meta = row.meta;
  const hasHtml = typeof meta.html === 'string';
  delete meta.html;

  const parentShas = [...new Set(paths.map((p) => p.parentSha256).filter((p): p is string => Boolean(p)))];
  const findings: ItemFinding[] = findingRows.map((f) => ({ ...f, effect: effectOf(f) }))
    .sort((a, b) => (SEVERITY_RANK[a.severity] ?? 3) - (SEVERITY_RANK[b.severity] ?? 3) || a.rule.localeCompare(b.rule));
  const relatedShas = findings.flatMap((f) => f.related).filter((s) => /^[0-9a-f]{64}$/.test(s));
  const members = clusterRow
    ? (await db.rows<{ sha256: string }>('SELECT sha256 FROM dup_clusters WHERE cluster = $1 ORDER BY sha256 LIMIT 200', [clusterRow.cluster])).map((r) => r.sha256)
    : [];
  const links = await itemLinks(db, [...parentShas, ...childRows.map((c) => c.sha256), ...relatedShas, ...members]);

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
    thread: threadRow?.thread ?? null,
    cluster: clusterRow ? { id: clusterRow.cluster, reason: clusterRow.reason, members: members.map((m) => links.get(m)!) } : null,
  };
}
