import type { Clock } from '../clock';
import type { Directory } from '../directory/types';
import type { Outcome, OutboxRow } from './model';
import { newestUpdate } from './registration';

/**
 * How many of a campaign's recipients are on Authenticator now: the registration report's
 * registered rows (streamed, filtered by Graph), plus people the sender skipped because they had
 * registered before their nudge went out. Counted at seven days after launch for the report,
 * with the newest change the report showed: someone who registered in the last few hours may not
 * be counted yet.
 */
export async function measureOutcome(
  directory: Pick<Directory, 'registrationPages'>,
  rows: AsyncIterable<OutboxRow>,
  clock: Clock,
  final: boolean,
): Promise<{ outcome: Outcome; registeredIds: Set<string> }> {
  // Ids only: a large campaign's rows are read a page at a time, never held.
  const ids = new Set<string>();
  const registered = new Set<string>();
  for await (const r of rows) {
    ids.add(r.recipient.id);
    if (r.registeredAt) registered.add(r.recipient.id);
  }
  let reportUpdatedAt: string | null = null;
  for await (const page of directory.registrationPages({ authenticatorRegistered: true })) {
    reportUpdatedAt = newestUpdate(page, reportUpdatedAt);
    for (const r of page) if (ids.has(r.id)) registered.add(r.id);
  }
  const outcome: Outcome = {
    registered: registered.size,
    recipients: ids.size,
    checkedAt: clock.now().toISOString(),
    reportUpdatedAt,
    final,
  };
  return { outcome, registeredIds: registered };
}
