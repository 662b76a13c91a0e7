// The verification dashboard: counts by verdict and rule, flagged items first.
import { api, apiUrl, paramsFromFilters } from '../api.ts';
import { useAllowed } from '../components/role.tsx';
import { useApi } from '../use-api.ts';
import { Link } from '../router.tsx';
import { EFFECT_TEXT, VERDICTS, VERDICT_TEXT, VerdictBadge } from '../components/verdict.tsx';
import { ErrorBox, ItemRef, formatDate, formatSize } from '../components/misc.tsx';

export function DashboardPage() {
  const { data, error } = useApi(() => api.dashboard(), 'dashboard');
  const mayExport = useAllowed('editor');
  if (error) return <ErrorBox error={error} />;
  if (!data) return <p className="muted">Loading…</p>;
  return (
    <div className="dashboard">
      <h1>Verification</h1>
      <p className="muted">
        {data.items.toLocaleString()} items · {formatSize(data.bytes)} · {data.failures.toLocaleString()} failures recorded
        {mayExport ? <> · Report: <a href={apiUrl('/report?format=json')} download>JSON</a> <a href={apiUrl('/report?format=csv')} download>CSV</a></> : null}
      </p>
      <div className="verdict-cards">
        {VERDICTS.map((v) => (
          <Link key={v} to={`/search?${paramsFromFilters({ verdict: [v] })}`} className={`verdict-card v-${v}`} title={VERDICT_TEXT[v]} data-testid={`count-${v}`}>
            <strong>{data.byVerdict[v].toLocaleString()}</strong><span>{v}</span>
          </Link>
        ))}
      </div>
      <section><h2>Tampered and suspicious items</h2>
        {data.flagged.length ? (
          <table className="flagged"><thead><tr><th>Item</th><th>Date</th><th>Rules</th></tr></thead><tbody>
            {data.flagged.map((f) => (
              <tr key={f.sha256}><td><ItemRef link={f} /></td><td>{formatDate(f.date)}</td><td>{f.rules.map((r) => <code key={r} className="rule">{r}</code>)}</td></tr>
            ))}
          </tbody></table>
        ) : <p className="muted">Nothing flagged.</p>}
      </section>
      <section><h2>Rules fired</h2>
        <table><thead><tr><th>Rule</th><th>Severity</th><th>Effect</th><th>Items</th></tr></thead><tbody>
          {data.byRule.map((r) => (
            <tr key={`${r.rule}:${r.severity}`}>
              <td><Link to={`/search?${paramsFromFilters({ rule: [r.rule] })}`}><code>{r.rule}</code></Link></td>
              <td>{r.severity}</td><td>{EFFECT_TEXT[r.effect]}</td><td>{r.items}</td>
            </tr>
          ))}
        </tbody></table>
      </section>
      <section><h2>By kind</h2>
        <ul className="inline">{Object.entries(data.byKind).map(([k, n]) => <li key={k}><Link to={`/search?${paramsFromFilters({ kind: [k] })}`}>{k}</Link> {n}</li>)}</ul>
      </section>
      {Object.keys(data.failuresByCode).length ? (
        <section><h2>Failures by code</h2>
          <ul className="inline">{Object.entries(data.failuresByCode).map(([c, n]) => <li key={c}><code>{c}</code> {n}</li>)}</ul>
        </section>
      ) : null}
      <p className="muted">Verdicts: {VERDICTS.map((v) => <span key={v}><VerdictBadge verdict={v} /> </span>)}</p>
    </div>
  );
}
