import fs from 'node:fs';
import { assetPath } from '../../services/paths';
import { parseLabelledSet, type LabelledMessage } from '../../services/guard/guard';

/** A labelled set shipped next to these tests: `labelled` (tuned on) or `holdout` (never). */
export function loadSet(name: 'labelled' | 'holdout'): LabelledMessage[] {
  const file = assetPath('test', 'guard', `${name}-messages.json`);
  return parseLabelledSet(JSON.parse(fs.readFileSync(file, 'utf8')));
}

export const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;
