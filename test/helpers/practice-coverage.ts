import type { Practice, PracticeUser } from '../../services/directory/practice';
import { STANDARD_GROUP_IDS } from '../../services/directory/standard-groups';

/**
 * Coverage counted straight from a practice file, independently of the bot's code: what the
 * Graph stand-in serves, so the dashboard's numbers can be checked against it.
 */

const AUTHENTICATOR = 'microsoftAuthenticatorPush';

export interface Counts {
  name: string;
  total: number;
  authenticator: number;
  other: number;
  none: number;
}

/** Who the coverage report counts: enabled members outside the never-nudge group. */
export function counted(u: PracticeUser): boolean {
  return (
    u.accountEnabled &&
    u.userType === 'Member' &&
    !u.memberOf.includes(STANDARD_GROUP_IDS.mfaExclusions)
  );
}

export function standingOf(u: PracticeUser): 'authenticator' | 'other' | 'none' {
  if (u.methodsRegistered.includes(AUTHENTICATOR)) return 'authenticator';
  return u.methodsRegistered.length ? 'other' : 'none';
}

/** Members of a group, directly or through a nested group. */
function inGroup(practice: Practice, u: PracticeUser, groupId: string): boolean {
  const seen = new Set<string>();
  const walk = (ids: readonly string[]): boolean =>
    ids.some((id) => {
      if (id === groupId) return true;
      if (seen.has(id)) return false;
      seen.add(id);
      return walk(practice.groups.find((g) => g.id === id)?.memberOf ?? []);
    });
  return walk(u.memberOf);
}

function tally(name: string, who: readonly PracticeUser[]): Counts {
  return {
    name,
    total: who.length,
    authenticator: who.filter((u) => standingOf(u) === 'authenticator').length,
    other: who.filter((u) => standingOf(u) === 'other').length,
    none: who.filter((u) => standingOf(u) === 'none').length,
  };
}

/** Everyone, then each role group (name → group id), then those in no role group. */
export function expectedCoverage(practice: Practice, roles: Record<string, string>): Counts[] {
  const people = practice.users.filter(counted);
  const rows = [tally('Everyone', people)];
  for (const [name, groupId] of Object.entries(roles))
    rows.push(
      tally(
        name,
        people.filter((u) => inGroup(practice, u, groupId)),
      ),
    );
  const none = people.filter((u) => !Object.values(roles).some((g) => inGroup(practice, u, g)));
  if (none.length) rows.push(tally('No role group', none));
  return rows;
}
