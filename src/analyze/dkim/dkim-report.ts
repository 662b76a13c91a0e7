// What the verification of one message found, before it becomes findings:
// each DKIM-Signature with its parse and its check, and the ARC validation.
// check-message.ts makes it, dkim-findings.ts and arc-findings.ts read it.
import type { ArcValidation } from './arc-chain.ts';
import type { HeaderField } from './header-fields.ts';
import type { AppendedText } from './intermediary-changes.ts';
import type { Check } from './signature-check.ts';
import type { ParsedSignature } from './signature-tags.ts';

export interface SignatureReport {
  /** Among the DKIM-Signature fields, 0 for the topmost. */
  index: number;
  field: HeaderField;
  parsed: ParsedSignature | null;
  /** null: malformed, or beyond the limits (`limited`). */
  check: Check | null;
  limited?: 'signatures' | 'body-hashes';
  appended?: AppendedText;
  subjectTag?: string;
}

export interface DkimReport {
  bareLf: number;
  fromDomains: string[];
  fromFields: number;
  signatures: SignatureReport[];
  arc: ArcValidation;
}
