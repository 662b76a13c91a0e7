// Tests that need something outside a clone (python3-dkim, exiftool, the
// shared corpora) skip without it, saying why; CI sets TAMIS_NO_SKIP=1, which
// turns such a skip into a failure, so CI runs them all.

/** Whether `what` is there; prints the reason when it is not, and throws under TAMIS_NO_SKIP. */
export function needs(what: string, available: boolean): boolean {
  if (available) return true;
  if (process.env.TAMIS_NO_SKIP === '1') throw new Error(`${what} is missing, and TAMIS_NO_SKIP=1 forbids skipping the tests that need it`);
  console.warn(`skipped: needs ${what}`);
  return false;
}
