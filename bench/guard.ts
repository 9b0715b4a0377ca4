/**
 * Guard benchmark: `npm run bench -- guard [--rounds=N]`.
 * Recall and false positives on every labelled set, and how fast messages are screened.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { assetPath } from '../services/paths';
import {
  evaluateGuard,
  parseLabelledSet,
  screenText,
  type LabelledMessage,
} from '../services/guard/guard';

const SETS = ['labelled', 'holdout', 'adversarial', 'adversarial-holdout'] as const;

function loadSet(name: (typeof SETS)[number]): LabelledMessage[] {
  const file = assetPath('test', 'guard', `${name}-messages.json`);
  return parseLabelledSet(JSON.parse(fs.readFileSync(file, 'utf8')));
}

export async function run(args: string[]): Promise<Record<string, number>> {
  const rounds = roundsFrom(args);
  const figures: Record<string, number> = {};
  const texts: string[] = [];
  for (const name of SETS) {
    const set = loadSet(name);
    const { recall, falsePositiveRate, n } = evaluateGuard(set);
    const key = name.replace('-', '_');
    figures[`guard_${key}_n`] = n;
    figures[`guard_${key}_recall`] = round(recall);
    figures[`guard_${key}_fp`] = round(falsePositiveRate);
    if (name === 'labelled') texts.push(...set.map((m) => m.text));
  }

  for (const text of texts) screenText(text);
  const times: number[] = [];
  const start = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const text of texts) {
      const t = performance.now();
      screenText(text);
      times.push(performance.now() - t);
    }
  }
  const elapsed = performance.now() - start;
  times.sort((a, b) => a - b);
  const p99 = times[Math.max(0, Math.ceil(times.length * 0.99) - 1)] ?? 0;
  figures.guard_messages_per_s = Math.round((times.length / elapsed) * 1000);
  figures.guard_p99_us = Math.round(p99 * 1000);
  return figures;
}

function roundsFrom(args: string[]): number {
  const arg = args.find((a) => a.startsWith('--rounds='));
  const n = Number(arg?.slice('--rounds='.length));
  return Number.isInteger(n) && n > 0 ? n : 200;
}

function round(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
