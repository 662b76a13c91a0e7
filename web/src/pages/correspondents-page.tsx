// Who wrote to whom; click a person or a link to search their messages.
import { api, filtersFromParams, paramsFromFilters } from '../api.ts';
import { useApi } from '../use-api.ts';
import { navigate } from '../router.tsx';
import { ErrorBox } from '../components/misc.tsx';
import { CorrespondentsGraph } from '../components/correspondents-graph.tsx';

export function CorrespondentsPage({ params }: { params: URLSearchParams }) {
  const filters = filtersFromParams(params);
  const { data, error } = useApi(() => api.correspondents(filters), params.toString());
  if (error) return <ErrorBox error={error} />;
  if (!data) return <p className="muted">Loading…</p>;
  return (
    <div>
      <h1>Correspondents</h1>
      <p className="muted">The {data.nodes.length} most active addresses; click a person to see what they sent, a line to see their messages to the other.</p>
      <CorrespondentsGraph data={data}
        onPerson={(address) => navigate(`/search?${paramsFromFilters({ ...filters, sender: [address] })}`)}
        onPair={(from, to) => navigate(`/search?${paramsFromFilters({ ...filters, sender: [from], q: `"${to}"` })}`)} />
    </div>
  );
}
