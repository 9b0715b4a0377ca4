import type { TurnContext } from 'botbuilder';
import type { z } from 'zod';
import type { CardJson } from '../cards/render';
import type { Verb } from '../cards/verbs';
import type { AuditLog } from '../services/audit/log';
import { authorize, needsRoles, POLICY } from '../services/authz/policy';
import type { Role, RoleResolver } from '../services/authz/roles';
import { isDirectoryError } from '../services/directory/types';
import type { Logger } from '../services/logger';
import { auditFor } from './audit';
import { messageCard } from './replies';

/** The person behind a turn, as Teams identifies them. */
export interface Caller {
  aadObjectId: string;
  name: string;
}

/** One turn, as an action sees it: what each feature needs besides this, it was built with. */
export interface ActionContext {
  turn: TurnContext;
  caller: Caller;
  /** 'invoke' when a card button was clicked (the answer replaces that card), 'text' when typed. */
  source: 'invoke' | 'text';
}

export interface RouterDeps {
  roles: RoleResolver;
  audit: AuditLog;
  logger: Logger;
  /** Whether the directory is in an outage (the circuit breaker is open). */
  directoryHealth: { readonly isOpen: boolean };
  /** The menu with a note, for a verb that is unknown or a payload that is out of date. */
  fallback(ctx: ActionContext, notice: string): Promise<CardJson>;
}

export interface ActionDef<S extends z.ZodType = z.ZodType> {
  verb: Verb;
  /** Card data is user-controllable: it is parsed with this schema before anything runs. */
  schema: S;
  run(ctx: ActionContext, data: z.infer<S>): Promise<CardJson>;
  /**
   * The handler checks the caller's role itself, against the resource it acts on (a ticket's
   * requester, say), through the same policy table; the router then only parses the data.
   */
  authorizesItself?: true;
}

/**
 * Every card verb and its handler, registered in one place. A verb runs only after its data
 * parsed and the caller's role was checked; whatever goes wrong, the caller gets a card that says
 * so in plain words.
 */
export class ActionRouter {
  private readonly actions = new Map<string, ActionDef>();

  constructor(private readonly deps: RouterDeps) {}

  register<S extends z.ZodType>(def: ActionDef<S>): this {
    if (this.actions.has(def.verb)) throw new Error(`verb ${def.verb} is registered twice`);
    this.actions.set(def.verb, def as unknown as ActionDef);
    return this;
  }

  has(verb: string): boolean {
    return this.actions.has(verb);
  }

  verbs(): ReadonlySet<string> {
    return new Set(this.actions.keys());
  }

  definition(verb: string): ActionDef | undefined {
    return this.actions.get(verb);
  }

  async execute(ctx: ActionContext, verb: string, rawData: unknown): Promise<CardJson> {
    const { logger, roles, fallback, directoryHealth } = this.deps;
    const log = logger.child({ verb, activityId: ctx.turn.activity.id });
    const def = this.actions.get(verb);
    const record = auditFor(this.deps.audit, ctx.turn, ctx.caller.aadObjectId);
    const audit = (outcome: 'denied' | 'refused', reason: string) =>
      record({ action: def ? verb : 'unknown-verb', target: targetOf(rawData), outcome, reason });
    if (!def) {
      log.warn('unknown card verb');
      await audit('refused', 'unknown-verb');
      return fallback(ctx, 'That button belongs to an older card. Here is the menu again.');
    }
    const parsed = def.schema.safeParse(rawData ?? {});
    if (!parsed.success) {
      log.warn(
        { issues: parsed.error.issues.map((i) => i.path.join('.')) },
        'card data failed its schema',
      );
      if (!POLICY[verb]?.anyone) await audit('refused', 'bad-payload');
      return fallback(ctx, 'That card is out of date. Here is the menu again.');
    }
    try {
      if (!POLICY[verb]) {
        await audit('denied', 'no-policy');
        return messageCard('Not available', 'That action is not available.');
      }
      if (needsRoles(verb) && !def.authorizesItself) {
        const callerRoles = await roles.rolesOf(ctx.caller.aadObjectId);
        const decision = authorize(verb, { id: ctx.caller.aadObjectId, roles: callerRoles });
        if (!decision.allowed) {
          log.warn(
            { caller: ctx.caller.aadObjectId, reason: decision.reason },
            'action refused by policy',
          );
          await audit('denied', decision.reason);
          return messageCard('Not available to you', notAllowedText(POLICY[verb].roles ?? []));
        }
      }
      return await def.run(ctx, parsed.data);
    } catch (err) {
      if (isDirectoryError(err)) {
        log.warn(
          { err: { kind: err.kind, message: err.message } },
          'directory call failed during an action',
        );
        const told =
          err.kind === 'unavailable' && directoryHealth.isOpen ? ' IT has been told.' : '';
        return messageCard('Please try again soon', directoryTrouble(err.kind) + told);
      }
      throw err;
    }
  }
}

/** The ticket or item a payload points at, for the audit log (never free text). */
function targetOf(data: unknown): string {
  const id = (data as { ticketId?: unknown } | null)?.ticketId;
  return typeof id === 'string' && /^[A-Za-z0-9-]{1,20}$/.test(id) ? id : '-';
}

function notAllowedText(roles: readonly Role[]): string {
  const who =
    roles.includes('it') && roles.includes('admin')
      ? 'IT and practice admins'
      : roles.includes('it')
        ? 'the IT team'
        : 'practice admins';
  return `This is only for ${who}. If you think you should have access, ask your practice manager.`;
}

/** Plain words for a directory failure, shared by every handler. */
export function directoryTrouble(kind: string): string {
  switch (kind) {
    case 'throttled':
      return 'Microsoft 365 is asking me to slow down. Please try again in a minute.';
    case 'forbidden':
      return "I don't have permission to check that in Microsoft 365. Your IT team needs to look at my setup.";
    case 'not-found':
      return "I couldn't find your account in Microsoft 365. Please contact IT.";
    default:
      return "I can't reach Microsoft 365 right now. Nothing was changed. Please try again in a few minutes.";
  }
}
