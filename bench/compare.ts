// tamis side by side with the tools people use today, on the same machine
// and the same generated files (issue 9). Installs the peers from Debian if
// missing (notmuch, recoll, exiftool, python3-dkim, poppler-utils), then:
//   mail indexing: `notmuch new` (and `recollindex`) vs `tamis ingest` (parse + DKIM + index + analysis)
//   DKIM: python3-dkim's API vs tamis' verifier, one thread each, same signed messages and key
//   metadata and PDF text: `exiftool -j` batch and `pdftotext` vs tamis (bench/metadata.ts)
//   search: `notmuch search` / `recollq` vs `tamis search` (command line) and tamis' API
// Writes the table into bench/README.md between the compare markers.
// Usage: node bench/compare.ts [emails=20000] [--no-readme] [--generate-only]
// (--generate-only makes the signed maildir and key files in bench/out/compare-N and stops.)
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import { makeMailDump } from '../test/fixtures/make-mail-dump.ts';
import { verifyDkim } from '../src/analyze/dkim/verify-message.ts';
import { KeyIndex } from '../src/keys/key-index.ts';
import { openStore } from '../src/store/open-store.ts';

const count = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 20_000);
const writeReadme = !process.argv.includes('--no-readme');
const here = fileURLToPath(new URL('.', import.meta.url));
const out = join(here, 'out', `compare-${count}`);
const maildir = join(out, 'maildir');
const bin = join(here, '../bin/tamis.js');

// --- peers -------------------------------------------------------------------
const need = [['notmuch', 'notmuch'], ['recollindex', 'recoll'], ['exiftool', 'libimage-exiftool-perl'], ['pdftotext', 'poppler-utils']]
  .filter(([cmd]) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0).map(([, pkg]) => pkg!);
if (spawnSync('/usr/bin/python3', ['-c', 'import dkim']).status !== 0) need.push('python3-dkim');
if (need.length) {
  console.error(`installing ${need.join(' ')}`);
  spawnSync('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${need.join(' ')}`], { stdio: 'inherit' });
}
const version = (cmd: string) => spawnSync('sh', ['-c', cmd], { encoding: 'utf8' }).stdout.trim().split('\n')[0] ?? '';

// --- the dump: N generated emails, DKIM-signed with a key made here ----------
const domain = 'en-marche.example';
const keyName = `bench._domainkey.${domain}`;
if (!existsSync(join(out, 'keys.json'))) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await makeMailDump(maildir, { count, seed: 7, layout: 'maildir' });
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const value = `v=DKIM1; k=rsa; p=${key.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
  for (const f of listFiles(maildir)) {
    const raw = readFileSync(f);
    const signed = await dkimSign(raw, { signatureData: [{ signingDomain: domain, selector: 'bench', privateKey: pem }] } as never);
    writeFileSync(f, Buffer.concat([Buffer.from(signed.signatures), raw]));
  }
  writeFileSync(join(out, 'keys.json'), JSON.stringify({ [keyName]: value }));
  writeFileSync(join(out, 'keys.zone'), `${keyName}. 3600 IN TXT "${value}"\n`);
}

if (process.argv.includes('--generate-only')) {
  console.log(`${maildir} (key: ${join(out, 'keys.zone')})`);
  process.exit(0);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}
const files = listFiles(maildir);
const inputMB = files.reduce((n, f) => n + readFileSync(f).length, 0) / 2 ** 20;

// --- measuring a command: wall time and peak RSS from GNU time ---------------
interface Run { seconds: number; rssMB: number; stdout: string }
function timed(cmd: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', ...cmd], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 28 });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [secs, kb] = last.split(' ').map(Number);
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed: ${r.stderr.slice(-800)}`);
  return { seconds: secs!, rssMB: Math.round(kb! / 1024), stdout: r.stdout };
}

const rows: { task: string; tamis: string; peer: string; tamisSecs: number; peerSecs: number; unit: number; tamisRss?: number; peerRss?: number; unitName: string }[] = [];

