import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { SimTap } from './records';

/** Temporary Access Pass policy and codes, as the tenant's authentication methods policy sets. */

export interface TapPolicy {
  minLifetimeInMinutes: number;
  maxLifetimeInMinutes: number;
  defaultLifetimeInMinutes: number;
  defaultIsUsableOnce: boolean;
  /** Code length; Entra's default is 8. */
  length: number;
}

export const DEFAULT_TAP_POLICY: TapPolicy = {
  minLifetimeInMinutes: 60,
  maxLifetimeInMinutes: 480,
  defaultLifetimeInMinutes: 60,
  defaultIsUsableOnce: false,
  length: 8,
};

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#$%&*+=?';

function generateTapCode(length: number): string {
  let code = '';
  for (let i = 0; i < length; i += 1) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

function hash(code: string, salt: string): string {
  return createHash('sha256').update(salt).update(code).digest('hex');
}

export interface TapRequest {
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
}

/** A new pass record and its code. The code leaves here once and is never kept. */
export function newTap(
  request: TapRequest,
  now: Date,
  length: number,
): { tap: SimTap; code: string } {
  const code = generateTapCode(length);
  const salt = randomBytes(16).toString('hex');
  return {
    code,
    tap: {
      id: randomUUID(),
      createdDateTime: now.toISOString(),
      startDateTime: request.startDateTime,
      lifetimeInMinutes: request.lifetimeInMinutes,
      isUsableOnce: request.isUsableOnce,
      usedDateTime: null,
      codeHash: hash(code, salt),
      salt,
    },
  };
}

export function tapCodeMatches(tap: SimTap, code: string): boolean {
  const expected = Buffer.from(tap.codeHash, 'hex');
  const actual = Buffer.from(hash(code, tap.salt), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
