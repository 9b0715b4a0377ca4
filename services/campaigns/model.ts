import type { ConversationReference } from 'botbuilder';

/**
 * Registration campaigns: an admin picks who hasn't registered, the bot nudges each of them in
 * Teams. A campaign and one outbox row per recipient are stored before anything is sent; each row
 * moves queued → sending → one final state.
 */

export const CAMPAIGN_ID_PATTERN = /^NUDGE-\d{4,}$/;
export const DRAFT_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Who gets nudged: not on Authenticator (some may use text codes), or no second method at all. */
export type AudienceKind = 'no-authenticator' | 'no-mfa';
export type MessageKind = 'friendly' | 'deadline' | 'final';

interface Repeat {
  everyDays: number;
  /** Reminders after the first nudge, at most. */
  maxTimes: number;
}

export interface CampaignSpec {
  audience: AudienceKind;
  /** Role group names; empty means everyone. */
  groups: string[];
  /** UPNs (lower case) the admin left out. */
  exclude: string[];
  /**
   * Entra object ids picked one by one (the people ticked in the dashboard): nobody else, and
   * each only while the audience still takes them (not on Authenticator, not a guest).
   */
  only?: string[];
  kind: MessageKind;
  /** YYYY-MM-DD, for deadline reminders and (optionally) final notices. */
  deadline?: string;
  /** Short personal note from the admin, already screened. */
  note?: string;
  repeat?: Repeat;
}

export interface Recipient {
  id: string;
  upn: string;
  name: string;
  groups: string[];
}

export interface Person {
  id: string;
  name: string;
}

export interface AudienceSummary {
  /** People matched by the exclude list and left out. */
  leftOut: number;
  /** Exclude-list entries that matched nobody in the audience. */
  unmatched: string[];
  /** Never nudged whatever the choice: guests and the never-nudge group. */
  guests: number;
  excluded: number;
  /** The newest change the registration report showed when the audience was chosen. */
  reportUpdatedAt?: string | null;
}

/** A previewed campaign waiting for the admin's confirmation. */
export interface Draft {
  id: string;
  spec: CampaignSpec;
  recipients: Recipient[];
  /** How the audience came out, for the confirmation cards. */
  summary: AudienceSummary;
  createdBy: Person;
  createdAt: string;
  /** Confirmations given so far; large audiences need two. */
  confirmations: number;
  /** Set once launched, so a second click shows the campaign instead of sending again. */
  campaignId?: string;
}

/** Where a campaign's messages go and which card shows the admin its progress. */
export interface Origin {
  serviceUrl: string;
  tenantId: string;
  bot: { id: string; name: string };
}

export interface CardRef {
  ref: Partial<ConversationReference>;
  activityId: string;
}

/** preparing: rows being written; waiting: a round finished and reminders are scheduled. */
export type CampaignStatus = 'preparing' | 'running' | 'waiting' | 'done' | 'cancelled';

export interface Outcome {
  registered: number;
  recipients: number;
  checkedAt: string;
  /** The newest change the registration report showed then: it lags by up to a few hours. */
  reportUpdatedAt?: string | null;
  /** Counted at seven days after launch; before that it is "so far". */
  final: boolean;
}

export interface Campaign {
  id: string;
  draftId: string;
  spec: CampaignSpec;
  createdBy: Person;
  createdAt: string;
  status: CampaignStatus;
  recipients: number;
  /** The round being sent: 1 is the first nudge, then one per reminder. */
  round: number;
  origin: Origin;
  card?: CardRef;
  roundStartedAt?: string;
  finishedAt?: string;
  cancelledBy?: Person;
  cancelledAt?: string;
  outcome?: Outcome;
}

export const FINAL_STATES = [
  'sent',
  'skipped',
  'blocked',
  'not-found',
  'failed',
  'cancelled',
] as const;
export type FinalState = (typeof FINAL_STATES)[number];
export type RowState = 'queued' | 'sending' | FinalState;
export const ROW_STATES: readonly RowState[] = ['queued', 'sending', ...FINAL_STATES];

interface Clicks {
  setup: number;
  snooze: number;
  help: number;
  lastAt?: string;
}

interface RoundResult {
  round: number;
  state: FinalState;
  reason?: string;
  attempts: number;
  at: string;
}

/** One recipient of one campaign: the outbox entry and what came of it. */
export interface OutboxRow {
  campaignId: string;
  recipient: Recipient;
  round: number;
  state: RowState;
  reason?: string;
  /** Attempts in this round (claims, including ones a crash interrupted). */
  attempts: number;
  /** All attempts over every round, for the export. */
  totalAttempts: number;
  dueAt: string;
  leaseUntil?: string;
  lastAttemptAt?: string;
  /** The saved chat failed (bot removed): install the app and create the chat again. */
  needsInstall?: boolean;
  activityId?: string;
  history: RoundResult[];
  clicks: Clicks;
  snoozedUntil?: string;
  registeredAt?: string;
  /**
   * How the last attempt knew whether they were on Authenticator: a live check just before
   * sending, or Microsoft's registration report (which can be hours behind).
   */
  checkedBy?: 'live' | 'report';
}

export const KIND_LABELS: Record<MessageKind, string> = {
  friendly: 'Friendly first reminder',
  deadline: 'Deadline reminder',
  final: 'Final notice',
};

export const AUDIENCE_LABELS: Record<AudienceKind, string> = {
  'no-authenticator': 'Not on Authenticator yet',
  'no-mfa': 'No second sign-in method at all',
};

export const STATE_LABELS: Record<RowState, string> = {
  queued: 'Waiting to send',
  sending: 'Sending now',
  sent: 'Sent',
  skipped: 'Skipped (registered already)',
  blocked: 'Blocked the bot',
  'not-found': 'Not found',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** "Friday, March 13" for a YYYY-MM-DD date. */
export function formatDeadline(date: string): string {
  const day = new Date(`${date}T12:00:00Z`);
  if (Number.isNaN(day.getTime())) return date;
  return day.toLocaleDateString('en-US', {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  });
}
