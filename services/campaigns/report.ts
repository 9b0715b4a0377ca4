import {
  AUDIENCE_LABELS,
  KIND_LABELS,
  STATE_LABELS,
  type Campaign,
  type OutboxRow,
  type RowState,
} from './model';
import { dateAndTime, type TimeZone } from '../time';

/** What the admin's card shows about a campaign, worked out from its stored state. */

export interface Details {
  clicks: { setup: number; snooze: number; help: number; people: number };
  /** Failure reasons, most common first. */
  reasons: Array<{ reason: string; count: number }>;
  registered: number;
}

/** Reads the rows once, as they come: a large campaign's rows are never all held at once. */
export async function summarize(
  rows: AsyncIterable<OutboxRow> | Iterable<OutboxRow>,
): Promise<Details> {
  const clicks = { setup: 0, snooze: 0, help: 0, people: 0 };
  const reasons = new Map<string, number>();
  let registered = 0;
  for await (const r of rows) {
    clicks.setup += r.clicks.setup;
    clicks.snooze += r.clicks.snooze;
    clicks.help += r.clicks.help;
    if (r.clicks.setup + r.clicks.snooze + r.clicks.help > 0) clicks.people += 1;
    if (r.registeredAt) registered += 1;
    if (r.state === 'failed' || r.state === 'not-found' || r.state === 'blocked') {
      const key = plainReason(r.state, r.reason);
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
  }
  return {
    clicks,
    reasons: [...reasons]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count),
    registered,
  };
}

/**
 * Stored reasons keep Teams' status and code for the export ("500 UserNotFound"); an admin's
 * card says what they mean. Reasons already in words pass through.
 */
const PLAIN_REASONS: Array<[RegExp, string]> = [
  [/MessageWritesBlocked|ConversationBlockedByUser/i, 'They turned off messages from the bot'],
  [/UserNotFound|ConversationNotFound|\b404\b/, 'Teams could not find them'],
  [/\b403\b/, 'Teams would not let the bot message them'],
  [/\b429\b/, 'Teams kept asking the bot to slow down'],
  [
    /network|ECONN|ETIMEDOUT|EAI_AGAIN|EPIPE|UND_ERR|REQUEST_SEND_ERROR/i,
    'The bot could not reach Teams',
  ],
  [/\b(5\d\d|408|412)\b/, 'Teams had a problem on its side'],
  [/\b4\d\d\b/, 'Teams refused the message'],
];

export function plainReason(state: RowState, reason: string | undefined): string {
  // "gave up after 6 attempts (500 UserNotFound)": the cause is what matters on the card.
  const cause = /^gave up after \d+ attempts \((.*)\)$/.exec(reason ?? '')?.[1] ?? reason ?? '';
  const known = PLAIN_REASONS.find(([pattern]) => pattern.test(cause))?.[1];
  if (known) return known;
  if (cause && !/^[\w.:-]+$/.test(cause)) return cause.charAt(0).toUpperCase() + cause.slice(1);
  return state === 'blocked'
    ? 'They turned off messages from the bot'
    : state === 'not-found'
      ? 'Teams could not find them'
      : 'Something went wrong (the export has the details)';
}

/** "Dec 7, 4:06 PM EST" in the given zone. */
export function formatTime(iso: string, zone: TimeZone): string {
  return dateAndTime(iso, zone);
}

function percent(n: number, of: number): string {
  return of ? `${Math.round((n / of) * 100)}%` : '0%';
}

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} seconds`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} minutes`;
  return `${Math.round(seconds / 3600)} hours`;
}

export interface CardInput {
  campaign: Campaign;
  counts: Record<RowState, number>;
  /** Rows finished per second lately (while sending). */
  rate: number;
  details?: Details;
  /** Next reminder round, if one is scheduled. */
  nextReminder?: string;
  notice?: string;
  /** Where the admin reads the card: the practice's time zone. */
  timeZone: TimeZone;
}

