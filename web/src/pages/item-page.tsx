// One item: verdict and every finding with its evidence, the diff of an
// altered copy, email headers and body (HTML only sanitised, in a sandboxed
// frame), metadata, where it was found, what it holds, its thread.
import { api, apiUrl } from '../api.ts';
import { useApi } from '../use-api.ts';
import { Link } from '../router.tsx';
import { VERDICT_TEXT, VerdictBadge } from '../components/verdict.tsx';
import { ErrorBox, ItemRef, formatDate, formatSize } from '../components/misc.tsx';
import { FindingCard } from '../components/evidence.tsx';
import { DiffView } from '../components/diff-view.tsx';
import { HeaderTable, MetaTable } from '../components/meta-table.tsx';
import { ThreadTree } from '../components/thread-tree.tsx';

function Thread({ id, current }: { id: number; current: string }) {
  const { data, error } = useApi(() => api.thread(id), String(id));
  if (error) return <ErrorBox error={error} />;
  return data ? <ThreadTree thread={data} current={current} /> : null;
}

export function ItemPage({ sha }: { sha: string }) {
  const { data: item, error, loading } = useApi(() => api.item(sha), sha);
  if (error) return <ErrorBox error={error} />;
  if (loading || !item) return <p className="muted">Loading…</p>;
  const altered = item.findings.find((f) => f.rule === 'dup.altered-copy');
  const original = altered ? String(altered.evidence.original ?? '') : '';
  const headers = Array.isArray(item.meta.headers) ? (item.meta.headers as [string, string][]) : null;
  return (
    <article className="item-page">
      <h1>{item.title || item.paths[0]?.name || item.sha256}</h1>
      <p className="verdict-line"><VerdictBadge verdict={item.verdict} /> {VERDICT_TEXT[item.verdict]}</p>
      <p className="muted">
        {item.kind} · {item.mime} · {formatSize(item.size)}{item.date ? ` · ${formatDate(item.date)}` : ''} · SHA-256 <code>{item.sha256}</code>{' '}
        · <a href={apiUrl(`/items/${item.sha256}/raw`)} download>Download original</a>
      </p>
      {item.status === 'failed' ? <ErrorBox error={Object.assign(new Error(item.errorMessage ?? ''), { code: item.errorCode ?? 'E_EXTRACT' })} /> : null}

      <section><h2>Findings</h2>
        {item.findings.length ? item.findings.map((f, i) => <FindingCard key={i} finding={f} related={item.related} />) : <p className="muted">No findings: nothing proves or contradicts this item.</p>}
      </section>
      {altered && /^[0-9a-f]{64}$/.test(original) ? <section><h2>Changes against the verified original</h2><DiffView copy={item.sha256} original={original} /></section> : null}
      {item.thread ? <section><h2>Thread</h2><Thread id={item.thread} current={item.sha256} /><p><Link to={`/thread/${item.thread}`}>Open the thread</Link></p></section> : null}

      {item.hasHtml ? (
        <section><h2>Message (HTML, sanitised)</h2>
          <iframe className="email-html" title="Email body" sandbox="" referrerPolicy="no-referrer" src={apiUrl(`/items/${item.sha256}/html`)} />
        </section>
      ) : null}
      <section><h2>Text</h2>
        <pre className="text" data-testid="text">{item.text || '(no text)'}</pre>
        {item.textTruncated ? <p className="muted">Showing the first {item.text.length.toLocaleString()} of {item.textLength.toLocaleString()} characters.</p> : null}
      </section>
      {headers ? <section><h2>Headers</h2><HeaderTable headers={headers} /></section> : null}
      <section><h2>Metadata</h2><MetaTable meta={item.meta} /></section>

      <section><h2>Found at</h2>
        <ul>{item.paths.map((p) => <li key={p.path}><code>{p.path}</code> <span className="muted">({p.role})</span></li>)}</ul>
        {item.parents.length ? <><h3>Inside</h3><ul>{item.parents.map((p) => <li key={p.sha256}><ItemRef link={p} /></li>)}</ul></> : null}
      </section>
      {item.children.length ? (
        <section><h2>Contains ({item.children.length})</h2>
          <ul className="children">{item.children.map((c, i) => <li key={i}><ItemRef link={{ ...c, title: c.name }} /> <span className="muted">{c.role} · {formatSize(c.size)}</span></li>)}</ul>
        </section>
      ) : null}
      {item.cluster ? (
        <section><h2>Near-duplicates ({item.cluster.reason})</h2>
          <ul>{item.cluster.members.filter((m) => m.sha256 !== item.sha256).map((m) => <li key={m.sha256}><ItemRef link={m} /></li>)}</ul>
        </section>
      ) : null}
      {item.failures.length ? (
        <section><h2>Failures</h2><ul>{item.failures.map((f, i) => <li key={i}><code>{f.code}</code> {f.message} <span className="muted">{f.path}</span></li>)}</ul></section>
      ) : null}
    </article>
  );
}
