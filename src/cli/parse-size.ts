// "1G", "500M", "64k" or plain bytes, for limit options.
import { TamisError } from '../core/errors.ts';

const UNITS: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

export function parseSize(value: string, option: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(value.trim());
  if (!m) throw new TamisError('E_USAGE', `--${option} takes a size like 500M or 2G, not "${value}"`);
  return Math.round(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!);
}
