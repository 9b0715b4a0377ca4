import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger';
import type { Faults } from './faults';
import type { Limits } from './limits';
import { badRequest, GraphHttpError, readBody, sendError, type SimContext } from './http';
import type { RequestLog } from './request-log';
import { methodNotAllowed, splitPath, unknownSegment, type Router } from './router';
import type { SimState } from './state';

/** One request through the stand-in: auth, injected faults, routing, Graph-shaped errors. */

export interface ServerDeps {
  state: SimState;
  graph: Router;
  sim: Router;
  faults: Faults;
  limits: Limits;
  requests: RequestLog;
  logger: Logger;
  baseUrl: () => string;
}

const BEARER = /^Bearer\s+\S+/i;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const FAULT_ERRORS: Record<number, [string, string]> = {
  429: ['TooManyRequests', 'Too many requests. Retry after the interval in Retry-After.'],
  503: ['serviceNotAvailable', 'The service is temporarily unavailable. Try again later.'],
  504: ['UnknownError', 'The gateway timed out.'],
};

function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}

async function parseJsonBody(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('Unable to read JSON request payload.');
  }
}

/** Returns true when the request was fully answered by an injected fault. */
async function applyFault(
  ctx: SimContext,
  deps: ServerDeps,
  markFaulted: () => void,
): Promise<boolean> {
  const decision = deps.faults.decide(ctx.url.pathname);
  if (!decision) return false;
  if (decision.status || decision.malformed) markFaulted();
  if (decision.latencyMs) await sleep(decision.latencyMs);
  if (decision.status) {
    const [code, message] = FAULT_ERRORS[decision.status]!;
    const headers: Record<string, string> = {};
    if (decision.retryAfterSeconds !== undefined) {
      headers['retry-after'] = String(decision.retryAfterSeconds);
    }
    throw new GraphHttpError(decision.status, code, message, headers);
  }
  if (decision.malformed) {
    ctx.res.writeHead(200, { 'content-type': 'application/json' });
    ctx.res.end('{"value": [{"id": "trunc');
    return true;
  }
  return false;
}

export function handleRequest(deps: ServerDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const clientRequestId = headerValue(req, 'client-request-id');
    res.setHeader('request-id', requestId);
    res.setHeader('client-request-id', clientRequestId ?? requestId);
    const url = new URL(req.url ?? '/', deps.baseUrl());
    const ctx: SimContext = {
      req,
      res,
      url,
      params: {},
      body: undefined,
      requestId,
      clientRequestId,
      baseUrl: deps.baseUrl(),
      state: deps.state,
    };
    const path = url.pathname;
    const isGraph = /^\/(v1\.0|beta)\//i.test(path);
    const isSim = path.startsWith('/_sim/');
    let faulted = false;
    if (isGraph) {
      res.on('finish', () => {
        const attempt = Number(headerValue(req, 'retry-attempt'));
        deps.requests.add({
          at: new Date().toISOString(),
          method: req.method ?? '',
          path,
          query: url.search,
          status: res.statusCode,
          requestId,
          retryAttempt: Number.isInteger(attempt) && attempt > 0 ? attempt : null,
          fault: faulted,
        });
      });
    }
    try {
      if (!isGraph && !isSim) throw badRequest(`Invalid version: '${splitPath(path)[0] ?? ''}'.`);
      if (isGraph) {
        if (!BEARER.test(headerValue(req, 'authorization') ?? '')) {
          throw new GraphHttpError(401, 'InvalidAuthenticationToken', 'Access token is empty.', {
            'www-authenticate': 'Bearer realm=""',
          });
        }
        const throttled = deps.limits.admit(path);
        if (throttled) {
          throw new GraphHttpError(
            429,
            'TooManyRequests',
            'Too many requests. Retry after the interval in Retry-After.',
            {
              'retry-after': String(throttled.retryAfterSeconds),
            },
          );
        }
        if (await applyFault(ctx, deps, () => (faulted = true))) return;
        const wait = deps.state.reportsThrottle.admit(path, deps.state.now().getTime());
        if (wait !== null) {
          const [code, message] = FAULT_ERRORS[429]!;
          throw new GraphHttpError(429, code, message, { 'retry-after': String(wait) });
        }
      }
      const segments = splitPath(path);
      const match = (isGraph ? deps.graph : deps.sim).match(req.method ?? 'GET', segments);
      if (match.kind === 'none') throw unknownSegment(segments);
      if (match.kind === 'wrong-method') throw methodNotAllowed(match.allowed);
      ctx.params = match.params;
      if (req.method === 'POST' || req.method === 'PATCH' || req.method === 'PUT')
        ctx.body = await parseJsonBody(req);
      await match.handler(ctx);
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof GraphHttpError) {
        sendError(ctx, err);
      } else {
        deps.logger.error({ err: (err as Error).message, path }, 'graph-sim handler failed');
        sendError(ctx, new GraphHttpError(500, 'InternalServerError', 'The stand-in failed.'));
      }
    }
  };
}
