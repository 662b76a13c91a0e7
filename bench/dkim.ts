// DKIM verification speed: tamis' verifier (src/analyze/dkim/, offline key
// archive) against python3-dkim (Debian package, the library behind
// `dkimverify`) on the same messages and keys, one thread each.
// Two sets of mail: `count` generated plain-text messages (RSA-2048,
// relaxed/relaxed), and the signed emails of the project's labelled leak
// (multipart, quoted-printable and base64 bodies, attachments, HTML,
// RSA-1024/2048 and Ed25519 keys, simple and relaxed). Each tool runs in a
// process of its own, alternately, `--rounds` times; medians of wall and CPU
// seconds of the verification loop (files already in memory) are printed.
// `--busy` keeps one core busy with another process meanwhile.
// Usage: node bench/dkim.ts [count] [--rounds N] [--busy]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import { verifyDkim } from '../src/analyze/dkim/verify-message.ts';
import { KeyIndex } from '../src/keys/key-index.ts';
import { readKeyFile } from '../src/keys/import-keys.ts';
import { makeLeak } from '../test/fixtures/make-leak.ts';
import { messageReader } from '../test/fixtures/leak-reader.ts';

const args = process.argv.slice(2);
const OUT = new URL('./out/', import.meta.url).pathname;

interface Timing { verified: number; seconds: number; cpu: number }

/** Child mode: verify every .eml of `dir` with the keys of `dir/keys.json`, print the timing. */
async function tamisWorker(dir: string): Promise<void> {
  const keys = new KeyIndex(Object.entries(JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8')) as Record<string, string>)
    .map(([name, value]) => ({ name, value, source: 'file:bench', importedAt: '2026-12-01T00:00:00.000Z' })));
  const files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort().map((f) => readFileSync(join(dir, f)));
  let verified = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const f of files) if ((await verifyDkim(f, { keys })).findings.some((x) => x.rule === 'dkim.pass')) verified++;
  const cpu = process.cpuUsage(c0);
  console.log(JSON.stringify({ verified, seconds: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 }));
}

// python3-dkim checks x= against the clock: it is given each signature's own t= + 1 s, as tamis judges it.
const PY = `import dkim, json, sys, time, os, re
d = sys.argv[1]; keys = json.load(open(os.path.join(d, 'keys.json')))
class Clock:
    now = None
    def time(self):
        return Clock.now if Clock.now is not None else time.time()
dkim.time = Clock()
def dnsfunc(name, timeout=5):
    v = keys.get(name.decode().rstrip('.').lower())
    return v.encode() if v else None
names = sorted(f for f in os.listdir(d) if f.endswith('.eml'))
msgs = [open(os.path.join(d, f), 'rb').read() for f in names]
T = re.compile(rb'[; ]t=(\\d+)')
def ok(m):
    t = T.search(m)
    Clock.now = int(t.group(1)) + 1 if t else None
    try:
        return dkim.verify(m, dnsfunc=dnsfunc)
    except Exception:
        return False
c = time.process_time(); t = time.perf_counter(); n = sum(1 for m in msgs if ok(m))
print(json.dumps({'verified': n, 'seconds': time.perf_counter() - t, 'cpu': time.process_time() - c}))`;

function run(cmd: string, argv: string[]): Timing {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr.slice(0, 500)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Timing;
}

async function writePlain(dir: string, count: number): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const words = 'le la les de des du trésorerie comité campagne budget réunion prévisions dons salle presse équipe'.split(' ');
  for (let i = 0; i < count; i++) {
    const body = Array.from({ length: 400 }, (_, j) => words[(i * 7 + j * 13) % words.length]).join(' ').replace(/(.{70}) /g, '$1\r\n');
    const msg = `From: equipe${i % 50}@en-marche.example\r\nTo: presse@example.org\r\nSubject: Message ${i}\r\nDate: Tue, 02 May 2017 10:00:00 +0200\r\nMessage-ID: <${i}@mx1.en-marche.example>\r\n\r\n${body}\r\n`;
    const data = { signingDomain: 'en-marche.example', selector: 'bench', privateKey: pem };
    const signed = await dkimSign(msg, { ...data, signatureData: [data] } as never);
    writeFileSync(join(dir, `${String(i).padStart(6, '0')}.eml`), signed.signatures + msg);
  }
  writeFileSync(join(dir, 'keys.json'), JSON.stringify({ 'bench._domainkey.en-marche.example': `v=DKIM1; k=rsa; p=${key.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}` }));
}

