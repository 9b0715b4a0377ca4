import { AUTHENTICATOR_METHOD } from '../../directory/types';
import type { ReadinessInputs } from '../gather';
import { ENTRA_LINKS, GRAPH_V1 } from '../links';
import type { MethodConfig, MethodsPolicy } from '../policy-schemas';
import type { CheckResult, GraphRequest } from '../report';
import { cannotSee, capital, groupName, lower, plural, shortList } from './common';

/** The methods staff sign in with: Authenticator on, text and voice codes limited, passes safe. */

const ALL_USERS = 'all_users';
const TYPE = '#microsoft.graph.';

const config = (policy: MethodsPolicy, id: string): MethodConfig | undefined =>
  policy.authenticationMethodConfigurations.find((c) => lower(c.id) === lower(id));

const forEveryone = (c: MethodConfig) => c.includeTargets.some((t) => lower(t.id) === ALL_USERS);

const targets = (inputs: ReadinessInputs, c: MethodConfig) =>
  shortList(
    c.includeTargets.map((t) => (t.targetType === 'user' ? 'one person' : groupName(inputs, t.id))),
  );

function patchMethod(
  id: string,
  type: string,
  body: Record<string, unknown>,
  summary: string,
): GraphRequest {
  return {
    method: 'PATCH',
    url: `${GRAPH_V1}/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/${id}`,
    permission: 'Policy.ReadWrite.AuthenticationMethod',
    summary,
    body: { '@odata.type': `${TYPE}${type}`, ...body },
  };
}

/** Graph's own samples name "nobody" with the all-zero id in excludeTarget. */
const everyoneFeature = {
  state: 'enabled',
  includeTarget: { id: ALL_USERS, targetType: 'group' },
  excludeTarget: { id: '00000000-0000-0000-0000-000000000000', targetType: 'group' },
};

export function authenticator(inputs: ReadinessInputs): CheckResult {
  const base = {
    id: 'authenticator',
    title: 'Authenticator with sign-in details',
    risk: 'Without the app, staff fall back to text codes; without the app name and location on the prompt, a busy person may approve an attacker’s sign-in.',
    fixUrl: ENTRA_LINKS.methodsPolicies,
  } as const;
  if (!inputs.methods.ok)
    return cannotSee(base, 'the authentication methods policy', inputs.methods.gap);
  const app = config(inputs.methods.value, 'MicrosoftAuthenticator');
  const fix = {
    steps: [
      'Authentication methods → Policies → Microsoft Authenticator → Enable, target All users, Authentication mode: Any.',
      'Configure → Show application name and Show geographic location: Enabled for All users → Save.',
    ],
    requests: [
      patchMethod(
        app?.id ?? 'MicrosoftAuthenticator',
        'microsoftAuthenticatorAuthenticationMethodConfiguration',
        {
          state: 'enabled',
          includeTargets: [{ id: ALL_USERS, targetType: 'group', authenticationMode: 'any' }],
          featureSettings: {
            displayAppInformationRequiredState: everyoneFeature,
            displayLocationInformationRequiredState: everyoneFeature,
          },
        },
        'Turns Authenticator on for everyone, with the app name and location on every prompt',
      ),
    ],
  };
  if (!app || lower(app.state) !== 'enabled') {
    return {
      ...base,
      status: 'fail',
      reason:
        "Microsoft Authenticator is off in the authentication methods policy: staff can't register it.",
      fix,
    };
  }
  const problems: string[] = [];
  if (!forEveryone(app)) problems.push(`it is on only for ${targets(inputs, app)}`);
  if (app.includeTargets.some((t) => t.authenticationMode === 'deviceBasedPush')) {
    problems.push('it is set to passwordless sign-in only, so it cannot answer MFA prompts');
  }
  const features = app.featureSettings;
  const shown = (f: { state: string; includeTarget?: { id: string } | null } | null) =>
    f?.state === 'enabled' && lower(f.includeTarget?.id ?? ALL_USERS) === ALL_USERS;
  if (!features) {
    problems.push("I couldn't read whether prompts show the app name and location");
  } else {
    const missing = [
      ...(shown(features.displayAppInformationRequiredState) ? [] : ['app name']),
      ...(shown(features.displayLocationInformationRequiredState) ? [] : ['location']),
    ];
    if (missing.length) problems.push(`prompts don't show everyone the ${missing.join(' or ')}`);
  }
  if (problems.length)
    return {
      ...base,
      status: 'attention',
      reason: `Authenticator is on, but ${problems.join('; ')}.`,
      fix,
    };
  return {
    ...base,
    status: 'pass',
    reason:
      'On for everyone; prompts show the app name and location, and ask for the number on screen (Microsoft always requires number matching now).',
  };
}

