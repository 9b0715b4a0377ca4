import { z } from 'zod';
import { readinessCard } from '../../cards/readiness';
import type { TimeZone } from '../../services/time';
import { zoneOf } from '../time-zone';
import type { CardJson } from '../../cards/render';
import { VERBS, type Verb } from '../../cards/verbs';
import type { AuditLog } from '../../services/audit/log';
import type { RoleResolver } from '../../services/authz/roles';
import { HOUR } from '../../services/clock';
import { isDirectoryError, type Directory } from '../../services/directory/types';
import type { Logger } from '../../services/logger';
import type { DigestSubscriptions } from '../../services/readiness/digest';
import type { ReadinessReport } from '../../services/readiness/report';
import type { ActionContext, ActionDef } from '../actions';
import { auditFor } from '../audit';
import { messageCard } from '../replies';

/** A report younger than this answers at once; "Check again now" always reads the tenant afresh. */
const RECENT_MS = HOUR;

const CANT_CHECK =
  "I can't check the practice's settings right now: Microsoft 365 isn't answering. Please try again in a few minutes.";

/** What "readiness" and the weekly digest choice use, built once by the composition root. */
export interface ReadinessDeps {
  readiness: {
    run(): Promise<ReadinessReport>;
    recent(maxAgeMs: number): Promise<ReadinessReport>;
    latest(): Promise<ReadinessReport | undefined>;
  };
  subscriptions: Pick<DigestSubscriptions, 'optIn' | 'optOut' | 'isOptedIn'>;
  directory: Pick<Directory, 'memberGroups'>;
  roles: Pick<RoleResolver, 'rolesOf' | 'forget'>;
  audit: AuditLog;
  logger: Logger;
  /** The dashboard tab, where the same checks are listed. */
  dashboard: { url(): Promise<string | undefined> };
  settings: { adminGroup: string; timeZone: TimeZone };
}

const ShowData = z
  .object({ refresh: z.union([z.boolean(), z.enum(['true', 'false'])]).optional() })
  .loose();
const NoData = z.object({}).loose();

/**
 * "readiness" for admins and IT: whether the tenant is ready to require MFA, read from Graph and
 * never changed. IT also see the exact change for each item. Admins choose here whether they get
 * the weekly digest; that choice is checked against the admin group live and audited.
 */
export function readinessActions(deps: ReadinessDeps): ActionDef[] {
  const card = async (
    ctx: ActionContext,
    report: ReadinessReport,
    notice?: string,
  ): Promise<CardJson> => {
    const id = ctx.caller.aadObjectId;
    const roles = await deps.roles.rolesOf(id);
    const digest = roles.has('admin')
      ? (await deps.subscriptions.isOptedIn(id))
        ? 'on'
        : 'off'
      : undefined;
    return readinessCard(report, {
      showChange: roles.has('it'),
      digest,
      dashboardUrl: await deps.dashboard.url(),
      notice,
      zone: zoneOf(ctx.turn.activity, deps.settings.timeZone),
    });
  };

  /** The digest goes to admins only: asked of the directory now, not from the role cache. */
  const stillAdmin = async (ctx: ActionContext, verb: Verb): Promise<boolean> => {
    const id = ctx.caller.aadObjectId;
    const matched = await deps.directory.memberGroups(id, [deps.settings.adminGroup]);
    if (matched.includes(deps.settings.adminGroup)) return true;
    deps.roles.forget(id);
    deps.logger.warn({ caller: id, verb }, 'digest choice refused: not in the admin group now');
    await auditFor(
      deps.audit,
      ctx.turn,
      id,
    )({ action: verb, target: '-', outcome: 'denied', reason: 'not-in-admin-group' });
    return false;
  };
  const notAdmin = () =>
    messageCard(
      'Not available to you',
      'The weekly summary is only for practice admins. If you think you should have access, ask your practice manager.',
    );
  /** The card again after a digest choice: the stored report, however old (it says when). */
  const shown = async () => (await deps.readiness.latest()) ?? deps.readiness.recent(RECENT_MS);

  const show: ActionDef<typeof ShowData> = {
    verb: VERBS.adminReadiness,
    schema: ShowData,
    async run(ctx, data) {
      const refresh = data.refresh === true || data.refresh === 'true';
      try {
        const report = refresh
          ? await deps.readiness.run()
          : await deps.readiness.recent(RECENT_MS);
        return await card(ctx, report);
      } catch (err) {
        if (!isDirectoryError(err, 'unavailable') && !isDirectoryError(err, 'throttled')) throw err;
        deps.logger.warn({ err: { kind: err.kind } }, 'readiness: Graph is not answering');
        // The last check still helps, as long as the card says it is not a fresh one.
        const last = await deps.readiness.latest();
        if (!last) return messageCard("Can't check now", CANT_CHECK);
        return card(ctx, last, `${CANT_CHECK} Below is the last check, with its time.`);
      }
    },
  };
  const digestOn: ActionDef<typeof NoData> = {
    verb: VERBS.adminDigestOn,
    schema: NoData,
    async run(ctx) {
      if (!(await stillAdmin(ctx, VERBS.adminDigestOn))) return notAdmin();
      await deps.subscriptions.optIn({ id: ctx.caller.aadObjectId, name: ctx.caller.name });
      await auditFor(
        deps.audit,
        ctx.turn,
        ctx.caller.aadObjectId,
      )({ action: VERBS.adminDigestOn, target: '-', outcome: 'success' });
      return card(
        ctx,
        await shown(),
        "Done: every Monday you'll get a weekly summary in your chat with me: how registration moved, what changed here, and open IT requests.",
      );
    },
  };
  const digestOff: ActionDef<typeof NoData> = {
    verb: VERBS.adminDigestOff,
    schema: NoData,
    async run(ctx) {
      if (!(await stillAdmin(ctx, VERBS.adminDigestOff))) return notAdmin();
      const was = await deps.subscriptions.optOut(ctx.caller.aadObjectId);
      await auditFor(
        deps.audit,
        ctx.turn,
        ctx.caller.aadObjectId,
      )({
        action: VERBS.adminDigestOff,
        target: '-',
        outcome: 'success',
        details: { wasOn: was },
      });
      return card(ctx, await shown(), 'The weekly summary is off. You can turn it on here again.');
    },
  };
  return [show, digestOn, digestOff] as ActionDef[];
}
