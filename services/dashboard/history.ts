import { DAY } from '../clock';
import type { CampaignSource } from './campaigns';
import { dayOf, type SnapshotStore } from './snapshots';

interface TrendPoint {
  date: string;
  total: number;
  authenticator: number;
  other: number;
  none: number;
}

interface TrendMarker {
  date: string;
  label: string;
  campaignId?: string;
}

export interface Trend {
  from: string;
  points: TrendPoint[];
  /** Campaigns started in the period (and the demo's made-up earlier nudges). */
  markers: TrendMarker[];
}

export const MAX_TREND_DAYS = 366;

/** Daily coverage from the stored snapshots, with each campaign marked on the day it started. */
export async function trend(
  snapshots: SnapshotStore,
  campaigns: Pick<CampaignSource, 'recent'>,
  now: Date,
  days: number,
): Promise<Trend> {
  const from = dayOf(new Date(now.getTime() - Math.min(MAX_TREND_DAYS, Math.max(1, days)) * DAY));
  const stored = await snapshots.since(from);
  const points = stored.map((s) => ({
    date: s.date,
    total: s.overall.total,
    authenticator: s.overall.authenticator,
    other: s.overall.other,
    none: s.overall.none,
  }));
  const markers: TrendMarker[] = stored.flatMap((s) =>
    (s.events ?? []).map((label) => ({ date: s.date, label })),
  );
  for (const c of await campaigns.recent(200)) {
    const date = c.createdAt.slice(0, 10);
    if (date >= from)
      markers.push({
        date,
        label: `Nudge ${c.id} to ${c.recipients} ${c.recipients === 1 ? 'person' : 'people'}`,
        campaignId: c.id,
      });
  }
  markers.sort((a, b) => a.date.localeCompare(b.date));
  return { from, points, markers };
}
