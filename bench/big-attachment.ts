// One email carrying a very large attachment (default 1 GiB decoded, ~1.4 GB
// of base64): generated into a temporary folder, DKIM-signed with a key made
// on the spot, then ingested by the real command (`tamis ingest`, analysis
// included) in a child process. Prints wall time and the peak RSS of the
// tamis process (worker threads are in it) and of its whole process tree, and
// checks the result: the attachment is an item with the exact SHA-256 of its
// decoded bytes, and the signature verifies over the 1.4 GB message.
// Usage: node bench/big-attachment.ts [attachmentMB] [more tamis ingest options, e.g. --max-worker-memory 512M]
import { spawn } from 'node:child_process';
import { createCipheriv, createHash, generateKeyPairSync } from 'node:crypto';
import { closeSync, createReadStream, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statfsSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';

const attachmentMb = Number(process.argv[2] ?? 1024);
const extraArgs = process.argv.slice(3);
const bin = new URL('../bin/tamis.js', import.meta.url).pathname;

// The .eml (~1.37× the attachment), its copy in the blob store and the decoded attachment, with room to spare.
const need = attachmentMb * 2 ** 20 * 4.5;
const free = statfsSync(tmpdir()).bavail * statfsSync(tmpdir()).bsize;
if (free < need) throw new Error(`needs ${(need / 2 ** 30).toFixed(1)} GiB free in ${tmpdir()}, has ${(free / 2 ** 30).toFixed(1)} GiB`);
const root = mkdtempSync(join(tmpdir(), 'tamis-big-attachment-'));

/** Peak RSS (MB) of a process and the largest sum over its process tree, sampled from /proc. */
function watchTree(pid: number): { stop: () => { hwmMb: number; treeMb: number } } {
  let hwm = 0, tree = 0;
  const read = (p: number, field: string): number => {
    try { return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0); } catch { return 0; }
  };
  const descendants = (p: number): number[] => {
    const kids: number[] = [];
    for (const d of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
      try { if (Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === p) kids.push(Number(d)); } catch { /* gone */ }
    }
    return kids.flatMap((k) => [k, ...descendants(k)]);
  };
  const sample = () => {
    hwm = Math.max(hwm, read(pid, 'VmHWM'));
    tree = Math.max(tree, [pid, ...descendants(pid)].reduce((n, p) => n + read(p, 'VmRSS'), 0));
  };
  const timer = setInterval(sample, 250);
  return { stop: () => { clearInterval(timer); return { hwmMb: Math.round(hwm / 1024), treeMb: Math.round(tree / 1024) }; } };
}

