import type { ConversationReference } from 'botbuilder';
import type { DocumentStore } from './types';

const USERS = 'conversation-refs';
const CHANNELS = 'channel-refs';

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

  async channel(name: string): Promise<Partial<ConversationReference> | undefined> {
    return (await this.store.get<Partial<ConversationReference>>(CHANNELS, name))?.value;
  }
}
