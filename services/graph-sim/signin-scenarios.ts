import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SimUser } from './records';
import type { SimRiskDetection, SimSignIn } from './signin-log';

/**
 * Sign-in stories for tests and the demo: a push-bombing burst (denied and timed-out prompts,
 * optionally followed by the attacker getting in), a prompt reported as fraud, text or voice code
 * sign-ins from someone who has Authenticator, an ordinary approved push. The result wording is
 * the stand-in's own; the monitor keys on error codes, methods and `succeeded`, not on it.
 */

const LocationBody = z
  .object({
    city: z.string().min(1).nullable(),
    state: z.string().min(1).nullable(),
    countryOrRegion: z.string().min(1).nullable(),
  })
  .strict();

const common = {
  /** The person: UPN or object id. */
  user: z.string().min(1),
  /** When the last event happens; default now. */
  at: z.iso.datetime().optional(),
  ipAddress: z.string().min(1).optional(),
  location: LocationBody.optional(),
  spacingSeconds: z.number().int().min(1).max(86_400).optional(),
};

export const SignInScenarioSchema = z.discriminatedUnion('scenario', [
  z
    .object({
      scenario: z.literal('fatigue'),
      prompts: z.number().int().min(1).max(100).default(5),
      outcome: z.enum(['denied', 'timeout', 'mixed']).default('mixed'),
      /** The attacker gets in after the burst (someone approved a prompt). */
      thenSuccess: z.boolean().default(false),
      ...common,
    })
    .strict(),
  z.object({ scenario: z.literal('fraud'), ...common }).strict(),
  z
    .object({
      scenario: z.literal('sms'),
      method: z.enum(['sms', 'voice']).default('sms'),
      count: z.number().int().min(1).max(100).default(1),
      ...common,
    })
    .strict(),
  z
    .object({
      scenario: z.literal('success'),
      count: z.number().int().min(1).max(100).default(1),
      ...common,
    })
    .strict(),
]);
export type SignInScenario = z.infer<typeof SignInScenarioSchema>;

/** A documentation address (RFC 5737) and a place far from the practice: the attacker. */
const ATTACKER = {
  ip: '203.0.113.77',
  location: { city: 'Rotterdam', state: 'South Holland', countryOrRegion: 'NL' },
};
/** The practice's own office. */
const OFFICE = {
  ip: '198.51.100.23',
  location: { city: 'Eugene', state: 'Oregon', countryOrRegion: 'US' },
};
const OFFICE_HOME = { appId: '4765445b-32c6-49b0-83e6-1d93765276ca', name: 'OfficeHome' };
const STRONG_AUTH_FAILED = 500121;

type Step = 'push-approved' | 'push-denied' | 'push-timeout' | 'push-fraud' | 'sms' | 'voice';

const STEP_RESULT: Record<Step, string> = {
  'push-approved': 'MFA successfully completed',
  'push-denied': 'MFA denied; user declined the authentication',
  'push-timeout': 'MFA denied; user did not respond to mobile app notification',
  'push-fraud': 'MFA denied; user declined the authentication and reported fraud',
  sms: 'MFA successfully completed',
  voice: 'MFA successfully completed',
};

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function maskedPhone(user: SimUser): string {
  const phone = user.methods.find((m) => m.kind === 'mobilePhone')?.phoneNumber ?? '+1 555 0100';
  return `${phone.slice(0, 3)} XXXXXXX${phone.replace(/\D/g, '').slice(-2)}`;
}

function secondFactor(user: SimUser, step: Step, at: string) {
  const device = user.methods.find((m) => m.kind === 'microsoftAuthenticatorPush');
  const text = step === 'sms' || step === 'voice';
  return {
    authenticationStepDateTime: at,
    authenticationMethod: step === 'sms' ? 'SMS' : step === 'voice' ? 'Voice' : 'Authenticator App',
    authenticationMethodDetail: text ? maskedPhone(user) : (device?.displayName ?? 'Phone'),
    succeeded: step === 'push-approved' || text,
    authenticationStepResultDetail: STEP_RESULT[step],
    authenticationStepRequirement: 'Primary authentication',
  };
}

const MFA_AUTH_METHOD: Record<Step, string> = {
  'push-approved': 'PhoneAppNotification',
  'push-denied': 'PhoneAppNotification',
  'push-timeout': 'PhoneAppNotification',
  'push-fraud': 'PhoneAppNotification',
  sms: 'OneWaySMS',
  voice: 'TwoWayVoiceMobile',
};

