// The tamis UI: one page per URL, all data from /api/.
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { Link, useLocation } from './router.tsx';
import { SearchPage } from './pages/search-page.tsx';
import { ItemPage } from './pages/item-page.tsx';
import { DashboardPage } from './pages/dashboard-page.tsx';
import { ThreadPage, ThreadsPage } from './pages/thread-page.tsx';
import { CorrespondentsPage } from './pages/correspondents-page.tsx';
import './styles.css';

function Page({ path, params }: { path: string; params: URLSearchParams }): ReactNode {
  if (path === '/' || path === '/dashboard') return <DashboardPage />;
  if (path === '/search') return <SearchPage params={params} />;
  if (path === '/threads') return <ThreadsPage params={params} />;
  if (path === '/correspondents') return <CorrespondentsPage params={params} />;
  let m = /^\/item\/([0-9a-f]{64})$/.exec(path);
  if (m) return <ItemPage key={m[1]} sha={m[1]!} />;
  m = /^\/thread\/(\d+)$/.exec(path);
  if (m) return <ThreadPage key={m[1]} id={Number(m[1])} />;
  return <p className="error">No page here. <Link to="/">Back to the dashboard</Link></p>;
}

function App() {
  const { path, params } = useLocation();
  const nav = [['/', 'Verification'], ['/search', 'Search'], ['/threads', 'Threads'], ['/correspondents', 'Correspondents']] as const;
  return (
    <>
      <header className="top">
        <Link to="/" className="brand">tamis</Link>
        <nav>{nav.map(([to, label]) => <Link key={to} to={to} className={path === to ? 'active' : undefined}>{label}</Link>)}</nav>
      </header>
      <div className="page"><Page path={path} params={params} /></div>
    </>
  );
}

createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
