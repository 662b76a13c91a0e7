// The copy's text against the verified original, changed words highlighted.
import { api } from '../api.ts';
import { useApi } from '../use-api.ts';
import { ErrorBox } from './misc.tsx';

export function DiffView({ copy, original }: { copy: string; original: string }) {
  const { data, error, loading } = useApi(() => api.diff(copy, original), `${copy}:${original}`);
  if (error) return <ErrorBox error={error} />;
  if (loading || !data) return <p className="muted">Comparing…</p>;
  const changed = data.ops.filter((o) => o.op !== 'equal').length;
  return (
    <section className="diff" data-testid="diff">
      <p className="muted">
        Left to right: the verified original with <del>removed words</del> and this copy's <ins>added words</ins> — {changed} change{changed === 1 ? '' : 's'}
        {data.truncated ? ' (long texts: only the first 100,000 characters compared)' : ''}.
      </p>
      <div className="diff-text">
        {data.ops.map((o, i) => (o.op === 'equal' ? <span key={i}>{o.text}</span> : o.op === 'added' ? <ins key={i}>{o.text}</ins> : <del key={i}>{o.text}</del>))}
      </div>
    </section>
  );
}
