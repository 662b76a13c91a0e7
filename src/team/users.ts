// Accounts of the team server. A user name is the login; the password is
// kept only as an Argon2id hash.
import { TamisError } from '../core/errors.ts';
import { SCHEMA, type Queryable } from './team-db.ts';
import { hashPassword, passwordProblem } from './passwords.ts';

export interface User { id: number; name: string }

const NAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/;

export function checkUserName(name: string): string {
  const n = name.trim().toLowerCase();
  if (!NAME.test(n)) throw new TamisError('E_USAGE', `a user name is 1 to 64 characters: lower-case letters, digits, . _ @ - (not "${name.slice(0, 80)}")`);
  return n;
}

export async function addUser(db: Queryable, name: string, password: string): Promise<User> {
  const n = checkUserName(name);
  const problem = passwordProblem(password);
  if (problem) throw new TamisError('E_USAGE', problem);
  const hash = await hashPassword(password);
  const { rows } = await db.query<User>(
    `INSERT INTO ${SCHEMA}.users (name, password_hash) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING id, name`, [n, hash]);
  if (!rows[0]) throw new TamisError('E_USAGE', `there is already a user "${n}" (use \`tamis team set-password\`)`);
  return rows[0];
}

/** A new password ends every session the user had. */
export async function setPassword(db: Queryable, name: string, password: string): Promise<void> {
  const problem = passwordProblem(password);
  if (problem) throw new TamisError('E_USAGE', problem);
  const hash = await hashPassword(password);
  const { rows } = await db.query<{ id: number }>(`UPDATE ${SCHEMA}.users SET password_hash = $2 WHERE name = $1 RETURNING id`, [checkUserName(name), hash]);
  if (!rows[0]) throw new TamisError('E_USAGE', `no user "${name}"`);
  await db.query(`DELETE FROM ${SCHEMA}.sessions WHERE user_id = $1`, [rows[0].id]);
}

export async function findUser(db: Queryable, name: string): Promise<(User & { passwordHash: string }) | undefined> {
  const { rows } = await db.query<User & { passwordHash: string }>(
    `SELECT id, name, password_hash AS "passwordHash" FROM ${SCHEMA}.users WHERE name = $1`, [name.trim().toLowerCase()]);
  return rows[0];
}

export async function requireUser(db: Queryable, name: string): Promise<User> {
  const u = await findUser(db, name);
  if (!u) throw new TamisError('E_USAGE', `no user "${name.slice(0, 80)}" (add it with \`tamis team add-user\`)`);
  return { id: u.id, name: u.name };
}

export async function listUsers(db: Queryable): Promise<(User & { createdAt: string; sessions: number })[]> {
  const { rows } = await db.query<User & { createdAt: Date; sessions: string }>(
    `SELECT u.id, u.name, u.created_at AS "createdAt",
            (SELECT count(*) FROM ${SCHEMA}.sessions s WHERE s.user_id = u.id AND s.expires_at > now()) AS sessions
       FROM ${SCHEMA}.users u ORDER BY u.name`);
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.createdAt.toISOString(), sessions: Number(r.sessions) }));
}
