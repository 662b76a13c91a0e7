// Progress for people watching a long ingest: a redrawn bar on a terminal,
// a plain line every few seconds in logs and CI.
import type { IngestStats } from '../ingest/ingest-stats.ts';
import { formatBytes, formatDuration } from './format.ts';

export class Progress {
  private readonly stream: NodeJS.WriteStream;
  private readonly tty: boolean;
  private lastPlain = 0;
  private drawn = false;

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.stream = stream;
    this.tty = Boolean(stream.isTTY);
  }

  update(s: IngestStats): void {
    const secs = s.elapsedMs / 1000;
    const frac = s.inputBytesTotal > 0 ? s.inputBytesDone / s.inputBytesTotal : (s.inputsTotal ? (s.inputsDone + s.inputsSkipped) / s.inputsTotal : 0);
    const rate = secs > 0 ? s.occurrences / secs : 0;
    const byteRate = secs > 0 ? s.newBytes / secs : 0;
    const eta = frac > 0.01 && frac < 1 ? formatDuration((secs / frac) * (1 - frac)) : '—';
    const files = `${s.inputsDone + s.inputsSkipped}/${s.inputsTotal} files`;
    const line = `${files} · ${s.occurrences} items · ${formatBytes(s.newBytes)} · ${rate.toFixed(0)} items/s · ${formatBytes(byteRate)}/s · ${s.failures} failures · ETA ${eta}`;
    if (this.tty) {
      const width = 24;
      const filled = Math.round(Math.min(1, frac) * width);
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      this.stream.write(`\r\x1b[2K${bar} ${(frac * 100).toFixed(0).padStart(3)}% ${line}`);
      this.drawn = true;
    } else if (Date.now() - this.lastPlain >= 5000) {
      this.lastPlain = Date.now();
      this.stream.write(`ingest: ${(frac * 100).toFixed(0)}% ${line}\n`);
    }
  }

  finish(): void {
    if (this.tty && this.drawn) this.stream.write('\n');
  }
}
