// The tamis UI: one page per URL, all data from /api/. At start it asks
// /api/me: 404 means local mode (one store, no accounts: everything as
// before); otherwise team mode: a login page while the API answers 401, the
// list of investigations at /, and each investigation's pages under
// /i/:investigation/ (their API calls go to /api/investigations/:investigation/).
import { StrictMode, useEffect, useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { Link, navigate, useLocation } from './router.tsx';
import { ApiError, setCsrfToken, setOnUnauthenticated, teamApi, type Me } from './api.ts';
import { SearchPage } from './pages/search-page.tsx';
import { ItemPage } from './pages/item-page.tsx';
import { DashboardPage } from './pages/dashboard-page.tsx';
import { ThreadPage, ThreadsPage } from './pages/thread-page.tsx';
import { CorrespondentsPage } from './pages/correspondents-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { InvestigationsPage } from './pages/investigations-page.tsx';
import { AdminPage } from './pages/admin-page.tsx';
import { ErrorBox } from './components/misc.tsx';
import { RoleContext } from './components/role.tsx';
import './styles.css';

function Page({ path, params, admin }: { path: string; params: URLSearchParams; admin: boolean }): ReactNode {
  if (path === '/' || path === '/dashboard') return <DashboardPage />;
  if (path === '/search') return <SearchPage params={params} />;
  if (path === '/threads') return <ThreadsPage params={params} />;
  if (path === '/correspondents') return <CorrespondentsPage params={params} />;
  if (path === '/admin' && admin) return <AdminPage params={params} />;
  let m = /^\/item\/([0-9a-f]{64})$/.exec(path);
  if (m) return <ItemPage key={m[1]} sha={m[1]!} />;
  m = /^\/thread\/(\d+)$/.exec(path);
  if (m) return <ThreadPage key={m[1]} id={Number(m[1])} />;
  return <p className="error">No page here. <Link to="/">Back to the dashboard</Link></p>;
}

type Boot = { mode: 'loading' } | { mode: 'local' } | { mode: 'team'; me: Me | null } | { mode: 'error'; error: Error };

function App() {
  const { path, params, investigation } = useLocation();
  const [boot, setBoot] = useState<Boot>({ mode: 'loading' });
  useEffect(() => {
    setOnUnauthenticated(() => setBoot({ mode: 'team', me: null }));
    teamApi.me().then((me) => { setCsrfToken(me.csrfToken); setBoot({ mode: 'team', me }); }, (err: Error) => {
      const code = err instanceof ApiError ? err.code : '';
      setBoot(code === 'E_API_NOT_FOUND' ? { mode: 'local' } : code === 'E_API_UNAUTHENTICATED' ? { mode: 'team', me: null } : { mode: 'error', error: err });
    });
  }, []);
  // Access given since login: ask the server again once before saying "no access".
  const [rechecked, setRechecked] = useState<string | null>(null);
  const stale = boot.mode === 'team' && boot.me && investigation && rechecked !== investigation && !boot.me.investigations.some((i) => i.id === investigation);
  useEffect(() => {
    if (!stale) return;
    setRechecked(investigation);
    teamApi.me().then((me) => setBoot({ mode: 'team', me }), () => {});
  }, [stale, investigation]);
  if (boot.mode === 'loading') return null;
  if (boot.mode === 'error') return <div className="page"><ErrorBox error={boot.error} /></div>;
  if (boot.mode === 'team' && !boot.me) {
    return <div className="page"><LoginPage onLogin={(me) => { setCsrfToken(me.csrfToken); setBoot({ mode: 'team', me }); }} /></div>;
  }
  const me = boot.mode === 'team' ? boot.me : null;
  const membership = me?.investigations.find((i) => i.id === investigation);
  const logout = async () => {
    await teamApi.logout().catch(() => {});
    setBoot({ mode: 'team', me: null });
    navigate('/', { raw: true });
  };
  const nav = [['/', 'Verification'], ['/search', 'Search'], ['/threads', 'Threads'], ['/correspondents', 'Correspondents'],
    ...(membership?.role === 'admin' ? [['/admin', 'Access and audit'] as const] : [])] as const;
  const inInvestigation = !me || investigation !== null;
  return (
    <RoleContext value={membership?.role ?? (me ? null : 'local')}>
      <header className="top">
        <Link to="/" raw={!inInvestigation} className="brand">tamis</Link>
        {me && membership ? <Link raw to="/" className="investigation-name" title="All investigations">{membership.name}</Link> : null}
        {inInvestigation && (!me || membership) ? <nav>{nav.map(([to, label]) => <Link key={to} to={to} className={path === to ? 'active' : undefined}>{label}</Link>)}</nav> : null}
        {me ? <span className="account"><span data-testid="user">{me.user.name}</span> <button onClick={() => void logout()}>Log out</button></span> : null}
      </header>
      <div className="page">
        {!me ? <Page path={path} params={params} admin={false} />
          : investigation === null ? (path === '/' ? <InvestigationsPage me={me} /> : <p className="error">No page here. <Link raw to="/">Investigations</Link></p>)
          : membership ? <Page key={investigation} path={path} params={params} admin={membership.role === 'admin'} />
          : <p className="error" role="alert">Your account has no access to the investigation “{investigation}”. <Link raw to="/">Investigations</Link></p>}
      </div>
    </RoleContext>
  );
}

createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
