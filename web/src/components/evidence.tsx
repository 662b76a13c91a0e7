// A finding explained: what it means for the verdict, the sentence the
// analyzer wrote, and its evidence field by field (DKIM key and where it came
// from, the metadata field and value, the words changed).
import type { ItemDetail } from '../api.ts';
import { EFFECT_TEXT } from './verdict.tsx';
import { ItemRef } from './misc.tsx';

type Finding = ItemDetail['findings'][number];

function Value({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return <code>{String(value)}</code>;
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) return <code>{value.join(', ')}</code>;
  return <pre className="json">{JSON.stringify(value, null, 2)}</pre>;
}

function DkimKey({ k }: { k: Record<string, unknown> }) {
  return (
    <dl className="dkim-key" data-testid="dkim-key">
      <dt>Key</dt><dd><code>{String(k.id ?? '')}</code></dd>
      <dt>Source</dt><dd>{String(k.source ?? '')}</dd>
      {k.importedAt ? <><dt>Archived</dt><dd>{String(k.importedAt)}</dd></> : null}
      {k.bits ? <><dt>Size</dt><dd>{String(k.bits)} bits</dd></> : null}
    </dl>
  );
}

function Changes({ changes }: { changes: { removed: string; added: string; before: string }[] }) {
  return (
    <ol className="changes">
      {changes.map((c, i) => (
        <li key={i}><span className="muted">…{c.before} </span>{c.removed ? <del>{c.removed}</del> : null} {c.added ? <ins>{c.added}</ins> : null}</li>
      ))}
    </ol>
  );
}

export function FindingCard({ finding, related }: { finding: Finding; related: ItemDetail['related'] }) {
  const ev = finding.evidence;
  const rest = Object.entries(ev).filter(([k]) => k !== 'key' && k !== 'changes');
  return (
    <article className={`finding sev-${finding.severity}`} data-rule={finding.rule}>
      <header>
        <code className="rule">{finding.rule}</code> <span className={`sev sev-${finding.severity}`}>{finding.severity}</span>{' '}
        <span className="effect">— {EFFECT_TEXT[finding.effect] ?? finding.effect}</span>
      </header>
      <p>{finding.message}</p>
      {ev.key && typeof ev.key === 'object' ? <DkimKey k={ev.key as Record<string, unknown>} /> : null}
      {Array.isArray(ev.changes) && ev.changes.length ? <Changes changes={ev.changes as { removed: string; added: string; before: string }[]} /> : null}
      {rest.length ? (
        <table className="evidence"><tbody>
          {rest.map(([k, v]) => <tr key={k}><th>{k}</th><td><Value value={v} /></td></tr>)}
        </tbody></table>
      ) : null}
      {finding.related.length ? (
        <p className="related">Related: {finding.related.map((sha) => {
          const link = related.find((r) => r.sha256 === sha);
          return link ? <ItemRef key={sha} link={link} /> : <code key={sha}>{sha.slice(0, 16)}</code>;
        })}</p>
      ) : null}
    </article>
  );
}
