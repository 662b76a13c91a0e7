// Logging in, rate limited: at most 5 failed attempts a minute for one
// account name, and 5 from one client address, counted in the audit log (so
// the limit holds across restarts and across several server processes).
//
// Each attempt is first written as a failure and only then checked, so
// parallel guesses all see each other: of any burst, at most 5 reach the
// password check. The row becomes `login.success` when the password is
// right, or `login.limited` when the attempt was refused unchecked (those do
// not count, so the limit lifts a minute after the 5th failure even while
// someone keeps knocking). While the limit holds, the right password is
// refused too: otherwise guessing would go on, only with fewer answers.
import { TamisError } from '../core/errors.ts';
import { SCHEMA, type Queryable } from './team-db.ts';
import { recentLoginFailures } from './audit.ts';
import { dummyHash, verifyPassword } from './passwords.ts';
import { createSession, type Session } from './sessions.ts';
import { findUser } from './users.ts';

export const LOGIN_LIMIT = { attempts: 5, windowSeconds: 60 };

export class RateLimited extends TamisError {
  readonly retryAfter: number;
  constructor(retryAfter: number, detail: string) { super('E_API_RATE_LIMITED', detail); this.retryAfter = retryAfter; }
}

export async function login(db: Queryable, name: string, password: string, client: string): Promise<{ token: string; session: Session }> {
  const actor = name.trim().toLowerCase().slice(0, 200);
  const user = await findUser(db, actor);
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO ${SCHEMA}.audit (user_id, actor, action, client) VALUES ($1, $2, 'login.failure', $3) RETURNING id`, [user?.id ?? null, actor, client]);
  const attempt = rows[0]!.id;
  const mark = (action: string) => db.query(`UPDATE ${SCHEMA}.audit SET action = $2 WHERE id = $1`, [attempt, action]);

  const { attempts, windowSeconds } = LOGIN_LIMIT;
  const recent = await recentLoginFailures(db, actor, client, windowSeconds);
  if (recent.byActor > attempts || recent.byClient > attempts) {
    await mark('login.limited');
    const oldest = recent.byActor > attempts ? recent.oldestActor : recent.oldestClient;
    const retryAfter = Math.max(1, Math.ceil(((oldest?.getTime() ?? Date.now()) + windowSeconds * 1000 - Date.now()) / 1000));
    throw new RateLimited(retryAfter, `${recent.byActor > attempts ? 'this account' : 'this address'} had ${attempts} failed logins in the last minute; try again in ${retryAfter} s`);
  }
  // An unknown name costs the same time as a wrong password: no probing for accounts.
  const ok = await verifyPassword(password, user?.passwordHash ?? await dummyHash());
  if (!user || !ok) throw new TamisError('E_API_UNAUTHENTICATED', 'wrong user name or password');
  await mark('login.success');
  return createSession(db, { id: user.id, name: user.name }, client);
}
