// The store the web UI tests browse: the generated leak and the labelled
// authenticity dump (as `npm run sample` ingests them), plus an email with
// hostile HTML. Built with the real CLI.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeLeak, type LeakManifest } from '../fixtures/make-leak.ts';
import { makeAuthenticityDump, type AuthManifest } from '../fixtures/make-authenticity-dump.ts';
import { hostileHtmlEmail } from '../fixtures/hostile-html-email.ts';
import { tamis } from './cli.ts';

export interface UiStore { db: string; leak: LeakManifest; signed: AuthManifest; hostileSha: string; dir: string }

export async function buildUiStore(dir: string): Promise<UiStore> {
  const leak = await makeLeak(join(dir, 'leak'));
  const signed = await makeAuthenticityDump(join(dir, 'signed'), 2017, join(dir, 'keys.zone'));
  const extra = join(dir, 'extra');
  mkdirSync(extra, { recursive: true });
  const hostile = hostileHtmlEmail();
  writeFileSync(join(extra, 'virement.eml'), hostile);
  const db = join(dir, 'tamis.db');
  const run = tamis(['ingest', join(dir, 'leak'), join(dir, 'signed'), extra, '--db', db, '--keys', leak.keysZone, '--keys', signed.keysZone, '--quiet', '--no-ocr']);
  if (run.status !== 0) throw new Error(`ingest failed: ${run.stderr}`);
  return { db, leak, signed, dir, hostileSha: createHash('sha256').update(hostile).digest('hex') };
}