/** Phone-number methods: registered, but neither the app nor a security key or Windows Hello. */
const PHONE_METHODS = new Set(['mobilePhone', 'alternateMobilePhone', 'officePhone']);

function phoneOnlyStaff(inputs: ReadinessInputs): number | null {
  if (!inputs.registrations.ok) return null;
  const excluded = new Set(
    inputs.exclusionGroup?.members.ok
      ? inputs.exclusionGroup.members.value.map((m) => lower(m.id))
      : [],
  );
  return inputs.registrations.value.filter(
    (r) =>
      lower(r.userType) !== 'guest' &&
      !excluded.has(lower(r.id)) &&
      r.methodsRegistered.some((m) => PHONE_METHODS.has(m)) &&
      !r.methodsRegistered.includes(AUTHENTICATOR_METHOD),
  ).length;
}

export function textAndVoice(inputs: ReadinessInputs): CheckResult {
  const base = {
    id: 'text-and-voice',
    title: 'Text and voice codes limited',
    risk: 'Text and voice codes can be stolen by moving a phone number to another SIM (SIM swapping) or by tricking someone into reading them out.',
    fixUrl: ENTRA_LINKS.methodsPolicies,
  } as const;
  if (!inputs.methods.ok)
    return cannotSee(base, 'the authentication methods policy', inputs.methods.gap);
  const policy = inputs.methods.value;
  const phone = [config(policy, 'Sms'), config(policy, 'Voice')].filter((c): c is MethodConfig =>
    Boolean(c),
  );
  const on = phone.filter((c) => lower(c.state) === 'enabled');
  const name = (c: MethodConfig) =>
    lower(c.id) === 'sms' ? 'text message codes' : 'voice call codes';
  const everyone = on.filter(forEveryone);
  if (everyone.length && inputs.securityDefaults.ok && inputs.securityDefaults.value.isEnabled) {
    return {
      ...base,
      status: 'attention',
      reason: `${capital(shortList(everyone.map(name)))} are on. With security defaults, Microsoft advises against turning methods off; limiting them needs Conditional Access (Entra ID P1).`,
    };
  }
  if (everyone.length) {
    const names = capital(shortList(everyone.map(name)));
    const count = phoneOnlyStaff(inputs);
    const reason =
      count === null
        ? `${names} are on for everyone (I can't count who still relies on them without the registration report).`
        : count > 0
          ? `${names} are on for everyone; ${plural(count, 'person', 'people')} still ${count === 1 ? 'has' : 'have'} only a phone number. Turn them off once they have the app.`
          : `${names} are still on, and everyone now has the app: they can be turned off.`;
    return {
      ...base,
      status: 'attention',
      reason,
      fix: {
        steps: [
          'Wait until the people who use only a phone number have registered the app (see the registration report).',
          'Authentication methods → Policies → SMS and Voice call → Disable (or target one small group that truly needs them) → Save.',
        ],
        requests: everyone.map((c) =>
          patchMethod(
            c.id,
            lower(c.id) === 'sms'
              ? 'smsAuthenticationMethodConfiguration'
              : 'voiceAuthenticationMethodConfiguration',
            { state: 'disabled' },
            `Turns ${name(c)} off`,
          ),
        ),
      },
    };
  }
  const limited = on.map((c) => `${name(c)} only for ${targets(inputs, c)}`);
  const now = limited.length ? `Limited: ${shortList(limited)}` : 'Text and voice codes are off';
  if (policy.policyMigrationState !== 'migrationComplete') {
    return {
      ...base,
      status: 'attention',
      reason: `${now} in the methods policy, but until the move off the old MFA and password reset policies is complete (now: ${policy.policyMigrationState ?? 'not reported'}), those can still allow them.`,
      fix: {
        steps: [
          'Authentication methods → Policies → Manage migration → check the old settings, then Migration complete → Save.',
        ],
        requests: [
          {
            method: 'PATCH',
            url: `${GRAPH_V1}/policies/authenticationMethodsPolicy`,
            permission: 'Policy.ReadWrite.AuthenticationMethod',
            summary: 'Marks the migration complete, so only the methods policy decides',
            body: { policyMigrationState: 'migrationComplete' },
          },
        ],
      },
    };
  }
  return { ...base, status: 'pass', reason: `${now}.` };
}

