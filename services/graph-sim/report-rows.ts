import type { SimUser } from './records';
import { registrationRow, type RegistrationRow } from './views';

/**
 * The registration report's rows, cached until the directory changes. Filtered lists are cached
 * under the filter's text; rows of pass holders are always rebuilt, since a pass expires with
 * time.
 */

export interface RowFilter {
  /** The filter's text: the cache key. */
  key: string;
  keep: (row: RegistrationRow) => boolean;
}

const MAX_FILTERS = 50;

export class ReportRows {
  private readonly perUser = new Map<string, RegistrationRow>();
  private cache: {
    all: RegistrationRow[];
    passHolders: Array<[number, SimUser]>;
    filtered: Map<string, RegistrationRow[]>;
  } | null = null;

  /** Forgets one user's row (or every row), and every list. */
  invalidate(userId?: string): void {
    if (userId) this.perUser.delete(userId);
    else this.perUser.clear();
    this.cache = null;
  }

  row(user: SimUser, now: Date): RegistrationRow {
    if (user.tap) return registrationRow(user, now);
    let row = this.perUser.get(user.id);
    if (!row) {
      row = registrationRow(user, now);
      this.perUser.set(user.id, row);
    }
    return row;
  }

  /** Rows for the enabled users among these, in order, optionally filtered. */
  rows(users: () => Iterable<SimUser>, now: Date, filter?: RowFilter): RegistrationRow[] {
    if (!this.cache) {
      const all: RegistrationRow[] = [];
      const passHolders: Array<[number, SimUser]> = [];
      for (const user of users()) {
        if (!user.accountEnabled) continue;
        if (user.tap) passHolders.push([all.length, user]);
        all.push(this.row(user, now));
      }
      this.cache = { all, passHolders, filtered: new Map() };
    }
    const cache = this.cache;
    let rows = cache.all;
    if (cache.passHolders.length) {
      rows = rows.slice();
      for (const [index, user] of cache.passHolders) rows[index] = registrationRow(user, now);
    }
    if (!filter) return rows;
    if (cache.passHolders.length) return rows.filter(filter.keep);
    let filtered = cache.filtered.get(filter.key);
    if (!filtered) {
      filtered = rows.filter(filter.keep);
      if (cache.filtered.size >= MAX_FILTERS) cache.filtered.clear();
      cache.filtered.set(filter.key, filtered);
    }
    return filtered;
  }
}