// 1. Mail indexing.
const notmuchConfig = join(out, 'notmuch-config');
// The notmuch database lives outside the maildir, which both tools then read untouched.
writeFileSync(notmuchConfig, `[database]\npath=${join(out, 'notmuch-db')}\nmail_root=${maildir}\n[new]\ntags=new\n[maildir]\nsynchronize_flags=false\n`);
rmSync(join(out, 'notmuch-db'), { recursive: true, force: true });
mkdirSync(join(out, 'notmuch-db'), { recursive: true });
const notmuch = timed(['notmuch', 'new', '--quiet'], { NOTMUCH_CONFIG: notmuchConfig });
const db = join(out, 'tamis.db');
for (const p of [db, `${db}-wal`, `${db}-shm`, join(out, 'tamis.blobs')]) rmSync(p, { recursive: true, force: true });
const ingest = timed([process.execPath, bin, 'ingest', maildir, '--db', db, '--keys', join(out, 'keys.zone'), '--no-ocr', '--quiet']);
rows.push({ task: `mail indexing, ${count.toLocaleString('en')} emails`, tamis: 'tamis ingest (parse + DKIM + index + verdicts)', peer: 'notmuch new',
  tamisSecs: ingest.seconds, peerSecs: notmuch.seconds, unit: count, unitName: 'emails', tamisRss: ingest.rssMB, peerRss: notmuch.rssMB });
const recollConf = join(out, 'recoll');
rmSync(recollConf, { recursive: true, force: true });
mkdirSync(recollConf, { recursive: true });
writeFileSync(join(recollConf, 'recoll.conf'), `topdirs = ${maildir}\nskippedNames = .notmuch\nnoContentSuffixes =\nloglevel = 1\n`);
const recoll = timed(['recollindex', '-c', recollConf]);
rows.push({ task: `mail indexing, ${count.toLocaleString('en')} emails`, tamis: 'tamis ingest (as above)', peer: 'recollindex',
  tamisSecs: ingest.seconds, peerSecs: recoll.seconds, unit: count, unitName: 'emails', tamisRss: ingest.rssMB, peerRss: recoll.rssMB });

// 2. DKIM, one thread each, same messages and key.
const keysJson = JSON.parse(readFileSync(join(out, 'keys.json'), 'utf8')) as Record<string, string>;
const index = new KeyIndex([{ name: keyName, value: keysJson[keyName]!, source: 'file:bench', importedAt: new Date().toISOString() }]);
const bytes = files.map((f) => readFileSync(f));
let pass = 0;
const t0 = performance.now();
// A valid signature is dkim.pass, or dkim.third-party-signer when the From domain is another one.
for (const b of bytes) if ((await verifyDkim(b, { keys: index })).findings.some((x) => x.rule === 'dkim.pass' || x.rule === 'dkim.third-party-signer')) pass++;
const dkimSecs = (performance.now() - t0) / 1000;
const py = `import dkim, json, sys, time
keys = json.load(open(sys.argv[1])); files = [l.strip() for l in open(sys.argv[2])]
def dnsfunc(name, timeout=5): return keys.get(name.decode().rstrip('.')).encode()
msgs = [open(f, 'rb').read() for f in files]
t = time.perf_counter(); ok = sum(1 for m in msgs if dkim.verify(m, dnsfunc=dnsfunc))
print(json.dumps({'pass': ok, 'seconds': time.perf_counter() - t}))`;
writeFileSync(join(out, 'files.txt'), files.join('\n'));
const pyRun = spawnSync('/usr/bin/python3', ['-c', py, join(out, 'keys.json'), join(out, 'files.txt')], { encoding: 'utf8', maxBuffer: 1 << 26 });
if (pyRun.status !== 0) throw new Error(`python3-dkim: ${pyRun.stderr.slice(-800)}`);
const pyRes = JSON.parse(pyRun.stdout) as { pass: number; seconds: number };
if (pass !== count || pyRes.pass !== count) console.error(`DKIM passes: tamis ${pass}, python3-dkim ${pyRes.pass} of ${count}`);
rows.push({ task: `DKIM verification, ${count.toLocaleString('en')} messages, 1 thread`, tamis: 'tamis verifier (src/analyze/dkim)', peer: 'python3-dkim dkim.verify',
  tamisSecs: dkimSecs, peerSecs: pyRes.seconds, unit: count, unitName: 'msgs' });

// 3. Metadata and PDF text (bench/metadata.ts runs both sides on the shared corpora).
type Side = { seconds: number };
const meta = JSON.parse(timed([process.execPath, join(here, 'metadata.ts'), '3']).stdout) as {
  metadata: { files: number; tamis: Side; exiftool: Side }; pdfText: { files: number; tamis: Side; pdftotext: Side };
};
rows.push({ task: `metadata, ${meta.metadata.files} Office/PDF files (shared corpora)`, tamis: 'tamis ingestors, 1 thread', peer: 'exiftool -j -fast (one batch)',
  tamisSecs: meta.metadata.tamis.seconds, peerSecs: meta.metadata.exiftool.seconds, unit: meta.metadata.files, unitName: 'files' });
