import type { ReadinessInputs } from '../gather';
import { ENTRA_LINKS, GRAPH_V1 } from '../links';
import type { CheckResult } from '../report';
import { cannotSee, groupName, lower, plural, shortList } from './common';

/** Entra's own nudge: at sign-in, people without the app are asked to set it up. */
export function registrationCampaign(inputs: ReadinessInputs): CheckResult {
  const base = {
    id: 'registration-campaign',
    title: 'Registration campaign on',
    risk: 'Without Entra’s nudge at sign-in, people who use text codes are never asked to move to the app, and the rollout stalls.',
    fixUrl: ENTRA_LINKS.registrationCampaign,
  } as const;
  if (!inputs.methods.ok) return cannotSee(base, 'the registration campaign', inputs.methods.gap);
  const campaign =
    inputs.methods.value.registrationEnforcement?.authenticationMethodsRegistrationCampaign ?? null;
  const group = inputs.settings.nudgeExcludeGroupId;
  const fix = {
    steps: [
      'Authentication methods → Registration campaign → Edit.',
      'State: Enabled; Days allowed to snooze: 1; Limited number of snoozes: Enabled.',
      `Include: All users, Microsoft Authenticator.${group ? ` Exclude: ${groupName(inputs, group)} (the break-glass accounts).` : ''} → Save.`,
    ],
    requests: [
      {
        method: 'PATCH' as const,
        url: `${GRAPH_V1}/policies/authenticationMethodsPolicy`,
        permission: 'Policy.ReadWrite.AuthenticationMethod',
        summary: 'Turns the nudge on for everyone except the break-glass accounts',
        body: {
          registrationEnforcement: {
            authenticationMethodsRegistrationCampaign: {
              state: 'enabled',
              snoozeDurationInDays: 1,
              enforceRegistrationAfterAllowedSnoozes: true,
              includeTargets: [
                {
                  id: 'all_users',
                  targetType: 'group',
                  targetedAuthenticationMethod: 'microsoftAuthenticator',
                },
              ],
              excludeTargets: group ? [{ id: group, targetType: 'group' }] : [],
            },
          },
        },
      },
    ],
  };
  const state = lower(campaign?.state ?? 'disabled');
  if (state === 'disabled') {
    return {
      ...base,
      status: 'fail',
      reason: 'Off: nobody is asked to set up the app when they sign in.',
      fix,
    };
  }
  if (state === 'default') {
    return {
      ...base,
      status: 'attention',
      reason:
        'Microsoft managed: it nudges only people who use text or voice codes, when Microsoft decides. Set it to Enabled to control it.',
      fix,
    };
  }
  const app = campaign!.includeTargets.filter(
    (t) =>
      lower(t.targetedAuthenticationMethod ?? 'microsoftauthenticator') ===
      'microsoftauthenticator',
  );
  if (app.length === 0) {
    return {
      ...base,
      status: 'attention',
      reason: 'On, but it does not ask anyone to set up Microsoft Authenticator.',
      fix,
    };
  }
  if (!app.some((t) => lower(t.id) === 'all_users')) {
    const who = shortList(
      app.map((t) => (t.targetType === 'user' ? 'one person' : groupName(inputs, t.id))),
    );
    return { ...base, status: 'attention', reason: `On only for ${who}.`, fix };
  }
  const snooze = campaign!.snoozeDurationInDays;
  const days =
    snooze === null || snooze === undefined
      ? ''
      : snooze === 0
        ? ' (asked at every sign-in)'
        : ` (can snooze ${plural(snooze, 'day')})`;
  return {
    ...base,
    status: 'pass',
    reason: `On for everyone: people without the app are asked to set it up when they sign in${days}.`,
  };
}
