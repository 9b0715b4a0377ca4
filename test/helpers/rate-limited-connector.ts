import { seededRandom } from '../../services/prng';
import { parseConnectorRequest } from './connector';
import http from 'node:http';
import { randomUUID } from 'node:crypto';

/**
 * A local Bot Framework connector that enforces Teams-style rate limits and injects failures:
 * a global limit on accepted requests per second, Teams' per-conversation windows, and a share
 * of requests answered 429 (with Retry-After, for that conversation only) or 5xx. A test rule can
 * refuse chosen calls (blocked users, missing chats). Only light records are kept per call, so
 * benchmarks can send tens of thousands of messages.
 */

interface Window {
  limit: number;
  ms: number;
}

const TEAMS_WINDOWS: readonly Window[] = [
  { limit: 7, ms: 1000 },
  { limit: 8, ms: 2000 },
  { limit: 60, ms: 30_000 },
  { limit: 1800, ms: 3_600_000 },
];

export interface Refusal {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

interface CallInfo {
  method: string;
  path: string;
  conversationId: string;
  /** For a create-conversation call: the member it is for. */
  member?: string;
  body: Record<string, unknown>;
}

export interface RateLimitedConnectorOptions {
  /** Accepted requests per second, over any one-second window. */
  globalPerSecond?: number;
  perConversation?: readonly Window[];
  /** Share of requests answered 429 with Retry-After for that conversation. */
  throttleRate?: number;
  retryAfterSeconds?: number;
  /** Share of requests answered 502, 503 or 504. */
  serverErrorRate?: number;
  seed?: number;
  /** Refuses chosen calls (checked before the limits). */
  rule?: (call: CallInfo) => Refusal | undefined;
  /** Keep each accepted activity's body (tests that read the cards). */
  keepBodies?: boolean;
}

export interface Accepted {
  method: string;
  conversationId: string;
  at: number;
  /** `campaignId:round` for a nudge, from the card's button data. */
  tag?: string;
  kind: 'create' | 'send' | 'update' | 'other';
  activityId?: string;
  body?: Record<string, unknown>;
}

export interface ConnectorStats {
  accepted: number;
  /** Refused by the limits: global, per conversation, or during a conversation's Retry-After. */
  overLimit: number;
  /** Of those: refused by the global limit, and by a conversation's windows. */
  overGlobal: number;
  overConversation: number;
  /** Requests sent to a conversation before its injected Retry-After ran out. */
  ignoredRetryAfter: number;
  injected429: number;
  injected5xx: number;
  ruled: number;
}

/** The 1:1 chat id this connector uses for a person (saved chats in tests use the same). */
export function chatIdFor(userId: string): string {
  return `a:chat-${userId}`;
}

/**
 * Whose 1:1 chat this is: a saved chat (`chatIdFor`), the chat of someone who talked to the bot
 * in a test (`a:personal-<id>`), or the chat Graph gives for the app installed for them (the
 * Graph stand-in's `19:<user id>_<app>@unq.gbl.spaces`).
 */
export function userOfChat(conversationId: string): string | undefined {
  for (const prefix of ['a:chat-', 'a:personal-'])
    if (conversationId.startsWith(prefix)) return conversationId.slice(prefix.length);
  return /^19:([0-9a-f-]{36})_[^@]+@unq\.gbl\.spaces$/i.exec(conversationId)?.[1];
}

function nudgeTag(body: Record<string, unknown>): string | undefined {
  const attachments = body.attachments as
    | Array<{ content?: { actions?: Array<{ data?: { campaignId?: unknown; round?: unknown } }> } }>
    | undefined;
  const data = attachments?.[0]?.content?.actions?.find(
    (a) => typeof a.data?.campaignId === 'string',
  )?.data;
  return data ? `${String(data.campaignId)}:${String(data.round)}` : undefined;
}

export class RateLimitedConnector {
  readonly accepted: Accepted[] = [];
  readonly stats: ConnectorStats = {
    accepted: 0,
    overLimit: 0,
    overGlobal: 0,
    overConversation: 0,
    ignoredRetryAfter: 0,
    injected429: 0,
    injected5xx: 0,
    ruled: 0,
  };
  url = '';
  private server: http.Server | undefined;
  private readonly window: number[] = [];
  private windowHead = 0;
  private readonly perConversation = new Map<string, number[]>();
  private readonly throttledUntil = new Map<string, number>();
  private readonly random: () => number;

