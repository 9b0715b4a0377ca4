import { TeamsInfo, TurnContext, type TeamInfo } from 'botbuilder';
import type { Directory } from '../../services/directory/types';
import type { Logger } from '../../services/logger';
import type { ConversationDirectory, RosterMember } from '../../services/storage/conversations';
import { IT_ROSTER } from '../it-channel';
import type { TicketBoard } from './tickets/board';

export interface ItTeamDeps {
  conversations: ConversationDirectory;
  directory: Directory;
  board: TicketBoard;
  logger: Logger;
  settings: { itGroupId: string; itChannelId?: string };
}

/**
 * The bot in the IT team: where tickets are posted, and who in that team is in the IT group
 * (their Teams ids give them the live, actionable view of each ticket card).
 */
export class ItTeam {
  constructor(private readonly deps: ItTeamDeps) {}

  isItTeam(context: TurnContext, team: TeamInfo | undefined): boolean {
    const { itGroupId, itChannelId } = this.deps.settings;
    const conversationId = context.activity.conversation?.id?.split(';')[0];
    return (
      team?.aadGroupId === itGroupId ||
      (itChannelId !== undefined && conversationId === itChannelId)
    );
  }

  /** The bot was added to a team: if it is the IT team, remember the channel and say hello. */
  async joined(context: TurnContext, team: TeamInfo | undefined): Promise<void> {
    const { board, logger } = this.deps;
    if (!this.isItTeam(context, team)) {
      logger.info({ team: team?.id }, 'added to a team that is not the IT team');
      return;
    }
    // Added again where it already is (Teams re-sends the event now and then): no second hello.
    const known = await this.deps.conversations.channel('it');
    const again =
      known?.conversation?.id === this.channelHere(context) &&
      known.serviceUrl === context.activity.serviceUrl;
    await this.rememberChannel(context);
    if (!again)
      await context.sendActivity(
        'Hello IT team. I will post lost-phone and help requests here, one thread per ticket.',
      );
    await this.refreshRoster(context);
    const reposted = await board.repostMissing();
    if (reposted) logger.info({ reposted }, 'posted the open tickets the IT channel did not show');
  }

  /**
   * Someone @mentioned the bot in a team. In the IT team, and with no IT channel known yet (or
   * a new service address), this channel becomes the place for tickets, as an install would.
   */
  async mentioned(context: TurnContext, team: TeamInfo | undefined): Promise<void> {
    if (!this.isItTeam(context, team)) return;
    const known = await this.deps.conversations.channel('it');
    if (known?.conversation?.id && known.serviceUrl === context.activity.serviceUrl) return;
    await this.rememberChannel(context);
    this.deps.logger.info('IT channel learned from an @mention in the IT team');
    await this.deps.board.repostMissing();
  }

  /**
   * Tickets go to the channel where the bot was added (or @mentioned), unless IT_CHANNEL_ID names
   * one: the event's own conversation, not the team's General channel.
   */
  private async rememberChannel(context: TurnContext): Promise<void> {
    const { conversations } = this.deps;
    const ref = TurnContext.getConversationReference(context.activity);
    const channelId = this.channelHere(context);
    await conversations.saveChannel('it', {
      ...ref,
      conversation: {
        ...ref.conversation!,
        id: channelId,
        conversationType: 'channel',
        isGroup: true,
      },
    });
  }

  /** The channel tickets go to for this event: IT_CHANNEL_ID, or the event's own channel. */
  private channelHere(context: TurnContext): string {
    const channelData = context.activity.channelData as { channel?: { id?: string } } | undefined;
    const here = channelData?.channel?.id ?? context.activity.conversation?.id?.split(';')[0] ?? '';
    return this.deps.settings.itChannelId ?? here;
  }

  /** People joined or left the IT team: the list of live card views follows. */
  async membersChanged(context: TurnContext, team: TeamInfo | undefined): Promise<void> {
    if (this.isItTeam(context, team)) await this.refreshRoster(context);
  }

  /** The team's members who are in the IT group, with their Teams ids. Failures are logged only. */
  async refreshRoster(context: TurnContext): Promise<void> {
    const { conversations, directory, logger, settings } = this.deps;
    try {
      const itMembers = new Set<string>();
      for await (const page of directory.groupMemberPages(settings.itGroupId))
        for (const m of page) itMembers.add(m.id.toLowerCase());
      const roster: RosterMember[] = [];
      let token: string | undefined;
      do {
        const page = await TeamsInfo.getPagedMembers(context, 200, token);
        for (const m of page.members) {
          if (m.aadObjectId && itMembers.has(m.aadObjectId.toLowerCase()))
            roster.push({ aadObjectId: m.aadObjectId, teamsUserId: m.id });
        }
        token = page.continuationToken;
      } while (token);
      await conversations.saveRoster(IT_ROSTER, roster);
      logger.info({ members: roster.length }, 'IT team roster updated');
    } catch (err) {
      logger.warn(
        { err: String((err as Error).message ?? err) },
        'could not read the IT team roster; IT members still get their view once they act',
      );
    }
  }
}
