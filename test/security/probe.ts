import type { Harness } from '../helpers/harness';
import type { PracticeUser } from '../../services/directory/practice';
import type { SqliteStore } from '../../services/storage/sqlite';

/**
 * Every stored document outside the audit log, with its version: changes when a turn stores
 * anything (a conversation, a ticket) and stays the same when only an audit record was added.
 */
export function storedOutsideAudit(h: Harness): string {
  const db = (h.app.parts.store as SqliteStore).database;
  const rows = db
    .prepare(
      "SELECT collection, key, etag FROM docs WHERE collection NOT IN ('audit', 'audit-head') ORDER BY collection, key",
    )
    .all();
  return JSON.stringify(rows);
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
