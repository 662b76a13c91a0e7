// Who wrote to whom: a force-directed layout computed once (deterministic
// start on a circle), node size = messages, edge width = messages between two people.
import { useMemo } from 'react';
import type { Correspondents } from '../api.ts';

interface P { x: number; y: number; vx: number; vy: number }

function layout(data: Correspondents, w: number, h: number): P[] {
  const n = data.nodes.length;
  const pos: P[] = data.nodes.map((_, i) => ({ x: w / 2 + (w / 3) * Math.cos((2 * Math.PI * i) / n), y: h / 2 + (h / 3) * Math.sin((2 * Math.PI * i) / n), vx: 0, vy: 0 }));
  const index = new Map(data.nodes.map((node, i) => [node.address, i]));
  const edges = data.edges.map((e) => [index.get(e.from)!, index.get(e.to)!, e.messages] as const);
  for (let step = 0; step < 300; step++) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
      const a = pos[i]!; const b = pos[j]!;
      const dx = a.x - b.x; const dy = a.y - b.y;
      const d2 = Math.max(dx * dx + dy * dy, 25);
      const f = 1800 / d2;
      a.vx += f * dx; a.vy += f * dy; b.vx -= f * dx; b.vy -= f * dy;
    }
    for (const [i, j] of edges) {
      const a = pos[i]!; const b = pos[j]!;
      const dx = b.x - a.x; const dy = b.y - a.y;
      a.vx += dx * 0.01; a.vy += dy * 0.01; b.vx -= dx * 0.01; b.vy -= dy * 0.01;
    }
    for (const p of pos) {
      p.vx += (w / 2 - p.x) * 0.005; p.vy += (h / 2 - p.y) * 0.005;
      p.x = Math.min(w - 20, Math.max(20, p.x + p.vx * 0.5)); p.y = Math.min(h - 20, Math.max(20, p.y + p.vy * 0.5));
      p.vx *= 0.6; p.vy *= 0.6;
    }
  }
  return pos;
}

export function CorrespondentsGraph({ data, onPerson, onPair }: {
  data: Correspondents; onPerson: (address: string) => void; onPair: (from: string, to: string) => void;
}) {
  const w = 900; const h = 560;
  const pos = useMemo(() => layout(data, w, h), [data]);
  if (!data.nodes.length) return <p className="muted">No correspondence in this selection.</p>;
  const index = new Map(data.nodes.map((node, i) => [node.address, i]));
  const maxEdge = Math.max(...data.edges.map((e) => e.messages), 1);
  const maxNode = Math.max(...data.nodes.map((x) => x.sent + x.received), 1);
  return (
    <svg className="graph" width={w} height={h} role="img" aria-label="Correspondents graph">
      {data.edges.map((e) => {
        const a = pos[index.get(e.from)!]!; const b = pos[index.get(e.to)!]!;
        return (
          <line key={`${e.from}>${e.to}`} x1={a.x} y1={a.y} x2={b.x} y2={b.y} strokeWidth={1 + (5 * e.messages) / maxEdge}
            className="edge" data-from={e.from} data-to={e.to} onClick={() => onPair(e.from, e.to)}>
            <title>{`${e.from} → ${e.to}: ${e.messages} message${e.messages === 1 ? '' : 's'}`}</title>
          </line>
        );
      })}
      {data.nodes.map((node, i) => {
        const p = pos[i]!;
        const r = 5 + 14 * Math.sqrt((node.sent + node.received) / maxNode);
        return (
          <g key={node.address} className="node" data-address={node.address} onClick={() => onPerson(node.address)} tabIndex={0}
            onKeyDown={(e) => { if (e.key === 'Enter') onPerson(node.address); }}>
            <title>{`${node.name ? `${node.name} ` : ''}<${node.address}>: sent ${node.sent}, received ${node.received}`}</title>
            <circle cx={p.x} cy={p.y} r={r} />
            <text x={p.x} y={p.y - r - 3} textAnchor="middle">{node.name || node.address}</text>
          </g>
        );
      })}
    </svg>
  );
}
