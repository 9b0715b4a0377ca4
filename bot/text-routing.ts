import { TurnContext } from 'botbuilder';
import type { CardJson } from '../cards/render';
import { VERBS } from '../cards/verbs';
import type { RoleResolver } from '../services/authz/roles';
import { screenText } from '../services/guard/guard';
import { readTyped } from '../services/guard/intake';
import type { KnowledgeBase } from '../services/kb';
import type { Intent } from '../services/kb/schema';
import type { Logger } from '../services/logger';
import type { ActionContext, ActionRouter } from './actions';
import { matchCommand, type Command } from './commands';

/** Flows that free text can start, by what the knowledge base says the text is about. */
const INTENT_VERBS: Partial<Record<Intent, string>> = {
  onboarding: VERBS.setupStart,
  'lost-device': VERBS.lostDevice,
  status: VERBS.myStatus,
  admin: VERBS.adminStatus,
};

const INTAKE_PROBLEMS = {
  'too-long':
    'That message is too long for me. Please tell me the problem in a sentence or two, like "no notification on my phone".',
  'not-text': "I can only read plain text. Please type what's happening in a sentence or two.",
} as const;

/** A thank-you and nothing else: it gets a short answer, not the whole menu again. */
const THANKS =
  /^(?:(?:ok(?:ay)?|great|perfect|cool|got it)[\s,!.]*)?(?:thanks?|thank you|thx|ty|cheers)(?:\s+(?:so much|a lot|again|very much))?[\s!.:)]*$/i;
const YOURE_WELCOME = 'You\'re welcome! Type "help" any time you need me.';

export interface TextRoutingDeps {
  actions: ActionRouter;
  kb: KnowledgeBase;
  roles: RoleResolver;
  logger: Logger;
  /** The menu, with a note on top when given. */
  menu(ctx: ActionContext, notice?: string): Promise<CardJson>;
  /** Troubleshooting: an answer, a "did you mean", or a way to IT. */
  answer(ctx: ActionContext, text: string): Promise<CardJson>;
}

/**
 * What a typed message leads to: the one text gate, then screening for secrets and patient
 * data (never stored or logged), then a command, a flow the text is about, or an answer.
 * Returns a card, or plain words when the text was refused.
 */
export class TextRouter {
  constructor(private readonly deps: TextRoutingDeps) {}

  async route(ctx: ActionContext): Promise<CardJson | string> {
    const activity = ctx.turn.activity;
    const intake = readTyped(TurnContext.removeRecipientMention(activity) ?? '');
    if (!intake.ok)
      return intake.problem === 'empty' ? this.deps.menu(ctx) : INTAKE_PROBLEMS[intake.problem];
    const text = intake.text;
    const screened = screenText(text);
    if (screened.verdict === 'sensitive') {
      // Not stored, not forwarded, not logged: only the kind of thing it looked like.
      this.deps.logger.info(
        { activityId: activity.id, kinds: screened.kinds },
        'sensitive text screened out',
      );
      return `${screened.reason} I have not kept that message.`;
    }
    if (THANKS.test(text)) return YOURE_WELCOME;
    const { actions } = this.deps;
    const command = matchCommand(text, actions.verbs());
    if (command) return actions.execute(ctx, await this.verbFor(command, ctx), {});
    const { intent } = this.deps.kb.understand(text);
    const verb = INTENT_VERBS[intent];
    if (verb && actions.has(verb)) return actions.execute(ctx, verb, {});
    if (intent === 'help') return this.deps.menu(ctx);
    return this.deps.answer(ctx, text);
  }

  /** A command for a role the caller lacks may mean something else for them ("status"). */
  private async verbFor(command: Command, ctx: ActionContext): Promise<string> {
    if (command.audience === 'staff' || !command.staffFallback) return command.verb;
    const roles = await this.deps.roles.rolesOf(ctx.caller.aadObjectId).catch(() => undefined);
    return roles?.has(command.audience) ? command.verb : command.staffFallback;
  }
}
