import { DAY, type Clock } from '../clock';
import type { Logger } from '../logger';
import type { Scheduler } from '../scheduler';
import type { AuditHead } from './record';
import { headToken } from './verify';

/**
 * Once a day the chain head is posted where the database cannot reach: the IT channel. Anyone who
 * later rewrites or cuts the log (even with the audit key) cannot change what the channel saw, and
 * `mfa-bot audit verify --head <seq>:<hash>` checks the log against any of those posts.
 */

const CHECKPOINT_JOB = 'audit.checkpoint';
const CHECKPOINT_JOB_ID = 'audit-checkpoint';

export interface CheckpointDeps {
  scheduler: Scheduler;
  clock: Clock;
  logger: Logger;
  audit: { head(): Promise<AuditHead | undefined> };
}

/** What the IT channel reads: the full hash (compact), and the command that checks against it. */
export function checkpointText(head: AuditHead): string {
  const token = headToken(head);
  return (
    `🔏 Audit log checkpoint: record ${head.seq.toLocaleString('en-US')}, fingerprint \`${token}\`. ` +
    `Keep this message: with it IT can prove later that the log up to here was not changed ` +
    `(\`mfa-bot audit verify --head ${token}\`).`
  );
}

/**
 * Registers the daily checkpoint job; `post` sends text to the IT channel (the composition root
 * wires it, so this module knows nothing of Teams). Returns what starts the daily round.
 */
export function registerAuditCheckpoints(
  d: CheckpointDeps,
  post: (text: string) => Promise<void>,
): { schedule(): Promise<void> } {
  d.scheduler.register(CHECKPOINT_JOB, async () => {
    // Tomorrow's first, so one failed post never ends the daily round.
    await d.scheduler.schedule(
      CHECKPOINT_JOB,
      new Date(d.clock.now().getTime() + DAY),
      {},
      CHECKPOINT_JOB_ID,
    );
    try {
      const head = await d.audit.head();
      if (head) await post(checkpointText(head));
    } catch (err) {
      d.logger.warn({ err }, 'could not post the audit checkpoint; the next one is tomorrow');
    }
  });
  return {
    async schedule() {
      // Once across restarts and instances starting together; a round that failed for good is
      // started again.
      await d.scheduler.scheduleOnce(CHECKPOINT_JOB, d.clock.now(), {}, CHECKPOINT_JOB_ID);
    },
  };
}