rows.push({ task: `PDF text, ${meta.pdfText.files} PDFs (shared corpora)`, tamis: 'tamis (pdf.js), 1 thread', peer: 'pdftotext (one process per file)',
  tamisSecs: meta.pdfText.tamis.seconds, peerSecs: meta.pdfText.pdftotext.seconds, unit: meta.pdfText.files, unitName: 'files' });

// 4. Search latency: the median of the same queries.
const words = ['budget', 'réunion', 'presse', 'trésorerie', 'comité', 'salle', 'équipe', 'campagne', 'dons', 'meeting'];
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
// Wall time of the whole command (process start included, as a user runs it), finer than GNU time's 10 ms.
const latency = (cmd: (w: string) => string[], env: Record<string, string> = {}) => median(words.map((w) => {
  const t = performance.now();
  const r = spawnSync(cmd(w)[0]!, cmd(w).slice(1), { env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd(w).join(' ')}: ${r.stderr.toString().slice(-500)}`);
  return (performance.now() - t) / 1000;
}));
const notmuchSearch = latency((w) => ['notmuch', 'search', '--output=files', '--limit=20', w], { NOTMUCH_CONFIG: notmuchConfig });
const recollSearch = latency((w) => ['recollq', '-c', recollConf, '-b', '-n', '20', w]);
const tamisCli = latency((w) => [process.execPath, bin, 'search', w, '--db', db, '--limit', '20', '--json']);
const { store } = await openStore(db, { mustExist: true });
const apiTimes: number[] = [];
for (let round = 0; round < 5; round++) {
  for (const w of words) { const t = performance.now(); await store.explore.search({ q: w }, { limit: 20, offset: 0 }); apiTimes.push((performance.now() - t) / 1000); }
}
await store.close();
rows.push({ task: 'search, median of 10 one-word queries', tamis: 'tamis search (command line)', peer: 'notmuch search', tamisSecs: tamisCli, peerSecs: notmuchSearch, unit: 1, unitName: 'query' });
rows.push({ task: 'search, median of 10 one-word queries', tamis: 'tamis search (command line)', peer: 'recollq', tamisSecs: tamisCli, peerSecs: recollSearch, unit: 1, unitName: 'query' });
rows.push({ task: 'search, median of 10 one-word queries', tamis: 'tamis API (with facets; server already running)', peer: 'notmuch search', tamisSecs: median(apiTimes), peerSecs: notmuchSearch, unit: 1, unitName: 'query' });

// --- the table -----------------------------------------------------------------
const fmt = (s: number) => (s >= 10 ? s.toFixed(1) : s >= 1 ? s.toFixed(2) : s >= 0.01 ? s.toFixed(3) : s.toFixed(4));
const rate = (n: number, s: number, u: string) => (u === 'query' ? '' : `${Math.round(n / s).toLocaleString('en')} ${u}/s`);
const machine = `${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const peers = [version('notmuch --version'), version('recollq -v 2>&1 | head -1'), `exiftool ${version('exiftool -ver')}`, version('pdftotext -v 2>&1'),
  `python3-dkim ${version("/usr/bin/python3 -c 'import dkim,importlib.metadata as m; print(m.version(\"dkimpy\"))'")}`].join('; ');
const table = [
  `Run on ${new Date().toISOString().slice(0, 10)}, ${machine}; ${count.toLocaleString('en')} generated emails (${inputMB.toFixed(1)} MB, DKIM-signed, RSA-2048). Peers: ${peers}.`,
  '',
  '| task | tamis | peer | tamis wall | peer wall | tamis rate | peer rate | tamis peak RSS | peer peak RSS | tamis speed ÷ peer speed |',
  '|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.task} | ${r.tamis} | ${r.peer} | ${fmt(r.tamisSecs)} s | ${fmt(r.peerSecs)} s | ${rate(r.unit, r.tamisSecs, r.unitName)} | ${rate(r.unit, r.peerSecs, r.unitName)} | ${r.tamisRss ? `${r.tamisRss} MB` : ''} | ${r.peerRss ? `${r.peerRss} MB` : ''} | ${(r.peerSecs / r.tamisSecs).toFixed(2)} |`),
].join('\n');
console.log(table);
if (writeReadme) {
  const readme = join(here, 'README.md');
  const text = readFileSync(readme, 'utf8');
  const start = '<!-- compare:start -->';
  const end = '<!-- compare:end -->';
  if (text.includes(start)) writeFileSync(readme, text.slice(0, text.indexOf(start) + start.length) + '\n' + table + '\n' + text.slice(text.indexOf(end)));
}
