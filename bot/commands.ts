import { VERBS, type Verb } from '../cards/verbs';
import type { Role } from '../services/authz/roles';

/**
 * What people can type to the bot. The router matches text against these, and the Teams app
 * manifest's command lists are generated from the same list, so the two cannot drift.
 */
export interface Command {
  /** What the user types; shown in Teams' command menu (≤ 32 characters). */
  title: string;
  /** One line shown under the title in the command menu (≤ 128 characters). */
  description: string;
  /** The button that does the same on the help card. */
  label: string;
  /** Who the command is for; the action behind it still checks the role itself. */
  audience: Exclude<Role, 'privileged'>;
  verb: Verb;
  /** Other ways people say the same thing; matched whole, ignoring case and punctuation. */
  aliases: string[];
  /** What the same words mean for someone outside the audience ("status" → their own). */
  staffFallback?: Verb;
}

export const COMMANDS: readonly Command[] = [
  {
    title: 'set up',
    label: 'Set up Authenticator',
    description: 'Set up Microsoft Authenticator, step by step',
    audience: 'staff',
    verb: VERBS.setupStart,
    aliases: ['setup', 'set up authenticator', 'register', 'enroll', 'get started', 'start'],
  },
  {
    title: 'fix sign-in',
    label: 'Fix a sign-in problem',
    description: 'Fix a sign-in problem: no notification, codes rejected, new phone',
    audience: 'staff',
    verb: VERBS.troubleshoot,
    aliases: ['fix sign in', 'sign-in problem', 'sign in problem', 'troubleshoot', 'problem'],
  },
  {
    title: 'lost phone',
    label: 'Lost or stolen phone',
    description: 'Report a lost or stolen phone so IT can secure your account',
    audience: 'staff',
    verb: VERBS.lostDevice,
    aliases: ['lost my phone', 'stolen phone', 'phone stolen', 'lost device'],
  },
  {
    title: 'my status',
    label: 'My status',
    description: 'See which sign-in methods you have registered',
    audience: 'staff',
    verb: VERBS.myStatus,
    aliases: ['am i registered', 'my methods'],
  },
  {
    title: 'help',
    label: 'Menu',
    description: 'Show what I can do',
    audience: 'staff',
    verb: VERBS.menu,
    aliases: ['hi', 'hello', 'hey', 'menu', 'start over', 'good morning', 'good afternoon'],
  },
  {
    title: 'tickets',
    label: 'Open tickets',
    description: 'IT: list open lost-phone and help tickets',
    audience: 'it',
    verb: VERBS.itTickets,
    aliases: ['open tickets', 'queue'],
  },
  {
    title: 'status',
    label: 'Registration status',
    description: 'Admins: registration coverage by role group',
    audience: 'admin',
    verb: VERBS.adminStatus,
    aliases: ['coverage', 'registration status', 'report'],
    staffFallback: VERBS.myStatus,
  },
  {
    title: 'review questions',
    label: 'Review staff questions',
    description:
      'Admins and IT: map questions I could not answer to an article, or mark them off-topic',
    audience: 'admin',
    verb: VERBS.kbReview,
    aliases: ['kb review', 'review kb', 'review', 'question queue'],
  },
  {
    title: 'readiness',
    label: 'Rollout readiness',
    description:
      'Admins and IT: is the practice ready to require MFA? What blocks it, and where to fix it',
    audience: 'admin',
    verb: VERBS.adminReadiness,
    aliases: ['rollout readiness', 'readiness check', 'ready to enforce', 'are we ready'],
  },
  {
    title: 'nudge',
    label: 'Send a nudge',
    description: 'Admins: remind people who have not registered yet',
    audience: 'admin',
    verb: VERBS.adminNudge,
    aliases: ['send nudge', 'send reminder', 'remind'],
  },
  {
    title: 'text code users',
    label: 'Who still uses text codes',
    description: 'Admins: people with Authenticator who still sign in with text or voice codes',
    audience: 'admin',
    verb: VERBS.signinHoldouts,
    aliases: ['holdouts', 'text code holdouts', 'sms users'],
  },
];

/** Lower case, mention and punctuation removed, spaces folded. */
function normalizeCommandText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The command the text names exactly (title or alias), if any. */
export function matchCommand(text: string, available?: ReadonlySet<string>): Command | undefined {
  const said = normalizeCommandText(text);
  if (!said) return undefined;
  return COMMANDS.find(
    (c) =>
      (!available || available.has(c.verb)) &&
      (normalizeCommandText(c.title) === said ||
        c.aliases.some((a) => normalizeCommandText(a) === said)),
  );
}
