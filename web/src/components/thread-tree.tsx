// A thread as an indented tree; messages the dump lacks are shown as gaps.
import type { ThreadView } from '../api.ts';
import { Link } from '../router.tsx';
import { VerdictBadge } from './verdict.tsx';
import { formatDate } from './misc.tsx';

export function ThreadTree({ thread, current }: { thread: ThreadView; current?: string }) {
  const depth = new Map<number, number>();
  for (const n of thread.nodes) depth.set(n.index, n.parent === null ? 0 : (depth.get(n.parent) ?? 0) + 1);
  return (
    <ul className="thread" data-testid="thread">
      {thread.nodes.map((n) => (
        <li key={n.index} style={{ paddingLeft: `${(depth.get(n.index) ?? 0) * 1.5}em` }} className={n.item?.sha256 === current ? 'current' : undefined}>
          {n.item ? (
            <>
              <VerdictBadge verdict={n.item.verdict} />{' '}
              <Link to={`/item/${n.item.sha256}`}>{n.item.title || '(no subject)'}</Link>{' '}
              <span className="muted">{n.item.sender ?? ''} · {formatDate(n.item.date)}</span>
            </>
          ) : (
            <span className="muted">[message not in the dump{n.messageId ? `: <${n.messageId}>` : ''}]</span>
          )}
        </li>
      ))}
    </ul>
  );
}
