// Team mode, an investigation's admins: its members and its audit log.
// Registered under /api/investigations/:investigation/, so the membership
// hook has already checked the caller is an admin there (config.role).
import type { FastifyInstance } from 'fastify';
import type { TeamDb } from '../../team/team-db.ts';
import { audit, auditLog } from '../../team/audit.ts';
import { adminCount, grant, members, revoke, ROLES, type Role } from '../../team/investigations.ts';
import { findUser } from '../../team/users.ts';
import { apiError } from '../api-errors.ts';
import { int, one, type Query } from '../query-params.ts';

const ADMIN = { role: 'admin', store: false } as const;

export async function teamAdminRoutes(app: FastifyInstance, opts: { db: TeamDb }): Promise<void> {
  const db = opts.db.pool;

  app.get('/members', { config: ADMIN }, async (request) => ({ members: await members(db, request.investigation.id!) }));

  app.put('/members/:user', { config: ADMIN }, async (request) => {
    const role = (request.body as { role?: unknown } | undefined)?.role;
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) throw apiError('E_API_INVALID', `role must be one of ${ROLES.join(', ')}`);
    const inv = request.investigation.id!;
    const name = (request.params as { user: string }).user;
    const user = await findUser(db, name);
    if (!user) throw apiError('E_API_NOT_FOUND', `no user "${name.slice(0, 80)}" (accounts are added with \`tamis team add-user\`)`);
    await keepAnAdmin(inv, user.name, role as Role);
    await grant(db, user, inv, role as Role);
    await audit(db, { userId: request.session!.user.id, actor: request.session!.user.name, investigation: inv, action: 'member.grant', target: user.name, client: request.ip, detail: { role } });
    return { members: await members(db, inv) };
  });

  app.delete('/members/:user', { config: ADMIN }, async (request) => {
    const inv = request.investigation.id!;
    const name = (request.params as { user: string }).user;
    const user = await findUser(db, name);
    if (!user) throw apiError('E_API_NOT_FOUND', `no user "${name.slice(0, 80)}"`);
    await keepAnAdmin(inv, user.name, null);
    if (await revoke(db, user, inv)) {
      await audit(db, { userId: request.session!.user.id, actor: request.session!.user.name, investigation: inv, action: 'member.revoke', target: user.name, client: request.ip });
    }
    return { members: await members(db, inv) };
  });

  // Newest first. Filters: `user` (who acted) and `action`.
  app.get('/audit', { config: ADMIN }, async (request) => {
    const q = request.query as Query;
    const limit = int(q, 'limit', 100, 1, 1000);
    const offset = int(q, 'offset', 0, 0, 10_000_000);
    return { ...(await auditLog(db, request.investigation.id!, { limit, offset, actor: one(q, 'user') || undefined, action: one(q, 'action') || undefined })), limit, offset };
  });

  /** The API never leaves an investigation without an admin (the command line can). */
  async function keepAnAdmin(inv: string, user: string, newRole: Role | null): Promise<void> {
    if (newRole === 'admin') return;
    const current = (await members(db, inv)).find((m) => m.user === user);
    if (current?.role === 'admin' && (await adminCount(db, inv)) <= 1) {
      throw apiError('E_API_INVALID', `${user} is the last admin of this investigation: make someone else admin first`);
    }
  }
}
