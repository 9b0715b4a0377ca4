import { z } from 'zod';
import { VERBS } from '../../../cards/verbs';
import { HOUR } from '../../../services/clock';
import { describeStatus } from '../../../services/signins/status';
import { zoneOf } from '../../time-zone';
import { adminOnly, practiceZone, type CampaignDeps } from './access';
import { statusCard, type MonitorLine } from './view';

/** A stored report older than this is rebuilt when someone asks without pressing Refresh. */
const STALE_MS = HOUR;

const StatusData = z
  .object({
    page: z.coerce.number().int().min(0).max(100_000).optional(),
    refresh: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
  })
  .loose();

/**
 * Whether push-bombing would be noticed: said next to coverage, because registering everyone is
 * half of the job. Blind or not yet run is said as such, never as "all quiet".
 */
async function monitorLine(monitor: CampaignDeps['monitor']): Promise<MonitorLine | undefined> {
  if (!monitor) return undefined;
  const status = await monitor.status().catch(() => undefined);
  return { text: describeStatus(status), on: status?.state === 'on' };
}

/** "status" for admins: registration coverage now, with the people not registered, paged. */
export const adminStatusAction = adminOnly<typeof StatusData>({
  verb: VERBS.adminStatus,
  schema: StatusData,
  async run(ctx, data) {
    const { campaigns, clock } = ctx.deps;
    const now = clock.now();
    const refresh = data.refresh === true || data.refresh === 'true';
    let coverage = refresh ? undefined : await campaigns.coverage.cached();
    if (!coverage || now.getTime() - Date.parse(coverage.computedAt) > STALE_MS) {
      coverage = (await campaigns.coverage.refresh()).coverage;
    }
    return statusCard(coverage, data.page ?? 0, now, zoneOf(ctx.turn.activity, practiceZone(ctx)), {
      dashboardUrl: await ctx.deps.dashboard.url(),
      monitor: await monitorLine(ctx.deps.monitor),
    });
  },
});
