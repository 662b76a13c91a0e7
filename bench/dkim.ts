// DKIM verification speed: tamis (mailauth, offline key archive) against
// python3-dkim (Debian package, the reference implementation behind
// `dkimverify`) on the same signed messages. Usage: node bench/dkim.ts [count]
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import { verifyDkim } from '../src/analyze/dkim.ts';
import { KeyIndex } from '../src/keys/key-index.ts';

const count = Number(process.argv[2] ?? 2000);
const dir = new URL('./out/dkim-messages/', import.meta.url).pathname;
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
const value = `v=DKIM1; k=rsa; p=${key.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
const name = 'bench._domainkey.en-marche.example';
const words = 'le la les de des du trésorerie comité campagne budget réunion prévisions dons salle presse équipe'.split(' ');
for (let i = 0; i < count; i++) {
  const body = Array.from({ length: 400 }, (_, j) => words[(i * 7 + j * 13) % words.length]).join(' ').replace(/(.{70}) /g, '$1\r\n');
  const msg = `From: equipe${i % 50}@en-marche.example\r\nTo: presse@example.org\r\nSubject: Message ${i}\r\nDate: Tue, 02 May 2017 10:00:00 +0200\r\nMessage-ID: <${i}@mx1.en-marche.example>\r\n\r\n${body}\r\n`;
  const signed = await dkimSign(msg, {
    signingDomain: 'en-marche.example', selector: 'bench', privateKey: key.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    signatureData: [{ signingDomain: 'en-marche.example', selector: 'bench', privateKey: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }],
  } as never);
  writeFileSync(join(dir, `${i}.eml`), signed.signatures + msg);
}
writeFileSync(join(dir, 'keys.json'), JSON.stringify({ [name]: value }));

// tamis, one thread (the pipeline runs one of these per core).
const keys = new KeyIndex([{ name, value, source: 'file:bench', importedAt: new Date().toISOString() }]);
const files = Array.from({ length: count }, (_, i) => readFileSync(join(dir, `${i}.eml`)));
let pass = 0;
const t0 = performance.now();
for (const f of files) if ((await verifyDkim(f, { keys })).findings.some((x) => x.rule === 'dkim.pass')) pass++;
const tamisSecs = (performance.now() - t0) / 1000;

// python3-dkim, one process, same files and key.
const py = `import dkim, json, sys, time, os
d = sys.argv[1]; n = int(sys.argv[2]); keys = json.load(open(os.path.join(d, 'keys.json')))
def dnsfunc(name, timeout=5):
    return keys.get(name.decode().rstrip('.')).encode()
msgs = [open(os.path.join(d, '%d.eml' % i), 'rb').read() for i in range(n)]
t = time.perf_counter(); ok = sum(1 for m in msgs if dkim.verify(m, dnsfunc=dnsfunc))
print(json.dumps({'pass': ok, 'seconds': time.perf_counter() - t}))`;
const r = spawnSync('/usr/bin/python3', ['-c', py, dir, String(count)], { encoding: 'utf8' });
const pyRes = r.status === 0 ? JSON.parse(r.stdout) as { pass: number; seconds: number } : null;

console.log(JSON.stringify({
  date: new Date().toISOString().slice(0, 10),
  machine: `${cpus()[0]?.model ?? 'cpu'} ×${availableParallelism()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
  messages: count,
  tamis: { pass, seconds: +tamisSecs.toFixed(2), perSecond: Math.round(count / tamisSecs) },
  python3dkim: pyRes ? { pass: pyRes.pass, seconds: +pyRes.seconds.toFixed(2), perSecond: Math.round(count / pyRes.seconds) } : r.stderr.slice(0, 300),
  ratio: pyRes ? +((count / tamisSecs) / (count / pyRes.seconds)).toFixed(2) : null,
}, null, 2));
