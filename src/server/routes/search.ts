// GET …/search: faceted full-text search (the engine of `tamis search`).
// In team mode each search is written to the audit log (who searched what,
// in which investigation) before the hits are sent, as a view is: what someone
// looked for in a leak can matter as much as what they opened.
import type { FastifyInstance } from 'fastify';
import type { SearchFilters, SortOrder } from '../../store/explore.ts';
import { filters, int, sort, type Query } from '../query-params.ts';

/** The rest of the search, beside its words: facets and dates set, sort order, page. */
function searchDetail(f: SearchFilters, order: SortOrder | undefined, offset: number): Record<string, unknown> | undefined {
  const { q: _, ...rest } = f;
  const detail: Record<string, unknown> = Object.fromEntries(Object.entries(rest).filter(([, v]) => (Array.isArray(v) ? v.length > 0 : v !== undefined && v !== '')));
  if (order) detail.sort = order;
  if (offset) detail.offset = offset;
  return Object.keys(detail).length ? detail : undefined;
}

export async function searchRoutes(app: FastifyInstance): Promise<void> {
  app.get('/search', async (request) => {
    const q = request.query as Query;
    const limit = int(q, 'limit', 20, 1, 200);
    const offset = int(q, 'offset', 0, 0, 1_000_000);
    const f = filters(q);
    const order = sort(q);
    const result = await request.investigation.store.explore.search(f, { limit, offset, sort: order });
    await request.investigation.audit('search', f.q?.trim() ?? '', searchDetail(f, order, offset));
    return { ...result, limit, offset };
  });
}
