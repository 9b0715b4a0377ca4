import { z } from 'zod';
import { screenText } from './screen';
import { SENSITIVE_KINDS, type ScreenResult } from './types';

/** One message of a labelled set: what staff might type, and whether it must be stopped. */
const labelledMessageSchema = z.object({
  text: z.string(),
  sensitive: z.boolean(),
  kinds: z.array(z.enum(SENSITIVE_KINDS)).optional(),
});
export type LabelledMessage = z.infer<typeof labelledMessageSchema>;

/** Parses a labelled set read from disk; throws with the offending entry when it is malformed. */
export function parseLabelledSet(json: unknown): LabelledMessage[] {
  return z.array(labelledMessageSchema).parse(json);
}

export interface GuardFigures {
  /** Share of sensitive messages stopped (1 when there are none). */
  recall: number;
  /** Share of benign messages wrongly stopped (0 when there are none). */
  falsePositiveRate: number;
  /** Messages judged. */
  n: number;
}

type Screen = (text: string) => ScreenResult;

const flagged = (screen: Screen, m: LabelledMessage): boolean =>
  screen(m.text).verdict === 'sensitive';

/** How well `screen` (the guard by default) does on a labelled set. */
export function evaluateGuard(
  set: readonly LabelledMessage[],
  screen: Screen = screenText,
): GuardFigures {
  const sensitive = set.filter((m) => m.sensitive);
  const benign = set.filter((m) => !m.sensitive);
  const caught = sensitive.filter((m) => flagged(screen, m)).length;
  const wronglyStopped = benign.filter((m) => flagged(screen, m)).length;
  return {
    recall: sensitive.length === 0 ? 1 : caught / sensitive.length,
    falsePositiveRate: benign.length === 0 ? 0 : wronglyStopped / benign.length,
    n: set.length,
  };
}

/** The messages `screen` gets wrong: missed sensitive ones and stopped benign ones. */
export function misjudged(
  set: readonly LabelledMessage[],
  screen: Screen = screenText,
): LabelledMessage[] {
  return set.filter((m) => flagged(screen, m) !== m.sensitive);
}
