// Team mode, an investigation's admins: who has access (grant, change, remove)
// and the audit log (who searched for, viewed, downloaded and exported what).
import { useState, type FormEvent } from 'react';
import { teamApi, type Member, type Role } from '../api.ts';
import { useApi } from '../use-api.ts';
import { Link } from '../router.tsx';
import { ErrorBox, formatDate } from '../components/misc.tsx';

const ROLES: Role[] = ['reader', 'editor', 'admin'];
const PAGE = 100;

function Members() {
  const loaded = useApi(() => teamApi.members(), 'members');
  const [members, setMembers] = useState<Member[] | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [user, setUser] = useState('');
  const [role, setRole] = useState<Role>('reader');
  const list = members ?? loaded.data?.members;
  const run = async (p: Promise<{ members: Member[] }>) => {
    setError(null);
    try { setMembers((await p).members); } catch (err) { setError(err as Error); }
  };
  const add = (e: FormEvent) => { e.preventDefault(); if (user) void run(teamApi.grant(user.trim(), role)).then(() => setUser('')); };
  if (loaded.error) return <ErrorBox error={loaded.error} />;
  if (!list) return <p className="muted">Loading…</p>;
  return (
    <section>
      <h2>Members</h2>
      {error ? <ErrorBox error={error} /> : null}
      <table data-testid="members"><thead><tr><th>User</th><th>Role</th><th>Since</th><th /></tr></thead><tbody>
        {list.map((m) => (
          <tr key={m.user}>
            <td>{m.user}</td>
            <td><select aria-label={`Role of ${m.user}`} value={m.role} onChange={(e) => void run(teamApi.grant(m.user, e.target.value as Role))}>
              {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
            </select></td>
            <td>{formatDate(m.grantedAt)}</td>
            <td><button onClick={() => void run(teamApi.revoke(m.user))}>Remove</button></td>
          </tr>
        ))}
      </tbody></table>
      <form onSubmit={add} className="grant">
        <input aria-label="User name to add" placeholder="user name" value={user} onChange={(e) => setUser(e.target.value)} />
        <select aria-label="Role to give" value={role} onChange={(e) => setRole(e.target.value as Role)}>{ROLES.map((r) => <option key={r} value={r}>{r}</option>)}</select>
        <button type="submit">Give access</button>
      </form>
      <p className="muted">Accounts are created on the server with <code>tamis team add-user</code>.</p>
    </section>
  );
}

function Audit({ params }: { params: URLSearchParams }) {
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const query = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
  for (const k of ['user', 'action']) if (params.get(k)) query.set(k, params.get(k)!);
  const { data, error } = useApi(() => teamApi.audit(query), query.toString());
  if (error) return <ErrorBox error={error} />;
  if (!data) return <p className="muted">Loading…</p>;
  const filter = (k: string, v: string) => `/admin?${new URLSearchParams({ ...Object.fromEntries(params), [k]: v, offset: '0' })}`;
  return (
    <section>
      <h2>Audit log</h2>
      <p className="muted">{data.total} entries, newest first{params.get('user') || params.get('action') ? <> · <Link to="/admin">all entries</Link></> : null}.</p>
      <table data-testid="audit"><thead><tr><th>When</th><th>Who</th><th>What</th><th>Target</th><th>From</th></tr></thead><tbody>
        {data.entries.map((e) => (
          <tr key={e.id}>
            <td>{e.at.replace('T', ' ').slice(0, 19)}</td>
            <td><Link to={filter('user', e.actor)}>{e.actor}</Link></td>
            <td><Link to={filter('action', e.action)}>{e.action}</Link></td>
            <td>{e.target && /^[0-9a-f]{64}$/.test(e.target) ? <Link to={`/item/${e.target}`}><code>{e.target.slice(0, 16)}…</code></Link> : e.target}</td>
            <td>{e.client}</td>
          </tr>
        ))}
      </tbody></table>
      <nav className="pager">
        {offset > 0 ? <Link to={`/admin?${new URLSearchParams({ ...Object.fromEntries(params), offset: String(Math.max(0, offset - PAGE)) })}`}>← Newer</Link> : <span />}
        {offset + PAGE < data.total ? <Link to={`/admin?${new URLSearchParams({ ...Object.fromEntries(params), offset: String(offset + PAGE) })}`}>Older →</Link> : null}
      </nav>
    </section>
  );
}

export function AdminPage({ params }: { params: URLSearchParams }) {
  return <div><h1>Access and audit</h1><Members /><Audit params={params} /></div>;
}
