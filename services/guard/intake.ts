/**
 * The one check on text a person typed, before anything reads it: chat messages and knowledge
 * base questions alike. Screening for secrets and patient data comes after it (screen.ts).
 */

/** Longest text the bot reads, in characters as people count them (not UTF-16 units). */
export const MAX_TEXT_LENGTH = 2000;

export type Intake =
  { ok: true; text: string } | { ok: false; problem: 'empty' | 'too-long' | 'not-text' };

// C0 and C1 controls (tab and line breaks allowed), DEL, and the replacement for undecodable bytes.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD]/;
const ORDINARY = /[\p{L}\p{N}\p{P}\p{Zs}\p{S}\p{M}\s]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

export function readTyped(input: unknown): Intake {
  if (typeof input !== 'string') return { ok: false, problem: 'not-text' };
  const text = input.trim();
  if (text === '') return { ok: false, problem: 'empty' };
  const characters = [...text];
  if (characters.length > MAX_TEXT_LENGTH) return { ok: false, problem: 'too-long' };
  if (CONTROL.test(text)) return { ok: false, problem: 'not-text' };
  // Mostly invisible or formatting characters is not something a person typed.
  const ordinary = characters.filter((c) => ORDINARY.test(c)).length;
  if (ordinary < characters.length * 0.9 || !LETTER_OR_DIGIT.test(text))
    return { ok: false, problem: 'not-text' };
  return { ok: true, text };
}