function duration(minutes: number): string {
  if (minutes % 60 === 0) return plural(minutes / 60, 'hour');
  return plural(minutes, 'minute');
}

export function temporaryAccessPass(inputs: ReadinessInputs): CheckResult {
  const base = {
    id: 'temporary-access-pass',
    title: 'Temporary Access Pass one-time, short',
    risk: 'IT gets someone back in after a lost phone with a pass; without it recovery stalls, and a pass that is reusable or lasts all day works for anyone who overhears it.',
    fixUrl: ENTRA_LINKS.methodsPolicies,
  } as const;
  if (!inputs.methods.ok)
    return cannotSee(base, 'the authentication methods policy', inputs.methods.gap);
  const tap = config(inputs.methods.value, 'TemporaryAccessPass');
  const asked = inputs.settings.tapLifetimeMinutes;
  const longest = Math.max(60, asked);
  const fixBody = (everyone: boolean): Record<string, unknown> => ({
    state: 'enabled',
    isUsableOnce: true,
    minimumLifetimeInMinutes: Math.min(tap?.minimumLifetimeInMinutes ?? 60, asked),
    defaultLifetimeInMinutes: asked,
    maximumLifetimeInMinutes: longest,
    ...(everyone
      ? { includeTargets: [{ id: ALL_USERS, targetType: 'group', isRegistrationRequired: false }] }
      : {}),
  });
  const fix = (everyone: boolean) => ({
    steps: [
      'Authentication methods → Policies → Temporary Access Pass → Enable, target All users.',
      `Configure → One-time use: Yes; Minimum lifetime ≤ ${duration(asked)}; Maximum lifetime: ${duration(longest)}; Default: ${duration(asked)} → Save.`,
    ],
    requests: [
      patchMethod(
        tap?.id ?? 'TemporaryAccessPass',
        'temporaryAccessPassAuthenticationMethodConfiguration',
        fixBody(everyone),
        `Makes every pass one-time, lasting at most ${duration(longest)}`,
      ),
    ],
  });
  if (!tap || lower(tap.state) !== 'enabled') {
    return {
      ...base,
      status: 'fail',
      reason: "Temporary Access Pass is off: IT can't get anyone back in after a lost phone.",
      fix: fix(true),
    };
  }
  const {
    minimumLifetimeInMinutes: min,
    maximumLifetimeInMinutes: max,
    defaultLifetimeInMinutes: def,
  } = tap;
  if (min !== null && max !== null && (asked < min || asked > max)) {
    return {
      ...base,
      status: 'fail',
      reason: `The bot asks for ${duration(asked)} passes, but the policy allows ${duration(min)} to ${duration(max)}: every pass IT issues will be refused.`,
      fix: fix(!forEveryone(tap)),
    };
  }
  const problems: string[] = [];
  if (!forEveryone(tap)) problems.push(`passes work only for ${targets(inputs, tap)}`);
  if (tap.isUsableOnce !== true)
    problems.push('a pass can be used again and again until it expires');
  const upTo = Math.max(max ?? 0, def ?? 0);
  if (upTo > longest) problems.push(`a pass can be set to last up to ${duration(upTo)}`);
  if (max === null) problems.push("I couldn't read the longest lifetime allowed");
  if (problems.length) {
    return {
      ...base,
      status: 'attention',
      reason: `Passes are on, but ${problems.join('; ')}.`,
      fix: fix(!forEveryone(tap)),
    };
  }
  return {
    ...base,
    status: 'pass',
    reason: `On for everyone, one-time only, lasting at most ${duration(max!)}.`,
  };
}
