// Search: query box, facets, timeline of the current selection, hits with
// snippets and verdicts, paging. Everything lives in the URL.
import { useState, type FormEvent } from 'react';
import { api, filtersFromParams, paramsFromFilters, type ListFilter, type SearchFilters, type SortOrder } from '../api.ts';
import { navigate, Link } from '../router.tsx';
import { useApi } from '../use-api.ts';
import { Facets } from '../components/facets.tsx';
import { SnippetText } from '../components/snippet.tsx';
import { VerdictBadge } from '../components/verdict.tsx';
import { ErrorBox, formatDate, formatSize } from '../components/misc.tsx';
import { TimelineChart } from '../components/timeline-chart.tsx';

const PAGE = 20;

export function SearchPage({ params }: { params: URLSearchParams }) {
  const filters = filtersFromParams(params);
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const sort = (params.get('sort') ?? undefined) as SortOrder | undefined;
  const key = params.toString();
  const result = useApi(() => api.search(filters, { limit: PAGE, offset, sort }), key);
  const days = useApi(() => api.timeline(filters), `t:${paramsFromFilters(filters)}`);
  const [draft, setDraft] = useState(filters.q ?? '');
  const [draftKey, setDraftKey] = useState(key);
  if (draftKey !== key) { setDraftKey(key); setDraft(filters.q ?? ''); }

  const go = (f: SearchFilters, extra: Record<string, string | undefined> = {}) => navigate(`/search?${paramsFromFilters(f, { sort, ...extra })}`);
  const submit = (e: FormEvent) => { e.preventDefault(); go({ ...filters, q: draft }); };
  const toggle = (facet: ListFilter, value: string) => {
    const current = filters[facet] ?? [];
    go({ ...filters, [facet]: current.includes(value) ? current.filter((v) => v !== value) : [...current, value] });
  };
  const data = result.data;
  const active = (['verdict', 'kind', 'rule', 'sender', 'domain', 'mime'] as ListFilter[]).flatMap((k) => (filters[k] ?? []).map((v) => [k, v] as const));

  return (
    <div className="search-page">
      <form className="searchbox" onSubmit={submit} role="search">
        <input type="search" name="q" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder='Words, "exact phrase", word*, a OR b, -word' aria-label="Search" autoFocus />
        <button type="submit">Search</button>
        <select aria-label="Sort" value={sort ?? ''} onChange={(e) => go(filters, { sort: e.target.value || undefined })}>
          <option value="">{filters.q ? 'Most relevant' : 'Newest first'}</option>
          <option value="newest">Newest first</option><option value="oldest">Oldest first</option><option value="verdict">Tampered and suspicious first</option>
        </select>
      </form>
      {active.length || filters.dateFrom || filters.dateTo ? (
        <p className="chips">
          {active.map(([k, v]) => <button key={`${k}:${v}`} className="chip" onClick={() => toggle(k, v)} title="Remove this filter">{k}: {v} ×</button>)}
          {filters.dateFrom || filters.dateTo ? (
            <button className="chip" data-testid="date-chip" onClick={() => go({ ...filters, dateFrom: undefined, dateTo: undefined })}>
              date: {filters.dateFrom === filters.dateTo ? filters.dateFrom : `${filters.dateFrom ?? '…'} – ${filters.dateTo ?? '…'}`} ×
            </button>
          ) : null}
        </p>
      ) : null}
      {days.data ? <TimelineChart days={days.data.days} onPick={(from, to) => go({ ...filters, dateFrom: from, dateTo: to })} /> : null}
      <div className="results-layout">
        {data ? <Facets result={data} filters={filters} onToggle={toggle} onDates={(dateFrom, dateTo) => go({ ...filters, dateFrom, dateTo })} /> : <aside className="facets" />}
        <main>
          {result.error ? <ErrorBox error={result.error} /> : null}
          {data ? (
            <>
              <p className="total" data-testid="total">{data.total} item{data.total === 1 ? '' : 's'}{result.loading ? ' …' : ''}</p>
              <ol className="hits" start={offset + 1}>
                {data.hits.map((h) => (
                  <li key={h.sha256} className="hit">
                    <div><VerdictBadge verdict={h.verdict} /> <span className="kind">{h.kind}</span>{' '}
                      <Link to={`/item/${h.sha256}`} className="hit-title">{h.title || h.path.split('/').pop() || h.sha256.slice(0, 16)}</Link></div>
                    <div className="muted">{h.path} · {formatSize(h.size)}{h.date ? ` · ${formatDate(h.date)}` : ''}{h.sender ? ` · ${h.sender}` : ''}</div>
                    {h.snippet.length ? <div><SnippetText runs={h.snippet} /></div> : null}
                  </li>
                ))}
              </ol>
              <nav className="pager">
                {offset > 0 ? <Link to={`/search?${paramsFromFilters(filters, { sort, offset: String(Math.max(0, offset - PAGE)) })}`}>← Previous</Link> : <span />}
                {offset + PAGE < data.total ? <Link to={`/search?${paramsFromFilters(filters, { sort, offset: String(offset + PAGE) })}`}>Next →</Link> : null}
              </nav>
            </>
          ) : result.loading ? <p className="muted">Searching…</p> : null}
        </main>
      </div>
    </div>
  );
}
