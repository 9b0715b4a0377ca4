import type { Range } from '../types';

/**
 * A text rewritten from an original, each of its characters knowing the range of the original it
 * came from, so what is found in the rewritten text can be removed from the original.
 */
export interface Mapped {
  readonly text: string;
  /**
   * `from[i]`, `to[i]`: the original range character `i` came from; absent while the text is the
   * original itself (most messages are never rewritten, and pay nothing for the mapping).
   */
  readonly from?: Int32Array;
  readonly to?: Int32Array;
}

export const unchanged = (text: string): Mapped => ({ text });

const fromOf = (mapped: Mapped, i: number): number => (mapped.from ? (mapped.from[i] ?? 0) : i);
const toOf = (mapped: Mapped, i: number): number => (mapped.to ? (mapped.to[i] ?? 0) : i + 1);

/** The original range a non-empty range of the rewritten text came from. */
export function originalRange(mapped: Mapped, range: Range): Range {
  return { start: fromOf(mapped, range.start), end: toOf(mapped, range.end - 1) };
}

/** Builds the next rewrite of a mapped text, left to right. */
export class Rewriter {
  private readonly parts: string[] = [];
  private readonly from: number[] = [];
  private readonly to: number[] = [];

  constructor(private readonly source: Mapped) {}

  /** Copies `source.text[start, end)` as it is. */
  keep(start: number, end: number): void {
    if (end <= start) return;
    this.parts.push(this.source.text.slice(start, end));
    for (let i = start; i < end; i += 1) {
      this.from.push(fromOf(this.source, i));
      this.to.push(toOf(this.source, i));
    }
  }

  /** Writes `replacement` for `source.text[start, end)`; each character maps to all of it. */
  replace(start: number, end: number, replacement: string): void {
    if (replacement === '') {
      this.drop(end);
      return;
    }
    const from = fromOf(this.source, start);
    const to = toOf(this.source, end - 1);
    this.parts.push(replacement);
    for (let i = 0; i < replacement.length; i += 1) {
      this.from.push(from);
      this.to.push(to);
    }
  }

  /**
   * Leaves out source characters up to `end`. The character written before them now reaches over
   * them, so removing it removes them too (no stray invisible characters after a redaction).
   */
  drop(end: number): void {
    const last = this.to.length - 1;
    if (last < 0 || end <= 0) return;
    this.to[last] = Math.max(this.to[last] ?? 0, toOf(this.source, end - 1));
  }

  done(): Mapped {
    return {
      text: this.parts.join(''),
      from: Int32Array.from(this.from),
      to: Int32Array.from(this.to),
    };
  }
}

/** Part of a replacement and the source range it stands for. */
export interface Piece extends Range {
  readonly text: string;
}

/**
 * `source` with every match of `pattern` (global) replaced by what `replace` returns for it: a
 * string standing for the whole match, or pieces standing for parts of it (what lies between
 * pieces is dropped); `undefined` keeps the match. Returns `source` itself when nothing matched.
 */
export function rewrite(
  source: Mapped,
  pattern: RegExp,
  replace: (match: RegExpMatchArray) => string | readonly Piece[] | undefined,
): Mapped {
  let writer: Rewriter | undefined;
  let at = 0;
  for (const m of source.text.matchAll(pattern)) {
    const replacement = replace(m);
    if (replacement === undefined) continue;
    const end = m.index + m[0].length;
    writer ??= new Rewriter(source);
    writer.keep(at, m.index);
    if (typeof replacement === 'string') {
      writer.replace(m.index, end, replacement);
    } else {
      let inside = m.index;
      for (const piece of replacement) {
        if (piece.start > inside) writer.drop(piece.start);
        writer.replace(piece.start, piece.end, piece.text);
        inside = piece.end;
      }
      if (end > inside) writer.drop(end);
    }
    at = end;
  }
  if (!writer) return source;
  writer.keep(at, source.text.length);
  return writer.done();
}
