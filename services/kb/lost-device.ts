import { DAMAGE, DEVICE, HYPOTHETICAL, LOSS, THEFT } from './lexicon';
import { pattern, type Question } from './question';

const PHONE = '(phone|cell|mobile|iphone|android)';

const STILL_HAVE = pattern(
  '\\b(still (have|got|has|own|works?|working|use)|have both|(have|kept) my old)\\b',
);
const CANT_FIND = /\b(cant|cannot|couldnt|can not) find\b/;
const NO_POWER = /\b(wont|doesnt|does not|will not|cant|cannot) (turn|switch|power|boot|start)\b/;
const SCREEN_GONE = /\bscreen (is |went |gone )?(black|blank|dead)\b/;
const GONE = /\b(phone|iphone|cell|mobile|it|its|it is) (is |was )?(gone|missing)\b/;
const OLD_GONE = pattern(
  '\\bold (one|phone|device|iphone|android|cell|mobile)\\b.*',
  '\\b(gone|sold|lost|returned|wiped|stolen|broken|dead|died)\\b',
);
const GAVE_AWAY = pattern(
  '\\b(sold|traded|returned|gave away|trade in|traded in|wiped|recycled) (in )?(my |the )?old\\b',
);
/** A phone that was reset or wiped is still in hand: the app needs setting up again, not IT. */
const RESET = /\b(reset|resets|resetting|wiped|erased|factory)\b/;
const NO_OLD = /\b(dont|do not|no longer|not) (have|got) (my |the )?old\b/;
const LEFT_BEHIND = pattern(
  `\\bleft (my |the )?${PHONE} (in|on|at) (a |an |the )?`,
  '(uber|lyft|taxi|cab|bus|train|plane|airport|restaurant|store|bar|park|gym|subway)\\b',
);

/**
 * True when the question describes a phone that is lost, stolen, broken or gone, and not one
 * the person still has ("new phone, I still have the old one") or only imagines losing.
 */
export function isLostDevice(q: Question): boolean {
  if (STILL_HAVE.test(q.text)) return false;
  const t = q.tokens;
  const hasDevice = t.some((w) => DEVICE.has(w));
  const reset = RESET.test(q.text);
  const hypothetical = (at: number): boolean =>
    t.slice(Math.max(0, at - 5), at).some((w) => HYPOTHETICAL.has(w));
  for (let i = 0; i < t.length; i++) {
    const w = t[i] ?? '';
    if (THEFT.has(w) && !hypothetical(i)) return true;
    if (LOSS.has(w) && hasDevice && !hypothetical(i)) return true;
    if (DAMAGE.has(w) && nearDevice(t, i) && !hypothetical(i) && !reset) return true;
  }
  const gone = [CANT_FIND, NO_POWER, SCREEN_GONE, GONE].some((re) => re.test(q.text));
  if (gone && hasDevice) return true;
  return [LEFT_BEHIND, OLD_GONE, GAVE_AWAY, NO_OLD].some((re) => re.test(q.text));
}

function nearDevice(tokens: readonly string[], at: number): boolean {
  const window = tokens.slice(Math.max(0, at - 4), at + 5);
  return window.some((w) => DEVICE.has(w) || w === 'screen');
}
