// Facet lists beside the results: click a value to add it to the filters, again to remove it.
import type { ExploreResult, ListFilter, SearchFilters } from '../api.ts';

const LABELS: Record<ListFilter, string> = { verdict: 'Verdict', kind: 'Kind', rule: 'Rule fired', sender: 'Sender', domain: 'Domain', mime: 'File type' };
const ORDER: ListFilter[] = ['verdict', 'kind', 'rule', 'sender', 'domain', 'mime'];

export function Facets({ result, filters, onToggle }: {
  result: ExploreResult; filters: SearchFilters; onToggle: (facet: ListFilter, value: string) => void;
}) {
  return (
    <aside className="facets" aria-label="Filters">
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
