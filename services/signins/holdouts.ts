import type { Directory } from '../directory/types';
import { ConflictError, type DocumentStore } from '../storage/types';
import { textCodeMethod } from './detect';
import type { SignInEvent } from './model';

/**
 * People who still sign in with text or voice codes. The monitor counts each such sign-in once
 * (by sign-in id); `findHoldouts` keeps those who have Microsoft Authenticator registered: they
 * could use it and don't, so they are the admin's nudge candidates.
 */

const HOLDOUTS = 'signin-holdouts';
/** Ids remembered per person, to count a sign-in read twice (the read overlap) once. */
const RECENT_IDS = 100;

export interface TextCodeUse {
  userId: string;
  upn: string;
  name: string;
  sms: number;
  voice: number;
  firstAt: string;
  lastAt: string;
  lastMethod: 'sms' | 'voice';
  recentIds: string[];
}

export type Holdout = Omit<TextCodeUse, 'recentIds'>;

export class HoldoutStore {
  constructor(private readonly store: DocumentStore) {}

  /** Counts the text and voice code sign-ins among these events; returns how many were new. */
  async record(events: SignInEvent[]): Promise<number> {
    const byUser = new Map<string, Array<{ event: SignInEvent; method: 'sms' | 'voice' }>>();
    for (const event of events) {
      const method = textCodeMethod(event);
      if (!method) continue;
      const list = byUser.get(event.userId) ?? [];
      list.push({ event, method });
      byUser.set(event.userId, list);
    }
    let added = 0;
    for (const [userId, uses] of byUser) added += await this.add(userId, uses);
    return added;
  }

  async all(): Promise<TextCodeUse[]> {
    return (await this.store.query<TextCodeUse>(HOLDOUTS)).map((d) => d.value);
  }

  private async add(
    userId: string,
    uses: Array<{ event: SignInEvent; method: 'sms' | 'voice' }>,
  ): Promise<number> {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const doc = await this.store.get<TextCodeUse>(HOLDOUTS, userId);
      const seen = new Set(doc?.value.recentIds ?? []);
      const fresh = uses
        .filter((u) => !seen.has(u.event.id))
        .sort((a, b) => a.event.at.localeCompare(b.event.at));
      if (!fresh.length) return 0;
      const first = fresh[0]!.event;
      const last = fresh[fresh.length - 1]!;
      const base: TextCodeUse = doc?.value ?? {
        userId,
        upn: first.upn,
        name: first.name,
        sms: 0,
        voice: 0,
        firstAt: first.at,
        lastAt: first.at,
        lastMethod: last.method,
        recentIds: [],
      };
      const next: TextCodeUse = {
        ...base,
        upn: last.event.upn,
        name: last.event.name,
        sms: base.sms + fresh.filter((u) => u.method === 'sms').length,
        voice: base.voice + fresh.filter((u) => u.method === 'voice').length,
        lastAt: last.event.at > base.lastAt ? last.event.at : base.lastAt,
        lastMethod: last.event.at >= base.lastAt ? last.method : base.lastMethod,
        recentIds: [...base.recentIds, ...fresh.map((u) => u.event.id)].slice(-RECENT_IDS),
      };
      try {
        await this.store.put(
          HOLDOUTS,
          userId,
          next,
          doc ? { etag: doc.etag, index: next.lastAt } : { ifAbsent: true, index: next.lastAt },
        );
        return fresh.length;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    throw new Error(`could not count text-code sign-ins for ${userId}: too much contention`);
  }
}

/**
 * Text and voice code users who have Authenticator registered, most recent first. One pass over
 * the registration report (Authenticator users only) rather than a call per person.
 */
export async function findHoldouts(
  holdouts: HoldoutStore,
  directory: Pick<Directory, 'registrationPages'>,
): Promise<Holdout[]> {
  const uses = await holdouts.all();
  if (!uses.length) return [];
  const withAuthenticator = new Set<string>();
  for await (const page of directory.registrationPages({ authenticatorRegistered: true })) {
    for (const row of page) withAuthenticator.add(row.id.toLowerCase());
  }
  return uses
    .filter((u) => withAuthenticator.has(u.userId))
    .sort((a, b) => b.lastAt.localeCompare(a.lastAt))
    .map(({ recentIds: _ids, ...holdout }) => holdout);
}
