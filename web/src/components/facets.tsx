// Facet lists beside the results: click a value to add it to the filters, again to remove it.
import { useState, type FormEvent } from 'react';
import type { ExploreResult, ListFilter, SearchFilters } from '../api.ts';

function DateRange({ filters, onDates }: { filters: SearchFilters; onDates: (from?: string, to?: string) => void }) {
  const [from, setFrom] = useState(filters.dateFrom ?? '');
  const [to, setTo] = useState(filters.dateTo ?? '');
  const submit = (e: FormEvent) => { e.preventDefault(); onDates(from || undefined, to || undefined); };
  return (
    <section data-facet="date">
      <h3>Date</h3>
      <form onSubmit={submit} className="date-range">
        <label>From <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} aria-label="From day" /></label>
        <label>To <input type="date" value={to} onChange={(e) => setTo(e.target.value)} aria-label="To day" /></label>
        <button type="submit">Apply</button>
      </form>
    </section>
  );
}

const LABELS: Record<ListFilter, string> = { verdict: 'Verdict', kind: 'Kind', rule: 'Rule fired', sender: 'Sender', domain: 'Domain', mime: 'File type' };
const ORDER: ListFilter[] = ['verdict', 'kind', 'rule', 'sender', 'domain', 'mime'];

export function Facets({ result, filters, onToggle, onDates }: {
  result: ExploreResult; filters: SearchFilters; onToggle: (facet: ListFilter, value: string) => void; onDates: (from?: string, to?: string) => void;
}) {
  return (
    <aside className="facets" aria-label="Filters">
      <DateRange key={`${filters.dateFrom}:${filters.dateTo}`} filters={filters} onDates={onDates} />
      {ORDER.map((name) => {
        const values = result.facets[name];
        const chosen = filters[name] ?? [];
        if (!values.length && !chosen.length) return null;
        return (
          <section key={name} data-facet={name}>
            <h3>{LABELS[name]}</h3>
            <ul>
              {values.map((v) => (
                <li key={v.value}>
                  <label>
                    <input type="checkbox" checked={chosen.includes(v.value)} onChange={() => onToggle(name, v.value)} />
                    <span className="facet-value">{v.value}</span> <span className="count">{v.count}</span>
                  </label>
                </li>
              ))}
              {chosen.filter((c) => !values.some((v) => v.value === c)).map((c) => (
                <li key={c}><label><input type="checkbox" checked onChange={() => onToggle(name, c)} /> <span className="facet-value">{c}</span> <span className="count">0</span></label></li>
              ))}
            </ul>
          </section>
        );
      })}
    </aside>
  );
}
