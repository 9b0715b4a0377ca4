import type { Practice, PracticeUser } from '../services/directory/practice';
import { DEMO_TEAMS_APP } from '../services/graph-sim';
import { personalChatId, type DemoTeam } from '../services/teams-sim';

/**
 * Where the demo practice is: its Teams clients (the playground and the stand-in) report this
 * time zone with what people do, as Teams does.
 */
export const DEMO_TIME_ZONE = 'America/Chicago';

/** The bot as the demo's Teams knows it. */
export const DEMO_BOT = { id: '00000000-0000-0000-0000-00000000b07a', name: 'MFA Helper' };

/**
 * The demo's Teams as the playground shows it to the signed-in person: their own 1:1 chat with
 * the bot (named as Teams names it, so each person's chat is their own), a group chat, and the
 * IT team with the channel the bot posts tickets in.
 */
export interface DemoLayout {
  me: PracticeUser;
  personalChatId: string;
  groupChat: { id: string; name: string };
  team: DemoTeam;
  /** The team's General channel (its id is the team's). */
  generalChannelId: string;
  /** Five colleagues the playground lists, IT members first (they share the IT team). */
  colleagues: PracticeUser[];
  /** An IT member who adds the bot to the IT team at start. */
  itLead: PracticeUser;
}

export function demoLayout(practice: Practice, upn: string, itGroupId: string): DemoLayout {
  const me = practice.users.find((u) => u.userPrincipalName.toLowerCase() === upn.toLowerCase());
  if (!me) throw new Error(`DEMO_USER ${upn} is not in the demo practice; pick one of its UPNs`);
  const inIt = (u: PracticeUser) => u.memberOf.includes(itGroupId);
  const active = practice.users.filter((u) => u.accountEnabled !== false && u.userType !== 'Guest');
  const itFirst = [...active].sort((a, b) => Number(inIt(b)) - Number(inIt(a)));
  const itLead = itFirst.find(inIt) ?? me;
  const teamName = practice.groups.find((g) => g.id === itGroupId)?.displayName ?? 'IT Support';
  return {
    me,
    personalChatId: personalChatId(me.id, DEMO_TEAMS_APP.id),
    groupChat: { id: 'group-chat-id', name: 'Front office' },
    team: {
      id: 'it-team-id',
      name: teamName,
      aadGroupId: itGroupId,
      channel: { id: 'it-escalations-id', name: 'Escalations' },
    },
    generalChannelId: 'it-team-id',
    colleagues: itFirst.filter((u) => u.id !== me.id).slice(0, 5),
    itLead,
  };
}

/** The playground's conversations: calls about them go to the playground, not the stand-in. */
export function playgroundConversations(layout: DemoLayout): Set<string> {
  return new Set([
    layout.personalChatId,
    layout.groupChat.id,
    layout.generalChannelId,
    layout.team.channel.id,
  ]);
}
