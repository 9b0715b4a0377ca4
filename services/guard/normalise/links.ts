import { LINK } from '../text';
import { Rewriter, type Mapped } from './mapped';

/** "%34" in a link is "4": letters, digits and "-._~" are decoded; delimiters stay encoded. */
const ESCAPED = /%([0-9a-f]{2})/gi;
const UNRESERVED = /^[A-Za-z0-9._~-]$/;

/** Links with their percent-escaped letters and digits written plainly. */
export function decodeLinks(source: Mapped): Mapped {
  const { text } = source;
  if (!text.includes('%')) return source;
  let writer: Rewriter | undefined;
  let at = 0;
  for (const link of text.matchAll(LINK)) {
    for (const m of link[0].matchAll(ESCAPED)) {
      const ch = String.fromCharCode(parseInt(m[1] ?? '', 16));
      if (!UNRESERVED.test(ch)) continue;
      const start = link.index + m.index;
      writer ??= new Rewriter(source);
      writer.keep(at, start);
      writer.replace(start, start + m[0].length, ch);
      at = start + m[0].length;
    }
  }
  if (!writer) return source;
  writer.keep(at, text.length);
  return writer.done();
}
