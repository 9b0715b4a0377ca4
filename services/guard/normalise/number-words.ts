import { Rewriter, type Mapped } from './mapped';

type Kind =
  'digit' | 'teen' | 'tens' | 'ordinal' | 'times' | 'hundred' | 'thousand' | 'and' | 'number';

const WORDS: Readonly<Record<string, readonly [Kind, number]>> = {
  zero: ['digit', 0],
  oh: ['digit', 0],
  one: ['digit', 1],
  two: ['digit', 2],
  three: ['digit', 3],
  four: ['digit', 4],
  five: ['digit', 5],
  six: ['digit', 6],
  seven: ['digit', 7],
  eight: ['digit', 8],
  nine: ['digit', 9],
  ten: ['teen', 10],
  eleven: ['teen', 11],
  twelve: ['teen', 12],
  thirteen: ['teen', 13],
  fourteen: ['teen', 14],
  fifteen: ['teen', 15],
  sixteen: ['teen', 16],
  seventeen: ['teen', 17],
  eighteen: ['teen', 18],
  nineteen: ['teen', 19],
  twenty: ['tens', 20],
  thirty: ['tens', 30],
  forty: ['tens', 40],
  fifty: ['tens', 50],
  sixty: ['tens', 60],
  seventy: ['tens', 70],
  eighty: ['tens', 80],
  ninety: ['tens', 90],
  first: ['ordinal', 1],
  second: ['ordinal', 2],
  third: ['ordinal', 3],
  fourth: ['ordinal', 4],
  fifth: ['ordinal', 5],
  sixth: ['ordinal', 6],
  seventh: ['ordinal', 7],
  eighth: ['ordinal', 8],
  ninth: ['ordinal', 9],
  tenth: ['ordinal', 10],
  eleventh: ['ordinal', 11],
  twelfth: ['ordinal', 12],
  thirteenth: ['ordinal', 13],
  fourteenth: ['ordinal', 14],
  fifteenth: ['ordinal', 15],
  sixteenth: ['ordinal', 16],
  seventeenth: ['ordinal', 17],
  eighteenth: ['ordinal', 18],
  nineteenth: ['ordinal', 19],
  twentieth: ['ordinal', 20],
  thirtieth: ['ordinal', 30],
  double: ['times', 2],
  triple: ['times', 3],
  hundred: ['hundred', 100],
  thousand: ['thousand', 1000],
  and: ['and', 0],
};
const ANY_NUMBER_WORD = new RegExp(
  `(?<![a-z])(?:${Object.keys(WORDS)
    .filter((w) => w !== 'and')
    .join('|')})(?![a-z])`,
  'i',
);
/**
 * A number word, or digits standing on their own ("MFA-0219" and "v2" are names, not parts of a
 * number): the only words a spelled-out number is made of.
 */
const NUMBER_TOKEN = new RegExp(
  `(?<![a-z])(?:${Object.keys(WORDS).join('|')})(?![a-z])|(?<![^ ,])\\d{1,4}(?![^ ,.?!])`,
  'gi',
);
/** What may stand between the words of one number: a space, a comma or a dash. */
const JOINER = /^(?: ?[,-] ?| )$/;
const MONTH = 'jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec';
const MONTH_BEFORE = new RegExp(`(?<![a-z])(?:${MONTH})[a-z]{0,6}\\.?,? (?:the )?$`, 'i');
const MONTH_AFTER = new RegExp(`^ (?:of )?(?:${MONTH})`, 'i');
/** Fewest digits a spelled-out number needs before it is rewritten ("two phones" stays). */
const MIN_DIGITS = 3;

