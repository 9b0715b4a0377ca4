import type { TimeZone } from '../../../services/time';
import { toAttachment, type CardJson } from '../../../cards/render';
import {
  signInAlertCard,
  signInAlertSummaryCard,
  signInCheckCard,
  signInSummaryCard,
} from '../../../cards/signins';
import { describeSendError } from '../../../services/campaigns/failures';
import type { Clock } from '../../../services/clock';
import type { Logger } from '../../../services/logger';
import type { Scheduler } from '../../../services/scheduler';
import type { HourSummary, IncidentOutbox } from '../../../services/signins/incident-outbox';
import type { IncidentStore } from '../../../services/signins/incident-store';
import type { Incident } from '../../../services/signins/model';
import type { ItChannel } from '../../it-channel';
import { UnreachableError, type Proactive } from '../../proactive';

/** What follows a change, one job each, so each is retried on its own and sent once. */
const CARD_JOB = 'signins.card';
const ANNOUNCE_JOB = 'signins.announce';
const PERSON_JOB = 'signins.person';

/** What happens after an incident changed, once the clicker has their answer. */
export interface FollowUp {
  incidentId: string;
  /** A line for the alert's thread in the IT channel (no addresses or places: it is shared). */
  announce?: string;
  /** A line for the person, in their 1:1 chat. */
  person?: string;
}

export interface SignInBoardDeps {
  incidents: IncidentStore;
  outbox: IncidentOutbox;
  channel: ItChannel;
  proactive: Proactive;
  scheduler: Scheduler;
  clock: Clock;
  logger: Logger;
  settings: { itPhone: string; timeZone: TimeZone };
}

const firstName = (name: string) => name.split(/\s+/)[0] ?? name;

/**
 * The IT channel side of sign-in alerts, and the question to the person. Each alert starts its
 * own thread; everyone in the channel sees a read-only summary, IT members their own live view
 * with the actions (Universal Actions refresh). A success right after the prompts and the
 * person's answer go into the thread at once; alerts over the hour's cap go into one summary.
 * What is waiting is read from the incidents' outbox and marked done only once sent.
 */
export class SignInBoard {
  constructor(private readonly deps: SignInBoardDeps) {}

  register(): void {
    const { scheduler } = this.deps;
    scheduler.register<{ incidentId: string }>(CARD_JOB, async ({ incidentId }) => {
      const incident = await this.current(incidentId);
      if (incident?.it.thread)
        await this.deps.channel.update(incident.it.thread, await this.summary(incident), {
          rethrow: true,
          about: incident.id,
        });
    });
    scheduler.register<{ incidentId: string; text: string }>(
      ANNOUNCE_JOB,
      async ({ incidentId, text }) => {
        const incident = await this.current(incidentId);
        if (incident?.it.thread)
          await this.deps.channel.reply(incident.it.thread, text, {
            rethrow: true,
            about: incident.id,
          });
      },
    );
    scheduler.register<{ incidentId: string; text: string }>(
      PERSON_JOB,
      async ({ incidentId, text }) => {
        const incident = await this.current(incidentId);
        if (!incident) return;
        await this.deps.proactive.toUser(incident.user.id, { text }).catch((err: unknown) => {
          // Nobody to tell in Teams: IT already knows they could not be asked.
          if (!(err instanceof UnreachableError)) throw err;
        });
      },
    );
  }

  /**
   * Sends what the outbox holds: new alerts, the questions to people, "someone got in" follow-ups
   * and the summaries of hours that are over. One failure leaves that item for the next poll.
   */
  async deliver(): Promise<void> {
    const out = await this.deps.outbox.pending();
    for (const incident of out.alerts)
      await this.guard(incident.id, () => this.postAlert(incident));
    for (const incident of out.messages)
      await this.guard(incident.id, () => this.askPerson(incident));
    for (const incident of out.dangers)
      await this.guard(incident.id, () => this.tellDanger(incident));
    for (const summary of out.summaries)
      await this.guard(summary.hour, () => this.postSummary(summary));
  }

  /**
   * Stores what should follow a change, then starts it: the caller does not wait for it, and a
   * crash or a Teams outage does not lose it.
   */
  async followUp(followUp: FollowUp): Promise<void> {
    const { scheduler, clock } = this.deps;
    const now = clock.now();
    const { incidentId } = followUp;
    // One card update per incident is enough: it always shows the incident as it is by then.
    await scheduler.schedule(CARD_JOB, now, { incidentId }, `signin-card:${incidentId}`);
    if (followUp.announce)
      await scheduler.schedule(ANNOUNCE_JOB, now, { incidentId, text: followUp.announce });
    if (followUp.person)
      await scheduler.schedule(PERSON_JOB, now, { incidentId, text: followUp.person });
    scheduler.kick();
  }

