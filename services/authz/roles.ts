import type { Clock } from '../clock';
import type { Directory } from '../directory/types';

export type Role = 'staff' | 'it' | 'admin' | 'privileged';

export interface RoleGroups {
  it: string;
  admin: string;
  privileged?: string;
}

/** Role lookups may be this old at most: a person removed from IT loses IT actions within it. */
const ROLE_CACHE_MS = 5 * 60_000;

/**
 * Who someone is in the practice, asked of the directory (transitive group membership). Cached
 * for at most five minutes per person; a directory failure is thrown to the caller, never
 * guessed as a role.
 */
export class RoleResolver {
  private readonly cache = new Map<string, { roles: Set<Role>; at: number }>();

  constructor(
    private readonly directory: Directory,
    private readonly groups: RoleGroups,
    private readonly clock: Clock,
    private readonly ttlMs: number = ROLE_CACHE_MS,
  ) {}

  /** With `fresh`, the directory is asked now (for actions that change someone's sign-in). */
  async rolesOf(aadObjectId: string, options: { fresh?: boolean } = {}): Promise<Set<Role>> {
    const now = this.clock.now().getTime();
    const hit = this.cache.get(aadObjectId);
    if (!options.fresh && hit && now - hit.at < Math.min(this.ttlMs, ROLE_CACHE_MS))
      return hit.roles;
    const ids = [this.groups.it, this.groups.admin, this.groups.privileged].filter(
      (g): g is string => Boolean(g),
    );
    const matched = new Set(await this.directory.memberGroups(aadObjectId, ids));
    const roles = new Set<Role>(['staff']);
    if (matched.has(this.groups.it)) roles.add('it');
    if (matched.has(this.groups.admin)) roles.add('admin');
    if (this.groups.privileged && matched.has(this.groups.privileged)) roles.add('privileged');
    this.cache.set(aadObjectId, { roles, at: now });
    if (this.cache.size > 5000) this.evict(now);
    return roles;
  }

  forget(aadObjectId: string): void {
    this.cache.delete(aadObjectId);
  }

  private evict(now: number): void {
    for (const [id, entry] of this.cache) {
      if (now - entry.at >= this.ttlMs) this.cache.delete(id);
    }
  }
}
