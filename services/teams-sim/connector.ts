import type http from 'node:http';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { chatOwner, personalChatId, teamsUserId, userOfTeamsId } from './chats';
import type { Inbox } from './inbox';
import type { People } from './people';
import type { DemoPerson, Roster } from './roster';
import type { Received } from './store';

/** The Agents Playground, which shows its own conversations to the person signed in to it. */
export interface DemoClient {
  /** Its mock Bot Connector, e.g. http://127.0.0.1:56150/_connector */
  connectorUrl: string;
  /** The signed-in person's object id. */
  userId: string;
  /** Its conversations (the signed-in person's 1:1 chat, the group chat, the team's channels). */
  conversations: ReadonlySet<string>;
}

export interface Reply {
  status: number;
  body?: unknown;
}

type Json = Record<string, unknown>;

function asJson(value: unknown): Json {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

/**
 * The Bot Connector calls the bot makes (send, reply, update, members, new 1:1 conversations),
 * answered for the demo people's chats; the playground's conversations go to the playground.
 */
export class Connector {
  private counter = 0;

  constructor(
    private readonly deps: {
      roster: Roster;
      inbox: Inbox;
      people: People;
      clock: Clock;
      appId: string;
      tenantId: string;
      client?: DemoClient;
      logger: Logger;
      changed(): void;
    },
  ) {}

  /** Who answers a call about this conversation: the playground, a demo person, or nobody. */
  owner(conversationId: string): 'client' | DemoPerson | undefined {
    const { client, roster } = this.deps;
    const base = conversationId.split(';')[0] ?? '';
    if (client?.conversations.has(base)) return 'client';
    const userId = chatOwner(base);
    const person = userId ? roster.get(userId) : undefined;
    if (person && person.id !== client?.userId) return person;
    return client ? 'client' : undefined;
  }

  /** Whether a new conversation belongs to the playground (a channel post, its own user). */
  createsInClient(body: Json): boolean {
    const { client } = this.deps;
    if (!client) return false;
    const channel = asJson(asJson(body.channelData).channel).id;
    if (typeof channel === 'string') return true;
    const member = this.member(body);
    return !member || member.id === client.userId;
  }

  private member(body: Json): DemoPerson | undefined {
    const first = Array.isArray(body.members) ? asJson(body.members[0]) : {};
    const id = String(first.aadObjectId ?? first.id ?? '');
    const userId = userOfTeamsId(id);
    return userId ? this.deps.roster.get(userId) : undefined;
  }

  createConversation(body: Json): Reply {
    const person = this.member(body);
    if (!person)
      return { status: 400, body: { error: { code: 'BadArgument', message: 'Unknown member' } } };
    const id = personalChatId(person.id, this.deps.appId);
    const activity = asJson(body.activity);
    if (activity.type) {
      const sent = this.deliver(person, id, activity);
      return { status: 201, body: { id, activityId: sent.id } };
    }
    return { status: 201, body: { id } };
  }

  send(person: DemoPerson, conversationId: string, activity: Json, replyToId?: string): Reply {
    if (activity.type && activity.type !== 'message')
      return { status: 200, body: { id: this.nextId() } };
    const sent = this.deliver(person, conversationId, activity, replyToId);
    return { status: 201, body: { id: sent.id } };
  }

  update(person: DemoPerson, activityId: string, activity: Json): Reply {
    const now = this.deps.clock.now().toISOString();
    const replaced = this.deps.inbox.replace(person.id, activityId, content(activity), now);
    if (!replaced)
      return {
        status: 404,
        body: {
          error: {
            code: 'ActivityNotFoundInConversation',
            message: 'Message does not exist in the thread.',
          },
        },
      };
    this.deps.changed();
    return { status: 200, body: { id: activityId } };
  }

  members(person: DemoPerson): Json[] {
    return [
      {
        id: teamsUserId(person.id),
        aadObjectId: person.id,
        name: person.name,
        givenName: person.givenName,
        email: person.upn,
        userPrincipalName: person.upn,
        tenantId: this.deps.tenantId,
        userRole: 'user',
      },
    ];
  }

  private deliver(
    person: DemoPerson,
    conversationId: string,
    activity: Json,
    replyToId?: string,
  ): Received {
    const message: Received = {
      id: this.nextId(),
      conversationId,
      at: this.deps.clock.now().toISOString(),
      ...content(activity),
      ...(replyToId ? { replyToId } : {}),
    };
    this.deps.inbox.add(person.id, message);
    this.deps.people.received(person.id, message);
    this.deps.changed();
    this.deps.logger.debug({ to: person.upn }, 'demo: message delivered');
    return message;
  }

  private nextId(): string {
    this.counter += 1;
    return `${Date.now()}${String(this.counter).padStart(4, '0')}`;
  }
}

function content(activity: Json): Pick<Received, 'text' | 'card' | 'summary'> {
  const attachment = Array.isArray(activity.attachments) ? asJson(activity.attachments[0]) : {};
  const card =
    attachment.contentType === 'application/vnd.microsoft.card.adaptive'
      ? asJson(attachment.content)
      : undefined;
  return {
    text: typeof activity.text === 'string' ? activity.text : undefined,
    summary: typeof activity.summary === 'string' ? activity.summary : undefined,
    card,
  };
}

/** Passes a call through to the playground's connector, as it came. */
export async function forward(
  client: DemoClient,
  req: http.IncomingMessage,
  body: string,
): Promise<Reply> {
  const res = await fetch(`${client.connectorUrl}${req.url ?? '/'}`, {
    method: req.method,
    headers: { 'content-type': 'application/json' },
    body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    parsed = { error: { code: 'BadGateway', message: text.slice(0, 200) } };
  }
  return { status: res.status, body: parsed };
}
