// Search snippets arrive as text runs; matched words are <mark>ed, nothing is parsed as HTML.
import type { ExploreResult } from '../api.ts';

export function SnippetText({ runs }: { runs: ExploreResult['hits'][number]['snippet'] }) {
  return <span className="snippet">{runs.map((r, i) => (r.hit ? <mark key={i}>{r.text}</mark> : <span key={i}>{r.text}</span>))}</span>;
}
