// Blobs as files under <root>/ab/cd/<sha256>. Written to a temporary name and
// renamed, so a crash never leaves a half-written blob under its final name,
// and two workers writing the same blob cannot corrupt it.
import { mkdir, readFile, rename, stat, writeFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { BlobStore } from './blob-store.ts';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export class LocalBlobStore implements BlobStore {
  readonly location: string;
  constructor(root: string) { this.location = root; }

  pathOf(sha256: string): string {
    // Only hex digests reach the file system: a name from the dump never does.
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a sha256 digest: ${sha256.slice(0, 80)}`);
    return join(this.location, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async has(sha256: string): Promise<boolean> {
    try { await stat(this.pathOf(sha256)); return true; } catch { return false; }
  }

  async put(sha256: string, bytes: Uint8Array): Promise<void> {
    const final = this.pathOf(sha256);
    if (await this.has(sha256)) return;
    const dir = join(this.location, sha256.slice(0, 2), sha256.slice(2, 4));
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(tmp, bytes);
      await rename(tmp, final);
    } catch (err) {
      await unlink(tmp).catch(() => {});
      throw err;
    }
  }

  async get(sha256: string): Promise<Uint8Array> {
    return readFile(this.pathOf(sha256));
  }
}
