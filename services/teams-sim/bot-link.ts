import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger';
import { teamsUserId } from './chats';
import type { DemoPerson } from './roster';

export interface BotLinkOptions {
  /** The bot's messaging endpoint (…/api/messages). */
  endpoint: string;
  bot: { id: string; name: string };
  tenantId: string;
  /** The people's time zone, sent with each thing they do as Teams does. */
  timeZone: string;
  /** This stand-in's address: the serviceUrl of everything it sends. */
  serviceUrl: () => string;
  logger: Logger;
}

/** An IT team and the channel the bot is added to. */
export interface DemoTeam {
  id: string;
  name: string;
  aadGroupId: string;
  channel: { id: string; name: string };
}

/**
 * What Teams sends the bot on the demo people's behalf: their messages and card clicks, and the
 * bot being added to a team. Shapes as Teams sends them (clientInfo with the time zone included).
 */
export class BotLink {
  constructor(private readonly o: BotLinkOptions) {}

  private base(person: DemoPerson | undefined) {
    return {
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: this.o.serviceUrl(),
      recipient: { id: this.o.bot.id, name: this.o.bot.name },
      ...(person
        ? { from: { id: teamsUserId(person.id), name: person.name, aadObjectId: person.id } }
        : {}),
      locale: 'en-US',
      localTimezone: this.o.timeZone,
      entities: [{ type: 'clientInfo', locale: 'en-US', country: 'US', timezone: this.o.timeZone }],
    };
  }

  private personal(conversationId: string) {
    return {
      conversation: { id: conversationId, conversationType: 'personal', tenantId: this.o.tenantId },
      channelData: { tenant: { id: this.o.tenantId } },
    };
  }

  /** They type a message in their chat with the bot. */
  async say(person: DemoPerson, conversationId: string, text: string): Promise<void> {
    await this.post({
      ...this.base(person),
      ...this.personal(conversationId),
      type: 'message',
      text,
    });
  }

  /** They click an Action.Execute button on a card; returns the card the bot answers with. */
  async press(
    person: DemoPerson,
    conversationId: string,
    messageId: string,
    action: { verb: string; data: unknown; title?: string },
  ): Promise<Record<string, unknown> | undefined> {
    const body = await this.post({
      ...this.base(person),
      ...this.personal(conversationId),
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: messageId,
      value: {
        action: {
          type: 'Action.Execute',
          verb: action.verb,
          data: action.data,
          title: action.title,
        },
        trigger: 'manual',
      },
    });
    const value = (body as { value?: unknown } | undefined)?.value;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  }

  /** Someone added the bot to a team, in this channel (Teams' conversationUpdate). */
  async addedToTeam(team: DemoTeam, by: DemoPerson): Promise<void> {
    const { tenantId } = this.o;
    await this.post({
      ...this.base(by),
      type: 'conversationUpdate',
      conversation: {
        id: team.channel.id,
        name: team.channel.name,
        conversationType: 'channel',
        isGroup: true,
        tenantId,
      },
      channelData: {
        tenant: { id: tenantId },
        team: { id: team.id, name: team.name, aadGroupId: team.aadGroupId },
        channel: { id: team.channel.id, name: team.channel.name },
        eventType: 'teamMemberAdded',
      },
      membersAdded: [{ id: this.o.bot.id }],
    });
  }

  private async post(activity: Record<string, unknown>): Promise<unknown> {
    const res = await fetch(this.o.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (!res.ok) {
      throw new Error(`the bot answered ${res.status} to a ${String(activity.type)} activity`);
    }
    try {
      return text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      return undefined;
    }
  }
}
