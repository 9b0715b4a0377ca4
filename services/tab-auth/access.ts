import { TabAuthError, type TabCaller } from './verify';

/** Practice admins see the dashboard and may nudge; IT may look but not change anything. */
export type TabRole = 'admin' | 'it';

export interface TabAccessGroups {
  admin: string;
  it: string;
}

/**
 * Who may use the tab, asked of the directory on every request (never cached): someone removed
 * from the admin group loses the dashboard at once. Directory failures are thrown as they are,
 * never guessed into a role.
 */
export class TabAccess {
  constructor(
    private readonly directory: {
      memberGroups(userId: string, groupIds: string[]): Promise<string[]>;
    },
    private readonly groups: TabAccessGroups,
  ) {}

  async roleOf(caller: TabCaller): Promise<TabRole> {
    const matched = await this.directory.memberGroups(caller.id, [
      this.groups.admin,
      this.groups.it,
    ]);
    if (matched.includes(this.groups.admin)) return 'admin';
    if (matched.includes(this.groups.it)) return 'it';
    throw new TabAuthError('not-admin');
  }
}
