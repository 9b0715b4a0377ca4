import { MINUTE, type Clock } from '../../../services/clock';
import type { Logger } from '../../../services/logger';
import type { Scheduler } from '../../../services/scheduler';
import type { IncidentActions } from '../../../services/signins/incident-actions';
import type { PollResult, SignInMonitor } from '../../../services/signins/monitor';
import {
  describeStatus,
  saveDisabled,
  statusToTell,
  type MonitorStatus,
} from '../../../services/signins/status';
import type { DocumentStore } from '../../../services/storage/types';
import type { ItChannel } from '../../it-channel';
import type { SignInBoard } from './board';

const POLL_JOB = 'signins.poll';
const POLL_JOB_ID = 'signins-poll';
/** The first poll after a start waits a little, so the rest of the start-up goes first. */
const FIRST_POLL_DELAY_MS = 10_000;

export interface WatchDeps {
  monitor: Pick<SignInMonitor, 'poll'>;
  actions: Pick<IncidentActions, 'releaseInterrupted'>;
  /** Several instances share the store (Azure): none may release another's claims at start. */
  sharedStorage?: boolean;
  board: Pick<SignInBoard, 'deliver' | 'followUp'>;
  channel: Pick<ItChannel, 'notice'>;
  scheduler: Scheduler;
  /** Where the monitor keeps its state (and what IT was last told about it). */
  store: DocumentStore;
  clock: Clock;
  logger: Logger;
  settings: { enabled: boolean; pollMinutes: number };
}

export interface SignInWatch {
  /** Starts the polling round, or records (and tells IT once) that monitoring is turned off. */
  start(): Promise<void>;
  /** One poll and everything that follows it: what the scheduled job runs. */
  pollOnce(): Promise<PollResult>;
}

/**
 * The sign-in monitor's round: a stored job reads the log every few minutes (later when Graph
 * asks for a longer pause), posts what the outbox holds, and tells the IT channel once when the
 * monitor goes blind or failing, and when it sees again.
 */
export function registerSignInWatch(deps: WatchDeps): SignInWatch {
  const { scheduler, clock, logger } = deps;
  const pollMs = deps.settings.pollMinutes * MINUTE;
  const schedule = (inMs: number) =>
    scheduler.schedule(POLL_JOB, new Date(clock.now().getTime() + inMs), {}, POLL_JOB_ID);

  const tell = async (status: MonitorStatus) => {
    if (!(await statusToTell(deps.store, status, clock.now()))) return;
    await deps.channel.notice(`${status.state === 'on' ? '✅' : '⚠️'} ${describeStatus(status)}`);
  };

  const pollOnce = async (): Promise<PollResult> => {
    const result = await deps.monitor.poll();
    for (const incident of result.escalated) {
      // A success after the burst is told by the outbox; a fraud report on an open alert here.
      const fraud = incident.triggers.includes('fraud-report') && !incident.danger;
      await deps.board.followUp({
        incidentId: incident.id,
        ...(fraud
          ? {
              announce: `⚠️ ${incident.user.name} reported one of the prompts as fraud in Authenticator: ${incident.id} is urgent now.`,
            }
          : {}),
      });
    }
    // More prompts: the shared card's count is brought up to date.
    for (const incident of result.grown) await deps.board.followUp({ incidentId: incident.id });
    await deps.board.deliver();
    await tell(result.status);
    return result;
  };

  scheduler.register(POLL_JOB, async () => {
    // The next poll first, so one failure never ends the round.
    await schedule(pollMs);
    try {
      const result = await pollOnce();
      if (result.retryAfterMs && result.retryAfterMs > pollMs) await schedule(result.retryAfterMs);
    } catch (err) {
      logger.error({ err }, 'sign-in monitor poll failed; the next one is due as usual');
    }
  });

  return {
    pollOnce,
    async start() {
      if (!deps.settings.enabled) {
        await scheduler.cancel(POLL_JOB_ID);
        await tell(await saveDisabled(deps.store, clock.now()));
        logger.warn('sign-in monitoring is turned off (MONITOR_ENABLED=false)');
        return;
      }
      // One bot instance per database: an action claimed before a restart is no longer running.
      // On shared storage another instance may be running it: claims run out instead.
      const released = deps.sharedStorage ? 0 : await deps.actions.releaseInterrupted();
      if (released) logger.warn({ released }, 'released sign-in alert actions cut by a restart');
      // Once across restarts; a round that ended (a job that failed for good) starts again.
      if ((await scheduler.pending(POLL_JOB)).length === 0) await schedule(FIRST_POLL_DELAY_MS);
    },
  };
}
