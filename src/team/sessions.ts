// Login sessions. The browser holds a random token in an HttpOnly cookie;
// the database holds only its SHA-256, so a copy of the database (a backup,
// a read-only replica) cannot be used to log in as anyone. Each session has
// its own CSRF token, which the UI sends back in an `x-csrf-token` header.
// A session ends after 12 hours without use, and after 7 days in any case.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SCHEMA, type Queryable } from './team-db.ts';
import type { User } from './users.ts';

export const IDLE_HOURS = 12;
export const MAX_DAYS = 7;
// Sliding the expiry is a write: done at most every few minutes per session, not per request.
const SLIDE_AFTER_MS = 5 * 60_000;

export interface Session { user: User; csrfToken: string; tokenHash: string; expiresAt: Date }

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export async function createSession(db: Queryable, user: User, client: string): Promise<{ token: string; session: Session }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const tokenHash = sha256(token);
  // Expired sessions are removed here, the one place sessions are written anyway.
  await db.query(`DELETE FROM ${SCHEMA}.sessions WHERE expires_at < now()`);
  const { rows } = await db.query<{ expiresAt: Date }>(
    `INSERT INTO ${SCHEMA}.sessions (token_hash, user_id, csrf_token, client, expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(hours => $5)) RETURNING expires_at AS "expiresAt"`,
    [tokenHash, user.id, csrfToken, client, IDLE_HOURS]);
  return { token, session: { user, csrfToken, tokenHash, expiresAt: rows[0]!.expiresAt } };
}

/** The live session a cookie token names, its expiry slid forward; undefined when unknown or expired. */
export async function resolveSession(db: Queryable, token: string): Promise<Session | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const tokenHash = sha256(token);
  const { rows } = await db.query<{ id: number; name: string; csrfToken: string; expiresAt: Date }>(
    `SELECT u.id, u.name, s.csrf_token AS "csrfToken", s.expires_at AS "expiresAt"
       FROM ${SCHEMA}.sessions s JOIN ${SCHEMA}.users u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.expires_at > now()`, [tokenHash]);
  const r = rows[0];
  if (!r) return undefined;
  let expiresAt = r.expiresAt;
  if (expiresAt.getTime() - Date.now() < IDLE_HOURS * 3_600_000 - SLIDE_AFTER_MS) {
    const up = await db.query<{ expiresAt: Date }>(
      `UPDATE ${SCHEMA}.sessions SET expires_at = LEAST(created_at + make_interval(days => $2), now() + make_interval(hours => $3))
        WHERE token_hash = $1 RETURNING expires_at AS "expiresAt"`, [tokenHash, MAX_DAYS, IDLE_HOURS]);
    expiresAt = up.rows[0]?.expiresAt ?? expiresAt;
  }
  return { user: { id: r.id, name: r.name }, csrfToken: r.csrfToken, tokenHash, expiresAt };
}

export async function endSession(db: Queryable, session: Session): Promise<void> {
  await db.query(`DELETE FROM ${SCHEMA}.sessions WHERE token_hash = $1`, [session.tokenHash]);
}

/** Constant-time comparison of the header against the session's token. */
export function csrfMatches(session: Session, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return false;
  const a = Buffer.from(header);
  const b = Buffer.from(session.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
}
