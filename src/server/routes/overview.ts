// Corpus-wide views: verification dashboard, timeline, correspondents, threads, failures.
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/store.ts';
import { apiError } from '../api-errors.ts';
import { filters, int, type Query } from '../query-params.ts';

export async function overviewRoutes(app: FastifyInstance, opts: { store: Store }): Promise<void> {
  const explore = opts.store.explore;
  app.get('/api/dashboard', async () => explore.dashboard());
  app.get('/api/timeline', async (request) => ({ days: await explore.timeline(filters(request.query as Query)) }));
  app.get('/api/correspondents', async (request) => {
    const q = request.query as Query;
    return explore.correspondents(filters(q), int(q, 'limit', 40, 1, 500));
  });
  app.get('/api/threads', async (request) => {
    const q = request.query as Query;
    return explore.threads({ limit: int(q, 'limit', 50, 1, 500), offset: int(q, 'offset', 0, 0, 1_000_000) });
  });
  app.get('/api/threads/:id', async (request) => {
    const id = Number((request.params as { id: string }).id);
    const thread = Number.isInteger(id) && id > 0 ? await explore.thread(id) : undefined;
    if (!thread) throw apiError('E_API_NOT_FOUND', `no thread ${String((request.params as { id: string }).id).slice(0, 40)}`);
    return thread;
  });
  app.get('/api/failures', async (request) => {
    const q = request.query as Query;
    return explore.failures({ limit: int(q, 'limit', 100, 1, 1000), offset: int(q, 'offset', 0, 0, 10_000_000) });
  });
}