  constructor(readonly options: RateLimitedConnectorOptions = {}) {
    this.random = seededRandom(options.seed ?? 7);
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  /** Accepted nudges per `conversation|campaign:round`: more than 1 is a duplicate. */
  nudgeCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const a of this.accepted) {
      if (a.kind !== 'send' || !a.tag) continue;
      const key = `${a.conversationId}|${a.tag}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }

  private refuse(res: http.ServerResponse, r: Refusal): void {
    res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
    res.end(
      JSON.stringify(
        r.body ?? {
          error: {
            code: r.status === 429 ? 'Throttled' : 'Refused',
            message: 'refused by the local connector',
          },
        },
      ),
    );
  }

  private limited(res: http.ServerResponse, retryAfter: number): void {
    this.stats.overLimit += 1;
    this.refuse(res, { status: 429, headers: { 'retry-after': String(retryAfter) } });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
    const parsed = parseConnectorRequest(req, raw);
    if (!parsed) {
      res.writeHead(400).end();
      return;
    }
    const { url, parts, body } = parsed;
    const method = req.method ?? 'GET';
    const create = parts[1] === 'conversations' && parts.length === 2 && method === 'POST';
    const member = create
      ? (body.members as Array<{ id?: string }> | undefined)?.[0]?.id
      : undefined;
    const conversationId = create ? chatIdFor(member ?? randomUUID()) : (parts[2] ?? '');
    const call: CallInfo = { method, path: url.pathname, conversationId, member, body };
    const now = Date.now();

    const until = this.throttledUntil.get(conversationId) ?? 0;
    if (until > now) {
      this.stats.ignoredRetryAfter += 1;
      this.limited(res, Math.ceil((until - now) / 1000));
      return;
    }
    const ruled = this.options.rule?.(call);
    if (ruled) {
      this.stats.ruled += 1;
      this.refuse(res, ruled);
      return;
    }
    const limit = this.options.globalPerSecond;
    while (this.windowHead < this.window.length && this.window[this.windowHead]! <= now - 1000)
      this.windowHead += 1;
    if (this.windowHead > 10_000) {
      this.window.splice(0, this.windowHead);
      this.windowHead = 0;
    }
    if (limit && this.window.length - this.windowHead >= limit) {
      this.stats.overGlobal += 1;
      return this.limited(res, 1);
    }
    const sent = this.perConversation.get(conversationId) ?? [];
    for (const w of this.options.perConversation ?? TEAMS_WINDOWS) {
      let inWindow = 0;
      for (let i = sent.length - 1; i >= 0 && sent[i]! > now - w.ms; i -= 1) inWindow += 1;
      if (inWindow >= w.limit) {
        this.stats.overConversation += 1;
        return this.limited(res, 1);
      }
    }
    const roll = this.random();
    const throttleRate = this.options.throttleRate ?? 0;
    if (roll < throttleRate) {
      const seconds = this.options.retryAfterSeconds ?? 1;
      this.stats.injected429 += 1;
      this.throttledUntil.set(conversationId, now + seconds * 1000);
      this.refuse(res, { status: 429, headers: { 'retry-after': String(seconds) } });
      return;
    }
    if (roll < throttleRate + (this.options.serverErrorRate ?? 0)) {
      this.stats.injected5xx += 1;
      this.refuse(res, { status: [502, 503, 504][Math.floor(this.random() * 3)]! });
      return;
    }

    this.window.push(now);
    sent.push(now);
    if (sent.length > 2000) sent.splice(0, sent.length - 2000);
    this.perConversation.set(conversationId, sent);
    this.stats.accepted += 1;
    const kind: Accepted['kind'] = create
      ? 'create'
      : parts[3] !== 'activities'
        ? 'other'
        : method === 'PUT'
          ? 'update'
          : 'send';
    this.accepted.push({
      method,
      conversationId,
      at: now,
      tag: kind === 'send' ? nudgeTag(body) : undefined,
      kind,
      activityId: parts[3] === 'activities' ? parts[4] : undefined,
      body: this.options.keepBodies ? body : undefined,
    });
    res.writeHead(create ? 201 : method === 'PUT' ? 200 : parts[3] === 'members' ? 200 : 201, {
      'content-type': 'application/json',
    });
    if (create) res.end(JSON.stringify({ id: conversationId, activityId: randomUUID() }));
    else if (parts[3] === 'members')
      res.end(JSON.stringify({ id: parts[4], name: 'Member', aadObjectId: parts[4] }));
    else res.end(JSON.stringify({ id: method === 'PUT' ? parts[4] : randomUUID() }));
  }
}
