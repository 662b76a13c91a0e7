// `tamis serve`: the HTTP API under /api/ (docs/api.md) and the React UI
// (web/, built by Vite into web/dist) from one fastify process. Local mode
// reads one store with no accounts; team mode (`team`) has accounts and
// serves each investigation's store under /api/investigations/:investigation/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { Store } from '../store/store.ts';
import type { BlobStore } from '../store/blobs/blob-store.ts';
import type { TeamDb } from '../team/team-db.ts';
import { apiError, errorHandler, sendError } from './api-errors.ts';
import { localScope, investigationRoutes, type InvestigationContext } from './scope.ts';
import { StoreCache } from './store-cache.ts';
import { investigationHook, sessionHook } from './team-auth.ts';
import { sessionRoutes } from './routes/session.ts';
import { teamAdminRoutes } from './routes/team-admin.ts';

export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist/', import.meta.url));

interface CommonOptions {
  /** The built UI; the API works without it. */
  webRoot?: string;
  /**
   * Host names the server answers for. A page on another site can point a
   * name it controls at 127.0.0.1 (DNS rebinding) and read the API: requests
   * naming any other host are refused. Null accepts every host (a server
   * deliberately exposed on the network).
   */
  allowedHosts?: string[] | null;
  logger?: boolean;
  /** Serve https (then the session cookie is Secure). */
  https?: { key: Buffer; cert: Buffer };
  /** Behind a reverse proxy: trust its X-Forwarded-For/-Proto (fastify's trustProxy: true, or the proxy's addresses). */
  trustProxy?: boolean | string;
}

export type AppOptions = CommonOptions & (
  | { store: Store; blobs: BlobStore; team?: undefined }
  | { team: { db: TeamDb }; store?: undefined; blobs?: undefined }
);

// The UI's own policy: nothing but this server, no inline script, leaked HTML only in sandboxed frames.
const UI_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

export const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1'];

const hostname = (host: string): string => (host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!).toLowerCase();

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false, bodyLimit: 1 << 20, routerOptions: { maxParamLength: 200 },
    trustProxy: options.trustProxy ?? false, ...(options.https ? { https: options.https } : {}),
  }) as unknown as FastifyInstance;
  const allowed = options.allowedHosts === null ? null : new Set((options.allowedHosts ?? LOCAL_HOSTS).map((h) => h.toLowerCase()));
  app.setErrorHandler(errorHandler);
  // The API's routes as registered: docs/api.md is checked against this list,
  // and the team tests try every investigation route without access.
  const routes: string[] = [];
  const roles: Record<string, string> = {};
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) {
      if (!r.url.startsWith('/api/') || m === 'HEAD') continue;
      routes.push(`${m} ${r.url}`);
      roles[`${m} ${r.url}`] = r.config?.public ? 'public' : r.config?.role ?? 'reader';
    }
  });
  app.decorate('apiRoutes', routes);
  app.decorate('apiRouteRoles', roles);
  app.decorateRequest('investigation', null as unknown as InvestigationContext);
  app.decorateRequest('session', null);

  app.addHook('onRequest', async (request, reply) => {
    if (allowed && !allowed.has(hostname(request.headers.host ?? ''))) {
      return sendError(reply, apiError('E_API_HOST', `"${String(request.headers.host).slice(0, 100)}"`));
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', UI_CSP);
    reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer').header('x-frame-options', 'SAMEORIGIN');
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    return payload;
  });

  if (options.team) {
    const { db } = options.team;
    const stores = new StoreCache();
    app.addHook('onClose', () => stores.close());
    app.addHook('onRequest', sessionHook(db));
    await app.register(sessionRoutes, { prefix: '/api', db });
    await app.register(async (scope) => {
      scope.addHook('onRequest', investigationHook(db, stores));
      await scope.register(investigationRoutes);
      await scope.register(teamAdminRoutes, { db });
    }, { prefix: '/api/investigations/:investigation' });
  } else {
    await app.register(localScope(options.store, options.blobs), { prefix: '/api' });
  }

  const webRoot = options.webRoot ?? DEFAULT_WEB_ROOT;
  const hasUi = existsSync(`${webRoot}/index.html`);
  if (hasUi) await app.register(fastifyStatic, { root: webRoot, prefix: '/', index: ['index.html'], wildcard: true });
  // Unknown /api/ routes answer in the API's error shape; any other path is a page of the single-page UI.
  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith('/api/') || request.url === '/api') return sendError(reply, apiError('E_API_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]!.slice(0, 200)}`));
    if (!hasUi) return sendError(reply, apiError('E_UI_NOT_BUILT', 'run `npm run build:web` (the API under /api/ works without it)'));
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendError(reply, apiError('E_API_NOT_FOUND', `no route ${request.method} ${request.url.slice(0, 200)}`));
    return reply.type('text/html; charset=utf-8').sendFile('index.html');
  });
  return app;
}
