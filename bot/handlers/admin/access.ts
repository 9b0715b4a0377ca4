import type { z } from 'zod';
import type { CardJson } from '../../../cards/render';
import type { AuditLog } from '../../../services/audit/log';
import type { RoleResolver } from '../../../services/authz/roles';
import type { Person } from '../../../services/campaigns/model';
import type { CampaignService } from '../../../services/campaigns/service';
import type { Clock } from '../../../services/clock';
import type { Directory } from '../../../services/directory/types';
import type { Logger } from '../../../services/logger';
import type { Scheduler } from '../../../services/scheduler';
import { UTC, type TimeZone } from '../../../services/time';
import type { MonitorStatus } from '../../../services/signins/status';
import type { ActionContext, ActionDef } from '../../actions';
import { auditFor } from '../../audit';
import { messageCard } from '../../replies';
import type { ItRequests } from '../../requests';

/** What registration status and nudge campaigns use, built once by the composition root. */
export interface CampaignDeps {
  campaigns: CampaignService<CardJson>;
  directory: Directory;
  roles: RoleResolver;
  audit: AuditLog;
  scheduler: Scheduler;
  requests: ItRequests;
  clock: Clock;
  logger: Logger;
  settings: { adminGroup: string; roleGroups: Record<string, string>; tenantId: string };
  /** The dashboard tab, linked from the status card. */
  dashboard: { url(): Promise<string | undefined> };
  /** The sign-in monitor's stored state, for a line on the status card; absent: no line. */
  monitor?: { status(): Promise<MonitorStatus | undefined> };
}

export type CampaignTurn = ActionContext & { deps: CampaignDeps };

/** An admin or nudge verb, run with the turn and what campaigns use. */
export interface CampaignAction<S extends z.ZodType = z.ZodType> {
  verb: ActionDef['verb'];
  schema: S;
  run(ctx: CampaignTurn, data: z.infer<S>): Promise<CardJson>;
}

export function bindCampaignActions(deps: CampaignDeps, actions: CampaignAction[]): ActionDef[] {
  return actions.map((a) => ({ ...a, run: (ctx, data) => a.run({ ...ctx, deps }, data) }));
}

/**
 * Admin actions check the directory again on every click, on top of the router's policy check
 * (whose role lookups may be a few minutes old): someone just removed from the admin group can't
 * keep sending nudges. A refusal is audited like the router's.
 */
export function adminOnly<S extends z.ZodType>(def: CampaignAction<S>): CampaignAction<S> {
  return {
    ...def,
    async run(ctx, data) {
      const { directory, settings, roles, logger } = ctx.deps;
      const caller = ctx.caller.aadObjectId;
      const matched = caller ? await directory.memberGroups(caller, [settings.adminGroup]) : [];
      if (!matched.includes(settings.adminGroup)) {
        roles.forget(caller);
        logger.warn({ caller, verb: def.verb }, 'admin action refused: not in the admin group now');
        await auditFor(
          ctx.deps.audit,
          ctx.turn,
          caller,
        )({ action: def.verb, target: '-', outcome: 'denied', reason: 'not-in-admin-group' });
        return messageCard(
          'Not available to you',
          'This is only for practice admins. If you think you should have access, ask your practice manager.',
        );
      }
      return def.run(ctx, data);
    },
  };
}

/** The practice's time zone, for an admin whose Teams does not say their own. */
export function practiceZone(ctx: CampaignTurn): TimeZone {
  return ctx.deps.campaigns.settings.timeZone ?? UTC;
}

/** The clicking admin, named as the directory or Teams knows them. */
export function personOf(ctx: ActionContext): Person {
  return { id: ctx.caller.aadObjectId, name: ctx.caller.name };
}
