// GET …/report: the whole report (`tamis report`) as a download, streamed
// item by item. A bulk export: in team mode it needs the editor role.
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { writeJsonReport } from '../../report/json-report.ts';
import { writeCsvReport } from '../../report/csv-report.ts';
import { apiError } from '../api-errors.ts';
import { one, type Query } from '../query-params.ts';

export async function reportRoutes(app: FastifyInstance): Promise<void> {
  app.get('/report', { config: { role: 'editor' } }, async (request, reply) => {
    const format = one(request.query as Query, 'format') ?? 'json';
    if (format !== 'json' && format !== 'csv') throw apiError('E_API_INVALID', 'format must be json or csv');
    const { store, id } = request.investigation;
    await request.investigation.audit('report.export', format);
    const out = new PassThrough();
    const write = format === 'json' ? writeJsonReport : writeCsvReport;
    // Headers are gone once the first byte is: a failure midway can only cut the download short.
    write(store, out).then(() => out.end(), (err: unknown) => {
      request.log.error({ err }, 'report export failed');
      out.destroy(err as Error);
    });
    const day = new Date().toISOString().slice(0, 10);
    return reply.type(format === 'json' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="tamis-report-${id ?? 'store'}-${day}.${format}"`).send(out);
  });
}