try {
  // 1. The message: a short body, then the attachment as base64 in 76-character lines. Its bytes are an
  // AES-CTR key stream: incompressible like a video, and the same on every run.
  const dump = join(root, 'dump');
  mkdirSync(dump);
  const unsigned = join(root, 'unsigned.eml');
  const t0 = performance.now();
  const fd = openSync(unsigned, 'w');
  writeSync(fd, ['From: Équipe presse <presse@en-marche.example>', 'To: tresorier@en-marche.example', 'Subject: Captation de la réunion du 2 mai',
    'Date: Tue, 02 May 2017 10:00:00 +0200', 'Message-ID: <captation.2017-05-02@mx1.en-marche.example>', 'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="=_captation"', '', '--=_captation', 'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit', '', 'Bonjour,', '', 'voici la captation complète de la réunion.', '', '--=_captation',
    'Content-Type: video/mp4; name="reunion-2017-05-02.mp4"', 'Content-Disposition: attachment; filename="reunion-2017-05-02.mp4"',
    'Content-Transfer-Encoding: base64', '', ''].join('\r\n'));
  const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, 7), Buffer.alloc(16, 1));
  const hash = createHash('sha256');
  const block = 57 * 16384; // whole 57-byte groups: each makes one 76-character line
  const zeros = Buffer.alloc(block);
  for (let left = attachmentMb * 2 ** 20; left > 0; left -= block) {
    const data = cipher.update(zeros.subarray(0, Math.min(block, left)));
    hash.update(data);
    writeSync(fd, data.toString('base64').replace(/.{76}/g, '$&\r\n').replace(/\r\n$/, '') + '\r\n');
  }
  writeSync(fd, '--=_captation--\r\n');
  closeSync(fd);
  const attachmentSha = hash.digest('hex');

  // 2. Signed, as its domain's server would have, reading the message as a stream.
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const signed = await dkimSign(createReadStream(unsigned), {
    signingDomain: 'en-marche.example', selector: 'mai2017', privateKey,
    signatureData: [{ signingDomain: 'en-marche.example', selector: 'mai2017', privateKey }],
  } as never);
  if (signed.errors.length) throw new Error(`signing failed: ${JSON.stringify(signed.errors)}`);
  const eml = join(dump, 'captation.eml');
  const out = openSync(eml, 'w');
  writeSync(out, signed.signatures);
  for await (const chunk of createReadStream(unsigned, { highWaterMark: 8 << 20 })) writeSync(out, chunk as Buffer);
  closeSync(out);
  rmSync(unsigned);
  const keyFile = join(root, 'keys.json');
  writeFileSync(keyFile, JSON.stringify({ 'mai2017._domainkey.en-marche.example': `v=DKIM1; k=rsa; p=${keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}` }));
  const generated = (performance.now() - t0) / 1000;

  // 3. `tamis ingest`, as a user runs it; the hook prints the process's own peak RSS (threads included) when it exits.
  const db = join(root, 'store', 'tamis.db');
  const hook = 'data:text/javascript,process.on("exit",()=>process.stderr.write("TAMIS_MAXRSS_KB="+process.resourceUsage().maxRSS+"\\n"))';
  const t1 = performance.now();
  const child = spawn(process.execPath, ['--import', hook, bin, 'ingest', dump, '--db', db, '--keys', keyFile, '--quiet', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  const watch = watchTree(child.pid!);
  let stdout = '', stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const seconds = (performance.now() - t1) / 1000;
  const tree = watch.stop();
  if (status !== 0) throw new Error(`tamis ingest exited with ${status}: ${stderr}`);

  // 4. What the store holds.
  const report = JSON.parse(await new Promise<string>((resolve) => {
    const r = spawn(process.execPath, [bin, 'report', '--db', db], { stdio: ['ignore', 'pipe', 'inherit'] });
    let s = '';
    r.stdout.on('data', (d) => { s += d; });
    r.on('close', () => resolve(s));
  })) as { items: { path: string; sha256: string; size: number; verdict: string | null }[]; failures: unknown[] };
  const email = report.items.find((i) => i.path === 'captation.eml');
  const attachment = report.items.find((i) => i.path === 'captation.eml!/reunion-2017-05-02.mp4');
  console.log(JSON.stringify({
    date: new Date().toISOString().slice(0, 10),
    machine: `${cpus()[0]?.model ?? 'cpu'} ×${availableParallelism()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    node: process.version,
    attachmentMB: attachmentMb, options: extraArgs.join(' '),
    emlMB: Math.round(statSync(eml).size / 2 ** 20),
    generatedSeconds: +generated.toFixed(1),
    items: report.items.length, failures: report.failures.length,
    attachmentShaMatches: attachment?.sha256 === attachmentSha && attachment.size === attachmentMb * 2 ** 20,
    emailVerdict: email?.verdict ?? null,
    seconds: +seconds.toFixed(1),
    peakRssMB: Math.round(Number(/TAMIS_MAXRSS_KB=(\d+)/.exec(stderr)?.[1] ?? 0) / 1024),
    peakTreeRssMB: tree.treeMb,
  }, null, 2));
  if (stdout.trim() === '') throw new Error('tamis printed no summary');
} finally {
  rmSync(root, { recursive: true, force: true });
}
