import {
  CUE_ADMIN,
  DEVICE,
  HELP_FILLER,
  HELP_WORDS,
  ONBOARDING_CUES,
  ONBOARDING_FILLER,
} from './lexicon';
import { isLostDevice } from './lost-device';
import { pattern, type Question } from './question';
import type { Intent } from './schema';
import { STOPWORDS } from './word-lists';

const WHO_NOT = /\bwho\b.*\b(registered|enrolled|setup|mfa|register|done|signed)\b/;
const REMIND = /\b(remind|reminder|reminders)\b/;
const GROUP = /\b(everyone|everybody|staff|people|all|team|users|who|unregistered|them|others)\b/;
const REPORT = /\breport\b.*\b(registration|mfa|coverage|staff|practice|compliance|progress)\b/;
const REPORT_OF = /\b(registration|mfa|compliance|progress|staff|practice)\b.*\breport\b/;
const HOW_MANY = /\bhow many\b.*\b(people|staff|users|employees|registered|enrolled|setup)\b/;
const LIST = pattern(
  '\\b(list|show|export)\\b.*\\b(staff|people|users|everyone|employees|unregistered|team)\\b',
);

/** True for practice-wide requests (reports, reminders); permission checks happen elsewhere. */
function isAdmin(q: Question): boolean {
  if (q.tokens.some((w) => CUE_ADMIN.has(w))) return true;
  if (REMIND.test(q.text) && GROUP.test(q.text)) return true;
  return [WHO_NOT, REPORT, REPORT_OF, HOW_MANY, LIST].some((re) => re.test(q.text));
}

const STATUS = pattern(
  '\\b(am i|have i|did i|is my|are my|did my|has my|check if (i|im)|check whether (i|im)|',
  'check my|im i)\\b.*\\b(registered|enrolled|done|finished|complete|completed|registration|',
  'setup|through|enrollment|all set|ready|good to go)\\b',
);

/** True when someone asks about their own registration. */
function isStatus(q: Question): boolean {
  return q.tokens.includes('status') || STATUS.test(q.text) || /\bregistered yet\b/.test(q.text);
}

const WHAT_CAN_YOU_DO = pattern(
  '\\bwhat (can|do|else can) (you|u) do\\b|\\bhow (do|does) (you|this bot) work\\b',
  '|^(hi |hello |hey )?(who|what) (are you|is this)$',
);

/** Greetings and requests for the menu, with nothing else asked. */
function isHelp(q: Question): boolean {
  if (WHAT_CAN_YOU_DO.test(q.text)) return true;
  const hasHelpWord = q.tokens.some((w) => HELP_WORDS.has(w));
  return hasHelpWord && q.tokens.every((w) => HELP_WORDS.has(w) || HELP_FILLER.has(w));
}

const NEWCOMER = pattern(
  '\\b(im new|i am new|new here|first day|',
  'new (staff|employee|hire|starter|user|nurse|doctor|physician))\\b',
);
const WHAT_TO_DO = pattern(
  '\\bwhat (do )?(i|we) (need|have) to do\\b|\\bwhat to do\\b|\\bwhere (do i|to) (start|begin)\\b',
);

/**
 * Getting set up for the first time: a set-up cue ("register", "mfa", "set up") with nothing
 * else in the question that points at a specific problem.
 */
function isOnboarding(q: Question): boolean {
  const cue = q.tokens.some((w) => ONBOARDING_CUES.has(w));
  if (!cue && !NEWCOMER.test(q.text) && !WHAT_TO_DO.test(q.text)) return false;
  const hasDevice = q.tokens.some((w) => DEVICE.has(w));
  return q.tokens.every(
    (w) =>
      ONBOARDING_CUES.has(w) ||
      STOPWORDS.has(w) ||
      (DEVICE.has(w) && w !== 'device') ||
      (ONBOARDING_FILLER.has(w) && !(w === 'new' && hasDevice)),
  );
}

/** The intents decided by rules; troubleshooting and unknown are left to the search. */
export function ruleIntent(q: Question): Intent | undefined {
  if (isLostDevice(q)) return 'lost-device';
  if (isAdmin(q)) return 'admin';
  if (isStatus(q)) return 'status';
  if (isHelp(q)) return 'help';
  if (isOnboarding(q)) return 'onboarding';
  return undefined;
}
