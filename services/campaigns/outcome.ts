import type { Clock } from '../clock';
import type { Directory } from '../directory/types';
import type { Outcome, OutboxRow } from './model';

/**
 * How many of a campaign's recipients are on Authenticator now: the registration report's
 * registered rows (streamed, filtered by Graph), plus people the sender skipped because they had
 * registered before their nudge went out. Counted at seven days after launch for the report.
 */
export async function measureOutcome(
  directory: Directory,
  rows: readonly OutboxRow[],
  clock: Clock,
  final: boolean,
): Promise<{ outcome: Outcome; registeredIds: Set<string> }> {
  const ids = new Set(rows.map((r) => r.recipient.id));
  const registered = new Set(rows.filter((r) => r.registeredAt).map((r) => r.recipient.id));
  for await (const page of directory.registrationPages({ authenticatorRegistered: true })) {
    for (const r of page) if (ids.has(r.id)) registered.add(r.id);
  }
  return { outcome: { registered: registered.size, recipients: ids.size, checkedAt: clock.now().toISOString(), final }, registeredIds: registered };
}
