import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';

export interface TestUser {
  aadObjectId: string;
  name: string;
}

export const BOT = { id: '28:mfa-bot', name: 'MFA Helper' };

export interface ActivityOptions {
  serviceUrl: string;
  tenantId: string;
  conversationId?: string;
  conversationType?: 'personal' | 'channel' | 'groupChat';
}

function base(user: TestUser, o: ActivityOptions): Partial<Activity> {
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl: o.serviceUrl,
    timestamp: new Date(),
    from: { id: `29:${user.aadObjectId}`, name: user.name, aadObjectId: user.aadObjectId },
    recipient: { id: BOT.id, name: BOT.name },
    conversation: {
      id: o.conversationId ?? `a:personal-${user.aadObjectId}`,
      conversationType: o.conversationType ?? 'personal',
      tenantId: o.tenantId,
      isGroup: (o.conversationType ?? 'personal') !== 'personal',
      name: '',
    },
    channelData: { tenant: { id: o.tenantId } },
  };
}

export function message(user: TestUser, text: string, o: ActivityOptions): Partial<Activity> {
  return { ...base(user, o), type: 'message', text, textFormat: 'plain', locale: 'en-US' };
}

/** A channel message that @mentions the bot, as Teams sends it. */
export function mentionMessage(
  user: TestUser,
  text: string,
  o: ActivityOptions,
): Partial<Activity> {
  const mention = `<at>${BOT.name}</at>`;
  return {
    ...message(user, `${mention} ${text}`, { ...o, conversationType: 'channel' }),
    entities: [{ type: 'mention', text: mention, mentioned: { id: BOT.id, name: BOT.name } }],
  };
}

/** A Universal Actions click (Action.Execute). */
export function execute(
  user: TestUser,
  verb: string,
  data: unknown,
  o: ActivityOptions,
): Partial<Activity> {
  return {
    ...base(user, o),
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

/** The bot was added to a personal chat. */
export function botAdded(user: TestUser, o: ActivityOptions): Partial<Activity> {
  return {
    ...base(user, o),
    type: 'conversationUpdate',
    membersAdded: [{ id: BOT.id, name: BOT.name }],
  };
}

export const IT_CHANNEL = '19:it-general@thread.tacv2';

/** The bot was added to a team (the IT team when aadGroupId is the IT group). */
export function botAddedToTeam(
  user: TestUser,
  aadGroupId: string,
  o: ActivityOptions,
): Partial<Activity> {
  const a = base(user, { ...o, conversationType: 'channel', conversationId: IT_CHANNEL });
  return {
    ...a,
    type: 'conversationUpdate',
    membersAdded: [{ id: BOT.id, name: BOT.name }],
    channelData: {
      tenant: { id: o.tenantId },
      eventType: 'teamMemberAdded',
      team: { id: IT_CHANNEL, name: 'IT Support', aadGroupId },
    },
  };
}
