// Offline DKIM and ARC verification of one email against the key archive,
// as findings (the analyzer's entry point): check-message.ts checks,
// dkim-findings.ts says what each result proves. Time plays no part: a
// signature is judged at its own t=, so an x= that passed years ago says
// nothing about alteration. DNS is never asked unless the caller passes a
// live resolver (investigators must not reveal what they examine).
import type { Finding } from '../../core/types.ts';
import type { DkimKey } from '../../keys/key-index.ts';
import { checkMessage, type DkimOptions } from './check-message.ts';
import { reportFindings } from './dkim-findings.ts';
import type { DkimInput } from './message-input.ts';

export type { DkimInput } from './message-input.ts';
export type { DkimOptions } from './check-message.ts';
export { checkMessage } from './check-message.ts';

export interface DkimOutcome { findings: Finding[]; fetchedKeys: DkimKey[] }

export async function verifyDkim(input: DkimInput, options: DkimOptions): Promise<DkimOutcome> {
  const { report, fetchedKeys } = await checkMessage(input, options);
  return { findings: reportFindings(report), fetchedKeys };
}
