import { z } from 'zod';
import { VERBS } from '../../../cards/verbs';
import { HOUR } from '../../../services/clock';
import { adminOnly } from './access';
import { statusCard } from './view';

/** A stored report older than this is rebuilt when someone asks without pressing Refresh. */
const STALE_MS = HOUR;

const StatusData = z
  .object({
    page: z.coerce.number().int().min(0).max(100_000).optional(),
    refresh: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
  })
  .loose();

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
    return statusCard(coverage, data.page ?? 0, now, {
      dashboardUrl: await ctx.deps.dashboard.url(),
    });
  },
});
