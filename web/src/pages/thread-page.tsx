// Threads: the list of the largest, and one thread as a tree.
import { api } from '../api.ts';
import { useApi } from '../use-api.ts';
import { Link } from '../router.tsx';
import { ErrorBox, formatDate } from '../components/misc.tsx';
import { ThreadTree } from '../components/thread-tree.tsx';

export function ThreadPage({ id }: { id: number }) {
  const { data, error } = useApi(() => api.thread(id), String(id));
  if (error) return <ErrorBox error={error} />;
  if (!data) return <p className="muted">Loading…</p>;
  return <div><h1>{data.subject ?? 'Thread'}</h1><ThreadTree thread={data} /></div>;
}

export function ThreadsPage({ params }: { params: URLSearchParams }) {
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const { data, error } = useApi(() => api.threads(offset), String(offset));
  if (error) return <ErrorBox error={error} />;
  if (!data) return <p className="muted">Loading…</p>;
  return (
    <div>
      <h1>Threads</h1>
      <p className="muted">{data.total} threads of two messages or more (Message-ID, In-Reply-To and References; subject only as a fallback).</p>
      <table><thead><tr><th>Subject</th><th>Messages</th><th>From</th><th>To</th></tr></thead><tbody>
        {data.threads.map((t) => (
          <tr key={t.id}><td><Link to={`/thread/${t.id}`}>{t.subject ?? '(no subject)'}</Link></td><td>{t.messages}</td><td>{formatDate(t.first)}</td><td>{formatDate(t.last)}</td></tr>
        ))}
      </tbody></table>
      <nav className="pager">
        {offset > 0 ? <Link to={`/threads?offset=${Math.max(0, offset - 50)}`}>← Previous</Link> : <span />}
        {offset + 50 < data.total ? <Link to={`/threads?offset=${offset + 50}`}>Next →</Link> : null}
      </nav>
    </div>
  );
}
