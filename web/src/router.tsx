// A small history-API router: each page has a real URL (shareable, back button works).
// In team mode, an investigation's pages live under /i/:investigation/: pages
// see and link to paths as in local mode (/search, /item/…), and the router
// adds or strips that base, so the same pages serve both modes.
import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((l) => l()));

const BASE = /^\/i\/([a-z0-9][a-z0-9-]{0,62})(?=\/|$)/;

/** The investigation in the address bar (team mode), or null. */
export function currentInvestigation(): string | null {
  return BASE.exec(location.pathname)?.[1] ?? null;
}

/** A page path as the address bar shows it: under the current investigation, if any. */
export function href(to: string): string {
  const inv = currentInvestigation();
  return inv && to.startsWith('/') ? `/i/${inv}${to}` : to;
}

/** Goes to a page of the current investigation; `raw` for a path outside it (the investigation list, another investigation). */
export function navigate(to: string, options: { raw?: boolean } = {}): void {
  const target = options.raw ? to : href(to);
  if (target === location.pathname + location.search) return;
  history.pushState(null, '', target);
  window.scrollTo(0, 0);
  listeners.forEach((l) => l());
}

export function useLocation(): { path: string; params: URLSearchParams; investigation: string | null } {
  const [, tick] = useState(0);
  useEffect(() => {
    const l = () => tick((n) => n + 1);
    listeners.add(l);
    return () => { listeners.delete(l); };
  }, []);
  const investigation = currentInvestigation();
  const path = investigation ? location.pathname.replace(BASE, '') || '/' : location.pathname;
  return { path, params: new URLSearchParams(location.search), investigation };
}

export function Link({ to, raw, ...rest }: { to: string; raw?: boolean } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to, { raw });
  };
  return <a href={raw ? to : href(to)} onClick={onClick} {...rest} />;
}
