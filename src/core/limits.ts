// Limits against hostile input (a dump is attacker-made). Each has a default
// that a real leak stays far below, and each, when hit, is recorded with a
// failure code; nothing is dropped silently.
export interface Limits {
  /** Largest single member or attachment unpacked into memory. */
  maxMemberBytes: number;
  /** Most bytes one archive may expand to (all its members). */
  maxArchiveBytes: number;
  /** Most bytes one input file may expand to, all nesting levels together. */
  maxInputExpandedBytes: number;
  /** Largest expansion ratio of a compressed member above 1 MB. */
  maxRatio: number;
  /** Most members read from one archive. */
  maxEntries: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxMemberBytes: 1 << 30,
  maxArchiveBytes: 8 * 2 ** 30,
  maxInputExpandedBytes: 64 * 2 ** 30,
  maxRatio: 1000,
  maxEntries: 200_000,
};
