// SQLite schema, applied in order; `user_version` says how far a store got.
// Append migrations, never edit a released one.
import type Database from 'better-sqlite3';

const MIGRATIONS: string[] = [
  `
  CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    mime TEXT NOT NULL,
    ingestor TEXT,
    title TEXT,
    date TEXT,
    meta TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL CHECK (status IN ('done', 'failed')),
    error_code TEXT,
    error_message TEXT,
    text_length INTEGER NOT NULL DEFAULT 0,
    ingested_at TEXT NOT NULL
  );
  -- What an item holds (zip members, attachments, mbox messages): intrinsic to its bytes.
  CREATE TABLE children (
    parent_sha256 TEXT NOT NULL,
    ord INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (parent_sha256, ord)
  );
  CREATE INDEX children_sha ON children(sha256);
  -- Where each item was met: one row per path.
  CREATE TABLE occurrences (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    parent_sha256 TEXT,
    parent_path TEXT,
    role TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (path, sha256)
  );
  CREATE INDEX occurrences_sha ON occurrences(sha256);
  CREATE TABLE failures (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    sha256 TEXT,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (path, code)
  );
  -- The job ledger: an input file is done once everything inside it is recorded.
  CREATE TABLE inputs (
    path TEXT PRIMARY KEY,
    abs_path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    sha256 TEXT,
    finished_at TEXT NOT NULL
  );
  CREATE VIRTUAL TABLE items_fts USING fts5(
    title, names, body,
    tokenize = 'unicode61 remove_diacritics 2'
  );
  `,
  `
  ALTER TABLE items ADD COLUMN verdict TEXT NOT NULL DEFAULT 'consistent';
  CREATE INDEX items_verdict ON items(verdict);
  -- Findings of every analyzer; an analyzer replaces its own rows when it reruns.
  CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    analyzer TEXT NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    evidence TEXT NOT NULL,
    related TEXT NOT NULL
  );
  CREATE INDEX findings_sha ON findings(sha256);
  CREATE INDEX findings_analyzer_rule ON findings(analyzer, rule);
  -- Which per-item analyses are done, at which analyzer version.
  CREATE TABLE analyses (
    sha256 TEXT NOT NULL,
    analyzer TEXT NOT NULL,
    version INTEGER NOT NULL,
    analyzed_at TEXT NOT NULL,
    PRIMARY KEY (sha256, analyzer)
  );
  -- The DKIM key archive, with where each key came from.
  CREATE TABLE dkim_keys (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    source TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    UNIQUE (name, value)
  );
  `,
  `
  -- Failures met while extracting an item belong to the item: every other
  -- path where the same bytes appear gets them too (member = suffix after the path).
  ALTER TABLE failures ADD COLUMN item_sha256 TEXT;
  ALTER TABLE failures ADD COLUMN member TEXT NOT NULL DEFAULT '';
  CREATE INDEX failures_item ON failures(item_sha256);
  `,
  `
  -- Near-duplicate clusters, recomputed by each analysis.
  CREATE TABLE dup_clusters (
    cluster INTEGER NOT NULL,
    reason TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (cluster, sha256)
  );
  CREATE INDEX dup_clusters_sha ON dup_clusters(sha256);
  -- The near-duplicate index, kept so later analyses only compare new items.
  CREATE TABLE dup_index (sha256 TEXT PRIMARY KEY, bands BLOB NOT NULL);
  CREATE TABLE dup_edges (a TEXT NOT NULL, b TEXT NOT NULL, similarity REAL NOT NULL, PRIMARY KEY (a, b));
  `,
  `
  -- For the explorer: the sender of an email and the kind at the item's
  -- canonical (smallest) path become columns, and the table is rebuilt with
  -- the short columns first and the metadata last, so filters and facets
  -- read each row's first page instead of following its metadata's overflow
  -- pages. Ids are kept: they are the full-text index's rowids.
  CREATE TABLE items_v6 (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    verdict TEXT NOT NULL DEFAULT 'consistent',
    kind TEXT,
    sender TEXT,
    mime TEXT NOT NULL,
    date TEXT,
    size INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('done', 'failed')),
    ingestor TEXT,
    text_length INTEGER NOT NULL DEFAULT 0,
    ingested_at TEXT NOT NULL,
    error_code TEXT,
    error_message TEXT,
    title TEXT,
    meta TEXT NOT NULL DEFAULT '{}'
  );
  INSERT INTO items_v6 (id, sha256, verdict, kind, sender, mime, date, size, status, ingestor, text_length, ingested_at, error_code, error_message, title, meta)
    SELECT id, sha256, verdict,
      (SELECT kind FROM occurrences o WHERE o.sha256 = items.sha256 ORDER BY o.path LIMIT 1),
      CASE WHEN json_valid(meta) THEN lower(json_extract(meta, '$.from.address')) END,
      mime, date, size, status, ingestor, text_length, ingested_at, error_code, error_message, title, meta
    FROM items;
  DROP TABLE items;
  ALTER TABLE items_v6 RENAME TO items;
  CREATE INDEX items_verdict ON items(verdict);
  CREATE INDEX items_facets ON items(verdict, kind, sender, mime, date, sha256);
  CREATE INDEX items_sender ON items(sender);
  CREATE INDEX items_date ON items(date);
  -- Findings by item id: facets join on an integer, not a 64-character key.
  ALTER TABLE findings ADD COLUMN item_id INTEGER;
  UPDATE findings SET item_id = (SELECT id FROM items WHERE items.sha256 = findings.sha256);
  CREATE INDEX findings_item_rule ON findings(item_id, rule);
  -- Email threads (JWZ), recomputed by each analysis; sha256 is NULL for a
  -- message the dump lacks but replies refer to.
  CREATE TABLE threads (
    thread INTEGER NOT NULL,
    ord INTEGER NOT NULL,
    parent INTEGER,
    sha256 TEXT,
    message_id TEXT,
    PRIMARY KEY (thread, ord)
  );
  CREATE INDEX threads_sha ON threads(sha256);
  `,
];

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
