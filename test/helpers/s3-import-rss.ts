// `node s3-import-rss.ts LOCATION FILE`: imports FILE into the blob store at
// LOCATION in a fresh process and prints how much its memory grew meanwhile
// (resident set, sampled every 2 ms), so a test can check that importing a
// large file does not hold it in memory.
import { openBlobStore } from '../../src/store/blobs/open-blob-store.ts';

const [location, file] = process.argv.slice(2) as [string, string];
const blobs = await openBlobStore(location);
await blobs.has('0'.repeat(64)); // warm up: the SDK, a connection
const before = process.memoryUsage.rss();
let peak = before;
const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 2);
const t0 = performance.now();
const r = await blobs.importFile(file);
const ms = performance.now() - t0;
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage.rss());
process.stdout.write(JSON.stringify({ ...r, ms, growth: peak - before }) + '\n');