  /** IT's full card, with the live view for IT members once it is in the channel. */
  async itCard(incident: Incident, notice = ''): Promise<CardJson> {
    return signInAlertCard(incident, {
      notice,
      refreshFor: incident.it.thread ? await this.deps.channel.liveViewers() : undefined,
      zone: this.deps.settings.timeZone,
    });
  }

  /** The read-only card everyone in the channel sees. */
  async summary(incident: Incident, notice = ''): Promise<CardJson> {
    return signInAlertSummaryCard(incident, {
      notice,
      refreshFor: await this.deps.channel.liveViewers(),
      zone: this.deps.settings.timeZone,
    });
  }

  /** The question to the person, as it stands. */
  checkCard(incident: Incident): CardJson {
    return signInCheckCard(incident, {
      firstName: firstName(incident.user.name),
      itPhone: this.deps.settings.itPhone,
      zone: this.deps.settings.timeZone,
    });
  }

  /** Whether a turn comes from the channel where this alert's card lives. */
  isAlertChannel(incident: Incident, conversationId: string | undefined): boolean {
    return this.deps.channel.isThreadChannel(incident.it.thread, conversationId);
  }

  private async postAlert(incident: Incident): Promise<void> {
    const thread = await this.deps.channel.startThread(
      await this.summary(incident),
      `${incident.id}: sign-in alert for ${incident.user.name}`,
    );
    const saved = await this.deps.outbox.alertPosted(incident.id, thread);
    // It moved on while it was being posted: show its current state.
    if (saved && saved.version !== incident.version)
      await this.deps.channel.update(thread, await this.summary(saved), { about: saved.id });
  }

  /** "Did you just get sign-in requests you didn't start?"; IT hears when they can't be asked. */
  private async askPerson(incident: Incident): Promise<void> {
    let why: string;
    try {
      await this.deps.proactive.toUser(incident.user.id, {
        attachments: [toAttachment(this.checkCard(incident))],
        summary: 'Did you just get sign-in requests you did not start?',
      });
      await this.deps.outbox.messageSent(incident.id, true);
      return;
    } catch (err) {
      const status = describeSendError(err).status;
      // No chat with the bot yet, or the bot is blocked: asking again will not help.
      if (err instanceof UnreachableError) why = 'they have no chat with me yet';
      else if (status === 403 || status === 404) why = 'they blocked or removed the app';
      else throw err;
    }
    await this.deps.outbox.messageSent(incident.id, false);
    await this.followUp({
      incidentId: incident.id,
      announce: `📞 I could not ask ${incident.user.name} in Teams (${why}). Call them on the number on file.`,
    });
  }

  /** A sign-in succeeded right after the prompts: IT hears it now, in the alert's thread. */
  private async tellDanger(incident: Incident): Promise<void> {
    if (!incident.it.thread) {
      // Held back by the hour's cap: it gets its own thread after all.
      await this.postAlert(incident);
      await this.deps.outbox.dangerPosted(incident.id);
      return;
    }
    await this.deps.channel.reply(
      incident.it.thread,
      `🚨 ${incident.id}: a sign-in to ${incident.user.name}'s account succeeded right after the prompts. Sign them out everywhere now; the alert shows where it came from (IT only).`,
      { rethrow: true, about: incident.id },
    );
    await this.deps.channel.update(incident.it.thread, await this.summary(incident), {
      about: incident.id,
    });
    await this.deps.outbox.dangerPosted(incident.id);
  }

  private async postSummary(summary: HourSummary): Promise<void> {
    await this.deps.channel.startThread(
      signInSummaryCard(summary, this.deps.settings.timeZone),
      `Sign-in alerts held back: ${summary.incidents.length}`,
    );
    await this.deps.outbox.summaryPosted(summary);
  }

  private async guard(about: string, send: () => Promise<void>): Promise<void> {
    try {
      await send();
    } catch (err) {
      this.deps.logger.warn(
        { err: String((err as Error).message ?? err), about },
        'sign-in alert not delivered yet; the next poll tries again',
      );
    }
  }

  private async current(incidentId: string): Promise<Incident | undefined> {
    return (await this.deps.incidents.get(incidentId))?.value;
  }
}
