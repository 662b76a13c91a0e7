// Format-shaped fuzz inputs: real bytes of a format (a fixture file, or one a
// writer made), then damaged the way copies get damaged: cut short, bytes
// flipped, junk spliced in. Most of the input stays valid, so parsers get past
// their magic-number checks and into the structures behind them.
import fc from 'fast-check';
import { TamisError } from '../../src/core/errors.ts';

export interface Damage {
  /** Bytes cut off the end: `cut` modulo `maxCut` (0 keeps every byte). */
  cut: number;
  /** Where bytes are flipped, each a fraction of the length or of a chosen region, and the XOR mask (never 0). */
  flips: { at: number; region: number; mask: number }[];
  /** Bytes inserted at `spliceAt`, a fraction of the length (1 appends them). */
  junk: Uint8Array;
  spliceAt: number;
}

/** Damage to apply; `regions` lets flips favour the bytes that hold a format's structure. */
// Each kind of damage is left out two times in three: a file cut short or with bytes
// inserted is mostly refused early, flips alone reach the deepest code.
/** Uniform in [0, 1): fc.double is uniform over float bit patterns (mostly tiny numbers), and biased. */
const fraction = fc.noBias(fc.integer({ min: 0, max: 0xffffff })).map((n) => n / 0x1000000);
const sometimes = <T>(none: T, arb: fc.Arbitrary<T>) => fc.oneof({ weight: 2, arbitrary: fc.constant(none) }, { weight: 1, arbitrary: arb });
export const damageArb: fc.Arbitrary<Damage> = fc.record({
  cut: sometimes(0, fc.nat()),
  // Positions unbiased: fast-check favours small values, which would flip the magic number over and over.
  flips: fc.array(fc.record({ at: fraction, region: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }), { minLength: 1, maxLength: 4 }),
  junk: sometimes(new Uint8Array(0), fc.uint8Array({ minLength: 1, maxLength: 16 })),
  spliceAt: fc.oneof(fc.constant(1), fraction),
});

/**
 * `bytes` damaged as `d` says. A flip lands in `regions[region % (regions.length + 1)]`
 * ([start, length) pairs), or anywhere when that index is past the list.
 */
export function damage(bytes: Uint8Array, d: Damage, opts: { maxCut?: number; regions?: [number, number][] } = {}): Uint8Array {
  const maxCut = Math.max(1, Math.floor(opts.maxCut ?? bytes.length / 2));
  const out = Uint8Array.from(bytes.subarray(0, bytes.length - (d.cut % maxCut)));
  const regions = opts.regions ?? [];
  for (const f of d.flips) {
    const [start, len] = regions[f.region % (regions.length + 1)] ?? [0, out.length];
    const i = start + Math.floor(f.at * len);
    if (i < out.length) out[i] = out[i]! ^ f.mask;
  }
  // Spliced: the junk goes in between two bytes (at the end, it is appended), moving what follows.
  const at = Math.floor(d.spliceAt * out.length);
  const spliced = new Uint8Array(out.length + d.junk.length);
  spliced.set(out.subarray(0, at));
  spliced.set(d.junk, at);
  spliced.set(out.subarray(at), at + d.junk.length);
  return spliced;
}

/** The property of every target: a parser may refuse bad bytes only with a TamisError. */
export const onlyTamisErrors = (err: unknown) => {
  if (!(err instanceof TamisError)) throw err;
};
