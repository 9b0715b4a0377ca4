import fs from 'node:fs';
import { assetPath } from '../../services/paths';
import { parseLabelledSet, type LabelledMessage } from '../../services/guard/guard';

/**
 * A labelled set shipped next to these tests: `labelled` (tuned on), `holdout` (never),
 * `adversarial` (disguised secrets and their look-alikes, tuned on) and `adversarial-holdout`
 * (the same kind of disguises, never tuned on).
 */
export type SetName = 'labelled' | 'holdout' | 'adversarial' | 'adversarial-holdout';

export function loadSet(name: SetName): LabelledMessage[] {
  const file = assetPath('test', 'guard', `${name}-messages.json`);
  return parseLabelledSet(JSON.parse(fs.readFileSync(file, 'utf8')));
}

export const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;
