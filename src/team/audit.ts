// The audit log: who searched for, viewed, downloaded or exported what, in
// which investigation, when and from where; logins (failed ones too) and
// changes of access. Rows are only ever added. The login rate limit reads it too.
import { SCHEMA, type Queryable } from './team-db.ts';

export type AuditAction =
  | 'login.success' | 'login.failure' | 'login.limited' | 'logout'
  | 'search' | 'item.view' | 'item.download' | 'item.html' | 'item.diff' | 'report.export'
  | 'member.grant' | 'member.revoke';

export interface AuditEntry {
  /** The account, when there is one (a failed login for an unknown name has none). */
  userId?: number | null;
  /** Who acted, as a name: the user name, the name typed at a failed login, or `cli:<system user>`. */
  actor: string;
  investigation?: string | null;
  action: AuditAction;
  target?: string | null;
  client?: string | null;
  detail?: Record<string, unknown> | null;
}

export interface AuditRow { id: number; at: string; actor: string; action: string; target: string | null; client: string | null; detail: Record<string, unknown> | null }

export async function audit(db: Queryable, e: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO ${SCHEMA}.audit (user_id, actor, investigation_id, action, target, client, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [e.userId ?? null, e.actor.slice(0, 200), e.investigation ?? null, e.action, e.target?.slice(0, 1000) ?? null, e.client ?? null, e.detail ? JSON.stringify(e.detail) : null]);
}

export async function auditLog(db: Queryable, investigation: string, o: { limit: number; offset: number; actor?: string; action?: string }): Promise<{ total: number; entries: AuditRow[] }> {
  const where = ['investigation_id = $1'];
  const args: unknown[] = [investigation];
  if (o.actor) { args.push(o.actor); where.push(`actor = $${args.length}`); }
  if (o.action) { args.push(o.action); where.push(`action = $${args.length}`); }
  const total = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${SCHEMA}.audit WHERE ${where.join(' AND ')}`, args);
  const { rows } = await db.query<Omit<AuditRow, 'at' | 'id'> & { id: string; at: Date }>(
    `SELECT id, at, actor, action, target, client, detail FROM ${SCHEMA}.audit WHERE ${where.join(' AND ')}
      ORDER BY id DESC LIMIT $${args.length + 1} OFFSET $${args.length + 2}`, [...args, o.limit, o.offset]);
  return { total: Number(total.rows[0]!.n), entries: rows.map((r) => ({ ...r, id: Number(r.id), at: r.at.toISOString() })) };
}

/** Failed logins in the last `seconds`, for this account name and from this address, and when the oldest of each falls out of the window. */
export async function recentLoginFailures(db: Queryable, actor: string, client: string, seconds: number): Promise<{ byActor: number; byClient: number; oldestActor: Date | null; oldestClient: Date | null }> {
  const { rows } = await db.query<{ byActor: string; byClient: string; oldestActor: Date | null; oldestClient: Date | null }>(
    `SELECT count(*) FILTER (WHERE actor = $1) AS "byActor", count(*) FILTER (WHERE client = $2) AS "byClient",
            min(at) FILTER (WHERE actor = $1) AS "oldestActor", min(at) FILTER (WHERE client = $2) AS "oldestClient"
       FROM ${SCHEMA}.audit WHERE action = 'login.failure' AND at > now() - make_interval(secs => $3)`, [actor, client, seconds]);
  const r = rows[0]!;
  return { byActor: Number(r.byActor), byClient: Number(r.byClient), oldestActor: r.oldestActor, oldestClient: r.oldestClient };
}
