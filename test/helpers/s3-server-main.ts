// A real S3-compatible server for the tests (s3rver, from the npm registry),
// run as its own process: `node s3-server-main.ts DIR BUCKET` listens on a
// free port of 127.0.0.1, makes BUCKET, and prints {"port": N} once ready.
// Its own process, so tests can run the CLI synchronously meanwhile.
import { createRequire } from 'node:module';

interface S3rverLike { run(): Promise<{ port: number }>; close(): Promise<void> }
type S3rverClass = new (options: Record<string, unknown>) => S3rverLike;
const S3rver = createRequire(import.meta.url)('@20minutes/s3rver') as S3rverClass;

const [directory, bucket] = process.argv.slice(2);
// Buckets are made here: s3rver rejects the SDK's CreateBucket signature (it signs "/bucket/", s3rver checks "/bucket").
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
const { port } = await server.run();
process.stdout.write(JSON.stringify({ port }) + '\n');
const stop = () => { void server.close().finally(() => process.exit(0)); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
