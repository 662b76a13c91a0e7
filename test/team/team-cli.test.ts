// `tamis team …` and `tamis serve --team` as a user runs them: the real
// command line in child processes, a real PostgreSQL server and a real store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { BIN, tamis, tamisAsync } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

const tmp = tempDir();
const name = `tamis_team_cli_${randomBytes(5).toString('hex')}`;
const pgUser = process.env.PGUSER || 'postgres';
const url = `postgres://${pgUser}@127.0.0.1:5432/${name}`;
const db = join(tmp.dir, 'leak.db');
let server: ChildProcess | undefined;

const team = (args: string[], input?: string) => {
  const r = spawnSync(process.execPath, [BIN, 'team', ...args, '--team', url], { encoding: 'utf8', input });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

beforeAll(() => {
  const dump = join(tmp.dir, 'dump');
  mkdirSync(dump);
  writeFileSync(join(dump, 'note.txt'), 'Trésorerie du mouvement : point au 3 mai.\n');
  const r = tamis(['ingest', dump, '--db', db, '--quiet', '--no-ocr']);
  expect(r.status, r.stderr).toBe(0);
});
afterAll(async () => {
  server?.kill('SIGTERM');
  const admin = new pg.Client({ connectionString: `postgres://${pgUser}@127.0.0.1:5432/postgres` });
  await admin.connect();
  try { await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } finally { await admin.end(); }
  tmp.cleanup();
});

async function startServer(): Promise<string> {
  server = tamisAsync(['serve', '--team', url, '--port', '0']);
  let out = '';
  return new Promise((resolve, reject) => {
    server!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /at (http:\/\/\S+?)\/ /.exec(out);
      if (m) resolve(m[1]!);
    });
    server!.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
}

describe('tamis team', () => {
  let alicePassword = '';
  let origin = '';
  let cookie = '';

  it('creates the database, accounts, an investigation and access', () => {
    expect(team(['init']).stdout).toContain('created, 1 migration applied');
    expect(team(['init']).stdout).toContain('already up to date');
    const alice = team(['add-user', 'Alice']);
    expect(alice.status, alice.stderr).toBe(0);
    alicePassword = /password: (\S+)/.exec(alice.stdout)![1]!;
    expect(alicePassword).toMatch(/^[a-zA-Z2-9]{20}$/);
    expect(team(['add-user', 'bob', '--password-stdin'], 'bob has a long password\n').status).toBe(0);
    expect(team(['add-user', 'bob', '--password-stdin'], 'another long password').stderr).toContain('already a user "bob"');
    expect(team(['add-user', 'carol', '--password-stdin'], 'short').stderr).toContain('at least 10 characters');
    expect(team(['add-investigation', 'leak', '--db', join(tmp.dir, 'nope.db')]).status).toBe(2);
    expect(team(['add-investigation', 'Bad Id', '--db', db]).stderr).toContain('an investigation id');
    expect(team(['add-investigation', 'leak', '--db', db, '--name', 'The leak']).status).toBe(0);
    expect(team(['grant', 'alice', 'leak', 'admin']).stdout).toContain('alice is admin of leak');
    expect(team(['grant', 'bob', 'leak', 'reader']).status).toBe(0);
    expect(team(['grant', 'bob', 'leak', 'owner']).stderr).toContain('a role is one of reader, editor, admin');
    expect(team(['grant', 'dave', 'leak', 'reader']).stderr).toContain('no user "dave"');
    const list = JSON.parse(team(['list', '--json']).stdout) as { users: { name: string }[]; investigations: { id: string; name: string; db: string; members: unknown[] }[] };
    expect(list.users.map((u) => u.name)).toEqual(['alice', 'bob']);
    expect(list.investigations).toEqual([{ id: 'leak', name: 'The leak', db, blobs: null, members: [{ user: 'alice', role: 'admin' }, { user: 'bob', role: 'reader' }] }]);
  });

  it('serves the investigation to its members with `tamis serve --team`', async () => {
    origin = await startServer();
    const login = await fetch(`${origin}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'alice', password: alicePassword }) });
    expect(login.status).toBe(200);
    cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const search = await fetch(`${origin}/api/investigations/leak/search?q=tresorerie`, { headers: { cookie } });
    expect(search.status).toBe(200);
    expect(((await search.json()) as { total: number }).total).toBe(1);
    expect((await fetch(`${origin}/api/search?q=tresorerie`)).status).toBe(404);
  });

  it('revokes access and resets passwords (ending sessions), and shows who did it in the audit log', async () => {
    expect(team(['revoke', 'bob', 'leak']).stdout).toContain('bob no longer has access to leak');
    expect(team(['revoke', 'bob', 'leak']).stdout).toContain('bob had no access to leak');
    expect(team(['set-password', 'alice', '--password-stdin'], 'a brand new password').status).toBe(0);
    expect((await fetch(`${origin}/api/me`, { headers: { cookie } })).status).toBe(401);
    const log = JSON.parse(team(['audit', 'leak', '--json']).stdout) as { entries: { actor: string; action: string; target: string }[] };
    // The search made through the API earlier is in the log too, under its user's name; the changes under the CLI's.
    expect(log.entries.map((e) => `${e.action} ${e.target}`)).toEqual(['member.revoke bob', 'search tresorerie', 'member.grant bob', 'member.grant alice']);
    expect(log.entries.filter((e) => e.action.startsWith('member.')).every((e) => e.actor.startsWith('cli:'))).toBe(true);
    expect(log.entries.find((e) => e.action === 'search')?.actor).toBe('alice');
  });

  it('explains a wrong database URL', () => {
    const r = spawnSync(process.execPath, [BIN, 'team', 'list', '--team', `postgres://${pgUser}@127.0.0.1:5432/${name}_missing`], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('E_TEAM_DB');
    expect(r.stderr).toContain('tamis team init');
  });
});
