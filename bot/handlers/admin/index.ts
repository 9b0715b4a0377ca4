import type { ActionDef } from '../../actions';
import { campaignAdminActions } from './campaign';
import { nudgeAdminActions } from './nudge';
import { nudgeStaffActions } from './staff';
import { adminStatusAction } from './status';

export { TeamsNudgeMessenger } from './messenger';
export { nudgeSetupClicks } from './staff';

/** Registration status and nudge campaigns for admins, and the buttons on the nudge staff get. */
export function campaignActions(): ActionDef[] {
  return [adminStatusAction as ActionDef, ...nudgeAdminActions, ...campaignAdminActions, ...nudgeStaffActions];
}
