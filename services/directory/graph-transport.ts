import { randomUUID } from 'node:crypto';
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  TelemetryHandler,
  type Context,
  type FetchOptions,
  type Middleware,
  type MiddlewareOptions,
} from '@microsoft/microsoft-graph-client';
import { Agent } from 'undici';
import type { Logger } from '../logger';

/**
 * The Graph client's middleware chain: retries with Retry-After and a timeout on every attempt
 * first, then the SDK's own authentication, telemetry and HTTP handlers.
 */

export interface AccessTokenProvider {
  getAccessToken(): Promise<string>;
}

/** Thrown when the token provider fails, so the caller can tell it from a network failure. */
export class TokenAcquisitionError extends Error {
  constructor(readonly original: unknown) {
    const reason = original instanceof Error ? original.message : String(original);
    super(`could not get a Graph access token: ${reason}`);
    this.name = 'TokenAcquisitionError';
  }
}

/** Per-call record the retry middleware fills in (passed as a middleware option). */
export class CallInfo implements MiddlewareOptions {
  attempts = 0;
  timedOut = false;
  statuses: number[] = [];
  error: unknown = null;
}

interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  /** Longest Retry-After the client waits for; beyond it the call fails as throttled. */
  maxRetryAfterMs: number;
  /** Per attempt, including reading the body. */
  timeoutMs: number;
}

const RETRYABLE = new Set([429, 503, 504]);
const MAX_BACKOFF_MS = 30_000;

/** Retry-After in milliseconds (seconds or an HTTP date), or null when absent or unreadable. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | null {
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class RetryTimeoutHandler implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly policy: RetryPolicy,
    private readonly logger: Logger,
  ) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const info = context.middlewareControl?.getMiddlewareOptions(CallInfo) as CallInfo | undefined;
    const original = context.options ?? {};
    const headers: Record<string, string> = {
      ...(original.headers as Record<string, string> | undefined),
      'client-request-id': randomUUID(),
    };
    for (let attempt = 0; ; attempt += 1) {
      const signal = AbortSignal.timeout(this.policy.timeoutMs);
      const attemptHeaders: Record<string, string> = { ...headers };
      if (attempt > 0) attemptHeaders['Retry-Attempt'] = String(attempt);
      context.options = { ...original, headers: attemptHeaders, signal };
      try {
        await this.next!.execute(context);
      } catch (err) {
        if (info) {
          info.error = err;
          info.timedOut = signal.aborted;
        }
        throw err;
      }
      const response = context.response!;
      if (info) {
        info.attempts = attempt + 1;
        info.statuses.push(response.status);
      }
      if (!RETRYABLE.has(response.status) || attempt >= this.policy.maxRetries) return;
      const asked = retryAfterMs(response.headers);
      if (asked !== null && asked > this.policy.maxRetryAfterMs) return;
      const backoff = Math.min(this.policy.baseDelayMs * 2 ** attempt, MAX_BACKOFF_MS);
      const wait = asked ?? Math.round(backoff * (0.8 + Math.random() * 0.4));
      await response.body?.cancel().catch(() => undefined);
      this.logger.warn(
        { status: response.status, attempt: attempt + 1, waitMs: wait },
        'Graph asked the bot to retry',
      );
      await sleep(wait);
    }
  }
}

export interface GraphClientSettings {
  baseUrl: string;
  authProvider: AccessTokenProvider;
  caPem?: string;
  policy: RetryPolicy;
  logger: Logger;
}

/** The Graph root without a trailing slash or version: https://graph.microsoft.com */
export function graphRoot(baseUrl: string): URL {
  const url = new URL(baseUrl);
  if (url.protocol !== 'https:') throw new Error(`Graph base URL must use https: ${baseUrl}`);
  url.pathname = url.pathname.replace(/\/+$/, '').replace(/\/v1\.0$/i, '');
  url.search = '';
  url.hash = '';
  return url;
}

/**
 * A Graph client. With a CA, the client trusts that CA alone (through its own undici
 * dispatcher, e.g. the stand-in's self-signed certificate); TLS elsewhere in the process is
 * untouched. Without one, the system's usual roots apply.
 */
export function createGraphClient(settings: GraphClientSettings): {
  client: Client;
  agent?: Agent;
} {
  const root = graphRoot(settings.baseUrl);
  const provider = settings.authProvider;
  const auth = new AuthenticationHandler({
    getAccessToken: async () => {
      let token: string;
      try {
        token = await provider.getAccessToken();
      } catch (err) {
        throw new TokenAcquisitionError(err);
      }
      if (!token) throw new TokenAcquisitionError(new Error('the token provider returned nothing'));
      return token;
    },
  });
  const agent = settings.caPem ? new Agent({ connect: { ca: settings.caPem } }) : undefined;
  const fetchOptions = agent ? ({ dispatcher: agent } as unknown as FetchOptions) : undefined;
  const client = Client.initWithMiddleware({
    middleware: [
      new RetryTimeoutHandler(settings.policy, settings.logger),
      auth,
      new TelemetryHandler(),
      new HTTPMessageHandler(),
    ],
    baseUrl: root.href.replace(/\/$/, ''),
    defaultVersion: 'v1.0',
    customHosts: new Set([root.hostname]),
    fetchOptions,
  });
  return { client, agent };
}
