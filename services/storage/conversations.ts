import type { ConversationReference } from 'botbuilder';
import { ConflictError, type DocumentStore } from './types';

const USERS = 'conversation-refs';
const CHANNELS = 'channel-refs';
const ROSTERS = 'team-rosters';

/** A member of a team as Teams names them: the Teams user id (MRI) goes into card refresh lists. */
export interface RosterMember {
  aadObjectId: string;
  teamsUserId: string;
}

/**
 * Where the bot can reach people later: each user's 1:1 conversation reference (saved on every
 * turn) and the channel references of teams the bot is installed in.
 */
export class ConversationDirectory {
  constructor(private readonly store: DocumentStore) {}

  async saveUser(aadObjectId: string, ref: Partial<ConversationReference>): Promise<void> {
    await this.store.put(USERS, aadObjectId, ref);
  }

  async user(aadObjectId: string): Promise<Partial<ConversationReference> | undefined> {
    return (await this.store.get<Partial<ConversationReference>>(USERS, aadObjectId))?.value;
  }

  async saveChannel(name: string, ref: Partial<ConversationReference>): Promise<void> {
    await this.store.put(CHANNELS, name, ref);
  }

  /** Replaces a team's roster (e.g. the IT team's members who are in the IT group). */
  async saveRoster(name: string, members: RosterMember[]): Promise<void> {
    await this.store.put(ROSTERS, name, { members, at: new Date().toISOString() });
  }

  async roster(name: string): Promise<RosterMember[]> {
    return (await this.store.get<{ members: RosterMember[] }>(ROSTERS, name))?.value.members ?? [];
  }

  /** Adds one member seen acting (their Teams id is known from the activity), once. */
  async learnRosterMember(name: string, member: RosterMember): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const doc = await this.store.get<{ members: RosterMember[] }>(ROSTERS, name);
      const members = doc?.value.members ?? [];
      if (
        members.some(
          (m) => m.aadObjectId === member.aadObjectId && m.teamsUserId === member.teamsUserId,
        )
      )
        return;
      const next = [...members.filter((m) => m.aadObjectId !== member.aadObjectId), member];
      try {
        await this.store.put(
          ROSTERS,
          name,
          { members: next, at: new Date().toISOString() },
          doc ? { etag: doc.etag } : { ifAbsent: true },
        );
        return;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
  }

  async channel(name: string): Promise<Partial<ConversationReference> | undefined> {
    return (await this.store.get<Partial<ConversationReference>>(CHANNELS, name))?.value;
  }
}
