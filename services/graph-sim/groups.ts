import type { PracticeGroup } from '../directory/practice';

/** The practice's groups and their nesting: which groups a membership implies. */
export class GroupIndex {
  private readonly groups = new Map<string, PracticeGroup>();
  private readonly ancestors = new Map<string, Set<string>>();

  constructor(groups: readonly PracticeGroup[]) {
    for (const g of groups) {
      const id = g.id.toLowerCase();
      this.groups.set(id, { ...g, id, memberOf: (g.memberOf ?? []).map((m) => m.toLowerCase()) });
    }
    for (const id of this.groups.keys()) this.ancestors.set(id, this.walkUp(id));
  }

  get(id: string): PracticeGroup | undefined {
    return this.groups.get(id.toLowerCase());
  }

  /** Every group reached from direct memberships, through nesting (cycles are harmless). */
  transitive(memberOf: readonly string[]): Set<string> {
    const out = new Set<string>();
    for (const g of memberOf) for (const a of this.ancestors.get(g) ?? [g]) out.add(a);
    return out;
  }

  private walkUp(groupId: string): Set<string> {
    const seen = new Set<string>();
    const queue = [groupId];
    while (queue.length) {
      const id = queue.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      queue.push(...(this.groups.get(id)?.memberOf ?? []));
    }
    return seen;
  }
}
