import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodType } from 'zod';
import { formatPath } from '../directory/practice';
import type { SimState } from './state';

/** Request context, Graph-shaped errors and JSON responses for the stand-in. */

export interface SimContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** The parsed JSON body (undefined when there was none). */
  body: unknown;
  requestId: string;
  clientRequestId: string | null;
  /** e.g. https://localhost:3979 */
  baseUrl: string;
  state: SimState;
}

export type Handler = (ctx: SimContext) => void | Promise<void>;

/** An error answered in Graph's format: {"error":{"code","message","innerError"}}. */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string) =>
  new GraphHttpError(
    404,
    'Request_ResourceNotFound',
    `Resource '${what}' does not exist or one of its queried reference-property objects ` +
      'are not present.',
  );

export const badRequest = (message: string, code = 'BadRequest') =>
  new GraphHttpError(400, code, message);

const JSON_CONTENT_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;' +
  'charset=utf-8';

export function sendJson(
  ctx: SimContext,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  ctx.res.writeHead(status, {
    'content-type': JSON_CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  ctx.res.end(text);
}

export function sendEmpty(
  ctx: SimContext,
  status: number,
  headers: Record<string, string> = {},
): void {
  ctx.res.writeHead(status, { 'content-length': 0, ...headers });
  ctx.res.end();
}

function errorBody(
  ctx: Pick<SimContext, 'requestId' | 'clientRequestId'>,
  code: string,
  message: string,
) {
  return {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().replace(/\.\d{3}Z$/, ''),
        'request-id': ctx.requestId,
        'client-request-id': ctx.clientRequestId ?? ctx.requestId,
      },
    },
  };
}

export function sendError(ctx: SimContext, err: GraphHttpError): void {
  sendJson(ctx, err.status, errorBody(ctx, err.code, err.message), err.headers);
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) {
      throw new GraphHttpError(413, 'RequestEntityTooLarge', 'The request body is too large.');
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a request body with a schema; a bad body is Graph's 400 naming the property. */
export function parseBody<T>(ctx: SimContext, schema: ZodType<T>): T {
  const parsed = schema.safeParse(ctx.body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badRequest(`Invalid request body: ${formatPath(issue.path)}: ${issue.message}`);
  }
  return parsed.data;
}

export function metadata(ctx: SimContext, fragment: string): string {
  return `${ctx.baseUrl}/v1.0/$metadata#${fragment}`;
}

/** The user named by the :id path parameter (object id or UPN), or Graph's 404. */
export function requireUser(ctx: SimContext, param = 'id') {
  const key = ctx.params[param] ?? '';
  const user = ctx.state.user(key);
  if (!user) throw notFound(key);
  return user;
}

/**
 * Refuses the call when the tenant has not granted the app this permission (a test control):
 * Graph's 403 for an app token without the role.
 */
export function requireScope(ctx: SimContext, scope: string): void {
  if (!ctx.state.deniedScopes.has(scope)) return;
  throw new GraphHttpError(
    403,
    'Authorization_RequestDenied',
    'Insufficient privileges to complete the operation.',
  );
}
