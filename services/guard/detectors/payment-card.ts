import { limits } from '../limits';
import type { Scan } from '../scan';
import type { Span } from '../types';
import { luhnValid } from './luhn';

interface Run {
  readonly start: number;
  readonly end: number;
  readonly digits: string;
}

/** Digit runs joined by a space, hyphen, dot or underscore: "4111 1111 1111 1111", "4111.1111…". */
function chainsOf(text: string): Run[][] {
  const chains: Run[][] = [];
  let chain: Run[] = [];
  for (const m of text.matchAll(/\d+/g)) {
    const run = { start: m.index, end: m.index + m[0].length, digits: m[0] };
    const last = chain[chain.length - 1];
    const joined = last && run.start === last.end + 1 && /[ ._-]/.test(text[last.end] ?? '');
    if (!joined && chain.length > 0) {
      chains.push(chain);
      chain = [];
    }
    chain.push(run);
  }
  if (chain.length > 0) chains.push(chain);
  return chains;
}

/** One unbroken number, or groups printed like cards (4-4-4-4, 4-6-5, 4-4-4-4-3), not phones. */
function cardShaped(runs: readonly Run[]): boolean {
  if (runs.length === 1) return true;
  if (runs[0]?.digits.length !== 4) return false;
  return runs.every((r, i) => {
    const shortest = i === runs.length - 1 ? 3 : 4;
    return r.digits.length >= shortest && r.digits.length <= 6;
  });
}

function isCardNumber(runs: readonly Run[], digits: string): boolean {
  return cardShaped(runs) && luhnValid(digits) && !/^(\d)\1+$/.test(digits);
}

export function findPaymentCards(scan: Scan): Span[] {
  const { min, max } = limits.paymentCardDigits;
  const spans: Span[] = [];
  for (const chain of chainsOf(scan.text)) {
    for (let i = 0; i < chain.length; i += 1) {
      let digits = '';
      for (let j = i; j < chain.length; j += 1) {
        digits += (chain[j] as Run).digits;
        if (digits.length > max) break;
        if (digits.length >= min && isCardNumber(chain.slice(i, j + 1), digits)) {
          const start = (chain[i] as Run).start;
          spans.push({ kind: 'payment-card', start, end: (chain[j] as Run).end });
        }
      }
    }
  }
  return spans;
}
