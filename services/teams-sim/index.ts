import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Practice } from '../directory/practice';
import type { Logger } from '../logger';
import { BotLink, type DemoTeam } from './bot-link';
import { Connector, forward, type DemoClient, type Reply } from './connector';
import { Controls } from './controls';
import type { DemoTime } from './demo-time';
import { Inbox } from './inbox';
import { People, type DemoAccounts, type NudgeButtons } from './people';
import { Phones } from './phones';
import { Roster } from './roster';
import { SimStore } from './store';

export { personalChatId } from './chats';
export type { DemoAccounts, NudgeButtons } from './people';
export type { DemoClient } from './connector';
export type { DemoTeam } from './bot-link';

export interface TeamsSimOptions {
  /** 0 picks a free port. */
  port: number;
  practice: Practice;
  time: DemoTime;
  /** Where the demo people's state is kept; without it nothing is saved. */
  dataDir?: string;
  /** The bot's messaging endpoint and its Teams identity. */
  bot: { endpoint: string; id: string; name: string };
  /** The Teams app's id: part of each person's chat id. */
  appId: string;
  /** The playground, when it runs. */
  client?: DemoClient;
  /**
   * The team an IT member adds the bot to once the playground's page is open (it shows nothing
   * posted before then), in the channel the playground shows.
   */
  itTeam?: { team: DemoTeam; addedBy: string };
  accounts: DemoAccounts;
  nudge: NudgeButtons;
  /** The demo people's time zone. */
  timeZone: string;
  logger: Logger;
}

export interface TeamsSim {
  /** http://127.0.0.1:PORT/ : the serviceUrl of the demo's Teams. */
  url: string;
  /** Where the playground sends what its user does: passed on to the bot as it came. */
  clientEndpoint: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the demo's Teams (see README.md). It listens on 127.0.0.1 only, like the rest of the
 * demo, which has no authentication.
 */
export async function startTeamsSim(o: TeamsSimOptions): Promise<TeamsSim> {
  const roster = new Roster(o.practice);
  const store = new SimStore(o.dataDir ? path.join(o.dataDir) : undefined, o.logger);
  const saved = store.load();
  const inbox = new Inbox(saved.inbox);
  const snapshot = () => ({
    version: 1 as const,
    inbox: inbox.snapshot(),
    plans: saved.plans,
    phones: saved.phones,
  });
  const changed = () => store.save(snapshot);
  let url = '';
  const link = new BotLink({
    endpoint: o.bot.endpoint,
    bot: { id: o.bot.id, name: o.bot.name },
    tenantId: o.practice.tenantId,
    timeZone: o.timeZone,
    serviceUrl: () => url,
    logger: o.logger,
  });
  const people = new People({
    roster,
    inbox,
    link,
    accounts: o.accounts,
    clock: o.time.clock,
    nudge: o.nudge,
    logger: o.logger,
    plans: saved.plans,
    changed,
  });
  const connector = new Connector({
    roster,
    inbox,
    people,
    clock: o.time.clock,
    appId: o.appId,
    tenantId: o.practice.tenantId,
    client: o.client,
    logger: o.logger,
    changed,
  });
  const phones = new Phones({
    accounts: o.accounts,
    clock: o.time.clock,
    logger: o.logger,
    phones: saved.phones,
    changed,
  });
  const controls = new Controls({
    roster,
    inbox,
    phones,
    time: o.time,
    link,
    appId: o.appId,
    clientUserId: o.client?.userId,
  });

  const route = async (req: http.IncomingMessage, raw: string): Promise<Reply> => {
    const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
    let body: unknown = {};
    if (raw) {
      try {
        body = JSON.parse(raw) as unknown;
      } catch {
        return {
          status: 400,
          body: { error: { code: 'BadArgument', message: 'The body is not JSON.' } },
        };
      }
    }
    const json = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    if (parts[0] === '_client' && req.method === 'POST') return fromClient(json, raw);
    if (parts[0] === '_sim') {
      return (
        (await controls.handle(req.method ?? 'GET', parts.slice(1), body)) ?? {
          status: 404,
          body: { error: { text: 'No such demo control.' } },
        }
      );
    }
    if (parts[0] !== 'v3')
      return { status: 404, body: { error: { code: 'NotFound', message: pathname } } };
    if (parts[1] === 'conversations' && parts.length === 2 && req.method === 'POST') {
      if (connector.createsInClient(json)) return forward(o.client!, req, raw);
      return connector.createConversation(json);
    }
    if (parts[1] !== 'conversations' || !parts[2]) {
      // Team details and anything else about the playground's team.
      return o.client
        ? forward(o.client, req, raw)
        : { status: 404, body: { error: { code: 'NotFound', message: pathname } } };
    }
    const owner = connector.owner(parts[2]);
    if (owner === 'client') return forward(o.client!, req, raw);
    if (!owner)
      return {
        status: 404,
        body: { error: { code: 'ConversationNotFound', message: 'Conversation not found' } },
      };
    const [, , conversationId, kind, id] = parts;
    if (kind === 'activities' && req.method === 'POST')
      return connector.send(owner, conversationId!, json, id);
    if (kind === 'activities' && req.method === 'PUT' && id)
      return connector.update(owner, id, json);
    if (kind === 'members' && req.method === 'GET') {
      const members = connector.members(owner);
      return { status: 200, body: id ? members[0] : members };
    }
    if (kind === 'pagedmembers' && req.method === 'GET')
      return { status: 200, body: { members: connector.members(owner) } };
    return {
      status: 405,
      body: { error: { code: 'MethodNotAllowed', message: `${req.method} ${pathname}` } },
    };
  };

  /**
   * The playground's activity, passed to the bot unchanged. What the page sends when it loads
   * (the app installed in the signed-in person's chat) also tells the rest of the demo it is
   * open: anything posted before then the page would never show.
   */
  const fromClient = async (activity: Record<string, unknown>, raw: string): Promise<Reply> => {
    const res = await fetch(o.bot.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw,
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    if (activity.type === 'installationUpdate' && o.itTeam) {
      const { team, addedBy } = o.itTeam;
      void addBotToTeam(team, addedBy).catch((err: unknown) =>
        o.logger.warn(
          { err: (err as Error).message },
          'could not add the bot to the demo IT team; open its channel in the playground',
        ),
      );
    }
    let parsed: unknown;
    try {
      parsed = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed };
  };

  const addBotToTeam = async (team: DemoTeam, byUserId: string) => {
    const by = roster.get(byUserId);
    if (!by) throw new Error(`${byUserId} is not in the demo practice`);
    await link.addedToTeam(team, by);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      route(req, Buffer.concat(chunks).toString('utf8'))
        .catch((err: unknown): Reply => {
          o.logger.warn(
            { err: (err as Error).message, path: req.url },
            'the demo Teams could not answer',
          );
          return {
            status: 502,
            body: { error: { code: 'BadGateway', message: 'The demo Teams could not answer.' } },
          };
        })
        .then(({ status, body }) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(body === undefined ? '' : JSON.stringify(body));
        })
        .catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}/`;

  let ticking = false;
  const ticker = setInterval(() => {
    if (ticking) return;
    ticking = true;
    void people.tick().finally(() => (ticking = false));
  }, 1000);
  ticker.unref();

  return {
    url,
    clientEndpoint: `${url}_client/api/messages`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(ticker);
        store.flush(snapshot);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
