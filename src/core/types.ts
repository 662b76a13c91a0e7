// Shapes shared by ingest, store, analyzers and report. The report contract
// is ../shared/report-schema.md (`tamis.report/1`).

export type Kind = 'email' | 'attachment' | 'document' | 'archive' | 'image' | 'other';
export type Verdict = 'verified' | 'corroborated' | 'consistent' | 'suspicious' | 'tampered';
export type Severity = 'info' | 'warn' | 'critical';

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  evidence: Record<string, unknown>;
  related: string[];
}

/** Metadata kept field by field (never merge author and lastModifiedBy). */
export type Metadata = Record<string, unknown>;
