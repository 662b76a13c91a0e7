// Small shared pieces: error box, sizes, dates, item links.
import { Link } from '../router.tsx';
import { VerdictBadge } from './verdict.tsx';
import type { ItemDetail } from '../api.ts';

export function ErrorBox({ error }: { error: Error & { code?: string } }) {
  return <div className="error" role="alert"><strong>{error.code ?? 'Error'}</strong> {error.message}</div>;
}

export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  do { v /= 1024; u++; } while (v >= 1024 && u < units.length - 1);
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

export function formatDate(iso: string | null): string {
  if (!iso) return '';
  return iso.length >= 16 ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso;
}

export function ItemRef({ link }: { link: ItemDetail['related'][number] }) {
  return (
    <span className="item-ref">
      <VerdictBadge verdict={link.verdict} />{' '}
      <Link to={`/item/${link.sha256}`}>{link.title || link.path || link.sha256.slice(0, 16)}</Link>
      {link.path && link.title ? <span className="muted"> — {link.path}</span> : null}
    </span>
  );
}
