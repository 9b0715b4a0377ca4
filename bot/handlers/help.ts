import { z } from 'zod';
import { expandCard, type CardJson } from '../../cards/render';
import { VERBS } from '../../cards/verbs';
import { POLICY } from '../../services/authz/policy';
import type { Role, RoleResolver } from '../../services/authz/roles';
import type { Directory } from '../../services/directory/types';
import type { Logger } from '../../services/logger';
import type { ActionContext, ActionDef } from '../actions';
import { COMMANDS } from '../commands';

const STYLE: Record<string, string> = {
  [VERBS.setupStart]: 'positive',
  [VERBS.lostDevice]: 'destructive',
};

export interface MenuDeps {
  directory: Directory;
  roles: RoleResolver;
  logger: Logger;
  /** The verbs the router handles: only those get a button. */
  verbs(): ReadonlySet<string>;
  /** The dashboard tab, linked for admins and IT. */
  dashboard: { url(): Promise<string | undefined> };
}

/** The help card: staff actions for everyone, plus IT or admin actions for those roles. */
export class Menu {
  constructor(private readonly deps: MenuDeps) {}

  async card(ctx: ActionContext, notice = ''): Promise<CardJson> {
    const [name, roles] = await Promise.all([this.firstName(ctx), this.rolesFor(ctx)]);
    const button = (c: (typeof COMMANDS)[number]) => ({
      label: c.label,
      verb: c.verb,
      style: STYLE[c.verb] ?? 'default',
    });
    const available = this.deps.verbs();
    const usable = COMMANDS.filter((c) => available.has(c.verb) && c.verb !== VERBS.menu);
    // A role's buttons, and any other the policy lets this person use (IT may check readiness).
    const roleActions = usable
      .filter(
        (c) =>
          c.audience !== 'staff' &&
          (roles.has(c.audience) || (POLICY[c.verb]?.roles ?? []).some((r) => roles.has(r))),
      )
      .map(button);
    const heading =
      roles.has('it') && roles.has('admin')
        ? 'IT and practice admins'
        : roles.has('it')
          ? 'the IT team'
          : 'practice admins';
    const dashboardUrl =
      roles.has('admin') || roles.has('it') ? await this.deps.dashboard.url() : undefined;
    return expandCard('help', {
      firstName: name,
      notice,
      staffActions: usable.filter((c) => c.audience === 'staff').map(button),
      roleActions,
      roleHeading: heading,
      dashboardUrl: dashboardUrl ?? '',
    });
  }

  actions(): ActionDef[] {
    return [{ verb: VERBS.menu, schema: z.object({}).loose(), run: (ctx) => this.card(ctx) }];
  }

  /** The first name to greet someone by: the directory's, else the first word Teams gives. */
  private async firstName(ctx: ActionContext): Promise<string> {
    try {
      const user = await this.deps.directory.getUser(ctx.caller.aadObjectId);
      if (user.givenName) return user.givenName;
    } catch (err) {
      this.deps.logger.debug({ err }, 'no directory profile for the greeting');
    }
    return ctx.caller.name.split(/\s+/)[0] || 'there';
  }

  private async rolesFor(ctx: ActionContext): Promise<Set<Role>> {
    try {
      return await this.deps.roles.rolesOf(ctx.caller.aadObjectId);
    } catch (err) {
      // The menu still works for everyone; privileged actions check again when clicked.
      this.deps.logger.warn({ err }, 'role lookup failed; showing the staff menu');
      return new Set<Role>(['staff']);
    }
  }
}
