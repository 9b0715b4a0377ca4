import { z } from 'zod';
import { expandCard, type CardJson } from '../../cards/render';
import { VERBS } from '../../cards/verbs';
import type { Role } from '../../services/authz/roles';
import type { ActionContext, ActionDef } from '../actions';
import { COMMANDS } from '../commands';

const STYLE: Record<string, string> = {
  [VERBS.setupStart]: 'positive',
  [VERBS.lostDevice]: 'destructive',
};

/** The first name to greet someone by: the directory's, else the first word Teams gives. */
async function firstName(ctx: ActionContext): Promise<string> {
  try {
    const user = await ctx.services.directory.getUser(ctx.caller.aadObjectId);
    if (user.givenName) return user.givenName;
  } catch (err) {
    ctx.services.logger.debug({ err }, 'no directory profile for the greeting');
  }
  return ctx.caller.name.split(/\s+/)[0] || 'there';
}

async function rolesFor(ctx: ActionContext): Promise<Set<Role>> {
  try {
    return await ctx.services.roles.rolesOf(ctx.caller.aadObjectId);
  } catch (err) {
    // The menu still works for everyone; privileged actions check again when clicked.
    ctx.services.logger.warn({ err }, 'role lookup failed; showing the staff menu');
    return new Set<Role>(['staff']);
  }
}

/** The help card for this person: staff actions, plus IT or admin actions for those roles. */
export async function helpCard(
  ctx: ActionContext,
  available: ReadonlySet<string>,
  notice = '',
): Promise<CardJson> {
  const [name, roles] = await Promise.all([firstName(ctx), rolesFor(ctx)]);
  const button = (c: (typeof COMMANDS)[number]) => ({
    label: c.label,
    verb: c.verb,
    style: STYLE[c.verb] ?? 'default',
  });
  const usable = COMMANDS.filter((c) => available.has(c.verb) && c.verb !== VERBS.menu);
  const roleActions = usable.filter((c) => c.audience !== 'staff' && roles.has(c.audience)).map(button);
  const heading = roles.has('it') && roles.has('admin') ? 'IT and practice admins' : roles.has('it') ? 'the IT team' : 'practice admins';
  return expandCard('help', {
    firstName: name,
    notice,
    staffActions: usable.filter((c) => c.audience === 'staff').map(button),
    roleActions,
    roleHeading: heading,
  });
}

export function helpAction(available: () => ReadonlySet<string>): ActionDef {
  return {
    verb: VERBS.menu,
    schema: z.object({}).loose(),
    run: (ctx) => helpCard(ctx, available()),
  };
}
