// Counters of one ingest run, read by the progress display and the summary.
export class IngestStats {
  readonly startedAt = Date.now();
  inputsTotal = 0;
  inputsDone = 0;
  inputsSkipped = 0;
  inputBytesTotal = 0;
  inputBytesDone = 0;
  /** Places recorded (paths), and distinct items newly extracted in this run. */
  occurrences = 0;
  newItems = 0;
  newBytes = 0;
  failures = 0;
  readonly newByKind: Record<string, number> = {};
  readonly failuresByCode: Record<string, number> = {};

  occurrence(isNew: boolean, bytes: number, kind?: string): void {
    this.occurrences++;
    if (!isNew) return;
    this.newItems++;
    this.newBytes += bytes;
    if (kind) this.newByKind[kind] = (this.newByKind[kind] ?? 0) + 1;
  }

  failure(code: string): void {
    this.failures++;
    this.failuresByCode[code] = (this.failuresByCode[code] ?? 0) + 1;
  }

  inputDone(bytes: number): void { this.inputsDone++; this.inputBytesDone += bytes; }
  inputSkipped(bytes: number): void { this.inputsSkipped++; this.inputBytesDone += bytes; }

  get elapsedMs(): number { return Date.now() - this.startedAt; }
}
