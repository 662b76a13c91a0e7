// Team mode's gatekeeping, as fastify hooks:
// - every /api/ route but login needs a live session (401 E_API_UNAUTHENTICATED);
// - every state-changing request (POST, PUT, PATCH, DELETE) must come from
//   this site and carry the session's CSRF token in `x-csrf-token`
//   (403 E_API_CSRF). The token travels in a custom header, which no other
//   site can add to a request sent with the user's cookie;
// - every route under /api/investigations/:investigation/ needs a membership
//   there with at least the route's role (403 E_API_FORBIDDEN — the same
//   answer whether the investigation exists or not), then gets its store.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiError } from './api-errors.ts';
import type { InvestigationContext } from './scope.ts';
import type { StoreCache, OpenedStore } from './store-cache.ts';
import type { TeamDb } from '../team/team-db.ts';
import { audit } from '../team/audit.ts';
import { membership, roleAtLeast } from '../team/investigations.ts';
import { csrfMatches, resolveSession, MAX_DAYS } from '../team/sessions.ts';

export const COOKIE = 'tamis_session';
// Over https the cookie takes the __Host- prefix: the browser then insists on Secure, Path=/ and no Domain.
const SECURE_COOKIE = `__Host-${COOKIE}`;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string | null): void {
  const secure = request.protocol === 'https';
  const attrs = `Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  // The cookie may live as long as a session can; the server ends idle sessions itself.
  const value = token === null ? `=; ${attrs}; Max-Age=0` : `=${token}; ${attrs}; Max-Age=${MAX_DAYS * 86_400}`;
  reply.header('set-cookie', `${secure ? SECURE_COOKIE : COOKIE}${value}`);
}

/** A browser names the page that sent a request in Origin (and Sec-Fetch-Site); it must be this server. */
function crossSite(request: FastifyRequest): boolean {
  if (request.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = request.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host.toLowerCase() !== String(request.headers.host ?? '').toLowerCase();
  } catch {
    return true;
  }
}

export function sessionHook(db: TeamDb) {
  return async (request: FastifyRequest): Promise<void> => {
    request.session = null;
    // Only the API's routes: unknown ones answer 404 as usual, the UI's static files need no session.
    if (!request.routeOptions.url?.startsWith('/api/')) return;
    const changes = !SAFE_METHODS.has(request.method);
    if (changes && crossSite(request)) throw apiError('E_API_CSRF', 'the request comes from another site');
    const token = readCookie(request.headers.cookie, request.protocol === 'https' ? SECURE_COOKIE : COOKIE);
    request.session = token ? (await resolveSession(db.pool, token)) ?? null : null;
    if (request.routeOptions.config.public) return;
    if (!request.session) throw apiError('E_API_UNAUTHENTICATED', token ? 'the session has expired or ended' : 'no session');
    if (changes && !csrfMatches(request.session, request.headers['x-csrf-token'])) throw apiError('E_API_CSRF', 'missing or wrong x-csrf-token');
  };
}

function unopened(): never { throw apiError('E_API_INTERNAL', 'this route does not open the store'); }

export function investigationHook(db: TeamDb, stores: StoreCache) {
  return async (request: FastifyRequest): Promise<void> => {
    const session = request.session;
    if (!session) throw apiError('E_API_UNAUTHENTICATED', 'no session');
    const id = String((request.params as { investigation?: string }).investigation ?? '');
    const m = id.length <= 63 ? await membership(db.pool, session.user.id, id) : undefined;
    if (!m) throw apiError('E_API_FORBIDDEN', `no access to investigation "${id.slice(0, 63)}"`);
    const need = request.routeOptions.config.role ?? 'reader';
    if (!roleAtLeast(m.role, need)) throw apiError('E_API_FORBIDDEN', `this needs the ${need} role in "${id}"; yours is ${m.role}`);
    const opened: OpenedStore | undefined = request.routeOptions.config.store === false ? undefined : await stores.get(m);
    const context: InvestigationContext = {
      id: m.id,
      role: m.role,
      get store() { return opened?.store ?? unopened(); },
      get blobs() { return opened?.blobs ?? unopened(); },
      audit: (action, target, detail) => audit(db.pool, {
        userId: session.user.id, actor: session.user.name, investigation: m.id, action, target, client: request.ip, detail,
      }),
    };
    request.investigation = context;
  };
}
