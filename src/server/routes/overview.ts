// Corpus-wide views: verification dashboard, timeline, correspondents, threads, failures.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { apiError } from '../api-errors.ts';
import { filters, int, type Query } from '../query-params.ts';

export async function overviewRoutes(app: FastifyInstance): Promise<void> {
  const explore = (request: FastifyRequest) => request.investigation.store.explore;
  app.get('/dashboard', async (request) => explore(request).dashboard());
  app.get('/timeline', async (request) => ({ days: await explore(request).timeline(filters(request.query as Query)) }));
  app.get('/correspondents', async (request) => {
    const q = request.query as Query;
    return explore(request).correspondents(filters(q), int(q, 'limit', 40, 1, 500));
  });
  app.get('/threads', async (request) => {
    const q = request.query as Query;
    return explore(request).threads({ limit: int(q, 'limit', 50, 1, 500), offset: int(q, 'offset', 0, 0, 1_000_000) });
  });
  app.get('/threads/:id', async (request) => {
    const id = Number((request.params as { id: string }).id);
    const thread = Number.isInteger(id) && id > 0 ? await explore(request).thread(id) : undefined;
    if (!thread) throw apiError('E_API_NOT_FOUND', `no thread ${String((request.params as { id: string }).id).slice(0, 40)}`);
    return thread;
  });
  app.get('/failures', async (request) => {
    const q = request.query as Query;
    return explore(request).failures({ limit: int(q, 'limit', 100, 1, 1000), offset: int(q, 'offset', 0, 0, 10_000_000) });
  });
}
