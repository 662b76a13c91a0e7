// The local spool of a remote blob store: a folder on this machine for the
// bytes that must be a file for a while — a blob written piece by piece
// (BlobWriter is synchronous: it runs inside parsers), waiting for upload,
// and a large blob downloaded so a parser can stream it. One folder per store
// instance (per worker thread or process), named after its process, so a
// sweep can tell which folders a dead process or a stopped worker left.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { threadId } from 'node:worker_threads';

/** Where spools live: TAMIS_S3_SPOOL, or the system temp folder. It needs room for the largest blobs in flight. */
export const spoolRoot = (): string => process.env.TAMIS_S3_SPOOL || join(tmpdir(), 'tamis-s3-spool');

const OWNED = /^(\d+)-\d+-[0-9a-f]+$/;

export class Spool {
  readonly dir = join(spoolRoot(), `${process.pid}-${threadId}-${randomBytes(4).toString('hex')}`);
  /** The folder, made on use (most stores never spool anything: readers, the web server); again after a sweep. */
  ensure(): string {
    mkdirSync(this.dir, { recursive: true });
    return this.dir;
  }

  /** A fresh temporary name inside the folder. */
  temp(kind: 'read' | 'write'): string {
    return join(this.ensure(), `.${kind}.${randomBytes(6).toString('hex')}.tmp`);
  }
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM'; }
}

/**
 * Removes spools left by dead processes, and this process's own (a worker
 * stopped at its time limit mid-upload leaves one behind). Call only while no
 * writer of this process is open: at the start and end of an ingest.
 */
export function sweepSpools(): number {
  let names: string[];
  try { names = readdirSync(spoolRoot()); } catch { return 0; }
  let removed = 0;
  for (const name of names) {
    const pid = OWNED.exec(name)?.[1];
    if (!pid || (Number(pid) !== process.pid && alive(Number(pid)))) continue;
    try { rmSync(join(spoolRoot(), name), { recursive: true, force: true }); removed++; } catch { /* in use or gone */ }
  }
  return removed;
}
