import { isActive, type Ticket } from './model';

/**
 * When a Temporary Access Pass may be issued. An identity check is good for one pass, for a
 * limited time, and for privileged accounts only once a second person confirmed it. The rules
 * return reasons as codes; the bot words them for people.
 */

export type IdentityCheckState = 'none' | 'expired' | 'awaiting-second' | 'valid';

export type PassBlocker =
  'closed' | 'wrong-kind' | 'entra-admin' | 'no-check' | 'check-expired' | 'needs-second';

export function canHavePass(t: Ticket): boolean {
  return t.kind === 'lost-device' || t.kind === 'first-time-pass';
}

/** When the current identity check stops counting. */
export function checkExpiresAt(t: Ticket, ttlMs: number): Date | undefined {
  const v = t.verification;
  return v ? new Date(Date.parse(v.at) + ttlMs) : undefined;
}

export function identityCheckState(t: Ticket, now: Date, ttlMs: number): IdentityCheckState {
  const v = t.verification;
  if (!v) return 'none';
  if (now.getTime() >= Date.parse(v.at) + ttlMs) return 'expired';
  if (t.privileged && !v.confirmedBy) return 'awaiting-second';
  return 'valid';
}

/** Why no pass can be issued on this ticket now, or undefined when one can. */
export function passBlocker(t: Ticket, now: Date, ttlMs: number): PassBlocker | undefined {
  if (!isActive(t.status)) return 'closed';
  if (!canHavePass(t)) return 'wrong-kind';
  if (t.adminRole) return 'entra-admin';
  switch (identityCheckState(t, now, ttlMs)) {
    case 'none':
      return 'no-check';
    case 'expired':
      return 'check-expired';
    case 'awaiting-second':
      return 'needs-second';
    case 'valid':
      return undefined;
  }
}

/** The pass issued earlier on this ticket that still works, if any. */
export function livePass(t: Ticket, now: Date): Ticket['pass'] {
  return t.pass && Date.parse(t.pass.expiresAt) > now.getTime() ? t.pass : undefined;
}
