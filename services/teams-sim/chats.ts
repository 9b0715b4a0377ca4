/**
 * A person's 1:1 chat with the bot, named as Teams names it (and as Graph's installedApps/chat
 * gives it): `19:<user id>_<app id>@unq.gbl.spaces`. Whoever owns such a chat can be read from it.
 */

const PERSONAL =
  /^19:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_[^@]+@unq\.gbl\.spaces$/i;

export function personalChatId(userId: string, appId: string): string {
  return `19:${userId.toLowerCase()}_${appId}@unq.gbl.spaces`;
}

/** The user whose 1:1 chat this is, or undefined for any other conversation. */
export function chatOwner(conversationId: string): string | undefined {
  return PERSONAL.exec(conversationId.split(';')[0] ?? '')?.[1]?.toLowerCase();
}

/** The Teams id (MRI) the stand-in gives a demo person. */
export function teamsUserId(userId: string): string {
  return `29:${userId.toLowerCase()}`;
}

/** The user behind a Teams id the stand-in gave, or an Entra object id as it is. */
export function userOfTeamsId(id: string): string | undefined {
  const bare = id.startsWith('29:') ? id.slice(3) : id;
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(bare)
    ? bare.toLowerCase()
    : undefined;
}
