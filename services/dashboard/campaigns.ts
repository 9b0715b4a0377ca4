import {
  AUDIENCE_LABELS,
  KIND_LABELS,
  type Campaign,
  type CampaignStatus,
  type RowState,
} from '../campaigns/model';

/** What the dashboard needs of the campaign store (CampaignStore in services/campaigns). */
export interface CampaignSource {
  recent(limit: number): Promise<Campaign[]>;
  counts(campaignId: string): Promise<Record<RowState, number>>;
}

export interface CampaignSummary {
  id: string;
  startedAt: string;
  startedBy: string;
  status: CampaignStatus;
  what: string;
  recipients: number;
  sent: number;
  skipped: number;
  /** Failed, blocked the bot, or not found. */
  failed: number;
  /** Still to send (queued or being sent). */
  pending: number;
  cancelled: number;
  /** Registered within seven days of the launch; undefined until the seven days are up. */
  registeredIn7Days?: number;
  /** The date the seven-day count is taken. */
  countedOn: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The latest campaigns, newest first, with their delivery counts and seven-day outcome. */
export async function campaignSummaries(
  source: CampaignSource,
  limit = 20,
): Promise<CampaignSummary[]> {
  const campaigns = await source.recent(limit);
  return Promise.all(campaigns.map(async (c) => summarize(c, await source.counts(c.id))));
}

function summarize(c: Campaign, counts: Record<RowState, number>): CampaignSummary {
  const groups = c.spec.groups.length ? ` in ${c.spec.groups.join(', ')}` : '';
  return {
    id: c.id,
    startedAt: c.createdAt,
    startedBy: c.createdBy.name || 'an admin',
    status: c.status,
    what: `${KIND_LABELS[c.spec.kind]} · ${AUDIENCE_LABELS[c.spec.audience]}${groups}`,
    recipients: c.recipients,
    sent: counts.sent,
    skipped: counts.skipped,
    failed: counts.failed + counts.blocked + counts['not-found'],
    pending: counts.queued + counts.sending,
    cancelled: counts.cancelled,
    registeredIn7Days: c.outcome?.final ? c.outcome.registered : undefined,
    countedOn: new Date(Date.parse(c.createdAt) + 7 * DAY_MS).toISOString().slice(0, 10),
  };
}
