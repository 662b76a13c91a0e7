// The routes that read one store (search, items, overview, report). They are
// registered under a prefix — `/api` in local mode, `/api/investigations/
// :investigation` in team mode — and take their store from the request,
// where a hook of that prefix put it (after checking the session and the
// membership, in team mode). So one set of route plugins serves both modes,
// and a route added here is behind the team checks without doing anything.
import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/store.ts';
import type { BlobStore } from '../store/blobs/blob-store.ts';
import type { AuditAction } from '../team/audit.ts';
import type { Role } from '../team/investigations.ts';
import type { Session } from '../team/sessions.ts';
import { searchRoutes } from './routes/search.ts';
import { itemRoutes } from './routes/items.ts';
import { overviewRoutes } from './routes/overview.ts';
import { reportRoutes } from './routes/report.ts';

export interface InvestigationContext {
  /** The investigation's id in team mode; null in local mode. */
  id: string | null;
  /** The user's role there (team mode); null in local mode, where everything is allowed. */
  role: Role | null;
  store: Store;
  blobs: BlobStore;
  /** Writes an audit row (team mode; nothing in local mode). Awaited before answering. */
  audit(action: AuditAction, target: string, detail?: Record<string, unknown>): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    investigation: InvestigationContext;
    /** The logged-in session (team mode), or null. */
    session: Session | null;
  }
  interface FastifyContextConfig {
    /** Team mode: the least role in the investigation a route needs (default reader). */
    role?: Role;
    /** Team mode: answered without a session (login). */
    public?: boolean;
    /** Team mode: the route does not read the investigation's store (admin routes), so it is not opened for it. */
    store?: boolean;
  }
}

export async function investigationRoutes(app: FastifyInstance): Promise<void> {
  await app.register(searchRoutes);
  await app.register(itemRoutes);
  await app.register(overviewRoutes);
  await app.register(reportRoutes);
}

/** Local mode: one store, no accounts, no audit. */
export function localScope(store: Store, blobs: BlobStore) {
  const context: InvestigationContext = { id: null, role: null, store, blobs, audit: async () => {} };
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', async (request) => { request.investigation = context; });
    await app.register(investigationRoutes);
  };
}
