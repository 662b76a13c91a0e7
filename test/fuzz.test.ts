// Short fuzz run for CI: 1,000 generated inputs per parser, 250 for the
// whole-archive readers (PST, RAR: each input parses a file, ~10 ms);
// bench/fuzz.ts runs 100,000. Nothing but TamisError may escape a parser.
import { it } from 'vitest';
import fc from 'fast-check';
import { FUZZ_TARGETS } from './fuzz/targets.ts';

const SLOW = new Set(['pst', 'rar']);

for (const [name, property] of Object.entries(FUZZ_TARGETS)) {
  it(`${name}: no uncaught exception on generated inputs`, async () => {
    await fc.assert(property as fc.IAsyncProperty<[unknown]>, { numRuns: SLOW.has(name) ? 250 : 1000, seed: 2017 });
  });
}
