// `tamis team …`: set up the team server's database — accounts,
// investigations and who may do what in each. Run by whoever administers the
// server (anyone who can reach the team database can do all of this).
import { userInfo } from 'node:os';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { TamisError } from '../core/errors.ts';
import { TeamDb, createDatabaseIfMissing, redact } from '../team/team-db.ts';
import { addUser, listUsers, requireUser, setPassword } from '../team/users.ts';
import { addInvestigation, checkRole, grant, listInvestigations, requireInvestigation, revoke } from '../team/investigations.ts';
import { audit, auditLog } from '../team/audit.ts';
import { generatePassword } from '../team/passwords.ts';
import { isPostgresUrl } from '../store/open-store.ts';

const HELP = `Usage: tamis team <command> [--team postgres://…/tamis_team] [options]

The team database (PostgreSQL) holds accounts, investigations, access and
the audit log; \`tamis serve --team URL\` serves it. --team defaults to
$TAMIS_TEAM.

Commands:
  init                               create the database (if missing) and its tables
  add-user NAME [--password-stdin]   add an account; prints a generated password
                                     unless one is read from standard input
  set-password NAME [--password-stdin]
                                     new password (ends the user's sessions)
  add-investigation ID --db STORE [--blobs DIR|s3://…] [--name TEXT]
                                     an investigation reading this store (a store
                                     file or postgres:// URL); again to change it
  grant USER INVESTIGATION reader|editor|admin
                                     reader: search, view, download originals;
                                     editor: also export the report;
                                     admin: also manage members, read the audit log
  revoke USER INVESTIGATION
  list [--json]                      users, investigations and their members
  audit INVESTIGATION [--limit N] [--json]
                                     the investigation's audit log, newest first
`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

const cliActor = () => `cli:${(() => { try { return userInfo().username; } catch { return 'unknown'; } })()}`;

export async function teamCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      team: { type: 'string' }, 'password-stdin': { type: 'boolean' }, db: { type: 'string' }, blobs: { type: 'string' }, name: { type: 'string' },
      json: { type: 'boolean' }, limit: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...args] = positionals;
  if (values.help || !command) { process.stdout.write(HELP); return command || values.help ? 0 : 2; }
  const url = values.team ?? process.env.TAMIS_TEAM;
  if (!url) throw new TamisError('E_USAGE', 'name the team database: --team postgres://…/tamis_team (or set TAMIS_TEAM)');
  const need = (n: number, usage: string) => { if (args.length !== n) throw new TamisError('E_USAGE', `usage: tamis team ${command} ${usage}`); };
  const out = (line: string) => process.stdout.write(line + '\n');

  if (command === 'init') {
    need(0, '');
    const created = await createDatabaseIfMissing(url);
    const db = await TeamDb.connect(url);
    try {
      const ran = await db.migrate();
      out(`${redact(url)}: ${created ? 'created, ' : ''}${ran ? `${ran} migration${ran === 1 ? '' : 's'} applied` : 'already up to date'}.`);
    } finally { await db.close(); }
    return 0;
  }

  const db = await TeamDb.connect(url);
  try {
    await db.migrate();
    const q = db.pool;
    switch (command) {
      case 'add-user':
      case 'set-password': {
        need(1, 'NAME [--password-stdin]');
        const password = values['password-stdin'] ? await readStdin() : generatePassword();
        if (command === 'add-user') {
          const user = await addUser(q, args[0]!, password);
          out(values['password-stdin'] ? `Added ${user.name}.` : `Added ${user.name} with the password: ${password}`);
        } else {
          await setPassword(q, args[0]!, password);
          out(values['password-stdin'] ? `New password set for ${args[0]}; their sessions are ended.` : `New password for ${args[0]}: ${password}`);
        }
        return 0;
      }
      case 'add-investigation': {
        need(1, 'ID --db STORE [--blobs DIR|s3://…] [--name TEXT]');
        if (!values.db) throw new TamisError('E_USAGE', 'add-investigation needs --db: the store this investigation reads');
        if (isPostgresUrl(values.db)) {
          // Its default (./tamis.blobs) would be relative to wherever the server starts.
          if (!values.blobs) throw new TamisError('E_USAGE', 'a PostgreSQL store needs --blobs: the folder of its original bytes, as its workers were given');
        } else if (!existsSync(values.db)) {
          throw new TamisError('E_USAGE', `${values.db} does not exist (ingest the dump first: tamis ingest … --db ${values.db})`);
        }
        const inv = await addInvestigation(q, { id: args[0]!, name: values.name, db: values.db, blobs: values.blobs });
        out(`Investigation ${inv.id} ("${inv.name}") reads ${inv.db}${inv.blobs ? ` with originals in ${inv.blobs}` : ''}.`);
        return 0;
      }
      case 'grant': {
        need(3, 'USER INVESTIGATION reader|editor|admin');
        const role = checkRole(args[2]!);
        const user = await requireUser(q, args[0]!);
        const inv = await requireInvestigation(q, args[1]!);
        await grant(q, user, inv.id, role);
        await audit(q, { actor: cliActor(), investigation: inv.id, action: 'member.grant', target: user.name, detail: { role } });
        out(`${user.name} is ${role} of ${inv.id}.`);
        return 0;
      }
      case 'revoke': {
        need(2, 'USER INVESTIGATION');
        const user = await requireUser(q, args[0]!);
        const inv = await requireInvestigation(q, args[1]!);
        const had = await revoke(q, user, inv.id);
        if (had) await audit(q, { actor: cliActor(), investigation: inv.id, action: 'member.revoke', target: user.name });
        out(had ? `${user.name} no longer has access to ${inv.id}.` : `${user.name} had no access to ${inv.id}.`);
        return 0;
      }
      case 'list': {
        need(0, '[--json]');
        const [users, investigations] = await Promise.all([listUsers(q), listInvestigations(q)]);
        if (values.json) { out(JSON.stringify({ users, investigations }, null, 2)); return 0; }
        out(`Users (${users.length}):`);
        for (const u of users) out(`  ${u.name}${u.sessions ? `  (${u.sessions} session${u.sessions === 1 ? '' : 's'})` : ''}`);
        out(`Investigations (${investigations.length}):`);
        for (const i of investigations) {
          out(`  ${i.id}  "${i.name}"  ${i.db}${i.blobs ? `  blobs ${i.blobs}` : ''}`);
          out(`    ${i.members.length ? i.members.map((m) => `${m.user} (${m.role})`).join(', ') : 'no members'}`);
        }
        return 0;
      }
      case 'audit': {
        need(1, 'INVESTIGATION [--limit N] [--json]');
        const inv = await requireInvestigation(q, args[0]!);
        const limit = Number(values.limit ?? 50);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new TamisError('E_USAGE', '--limit takes a whole number from 1 to 100000');
        const log = await auditLog(q, inv.id, { limit, offset: 0 });
        if (values.json) { out(JSON.stringify(log, null, 2)); return 0; }
        for (const e of log.entries) out(`${e.at}  ${e.actor}  ${e.action}  ${e.target ?? ''}  ${e.client ?? ''}`);
        out(`(${log.entries.length} of ${log.total})`);
        return 0;
      }
      default:
        throw new TamisError('E_USAGE', `unknown team command "${command}"; commands: init, add-user, set-password, add-investigation, grant, revoke, list, audit`);
    }
  } finally {
    await db.close();
  }
}
