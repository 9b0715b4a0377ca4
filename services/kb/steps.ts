import { KbLoadError } from './errors';

const STEP = /^(\d+)\.\s+(\S.*)$/;
const MAX_STEP_CHARS = 220;

/** Reads the article body: numbered steps `1. ...`, one per line, counting up from 1. */
export function parseSteps(body: string, file: string): string[] {
  const lines = body
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length < 2) throw new KbLoadError(file, 'body', 'needs at least two numbered steps');
  return lines.map((line, i) => {
    const m = STEP.exec(line);
    if (!m || Number(m[1]) !== i + 1) {
      throw new KbLoadError(file, 'body', `step ${i + 1} must be a line starting "${i + 1}. "`);
    }
    const text = (m[2] ?? '').trim();
    if (text.length > MAX_STEP_CHARS) {
      const detail = `step ${i + 1} is longer than ${MAX_STEP_CHARS} characters`;
      throw new KbLoadError(file, 'body', detail);
    }
    if (text.split(/[.!?]\s+(?=[A-Z])/).length > 2) {
      throw new KbLoadError(file, 'body', `step ${i + 1} has more than two sentences`);
    }
    return text;
  });
}
