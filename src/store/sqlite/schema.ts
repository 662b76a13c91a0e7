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
