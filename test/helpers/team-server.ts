// A team server for tests: a throwaway PostgreSQL team database with users
// and investigations over a real store built from the generated dumps, and
// the real app. Investigations `alpha` and `beta` read the same store file.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { TeamDb } from '../../src/team/team-db.ts';
import { addUser, requireUser } from '../../src/team/users.ts';
import { addInvestigation, grant, type Role } from '../../src/team/investigations.ts';
import { buildUiStore, type UiStore } from './ui-store.ts';
import { createTestDb, type TestDatabase } from './pg.ts';

export const PASSWORD = 'correct horse battery staple';

/** Who has which role where: `outsider` is a member of beta only. */
export const USERS: Record<string, [string, Role][]> = {
  reader: [['alpha', 'reader']],
  editor: [['alpha', 'editor']],
  admin: [['alpha', 'admin'], ['beta', 'admin']],
  outsider: [['beta', 'reader']],
};

export interface TeamServer { app: FastifyInstance; db: TeamDb; pg: TestDatabase; ui: UiStore; close: () => Promise<void> }

export async function startTeamServer(dir: string, options: { trustProxy?: boolean } = {}): Promise<TeamServer> {
  const [ui, pg] = await Promise.all([buildUiStore(dir), createTestDb('tamis_team_test')]);
  const db = await TeamDb.connect(pg.url);
  await db.migrate();
  await addInvestigation(db.pool, { id: 'alpha', name: 'Alpha leak', db: ui.db });
  await addInvestigation(db.pool, { id: 'beta', name: 'Beta leak', db: ui.db });
  for (const [name, roles] of Object.entries(USERS)) {
    await addUser(db.pool, name, PASSWORD);
    for (const [inv, role] of roles) await grant(db.pool, await requireUser(db.pool, name), inv, role);
  }
  const app = await buildApp({ team: { db }, trustProxy: options.trustProxy });
  return {
    app, db, pg, ui,
    close: async () => { await app.close(); await db.close(); await pg.drop(); },
  };
}
