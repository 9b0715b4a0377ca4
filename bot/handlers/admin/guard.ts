import type { z } from 'zod';
import type { ActionContext, ActionDef } from '../../actions';
import { messageCard } from '../../replies';
import type { Person } from '../../../services/campaigns/model';

/**
 * Admin actions check the directory again on every click, on top of the router's policy check
 * (whose role lookups may be a few minutes old): someone just removed from the admin group can't
 * keep sending nudges. A refusal is audited like the router's.
 */
export function adminOnly<S extends z.ZodType>(def: ActionDef<S>): ActionDef<S> {
  return {
    ...def,
    async run(ctx, data) {
      const { directory, config, roles, audit } = ctx.services;
      const caller = ctx.caller.aadObjectId;
      const matched = caller ? await directory.memberGroups(caller, [config.groups.admin]) : [];
      if (!matched.includes(config.groups.admin)) {
        roles.forget(caller);
        ctx.services.logger.warn({ caller, verb: def.verb }, 'admin action refused: not in the admin group now');
        await audit.append({ actor: caller || 'unknown', action: def.verb, target: '-', outcome: 'denied', reason: 'not-in-admin-group', activityId: ctx.turn.activity.id });
        return messageCard('Not available to you', 'This is only for practice admins. If you think you should have access, ask your practice manager.');
      }
      return def.run(ctx, data);
    },
  };
}

/** The clicking admin, named as the directory or Teams knows them. */
export function personOf(ctx: ActionContext): Person {
  return { id: ctx.caller.aadObjectId, name: ctx.caller.name };
}
