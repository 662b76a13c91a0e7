// GET …/search: faceted full-text search (the engine of `tamis search`).
import type { FastifyInstance } from 'fastify';
import { filters, int, sort, type Query } from '../query-params.ts';

export async function searchRoutes(app: FastifyInstance): Promise<void> {
  app.get('/search', async (request) => {
    const q = request.query as Query;
    const limit = int(q, 'limit', 20, 1, 200);
    const offset = int(q, 'offset', 0, 0, 1_000_000);
    const result = await request.investigation.store.explore.search(filters(q), { limit, offset, sort: sort(q) });
    return { ...result, limit, offset };
  });
}
