// The long fuzz run: N generated inputs (default 100,000) per parser, with a
// fresh seed each run (printed, to replay a failure). Usage: node bench/fuzz.ts [runs]
import fc from 'fast-check';
import { FUZZ_TARGETS } from '../test/fuzz/targets.ts';

const runs = Number(process.argv[2] ?? 100_000);
const seed = Date.now() % 2 ** 31;
for (const [name, property] of Object.entries(FUZZ_TARGETS)) {
  const t = performance.now();
  const out = await fc.check(property as fc.IAsyncProperty<[unknown]>, { numRuns: runs, seed });
  console.log(JSON.stringify({ target: name, runs, seed, failed: out.failed, seconds: +((performance.now() - t) / 1000).toFixed(1),
    ...(out.failed ? { counterexample: String(out.counterexample).slice(0, 300), error: String(out.errorInstance).slice(0, 300) } : {}) }));
}
