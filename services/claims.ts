/**
 * How long an IT action (on a ticket or a sign-in alert) stays claimed. An action takes seconds;
 * a claim older than this belongs to an instance that stopped mid-action. With several instances
 * on one store, a starting instance cannot tell another's running action from a dead one, so
 * claims run out instead of being released at start.
 */
export const CLAIM_EXPIRES_MS = 2 * 60_000;

/** Whether a claim taken at `at` (ISO) has run out by `now`. */
export function claimRanOut(at: string, now: Date): boolean {
  return now.getTime() - Date.parse(at) >= CLAIM_EXPIRES_MS;
}
