import type { ActionDef } from '../../actions';
import { bindCampaignActions, type CampaignAction, type CampaignDeps } from './access';
import { campaignAdminActions } from './campaign';
import { nudgeAdminActions } from './nudge';
import { nudgeStaffActions } from './staff';
import { adminStatusAction } from './status';

export { TeamsNudgeMessenger } from './messenger';
export { nudgeSetupClicks } from './staff';

/** Registration status and nudge campaigns for admins, and the buttons on the nudge staff get. */
export function campaignActions(deps: CampaignDeps): ActionDef[] {
  return bindCampaignActions(deps, [
    adminStatusAction as CampaignAction,
    ...nudgeAdminActions,
    ...campaignAdminActions,
    ...nudgeStaffActions,
  ]);
}

export type { CampaignDeps } from './access';
