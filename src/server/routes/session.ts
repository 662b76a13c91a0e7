// Team mode: log in and out, who am I, and my investigations.
import type { FastifyInstance } from 'fastify';
import { TamisError } from '../../core/errors.ts';
import type { TeamDb } from '../../team/team-db.ts';
import { audit } from '../../team/audit.ts';
import { login, RateLimited } from '../../team/login.ts';
import { endSession, type Session } from '../../team/sessions.ts';
import { memberships } from '../../team/investigations.ts';
import { apiError } from '../api-errors.ts';
import { setSessionCookie } from '../team-auth.ts';

const text = (v: unknown, name: string, max: number): string => {
  if (typeof v !== 'string' || !v || v.length > max) throw apiError('E_API_INVALID', `${name} must be a string of 1 to ${max} characters`);
  return v;
};

export async function sessionRoutes(app: FastifyInstance, opts: { db: TeamDb }): Promise<void> {
  const db = opts.db.pool;
  const me = async (session: Session) => ({
    user: { name: session.user.name }, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString(),
    investigations: await memberships(db, session.user.id),
  });

  // The body must be JSON (a form on another site can only send form or text bodies); the Origin check is in the session hook.
  app.post('/login', { config: { public: true } }, async (request, reply) => {
    if (!request.headers['content-type']?.startsWith('application/json')) throw apiError('E_API_INVALID', 'send { "user", "password" } as JSON');
    const body = (request.body ?? {}) as { user?: unknown; password?: unknown };
    const user = text(body.user, 'user', 200);
    const password = text(body.password, 'password', 1024);
    try {
      const { token, session } = await login(db, user, password, request.ip);
      setSessionCookie(request, reply, token);
      return await me(session);
    } catch (err) {
      if (err instanceof RateLimited) reply.header('retry-after', String(err.retryAfter));
      if (err instanceof TamisError && err.code === 'E_API_UNAUTHENTICATED') setSessionCookie(request, reply, null);
      throw err;
    }
  });

  app.post('/logout', async (request, reply) => {
    const session = request.session!;
    await endSession(db, session);
    await audit(db, { userId: session.user.id, actor: session.user.name, action: 'logout', client: request.ip });
    setSessionCookie(request, reply, null);
    return reply.code(204).send();
  });

  app.get('/me', async (request) => me(request.session!));

  app.get('/investigations', async (request) => ({ investigations: await memberships(db, request.session!.user.id) }));
}