interface Token {
  readonly kind: Kind;
  readonly value: number;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** A piece of a number as digits: "forty eight" is "48", "third" is "3rd". */
interface Chunk {
  readonly digits: string;
  readonly ordinal: boolean;
  readonly start: number;
  readonly end: number;
}

function tokenOf(m: RegExpMatchArray): Token {
  const text = m[0];
  const start = m.index ?? 0;
  const [kind, value] = WORDS[text.toLowerCase()] ?? ['number', Number(text)];
  return { kind, value, text, start, end: start + text.length };
}

const suffix = (n: number): string =>
  n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');

/** Reads one chunk starting at `tokens[i]`; returns it and the index after it. */
function readChunk(tokens: readonly Token[], i: number): [Chunk, number] | undefined {
  const t = tokens[i] as Token;
  const at = (k: number): Token | undefined => tokens[k];
  const chunk = (digits: string, last: number, ordinal = false): [Chunk, number] => [
    { digits, ordinal, start: t.start, end: (tokens[last] as Token).end },
    last + 1,
  ];
  /** "forty", "forty eight", "forty-eighth", "thirteen", "eight": a number below 100. */
  const belowHundred = (k: number): [number, number, boolean] | undefined => {
    const u = at(k);
    if (!u || (u.kind !== 'digit' && u.kind !== 'teen' && u.kind !== 'tens')) return undefined;
    const next = at(k + 1);
    if (u.kind === 'tens' && next && next.value >= 1 && next.value <= 9) {
      if (next.kind === 'digit') return [u.value + next.value, k + 1, false];
      if (next.kind === 'ordinal') return [u.value + next.value, k + 1, true];
    }
    return [u.value, k, false];
  };
  switch (t.kind) {
    case 'number':
      return chunk(t.text, i);
    case 'ordinal':
      return chunk(`${t.value}${suffix(t.value)}`, i, true);
    case 'times': {
      const next = at(i + 1);
      const single =
        next && (next.kind === 'digit' || (next.kind === 'number' && next.text.length === 1));
      return single ? chunk(String(next.value).repeat(t.value), i + 1) : undefined;
    }
    case 'digit':
    case 'teen':
    case 'tens': {
      const [value, last, ordinal] = belowHundred(i) ?? [t.value, i, false];
      const scale = at(last + 1);
      if (!ordinal && scale && (scale.kind === 'hundred' || scale.kind === 'thousand')) {
        let k = last + 2;
        if (at(k)?.kind === 'and') k += 1;
        const rest = belowHundred(k);
        const total = value * scale.value + (rest?.[0] ?? 0);
        return chunk(String(total), rest ? rest[1] : last + 1, rest?.[2] ?? false);
      }
      if (ordinal) return chunk(`${value}${suffix(value)}`, last, true);
      return chunk(String(value), last);
    }
    default:
      return undefined;
  }
}

/** Consecutive number tokens joined by spaces, commas or dashes ("and" only after a scale). */
function runsOf(text: string): Token[][] {
  const runs: Token[][] = [];
  let run: Token[] = [];
  const close = (): void => {
    while (run[run.length - 1]?.kind === 'and') run.pop();
    if (run.some((t) => t.kind !== 'number')) runs.push(run);
    run = [];
  };
  for (const m of text.matchAll(NUMBER_TOKEN)) {
    const token = tokenOf(m);
    const last = run[run.length - 1];
    const scaled = last?.kind === 'hundred' || last?.kind === 'thousand';
    const joined =
      last !== undefined &&
      (token.kind !== 'and' || scaled) &&
      JOINER.test(text.slice(last.end, token.start));
    if (!joined) close();
    if (token.kind !== 'and' || joined) run.push(token);
  }
  close();
  return runs;
}

/** The chunks of a run, in groups: a word that cannot be read ("double" alone) parts them. */
function chunksOf(run: readonly Token[]): Chunk[][] {
  const groups: Chunk[][] = [];
  let group: Chunk[] = [];
  for (let i = 0; i < run.length;) {
    const read = readChunk(run, i);
    if (read) {
      group.push(read[0]);
      i = read[1];
      continue;
    }
    if (group.length > 0) groups.push(group);
    group = [];
    i += 1;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** The digits of a run as they should read: commas part groups, a spaced dash stays a dash. */
function separator(text: string, before: Chunk, after: Chunk): string {
  const between = text.slice(before.end, after.start);
  if (between.includes(',')) return ' ';
  if (between === ' - ') return '-';
  return before.ordinal || after.ordinal ? ' ' : '';
}

/** "the third of January", "January the third": an ordinal that is a day of a month. */
function dayOfMonth(text: string, chunk: Chunk): boolean {
  return (
    MONTH_BEFORE.test(text.slice(Math.max(0, chunk.start - 20), chunk.start)) ||
    MONTH_AFTER.test(text.slice(chunk.end, chunk.end + 12))
  );
}

/** Groups parted at ordinals that are not days of a month ("ticket 17, second floor"). */
function withoutLooseOrdinals(text: string, group: readonly Chunk[]): Chunk[][] {
  const groups: Chunk[][] = [[]];
  for (const chunk of group) {
    if (chunk.ordinal && !dayOfMonth(text, chunk)) groups.push([]);
    else groups[groups.length - 1]?.push(chunk);
  }
  return groups.filter((g) => g.length > 0);
}

/** A day of a month, or a number long enough to be a code or an id, with words in it. */
function worthWriting(text: string, chunks: readonly Chunk[]): boolean {
  const digits = chunks.reduce((n, c) => n + c.digits.replace(/\D/g, '').length, 0);
  if (digits < MIN_DIGITS && !chunks.some((c) => c.ordinal)) return false;
  return chunks.some((c) => c.digits !== text.slice(c.start, c.end));
}

/**
 * Numbers spelled out as words written as digits: "four seven two nine one three" reads
 * "472913", "the third of January nineteen eighty" reads "the 3rd of January 1980". Short
 * numbers ("two phones", "forty five minutes", "the third floor") stay words.
 */
export function spellNumbers(source: Mapped): Mapped {
  const { text } = source;
  if (!ANY_NUMBER_WORD.test(text)) return source;
  let writer: Rewriter | undefined;
  let at = 0;
  const groups = runsOf(text)
    .flatMap(chunksOf)
    .flatMap((group) => withoutLooseOrdinals(text, group));
  for (const chunks of groups) {
    if (!worthWriting(text, chunks)) continue;
    const w = (writer ??= new Rewriter(source));
    let previous: Chunk | undefined;
    for (const chunk of chunks) {
      if (previous) w.replace(previous.end, chunk.start, separator(text, previous, chunk));
      else w.keep(at, chunk.start);
      w.replace(chunk.start, chunk.end, chunk.digits);
      previous = chunk;
    }
    at = previous?.end ?? at;
  }
  if (!writer) return source;
  writer.keep(at, text.length);
  return writer.done();
}
