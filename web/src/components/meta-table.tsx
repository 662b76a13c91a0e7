// Extracted metadata, field by field as the file wrote it (never merged).
import type { ItemDetail } from '../api.ts';

const HIDDEN = new Set(['headers', 'html']);

function show(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function MetaTable({ meta }: { meta: ItemDetail['meta'] }) {
  const rows = Object.entries(meta).filter(([k, v]) => !HIDDEN.has(k) && v !== null && v !== '' && !(Array.isArray(v) && !v.length));
  if (!rows.length) return <p className="muted">No metadata.</p>;
  return (
    <table className="meta" data-testid="metadata"><tbody>
      {rows.map(([k, v]) => <tr key={k}><th>{k}</th><td><code>{show(v)}</code></td></tr>)}
    </tbody></table>
  );
}

export function HeaderTable({ headers }: { headers: [string, string][] }) {
  return (
    <table className="headers"><tbody>
      {headers.map(([k, v], i) => <tr key={i}><th>{k}</th><td><code>{v}</code></td></tr>)}
    </tbody></table>
  );
}
