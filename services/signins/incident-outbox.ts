import type { Clock } from '../clock';
import type { ThreadRef } from '../tickets/model';
import type { IncidentStore } from './incident-store';
import { hourOf, type Incident, type IncidentTrigger } from './model';

/**
 * What is waiting to be told, read from the incidents themselves: IT alerts, "a sign-in succeeded
 * right after" follow-ups, messages to the person, and hourly summaries of alerts over the cap.
 * The bot posts, then marks each one done; a crash in between posts it again, never loses it.
 */

interface SummaryLine {
  id: string;
  name: string;
  upn: string;
  prompts: number;
  triggers: IncidentTrigger[];
  urgent: boolean;
}

/** The alerts of one clock hour that waited beyond the cap. */
export interface HourSummary {
  hour: string;
  incidents: SummaryLine[];
}

export interface Outgoing {
  /** New incidents to post in the IT channel, each in its own thread. */
  alerts: Incident[];
  /** Incidents where a sign-in succeeded right after the prompts: tell IT now, in the thread. */
  dangers: Incident[];
  /** People to ask "did you just get sign-in requests you didn't start?". */
  messages: Incident[];
  /** Summaries for hours that are over. */
  summaries: HourSummary[];
}

export class IncidentOutbox {
  constructor(
    private readonly incidents: IncidentStore,
    private readonly clock: Clock,
  ) {}

  async pending(): Promise<Outgoing> {
    const open = await this.incidents.listOpen();
    const currentHour = hourOf(this.clock.now());
    const byHour = new Map<string, SummaryLine[]>();
    for (const i of open) {
      if (i.it.alert !== 'held' || i.it.hour >= currentHour) continue;
      const lines = byHour.get(i.it.hour) ?? [];
      lines.push({
        id: i.id,
        name: i.user.name,
        upn: i.user.upn,
        prompts: i.promptIds.length,
        triggers: i.triggers,
        urgent: i.urgent,
      });
      byHour.set(i.it.hour, lines);
    }
    return {
      alerts: open.filter((i) => i.it.alert === 'due'),
      // An alert not yet posted shows the success itself (a held one was made due by it).
      dangers: open.filter((i) => i.it.dangerAlert === 'due' && i.it.alert !== 'due'),
      messages: open.filter((i) => i.message.state === 'due'),
      summaries: [...byHour]
        .map(([hour, incidents]) => ({ hour, incidents }))
        .sort((a, b) => a.hour.localeCompare(b.hour)),
    };
  }

  /** The alert is in the channel: where, so actions and follow-ups reply in its thread. */
  async alertPosted(id: string, thread: ThreadRef): Promise<Incident | undefined> {
    return this.incidents.mutate(
      id,
      (i) => ({
        ...i,
        it: {
          ...i.it,
          alert: 'posted',
          thread,
          ...(i.it.dangerAlert ? { dangerAlert: 'posted' } : {}),
        },
      }),
      { bump: false },
    );
  }

  async dangerPosted(id: string): Promise<Incident | undefined> {
    return this.incidents.mutate(
      id,
      (i) =>
        i.it.dangerAlert === 'due' ? { ...i, it: { ...i.it, dangerAlert: 'posted' } } : undefined,
      { bump: false },
    );
  }

  /** The person was messaged (or could not be: they have no chat with the bot). */
  async messageSent(id: string, delivered: boolean): Promise<Incident | undefined> {
    return this.incidents.mutate(
      id,
      (i) =>
        i.message.state === 'due'
          ? { ...i, message: { ...i.message, state: delivered ? 'sent' : 'failed' } }
          : undefined,
      { bump: false },
    );
  }

  async summaryPosted(summary: HourSummary): Promise<void> {
    const at = this.clock.now().toISOString();
    for (const line of summary.incidents) {
      await this.incidents.mutate(
        line.id,
        (i) =>
          i.it.alert === 'held'
            ? { ...i, it: { ...i.it, alert: 'summarised', summarisedAt: at } }
            : undefined,
        { bump: false },
      );
    }
  }
}
