// The long fuzz run: N generated inputs (default 100,000) per parser, with a
// fresh seed each run (printed, to replay a failure). Usage: node bench/fuzz.ts [runs] [target...]
// Naming targets runs only those: pst and rar parse a whole file per input
// (5-10 ms each), so 100,000 of them take 10-15 minutes per target.
import fc from 'fast-check';
import { FUZZ_TARGETS } from '../test/fuzz/targets.ts';

const runs = Number(process.argv[2] ?? 100_000);
const only = process.argv.slice(3);
const unknown = only.filter((t) => !(t in FUZZ_TARGETS));
if (unknown.length) throw new Error(`unknown fuzz target(s) ${unknown.join(', ')}; targets: ${Object.keys(FUZZ_TARGETS).join(', ')}`);
const seed = Date.now() % 2 ** 31;
for (const [name, property] of Object.entries(FUZZ_TARGETS)) {
  if (only.length && !only.includes(name)) continue;
  const t = performance.now();
  const out = await fc.check(property as fc.IAsyncProperty<[unknown]>, { numRuns: runs, seed });
  console.log(JSON.stringify({ target: name, runs, seed, failed: out.failed, seconds: +((performance.now() - t) / 1000).toFixed(1),
    ...(out.failed ? { counterexample: String(out.counterexample).slice(0, 300), error: String(out.errorInstance).slice(0, 300) } : {}) }));
}