function signIn(
  user: SimUser,
  step: Step,
  atMs: number,
  from: { ip: string; location: SimSignIn['location'] },
): SimSignIn {
  const at = iso(atMs);
  const ok = step === 'push-approved' || step === 'sms' || step === 'voice';
  return {
    id: randomUUID(),
    createdDateTime: at,
    userId: user.id,
    userPrincipalName: user.userPrincipalName,
    userDisplayName: user.displayName,
    appId: OFFICE_HOME.appId,
    appDisplayName: OFFICE_HOME.name,
    ipAddress: from.ip,
    clientAppUsed: 'Browser',
    correlationId: randomUUID(),
    conditionalAccessStatus: ok ? 'success' : 'failure',
    isInteractive: true,
    status: ok
      ? { errorCode: 0, failureReason: null, additionalDetails: null }
      : {
          errorCode: STRONG_AUTH_FAILED,
          failureReason: 'Authentication failed during strong authentication request.',
          additionalDetails: 'The user did not complete the MFA prompt.',
        },
    location: from.location,
    deviceDetail: { operatingSystem: 'Windows 10', browser: 'Edge 131.0.0' },
    authenticationRequirement: 'multiFactorAuthentication',
    authenticationDetails: [
      {
        authenticationStepDateTime: at,
        authenticationMethod: 'Password',
        authenticationMethodDetail: 'Password in the cloud',
        succeeded: true,
        authenticationStepResultDetail: 'Correct password',
        authenticationStepRequirement: 'Primary authentication',
      },
      {
        ...secondFactor(user, step, at),
        authenticationStepRequirement: 'Multifactor authentication',
      },
    ],
    mfaDetail: { authMethod: MFA_AUTH_METHOD[step], authDetail: null },
  };
}

function fraudDetection(user: SimUser, prompt: SimSignIn): SimRiskDetection {
  return {
    id: randomUUID().replace(/-/g, ''),
    requestId: prompt.id,
    correlationId: prompt.correlationId,
    riskEventType: 'userReportedSuspiciousActivity',
    riskState: 'atRisk',
    riskLevel: 'high',
    riskDetail: 'none',
    source: 'EndUserReported',
    detectionTimingType: 'realtime',
    activity: 'signin',
    ipAddress: prompt.ipAddress,
    location: prompt.location,
    activityDateTime: prompt.createdDateTime,
    detectedDateTime: prompt.createdDateTime,
    lastUpdatedDateTime: prompt.createdDateTime,
    userId: user.id,
    userDisplayName: user.displayName,
    userPrincipalName: user.userPrincipalName,
  };
}

/** The events a scenario produces, oldest first, the last one at `at` (default now). */
export function playScenario(
  user: SimUser,
  scenario: SignInScenario,
  now: Date,
): { signIns: SimSignIn[]; riskDetections: SimRiskDetection[] } {
  const end = scenario.at ? Date.parse(scenario.at) : now.getTime();
  const attacker = {
    ip: scenario.ipAddress ?? ATTACKER.ip,
    location: scenario.location ?? ATTACKER.location,
  };
  const own = {
    ip: scenario.ipAddress ?? OFFICE.ip,
    location: scenario.location ?? OFFICE.location,
  };
  const steps: Array<{ step: Step; from: typeof own }> = [];
  let spacing = (scenario.spacingSeconds ?? 30) * 1000;
  switch (scenario.scenario) {
    case 'fatigue':
      for (let i = 0; i < scenario.prompts; i += 1) {
        const timeout =
          scenario.outcome === 'timeout' || (scenario.outcome === 'mixed' && i % 2 === 1);
        steps.push({ step: timeout ? 'push-timeout' : 'push-denied', from: attacker });
      }
      if (scenario.thenSuccess) steps.push({ step: 'push-approved', from: attacker });
      break;
    case 'fraud':
      steps.push({ step: 'push-fraud', from: attacker });
      break;
    case 'sms':
      spacing = (scenario.spacingSeconds ?? 3600) * 1000;
      for (let i = 0; i < scenario.count; i += 1) steps.push({ step: scenario.method, from: own });
      break;
    case 'success':
      spacing = (scenario.spacingSeconds ?? 3600) * 1000;
      for (let i = 0; i < scenario.count; i += 1) steps.push({ step: 'push-approved', from: own });
      break;
  }
  const signIns = steps.map(({ step, from }, i) =>
    signIn(user, step, end - (steps.length - 1 - i) * spacing, from),
  );
  const riskDetections = signIns
    .filter((s) =>
      s.authenticationDetails.some((d) => /fraud/i.test(d.authenticationStepResultDetail ?? '')),
    )
    .map((s) => fraudDetection(user, s));
  return { signIns, riskDetections };
}
