import type { ReadinessInputs } from '../gather';
import type { CheckResult } from '../report';
import { adminsPhishingResistant, breakGlass, perUserMfa } from './accounts';
import { registrationCampaign } from './campaign';
import { legacyAuthBlocked, mfaRequired } from './enforcement';
import { authenticator, temporaryAccessPass, textAndVoice } from './methods';
import { signInMonitor } from './monitor';

/** Every check, in the order of the practice's rollout plan. Each is a pure function of the inputs. */
export function runChecks(inputs: ReadinessInputs): CheckResult[] {
  return [
    mfaRequired(inputs),
    authenticator(inputs),
    registrationCampaign(inputs),
    temporaryAccessPass(inputs),
    textAndVoice(inputs),
    perUserMfa(inputs),
    legacyAuthBlocked(inputs),
    breakGlass(inputs),
    adminsPhishingResistant(inputs),
    ...(inputs.monitor ? [signInMonitor(inputs.monitor.status)] : []),
  ];
}
