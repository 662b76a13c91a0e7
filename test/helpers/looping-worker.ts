// A worker for pool tests: echoes, loops forever, or crashes on request.
import { parentPort } from 'node:worker_threads';

parentPort!.on('message', (msg: { id: number; req: { action: 'echo' | 'loop' | 'crash' | 'oom'; value?: number } }) => {
  const { action, value } = msg.req;
  if (action === 'loop') for (;;) { /* never answers */ }
  if (action === 'crash') process.exit(3);
  if (action === 'oom') { const hoard: number[][] = []; for (;;) hoard.push(new Array(1e6).fill(1)); }
  parentPort!.postMessage({ id: msg.id, ok: true, res: (value ?? 0) * 2 });
});
