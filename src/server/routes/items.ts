// One item: its record and evidence, its original bytes, its sanitised HTML
// body, and word diffs against another item (an altered copy vs its original).
import type { FastifyInstance } from 'fastify';
import { diffWords } from 'diff';
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

// Viewing an item, its HTML, a diff, or downloading its original is written
// to the audit log (team mode) before the answer is sent: no record, no answer.
export async function itemRoutes(app: FastifyInstance): Promise<void> {
  const param = (request: { params: unknown }) => sha((request.params as { sha256: string }).sha256);

  app.get('/items/:sha256', async (request) => {
    const id = param(request);
    const item = await request.investigation.store.explore.item(id);
    if (!item) throw apiError('E_API_NOT_FOUND', 'no item with this SHA-256 in the store');
    await request.investigation.audit('item.view', id);
    return item;
  });

  // The original bytes, exactly as received: always a download, never rendered by the browser.
  app.get('/items/:sha256/raw', async (request, reply) => {
    const id = param(request);
    const { store, blobs } = request.investigation;
    const stream = await blobs.readStream(id);
    if (!stream) throw apiError('E_API_NOT_FOUND', 'the original bytes of this item are not in the blob store');
    let name: string;
    try {
      name = (await store.explore.canonicalName(id)) ?? id;
      await request.investigation.audit('item.download', id, { name });
    } catch (err) {
      stream.destroy();
      throw err;
    }
    return reply.type('application/octet-stream').header('content-disposition', contentDisposition(name))
      .header('x-content-type-options', 'nosniff').send(stream);
  });

  app.get('/items/:sha256/html', async (request, reply) => {
    const id = param(request);
    const html = await request.investigation.store.explore.html(id);
    if (html === undefined) throw apiError('E_API_NOT_FOUND', 'this item has no HTML body');
    await request.investigation.audit('item.html', id);
    return reply.type('text/html; charset=utf-8').header('content-security-policy', EMAIL_HTML_CSP)
      .header('referrer-policy', 'no-referrer').header('x-content-type-options', 'nosniff').send(emailHtmlDocument(html));
  });

  // Word-level diff of the extracted texts; `against` is the original (the left side).
  app.get('/items/:sha256/diff', async (request) => {
    const id = param(request);
    const against = sha(one(request.query as Query, 'against') ?? '');
    const explore = request.investigation.store.explore;
    const [after, before] = await Promise.all([explore.text(id), explore.text(against)]);
    if (after === undefined || before === undefined) throw apiError('E_API_NOT_FOUND', 'both items must be in the store');
    await request.investigation.audit('item.diff', id, { against });
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
