// Items per day (or per month over long spans), stacked by verdict. Clicking a
// bar narrows the search to that day or month; over one month, bars are days.
import type { TimelineDay, Verdict } from '../api.ts';
import { VERDICTS } from './verdict.tsx';

interface Bucket { key: string; from: string; to: string; total: number; byVerdict: Partial<Record<Verdict, number>> }

const DAY_MS = 86_400_000;
const lastDayOfMonth = (ym: string) => new Date(Date.UTC(Number(ym.slice(0, 4)), Number(ym.slice(5, 7)), 0)).toISOString().slice(0, 10);

const empty = (key: string, from: string, to: string): Bucket => ({ key, from, to, total: 0, byVerdict: {} });

/** Every day (or month) between the first and the last, so gaps in time show as gaps. */
export function bucketize(days: TimelineDay[]): { unit: 'day' | 'month'; buckets: Bucket[] } {
  if (!days.length) return { unit: 'day', buckets: [] };
  const first = Date.parse(days[0]!.day);
  const span = (Date.parse(days[days.length - 1]!.day) - first) / DAY_MS;
  if (span <= 62) {
    const byDay = new Map(days.map((d) => [d.day, d]));
    const out: Bucket[] = [];
    for (let t = first, i = 0; i <= span; i++, t += DAY_MS) {
      const day = new Date(t).toISOString().slice(0, 10);
      const d = byDay.get(day);
      out.push(d ? { key: day, from: day, to: day, total: d.total, byVerdict: d.byVerdict } : empty(day, day, day));
    }
    return { unit: 'day', buckets: out };
  }
  const months = new Map<string, Bucket>();
  for (const d of days) {
    const ym = d.day.slice(0, 7);
    const b = months.get(ym) ?? { key: ym, from: `${ym}-01`, to: lastDayOfMonth(ym), total: 0, byVerdict: {} };
    b.total += d.total;
    for (const [v, n] of Object.entries(d.byVerdict)) b.byVerdict[v as Verdict] = (b.byVerdict[v as Verdict] ?? 0) + (n ?? 0);
    months.set(ym, b);
  }
  const present = [...months.values()];
  // Outlying dates (1601, 2099: forged or broken) would stretch a continuous axis to nothing: keep only filled months then.
  const [y0, m0] = [Number(present[0]!.key.slice(0, 4)), Number(present[0]!.key.slice(5, 7))];
  const [y1, m1] = [Number(present[present.length - 1]!.key.slice(0, 4)), Number(present[present.length - 1]!.key.slice(5, 7))];
  const count = (y1 - y0) * 12 + (m1 - m0) + 1;
  if (count > 240) return { unit: 'month', buckets: present };
  const out: Bucket[] = [];
  for (let k = 0; k < count; k++) {
    const ym = `${String(y0 + Math.floor((m0 - 1 + k) / 12)).padStart(4, '0')}-${String(((m0 - 1 + k) % 12) + 1).padStart(2, '0')}`;
    out.push(months.get(ym) ?? empty(ym, `${ym}-01`, lastDayOfMonth(ym)));
  }
  return { unit: 'month', buckets: out };
}

export function TimelineChart({ days, onPick }: { days: TimelineDay[]; onPick: (from: string, to: string) => void }) {
  const { unit, buckets } = bucketize(days);
  if (!buckets.length) return <p className="muted">No dated items.</p>;
  const height = 120;
  const barW = Math.max(4, Math.min(24, Math.floor(900 / buckets.length) - 2));
  const max = Math.max(...buckets.map((b) => b.total));
  const width = Math.max(320, buckets.length * (barW + 2));
  return (
    <figure className="timeline" aria-label={`Items per ${unit}, coloured by verdict`}>
      <svg width={width} height={height + 18} role="img">
        {buckets.map((b, i) => {
          let y = height;
          const x = i * (barW + 2);
          return (
            <g key={b.key} className="bar" data-bucket={b.key} data-unit={unit} onClick={() => onPick(b.from, b.to)} tabIndex={0}
              onKeyDown={(e) => { if (e.key === 'Enter') onPick(b.from, b.to); }}>
              <title>{`${b.key}: ${b.total} item${b.total === 1 ? '' : 's'}`}</title>
              <rect x={x} y={0} width={barW} height={height} className="bar-hit" />
              {VERDICTS.map((v) => {
                const n = b.byVerdict[v] ?? 0;
                if (!n) return null;
                const h = Math.max(1, (n / max) * height);
                y -= h;
                return <rect key={v} x={x} y={y} width={barW} height={h} className={`fill-${v}`} />;
              })}
            </g>
          );
        })}
        <text x={0} y={height + 14} className="axis">{buckets[0]!.key}</text>
        <text x={width} y={height + 14} className="axis" textAnchor="end">{buckets[buckets.length - 1]!.key}</text>
      </svg>
      <figcaption className="muted">Items per {unit}; click a bar to narrow the search to it.</figcaption>
    </figure>
  );
}
