// Write with back-pressure: wait for 'drain' instead of buffering a whole report.
import type { Writable } from 'node:stream';

export function writeChunk(out: Writable, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = out.write(chunk, (err) => { if (err) reject(err); });
    if (ok) resolve();
    else out.once('drain', resolve);
  });
}
