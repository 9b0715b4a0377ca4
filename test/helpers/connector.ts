import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';

export interface ConnectorCall {
  method: string;
  path: string;
  conversationId: string;
  activityId?: string;
  body: Record<string, unknown>;
  at: number;
  /** The Authorization header the bot sent, if any. */
  authorization?: string;
}

/** Says why a call's Authorization header is refused, or undefined to accept it. */
export type ConnectorAuthCheck = (authorization: string | undefined) => string | undefined;

/** The path segments and JSON body of a call to a connector; undefined when the body is not JSON. */
export function parseConnectorRequest(
  req: http.IncomingMessage,
  raw: string,
): { url: URL; parts: string[]; body: Record<string, unknown> } | undefined {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  try {
    return { url, parts, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {} };
  } catch {
    return undefined;
  }
}

/** Decides how the connector answers one call; undefined means "accept it". */
export type ConnectorRule = (
  call: ConnectorCall,
) => { status: number; headers?: Record<string, string>; body?: unknown } | undefined;

/**
 * A local Bot Framework connector: the service the bot sends its replies to. It speaks the
 * connector's REST shapes, records every call, and can be told to refuse some (rate limits,
 * outages, blocked users).
 */
export class LocalConnector {
  readonly calls: ConnectorCall[] = [];
  private server: http.Server | undefined;
  private waiters: Array<() => void> = [];
  rule: ConnectorRule | undefined;
  /** When set, calls it refuses get 401 and are kept in `refused`, not in `calls`. */
  authorize: ConnectorAuthCheck | undefined;
  readonly refused: Array<ConnectorCall & { reason: string }> = [];
  /** Who is in a team or channel, as the paged members call answers (the same for every team). */
  members: Array<{ id: string; name: string; aadObjectId: string }> = [];
  /** Every answer waits this long first: a slow Teams service. */
  delayMs = 0;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (this.delayMs > 0) setTimeout(() => this.handle(req, res, body), this.delayMs);
        else this.handle(req, res, body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${address.port}/`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** Activities the bot sent (replies, new messages and updates), oldest first. */
  activities(conversationId?: string): Array<Partial<Activity> & { _call: ConnectorCall }> {
    return this.calls
      .filter(
        (c) =>
          c.path.includes('/activities') &&
          (!conversationId || c.conversationId === conversationId),
      )
      .map((c) => ({ ...(c.body as Partial<Activity>), _call: c }));
  }

  /** Waits until the predicate holds over the recorded calls. */
  async waitFor<T>(
    check: () => T | undefined | false,
    timeoutMs = 10_000,
    what = 'a connector call',
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting for ${what}; saw ${this.calls.length} calls`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  clear(): void {
    this.calls.length = 0;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
    const parsed = parseConnectorRequest(req, raw);
    if (!parsed) {
      res.writeHead(400).end();
      return;
    }
    const { url, parts, body } = parsed;
    // v3/conversations[/{id}[/activities[/{activityId}]] | /members/{id}]
    const call: ConnectorCall = {
      method: req.method ?? 'GET',
      path: url.pathname,
      conversationId: parts[2] ?? '',
      activityId: parts[3] === 'activities' ? parts[4] : undefined,
      body,
      at: Date.now(),
      authorization: req.headers.authorization,
    };
    const refusal = this.authorize?.(call.authorization);
    if (refusal !== undefined) {
      this.refused.push({ ...call, reason: refusal });
      res.writeHead(401, { 'content-type': 'application/json' });
      const error = { code: 'Unauthorized', message: 'the bearer token is not valid' };
      res.end(JSON.stringify({ error }));
      return;
    }
    const ruled = this.rule?.(call);
    if (ruled) {
      res.writeHead(ruled.status, { 'content-type': 'application/json', ...ruled.headers });
      res.end(
        JSON.stringify(
          ruled.body ?? { error: { code: 'Refused', message: 'refused by test rule' } },
        ),
      );
      return;
    }
    this.calls.push(call);
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
      const waiters = this.waiters;
      this.waiters = [];
      waiters.forEach((w) => w());
    };
    if (parts[0] !== 'v3') return send(404, { error: { code: 'NotFound', message: url.pathname } });
    if (parts[1] === 'conversations' && parts.length === 2 && call.method === 'POST') {
      const id = `a:${randomUUID()}`;
      call.conversationId = id;
      return send(201, { id, activityId: randomUUID() });
    }
    if (parts[1] === 'conversations' && parts[3] === 'pagedmembers' && call.method === 'GET') {
      return send(200, { members: this.members });
    }
    if (parts[1] === 'conversations' && parts[3] === 'members' && call.method === 'GET') {
      return send(200, { id: parts[4], name: 'Member', aadObjectId: parts[4] });
    }
    if (parts[1] === 'conversations' && parts[3] === 'activities') {
      return send(call.method === 'PUT' ? 200 : 201, {
        id: call.method === 'PUT' ? call.activityId : randomUUID(),
      });
    }
    return send(404, { error: { code: 'NotFound', message: url.pathname } });
  }
}