export function campaignCardData(input: CardInput): CampaignCardData {
  const { campaign, counts, rate, details } = input;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const open = counts.queued + counts.sending;
  const done = total - open;
  const unreached = counts.blocked + counts['not-found'] + counts.failed;
  const round = campaign.round > 1 ? `Reminder ${campaign.round - 1}: ` : '';
  let statusText: string;
  let statusColor: CampaignCardData['statusColor'] = 'Default';
  switch (campaign.status) {
    case 'preparing':
      statusText = 'Getting ready to send…';
      break;
    case 'running':
      statusText = `${round}sending, ${done} of ${total} done`;
      statusColor = 'Accent';
      break;
    case 'waiting':
      statusText = input.nextReminder
        ? `Sent. Next reminder ${formatTime(input.nextReminder, input.timeZone)}.`
        : 'Sent. Reminders people asked for are scheduled.';
      break;
    case 'cancelled':
      statusText = `Cancelled by ${campaign.cancelledBy?.name ?? 'an admin'}. ${counts.sent} were sent before that.`;
      statusColor = 'Attention';
      break;
    default:
      // A failure is never shown in a success colour; success is said in words, not green.
      if (unreached && unreached === total) {
        statusText = `Finished, but none of the ${total} could be reached. Why is below.`;
        statusColor = 'Attention';
      } else if (unreached) {
        statusText = `Finished: ${counts.sent} sent, ${counts.skipped} already registered, ${unreached} could not be reached.`;
        statusColor = 'Attention';
      } else {
        statusText = `Finished: ${counts.sent} sent, ${counts.skipped} already registered.`;
      }
  }
  const sending = campaign.status === 'running' && open > 0;
  const rateText =
    sending && rate > 0
      ? `About ${rate >= 10 ? Math.round(rate) : rate.toFixed(1)} a second, about ${duration(open / rate)} left.`
      : '';
  const facts = (Object.keys(counts) as RowState[])
    .filter((s) => counts[s] > 0 || s === 'sent' || (sending && s === 'queued'))
    .map((s) => ({ title: STATE_LABELS[s], value: `${counts[s]} (${percent(counts[s], total)})` }));
  const groups = campaign.spec.only
    ? ', picked one by one in the dashboard'
    : campaign.spec.groups.length
      ? ` in ${campaign.spec.groups.join(', ')}`
      : '';
  return {
    notice: input.notice ?? '',
    id: campaign.id,
    title: `Nudge ${campaign.id}: ${campaign.recipients} ${campaign.recipients === 1 ? 'person' : 'people'}`,
    subtitle: `${KIND_LABELS[campaign.spec.kind]} · ${AUDIENCE_LABELS[campaign.spec.audience]}${groups} · started by ${campaign.createdBy.name || 'an admin'}, ${formatTime(campaign.createdAt, input.timeZone)}`,
    statusText,
    statusColor,
    rateText,
    facts,
    report: details ? reportLines(campaign, details, input.timeZone) : [],
    exportHint:
      sending || campaign.status === 'preparing'
        ? ''
        : `For a list per person, run on the bot's server: mfa-bot campaign export ${campaign.id} --out ${campaign.id}.csv`,
    canCancel:
      campaign.status === 'running' ||
      campaign.status === 'preparing' ||
      campaign.status === 'waiting',
    cancelTitle: campaign.status === 'waiting' ? 'Cancel the reminders' : 'Cancel sending',
  };
}

function reportLines(campaign: Campaign, details: Details, zone: TimeZone): string[] {
  const lines: string[] = [];
  const outcome = campaign.outcome;
  if (outcome) {
    // The report lags by hours: say how fresh it was.
    const fresh = outcome.reportUpdatedAt
      ? ` Microsoft's registration report showed changes up to ${formatTime(outcome.reportUpdatedAt, zone)}; anyone registered after that is not counted yet.`
      : '';
    lines.push(
      `Registered since the nudge: ${outcome.registered} of ${outcome.recipients} (${percent(outcome.registered, outcome.recipients)})${outcome.final ? ' within 7 days' : ' so far'}.${fresh}`,
    );
  } else {
    lines.push(
      `Registered since the nudge: ${details.registered} so far. The 7-day count comes a week after it started.`,
    );
  }
  const { setup, snooze, help, people } = details.clicks;
  lines.push(
    `Buttons used by ${people} ${people === 1 ? 'person' : 'people'}: "Set up now" ${setup}, "Remind me in 3 days" ${snooze}, "I need help" ${help}.`,
  );
  for (const r of details.reasons.slice(0, 4))
    lines.push(`${r.reason} (${r.count} ${r.count === 1 ? 'person' : 'people'})`);
  if (details.reasons.length > 4)
    lines.push(`…and ${details.reasons.length - 4} other reasons (see the export).`);
  return lines;
}

/** What the admin's progress card shows (cards/campaigns.ts renders it). */
export interface CampaignCardData {
  notice: string;
  id: string;
  title: string;
  subtitle: string;
  statusText: string;
  /** Never "Good" or "Warning": both read at about 2:1 on Teams' light theme. */
  statusColor: 'Default' | 'Attention' | 'Accent';
  rateText: string;
  facts: Array<{ title: string; value: string }>;
  report: string[];
  exportHint: string;
  canCancel: boolean;
  cancelTitle: string;
}
