// Investigations (a store each: a `--db` file or URL and its blobs folder)
// and who may do what in them. Roles are ordered: a reader searches, views
// and downloads; an editor also exports the whole report; an admin also
// manages members and reads the audit log.
import { isAbsolute, resolve } from 'node:path';
import { TamisError } from '../core/errors.ts';
import { SCHEMA, type Queryable } from './team-db.ts';
import type { User } from './users.ts';

export const ROLES = ['reader', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const roleAtLeast = (role: Role, min: Role): boolean => ROLES.indexOf(role) >= ROLES.indexOf(min);

export function checkRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) throw new TamisError('E_USAGE', `a role is one of ${ROLES.join(', ')} (not "${role.slice(0, 40)}")`);
  return role as Role;
}

export interface Investigation { id: string; name: string; db: string; blobs: string | null }
export interface Membership extends Investigation { role: Role }

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function checkInvestigationId(id: string): string {
  if (!ID.test(id)) throw new TamisError('E_USAGE', `an investigation id is 1 to 63 characters: lower-case letters, digits and - (it appears in URLs), not "${id.slice(0, 80)}"`);
  return id;
}

/** Store locations are kept absolute: the server may run from another folder than the CLI that added them. */
const location = (db: string) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(db) || isAbsolute(db) ? db : resolve(db));

export async function addInvestigation(db: Queryable, inv: { id: string; name?: string; db: string; blobs?: string }): Promise<Investigation> {
  const id = checkInvestigationId(inv.id);
  const { rows } = await db.query<Investigation>(
    `INSERT INTO ${SCHEMA}.investigations (id, name, db, blobs) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, db = EXCLUDED.db, blobs = EXCLUDED.blobs
     RETURNING id, name, db, blobs`,
    [id, inv.name ?? id, location(inv.db), inv.blobs ? location(inv.blobs) : null]);
  return rows[0]!;
}

export async function requireInvestigation(db: Queryable, id: string): Promise<Investigation> {
  const { rows } = await db.query<Investigation>(`SELECT id, name, db, blobs FROM ${SCHEMA}.investigations WHERE id = $1`, [id]);
  if (!rows[0]) throw new TamisError('E_USAGE', `no investigation "${id.slice(0, 80)}" (add it with \`tamis team add-investigation\`)`);
  return rows[0];
}

export async function listInvestigations(db: Queryable): Promise<(Investigation & { members: { user: string; role: Role }[] })[]> {
  const { rows } = await db.query<Investigation & { members: { user: string; role: Role }[] | null }>(
    `SELECT i.id, i.name, i.db, i.blobs,
            (SELECT json_agg(json_build_object('user', u.name, 'role', m.role) ORDER BY u.name)
               FROM ${SCHEMA}.memberships m JOIN ${SCHEMA}.users u ON u.id = m.user_id WHERE m.investigation_id = i.id) AS members
       FROM ${SCHEMA}.investigations i ORDER BY i.id`);
  return rows.map((r) => ({ ...r, members: r.members ?? [] }));
}

/** The user's role in one investigation, with where its store is; undefined without access (or no such investigation). */
export async function membership(db: Queryable, userId: number, investigationId: string): Promise<Membership | undefined> {
  const { rows } = await db.query<Membership>(
    `SELECT i.id, i.name, i.db, i.blobs, m.role FROM ${SCHEMA}.memberships m
       JOIN ${SCHEMA}.investigations i ON i.id = m.investigation_id WHERE m.user_id = $1 AND m.investigation_id = $2`,
    [userId, investigationId]);
  return rows[0];
}

export async function memberships(db: Queryable, userId: number): Promise<{ id: string; name: string; role: Role }[]> {
  const { rows } = await db.query<{ id: string; name: string; role: Role }>(
    `SELECT i.id, i.name, m.role FROM ${SCHEMA}.memberships m JOIN ${SCHEMA}.investigations i ON i.id = m.investigation_id
      WHERE m.user_id = $1 ORDER BY i.name, i.id`, [userId]);
  return rows;
}

export async function members(db: Queryable, investigationId: string): Promise<{ user: string; role: Role; grantedAt: string }[]> {
  const { rows } = await db.query<{ user: string; role: Role; grantedAt: Date }>(
    `SELECT u.name AS user, m.role, m.granted_at AS "grantedAt" FROM ${SCHEMA}.memberships m JOIN ${SCHEMA}.users u ON u.id = m.user_id
      WHERE m.investigation_id = $1 ORDER BY u.name`, [investigationId]);
  return rows.map((r) => ({ ...r, grantedAt: r.grantedAt.toISOString() }));
}

export async function grant(db: Queryable, user: User, investigationId: string, role: Role): Promise<void> {
  await db.query(
    `INSERT INTO ${SCHEMA}.memberships (user_id, investigation_id, role) VALUES ($1, $2, $3)
     ON CONFLICT (user_id, investigation_id) DO UPDATE SET role = EXCLUDED.role, granted_at = now()`,
    [user.id, investigationId, role]);
}

/** Returns whether the user had access. */
export async function revoke(db: Queryable, user: User, investigationId: string): Promise<boolean> {
  const r = await db.query(`DELETE FROM ${SCHEMA}.memberships WHERE user_id = $1 AND investigation_id = $2`, [user.id, investigationId]);
  return (r.rowCount ?? 0) > 0;
}

export async function adminCount(db: Queryable, investigationId: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${SCHEMA}.memberships WHERE investigation_id = $1 AND role = 'admin'`, [investigationId]);
  return Number(rows[0]!.n);
}
