import type { Harness } from '../helpers/harness';
import type { PracticeUser } from '../../services/directory/practice';
import type { SqliteStore } from '../../services/storage/sqlite';

/** Rows the bot's database has inserted, updated or deleted since it opened. */
export function changesSoFar(h: Harness): number {
  const db = (h.app.services.store as SqliteStore).database;
  return (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
}

/** Posts an activity with exactly this Authorization header (null: none at all). */
export async function postRaw(
  h: Harness,
  activity: unknown,
  authorization: string | null,
): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== null) headers.authorization = authorization;
  const res = await fetch(`${h.server.url}/api/messages`, {
    method: 'POST',
    headers,
    body: JSON.stringify(activity),
  });
  return { status: res.status, body: await res.text() };
}

/** An enabled practice member outside IT. */
export function staffMember(h: Harness): PracticeUser {
  const user = h.practice.users.find(
    (u) => u.accountEnabled !== false && !u.memberOf.includes(h.config.groups.it),
  );
  if (!user) throw new Error('the demo practice has no staff member');
  return user;
}
