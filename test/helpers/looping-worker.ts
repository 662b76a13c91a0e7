// A worker for pool tests (thread or process): echoes, loops forever, crashes or runs out of memory on request.
import { workerSide } from '../../src/ingest/pool-process.ts';

const side = await workerSide();
side.onMessage( (msg: { id: number; req: { action: 'echo' | 'loop' | 'crash' | 'oom'; value?: number } }) => {
  const { action, value } = msg.req;
  if (action === 'loop') for (;;) { /* never answers */ }
  if (action === 'crash') process.exit(3);
  if (action === 'oom') { const hoard: number[][] = []; for (;;) hoard.push(new Array(1e6).fill(1)); }
  side.post({ id: msg.id, ok: true, res: (value ?? 0) * 2 });
});
