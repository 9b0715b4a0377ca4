import type { Directory } from '../directory/types';

/**
 * What a requester's account can do, read live from the directory at the moment it matters
 * (never from a cache or the registration report, which can lag by hours): whether they hold or
 * may activate an Entra role, and whether they are in the admin or privileged group. Any part
 * that cannot be read makes the whole call fail, so callers fail closed.
 */
export interface Standing {
  /** Holds an Entra directory role now, or may activate one (PIM). */
  adminRole: boolean;
  /** In the practice admin group or the privileged group, directly or through nesting. */
  privileged: boolean;
  /** Why eligibility is absent when it could not exist (no Entra ID P2). */
  note?: string;
}

export interface StandingGroups {
  admin: string;
  privileged?: string;
}

export async function liveStanding(
  directory: Directory,
  groups: StandingGroups,
  userId: string,
): Promise<Standing> {
  const watched = [groups.admin, groups.privileged].filter((g): g is string => Boolean(g));
  const [roles, inGroups] = await Promise.all([
    directory.directoryRoles(userId),
    directory.memberGroups(userId, watched),
  ]);
  return {
    adminRole: roles.active.length > 0 || roles.eligible.length > 0,
    privileged: inGroups.length > 0,
    note: roles.eligibilityNote,
  };
}
