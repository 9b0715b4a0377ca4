import { z } from 'zod';
import { holdoutsCard } from '../../../cards/signins';
import { VERBS } from '../../../cards/verbs';
import type { Directory } from '../../../services/directory/types';
import { findHoldouts, type HoldoutStore } from '../../../services/signins/holdouts';
import type { TimeZone } from '../../../services/time';
import type { ActionDef } from '../../actions';
import { zoneOf } from '../../time-zone';

export interface HoldoutDeps {
  holdouts: HoldoutStore;
  /** The registration report, read within the campaigns' share of Graph's reports limit. */
  reports: Pick<Directory, 'registrationPages'>;
  /** The practice's; the reader's own when Teams sends it. */
  timeZone: TimeZone;
}

/** Why the list has no nudge button yet, and what the admin can do instead. */
const NOTE =
  'A nudge from here goes to people without Authenticator, so this list can\'t be nudged from Teams yet. Ask them to approve sign-ins in the app instead of choosing a text code, or turn text codes off for people who have the app (the readiness check\'s "Text and voice codes" step says how).';

/**
 * The admin's list of people who have Microsoft Authenticator but still sign in with text or
 * voice codes, as the sign-in monitor counted them.
 */
export function holdoutActions(deps: HoldoutDeps): ActionDef[] {
  const list: ActionDef<z.ZodType> = {
    verb: VERBS.signinHoldouts,
    schema: z.object({}).loose(),
    async run(ctx) {
      const zone = zoneOf(ctx.turn.activity, deps.timeZone);
      return holdoutsCard(await findHoldouts(deps.holdouts, deps.reports), NOTE, zone);
    },
  };
  return [list];
}
