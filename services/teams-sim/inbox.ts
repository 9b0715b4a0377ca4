import type { Received } from './store';

/** The newest messages each demo person received, oldest first (a chat keeps only so many here). */
const KEEP = 40;

export class Inbox {
  private readonly byPerson: Map<string, Received[]>;

  constructor(saved: Record<string, Received[]>) {
    this.byPerson = new Map(Object.entries(saved));
  }

  add(userId: string, message: Received): void {
    const list = this.byPerson.get(userId) ?? [];
    list.push(message);
    if (list.length > KEEP) list.splice(0, list.length - KEEP);
    this.byPerson.set(userId, list);
  }

  /** Replaces a message the bot updated; false when this person never had it. */
  replace(
    userId: string,
    id: string,
    change: Pick<Received, 'text' | 'card' | 'summary'>,
    at: string,
  ): boolean {
    const message = this.byPerson.get(userId)?.find((m) => m.id === id);
    if (!message) return false;
    message.text = change.text;
    message.card = change.card;
    message.summary = change.summary ?? message.summary;
    message.updatedAt = at;
    return true;
  }

  find(userId: string, id: string): Received | undefined {
    return this.byPerson.get(userId)?.find((m) => m.id === id);
  }

  list(userId: string): Received[] {
    return [...(this.byPerson.get(userId) ?? [])];
  }

  snapshot(): Record<string, Received[]> {
    return Object.fromEntries(this.byPerson);
  }
}
