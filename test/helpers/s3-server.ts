// Starts the test S3 server (s3-server-main.ts) and points this process, and
// the CLI processes it starts, at it through the same environment variables
// a user sets: TAMIS_S3_ENDPOINT and the standard AWS ones.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './tmp.ts';

const MAIN = fileURLToPath(new URL('./s3-server-main.ts', import.meta.url));
// s3rver's built-in account.
const ENV = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };

export interface S3TestServer { endpoint: string; bucket: string; dir: string; stop(): Promise<void> }

export async function startS3Server(bucket = 'tamis-test'): Promise<S3TestServer> {
  const tmp = tempDir('tamis-s3rver-');
  const child = spawn(process.execPath, [MAIN, join(tmp.dir, 'data'), bucket], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const [first] = await Promise.race([
    once(lines, 'line') as Promise<[string]>,
    once(child, 'exit').then(([code]) => { throw new Error(`the S3 test server exited (${code}) before listening`); }),
  ]);
  const { port } = JSON.parse(first) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  Object.assign(process.env, ENV, { TAMIS_S3_ENDPOINT: endpoint, TAMIS_S3_SPOOL: join(tmp.dir, 'spool') });
  return {
    endpoint, bucket, dir: tmp.dir,
    stop: async () => {
      if (child.exitCode === null) { child.kill('SIGTERM'); await once(child, 'exit'); }
      tmp.cleanup();
    },
  };
}