/** The signed emails of the labelled leak, repeated to `count` files, with its key archive. */
async function writeLeak(dir: string, count: number): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  const src = join(OUT, 'dkim-leak-src');
  const manifest = await makeLeak(src);
  const read = messageReader(src);
  const signed = manifest.items.filter((i) => i.kind === 'email' && /^genuine-signed/.test(i.label ?? '')).flatMap((i) => {
    const b = read(i.path);
    return b ? [b] : [];
  });
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) writeFileSync(join(dir, `${String(i).padStart(6, '0')}.eml`), signed[i % signed.length]!);
  const keys: Record<string, string> = {};
  for (const k of readKeyFile(manifest.keysZone).keys) keys[k.name] ??= k.value;
  // The zone holds a decoy key first for one selector; both tools get the key in use.
  for (const k of readKeyFile(manifest.keysZone).keys) if (k.name.startsWith('s2017.')) keys[k.name] = k.value;
  writeFileSync(join(dir, 'keys.json'), JSON.stringify(keys));
  rmSync(src, { recursive: true, force: true });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  if (args[0] === '--worker') return tamisWorker(args[1]!);
  const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 5000);
  const rounds = Number(args[args.indexOf('--rounds') + 1] ?? 5) || 5;
  const busy = args.includes('--busy');
  const sets = { plain: join(OUT, 'dkim-plain'), leak: join(OUT, 'dkim-leak') };
  await writePlain(sets.plain, count);
  await writeLeak(sets.leak, count);
  let hog: ChildProcess | null = null;
  if (busy) hog = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  try {
    for (const [name, dir] of Object.entries(sets)) {
      const t: Timing[] = [], p: Timing[] = [];
      for (let r = 0; r < rounds; r++) {
        t.push(run(process.execPath, [new URL(import.meta.url).pathname, '--worker', dir]));
        p.push(run('/usr/bin/python3', ['-c', PY, dir]));
      }
      const row = {
        set: name, messages: count, rounds, busyCore: busy,
        tamis: { verified: t[0]!.verified, wall: +median(t.map((x) => x.seconds)).toFixed(2), cpu: +median(t.map((x) => x.cpu)).toFixed(2), perSecond: Math.round(count / median(t.map((x) => x.seconds))) },
        python3dkim: { verified: p[0]!.verified, wall: +median(p.map((x) => x.seconds)).toFixed(2), cpu: +median(p.map((x) => x.cpu)).toFixed(2), perSecond: Math.round(count / median(p.map((x) => x.seconds))) },
        ratioWall: +(median(p.map((x) => x.seconds)) / median(t.map((x) => x.seconds))).toFixed(2),
        ratioCpu: +(median(p.map((x) => x.cpu)) / median(t.map((x) => x.cpu))).toFixed(2),
        spreadWall: { tamis: [Math.min(...t.map((x) => x.seconds)), Math.max(...t.map((x) => x.seconds))].map((x) => +x.toFixed(2)), python3dkim: [Math.min(...p.map((x) => x.seconds)), Math.max(...p.map((x) => x.seconds))].map((x) => +x.toFixed(2)) },
      };
      console.log(JSON.stringify(row));
    }
  } finally {
    hog?.kill();
  }
  console.log(JSON.stringify({ date: new Date().toISOString().slice(0, 10), machine: `${cpus()[0]?.model ?? 'cpu'} ×${availableParallelism()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`, node: process.version }));
}

await main();
