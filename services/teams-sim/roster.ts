import type { Practice } from '../directory/practice';

/** One person of the demo practice, as their Teams client knows them. */
export interface DemoPerson {
  id: string;
  upn: string;
  name: string;
  givenName: string;
}

/** The demo practice's people, found by id, sign-in name, or first name (when only one has it). */
export class Roster {
  private readonly byId = new Map<string, DemoPerson>();

  constructor(practice: Practice) {
    for (const u of practice.users) {
      if (u.accountEnabled === false || u.userType === 'Guest') continue;
      const id = u.id.toLowerCase();
      this.byId.set(id, {
        id,
        upn: u.userPrincipalName.toLowerCase(),
        name: u.displayName,
        givenName: u.givenName ?? u.displayName.split(/\s+/)[0] ?? u.displayName,
      });
    }
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): DemoPerson | undefined {
    return this.byId.get(id.toLowerCase());
  }

  /** "nora.nguyen@riverbendfm.example", "nora.nguyen", "nora" or an object id. */
  find(who: string): DemoPerson | { ambiguous: DemoPerson[] } | undefined {
    const key = who.trim().toLowerCase();
    if (!key) return undefined;
    const exact = this.byId.get(key) ?? [...this.byId.values()].find((p) => p.upn === key);
    if (exact) return exact;
    const matches = [...this.byId.values()].filter(
      (p) =>
        p.upn.split('@')[0] === key ||
        p.givenName.toLowerCase() === key ||
        p.name.toLowerCase() === key,
    );
    if (matches.length === 1) return matches[0];
    return matches.length ? { ambiguous: matches } : undefined;
  }
}
