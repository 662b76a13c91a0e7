// The one JSON error shape of the API: { "error": { "code", "message" } }
// with a stable code from src/core/errors.ts and a matching HTTP status.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { TamisError, type ErrorCode } from '../core/errors.ts';

export interface ApiError { error: { code: ErrorCode; message: string } }

export const STATUS: Partial<Record<ErrorCode, number>> = {
  E_API_INVALID: 400, E_QUERY: 400, E_API_NOT_FOUND: 404, E_API_HOST: 403, E_UI_NOT_BUILT: 503,
  E_API_UNAUTHENTICATED: 401, E_API_FORBIDDEN: 403, E_API_CSRF: 403, E_API_RATE_LIMITED: 429, E_DB_OPEN: 503,
};

export const apiError = (code: ErrorCode, detail?: string): TamisError => new TamisError(code, detail);

export function sendError(reply: FastifyReply, err: TamisError): FastifyReply {
  return reply.code(STATUS[err.code] ?? 500).type('application/json; charset=utf-8')
    .send({ error: { code: err.code, message: err.message } } satisfies ApiError);
}

export function errorHandler(err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err instanceof TamisError) return sendError(reply, err);
  const status = (err as FastifyError).statusCode;
  // Fastify's own 4xx (bad JSON, body too large...) are the client's mistake, with their text.
  if (status && status >= 400 && status < 500) return sendError(reply, new TamisError('E_API_INVALID', err.message));
  request.log.error({ err }, 'unexpected error');
  return sendError(reply, new TamisError('E_API_INTERNAL'));
}
