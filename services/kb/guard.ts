/** Longest question the bot will read; anything longer is answered politely as not understood. */
export const MAX_QUESTION_CHARS = 1000;

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD]/;
const ORDINARY = /[\p{L}\p{N}\p{P}\p{Zs}\p{S}\s]/gu;

/**
 * The question as a trimmed string, or undefined when it is empty, too long or looks like
 * binary data rather than something a person typed.
 */
export function acceptQuestion(input: unknown): string | undefined {
  if (typeof input !== 'string') return undefined;
  const text = input.trim();
  if (text === '' || text.length > MAX_QUESTION_CHARS) return undefined;
  if (CONTROL.test(text)) return undefined;
  const ordinary = text.match(ORDINARY)?.length ?? 0;
  if (ordinary < text.length * 0.9) return undefined;
  return /[\p{L}\p{N}]/u.test(text) ? text : undefined;
}
