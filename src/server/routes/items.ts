// One item: its record and evidence, its original bytes, its sanitised HTML
// body, and word diffs against another item (an altered copy vs its original).
import type { FastifyInstance } from 'fastify';
import { diffWords } from 'diff';
import type { Store } from '../../store/store.ts';
import type { BlobStore } from '../../store/blobs/blob-store.ts';
import { apiError } from '../api-errors.ts';
import { one, sha, type Query } from '../query-params.ts';
import { EMAIL_HTML_CSP, emailHtmlDocument } from '../safe-html.ts';

const MAX_DIFF_INPUT = 100_000;

/** RFC 6266 filename: an ASCII fallback and the exact name, percent-encoded. */
export function contentDisposition(name: string): string {
  const base = name.split(/[\\/]/).pop() || 'item';
  const ascii = base.replace(/[^\x20-\x7e]|["\\%;]/g, '_').slice(0, 150) || 'item';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(base.slice(0, 200))}`;
}

export async function itemRoutes(app: FastifyInstance, opts: { store: Store; blobs: BlobStore }): Promise<void> {
  const explore = opts.store.explore;
  const param = (request: { params: unknown }) => sha((request.params as { sha256: string }).sha256);

  app.get('/api/items/:sha256', async (request) => {
    const item = await explore.item(param(request));
    if (!item) throw apiError('E_API_NOT_FOUND', 'no item with this SHA-256 in the store');
    return item;
  });

  // The original bytes, exactly as received: always a download, never rendered by the browser.
  app.get('/api/items/:sha256/raw', async (request, reply) => {
    const id = param(request);
    const stream = await opts.blobs.readStream(id);
    if (!stream) throw apiError('E_API_NOT_FOUND', 'the original bytes of this item are not in the blob store');
    const name = (await explore.canonicalName(id)) ?? id;
    return reply.type('application/octet-stream').header('content-disposition', contentDisposition(name))
      .header('x-content-type-options', 'nosniff').send(stream);
  });

  app.get('/api/items/:sha256/html', async (request, reply) => {
    const html = await explore.html(param(request));
    if (html === undefined) throw apiError('E_API_NOT_FOUND', 'this item has no HTML body');
    return reply.type('text/html; charset=utf-8').header('content-security-policy', EMAIL_HTML_CSP)
      .header('referrer-policy', 'no-referrer').header('x-content-type-options', 'nosniff').send(emailHtmlDocument(html));
  });

  // Word-level diff of the extracted texts; `against` is the original (the left side).
  app.get('/api/items/:sha256/diff', async (request) => {
    const id = param(request);
    const against = sha(one(request.query as Query, 'against') ?? '');
    const [after, before] = await Promise.all([explore.text(id), explore.text(against)]);
    if (after === undefined || before === undefined) throw apiError('E_API_NOT_FOUND', 'both items must be in the store');
    const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
    const a = norm(before);
    const b = norm(after);
    const truncated = a.length > MAX_DIFF_INPUT || b.length > MAX_DIFF_INPUT;
    const ops = diffWords(a.slice(0, MAX_DIFF_INPUT), b.slice(0, MAX_DIFF_INPUT)).map((p) => ({
      op: p.added ? 'added' : p.removed ? 'removed' : 'equal', text: p.value,
    }));
    return { original: against, copy: id, ops, truncated };
  });
}
