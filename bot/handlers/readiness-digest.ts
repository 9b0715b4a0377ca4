import { digestCard } from '../../cards/readiness';
import { toAttachment } from '../../cards/render';
import { DAY, type Clock } from '../../services/clock';
import { isDirectoryError, type Directory } from '../../services/directory/types';
import type { Logger } from '../../services/logger';
import type { DigestSubscriber, WeeklyDigest } from '../../services/readiness/digest';
import type { Scheduler } from '../../services/scheduler';
import { UnreachableError, type Proactive } from '../proactive';

/**
 * The weekly readiness digest: every Monday the bot assembles it once and sends it to each admin
 * who asked for it and is still in the admin group (asked of the directory then, not remembered
 * from when they opted in).
 */

export const DIGEST_JOB = 'readiness.digest';
const DIGEST_JOB_ID = 'readiness-digest';

/** Mondays at 13:00 UTC: the start of the working day in the US time zones. */
const SEND_HOUR_UTC = 13;

export interface WeeklyDigestDeps {
  scheduler: Scheduler;
  clock: Clock;
  logger: Logger;
  digests: { assemble(): Promise<WeeklyDigest> };
  subscriptions: { list(): Promise<DigestSubscriber[]> };
  directory: Pick<Directory, 'memberGroups'>;
  proactive: Pick<Proactive, 'toUser'>;
  settings: { adminGroup: string };
}

/** The first Monday 13:00 UTC after `now`. */
export function nextDigestAt(now: Date): Date {
  const at = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), SEND_HOUR_UTC),
  );
  at.setUTCDate(at.getUTCDate() + ((8 - at.getUTCDay()) % 7));
  return at.getTime() > now.getTime() ? at : new Date(at.getTime() + 7 * DAY);
}

interface Round {
  sent: number;
  /** Opted in, but no longer in the admin group. */
  notAdmin: number;
  failed: number;
}

/** Who gets it this week: subscribers the directory still lists as admins. */
async function stillAdmins(d: WeeklyDigestDeps, round: Round): Promise<DigestSubscriber[]> {
  const admins: DigestSubscriber[] = [];
  for (const subscriber of await d.subscriptions.list()) {
    try {
      const matched = await d.directory.memberGroups(subscriber.id, [d.settings.adminGroup]);
      if (matched.includes(d.settings.adminGroup)) admins.push(subscriber);
      else round.notAdmin += 1;
    } catch (err) {
      // Not known to be an admin this week: nothing is sent to them.
      if (!isDirectoryError(err)) throw err;
      d.logger.warn({ err, subscriber: subscriber.id }, 'could not check a digest subscriber');
      round.failed += 1;
    }
  }
  return admins;
}

async function sendDigests(d: WeeklyDigestDeps): Promise<Round> {
  const round: Round = { sent: 0, notAdmin: 0, failed: 0 };
  const admins = await stillAdmins(d, round);
  if (admins.length === 0) return round;
  const card = toAttachment(digestCard(await d.digests.assemble()));
  for (const admin of admins) {
    try {
      await d.proactive.toUser(admin.id, { attachments: [card] });
      round.sent += 1;
    } catch (err) {
      // One admin's blocked chat is no reason to hold back the others' (or send theirs twice).
      round.failed += 1;
      if (err instanceof UnreachableError)
        d.logger.warn({ subscriber: admin.id }, 'weekly digest not delivered: no chat with them');
      else d.logger.error({ err, subscriber: admin.id }, 'weekly digest not delivered');
    }
  }
  return round;
}

/**
 * Registers the weekly job. The composition root calls `schedule()` at start; each run schedules
 * the next Monday's first, so a failed week never ends the round.
 */
export function registerWeeklyDigest(d: WeeklyDigestDeps): { schedule(): Promise<void> } {
  d.scheduler.register(DIGEST_JOB, async () => {
    await d.scheduler.schedule(DIGEST_JOB, nextDigestAt(d.clock.now()), {}, DIGEST_JOB_ID);
    try {
      d.logger.info({ ...(await sendDigests(d)) }, 'weekly readiness digest');
    } catch (err) {
      d.logger.error(
        { err },
        'could not send the weekly readiness digest; next week it tries again',
      );
    }
  });
  return {
    async schedule() {
      if ((await d.scheduler.pending(DIGEST_JOB)).length > 0) return;
      await d.scheduler.schedule(DIGEST_JOB, nextDigestAt(d.clock.now()), {}, DIGEST_JOB_ID);
    },
  };
}
