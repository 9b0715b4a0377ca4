import {
  methodsRegistered,
  PASSWORD_METHOD_ID,
  type SimMethod,
  type SimTap,
  type SimUser,
} from './records';

/** Graph's JSON shapes, derived from a user record. */

const MFA_METHODS = new Set([
  'microsoftAuthenticatorPush',
  'softwareOneTimePasscode',
  'hardwareOneTimePasscode',
  'mobilePhone',
  'officePhone',
  'fido2SecurityKey',
  'windowsHelloForBusiness',
]);
const SSPR_METHODS = new Set([
  'microsoftAuthenticatorPush',
  'softwareOneTimePasscode',
  'hardwareOneTimePasscode',
  'mobilePhone',
  'officePhone',
  'email',
]);
const PASSWORDLESS_METHODS = new Set(['fido2SecurityKey', 'windowsHelloForBusiness']);

export type JsonObject = Record<string, unknown>;

export interface RegistrationRow extends JsonObject {
  id: string;
  userPrincipalName: string;
  userDisplayName: string | null;
  userType: 'member' | 'guest';
  isAdmin: boolean;
  isMfaCapable: boolean;
  isMfaRegistered: boolean;
  isPasswordlessCapable: boolean;
  isSsprCapable: boolean;
  isSsprEnabled: boolean;
  isSsprRegistered: boolean;
  isSystemPreferredAuthenticationMethodEnabled: boolean;
  methodsRegistered: string[];
  systemPreferredAuthenticationMethods: string[];
  userPreferredMethodForSecondaryAuthentication: string;
  lastUpdatedDateTime: string | null;
}

/** The method each preferred-method value stands for. */
const PREFERRED_NEEDS: Record<string, string[]> = {
  push: ['microsoftAuthenticatorPush'],
  oath: ['softwareOneTimePasscode', 'hardwareOneTimePasscode'],
  sms: ['mobilePhone'],
  voiceMobile: ['mobilePhone'],
  voiceOffice: ['officePhone'],
};

/** The default sign-in method: the one chosen if it still exists, else Graph's usual order. */
export function defaultMethod(user: SimUser): string {
  const registered = new Set<string>(methodsRegistered(user));
  const chosen = user.preferredMethod;
  if (chosen && (PREFERRED_NEEDS[chosen] ?? []).some((m) => registered.has(m))) return chosen;
  return preferredMethod(registered);
}

export function canBeDefault(value: string, user: SimUser): boolean {
  const registered = new Set<string>(methodsRegistered(user));
  return (PREFERRED_NEEDS[value] ?? []).some((m) => registered.has(m));
}

function preferredMethod(registered: Set<string>): string {
  if (registered.has('microsoftAuthenticatorPush')) return 'push';
  if (registered.has('mobilePhone')) return 'sms';
  if (registered.has('hardwareOneTimePasscode') || registered.has('softwareOneTimePasscode')) {
    return 'oath';
  }
  if (registered.has('officePhone')) return 'voiceOffice';
  return 'none';
}

export type TapUsability =
  'EnabledByPolicy' | 'DisabledByPolicy' | 'NotYetValid' | 'Expired' | 'OneTimeUsed';

/** As Graph says it: a pass for someone outside the pass policy exists but is DisabledByPolicy. */
export function tapUsability(tap: SimTap, now: Date, inPolicy = true): TapUsability {
  if (!inPolicy) return 'DisabledByPolicy';
  const start = Date.parse(tap.startDateTime);
  if (tap.isUsableOnce && tap.usedDateTime) return 'OneTimeUsed';
  if (now.getTime() < start) return 'NotYetValid';
  if (now.getTime() >= start + tap.lifetimeInMinutes * 60_000) return 'Expired';
  return 'EnabledByPolicy';
}

export function registrationRow(user: SimUser, now: Date, tapInPolicy = true): RegistrationRow {
  const names: string[] = methodsRegistered(user);
  if (user.tap && tapUsability(user.tap, now, tapInPolicy) === 'EnabledByPolicy') {
    names.push('temporaryAccessPass');
  }
  const mfa = names.some((n) => MFA_METHODS.has(n));
  const preferred = mfa ? defaultMethod(user) : 'none';
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    userDisplayName: user.displayName,
    userType: user.userType === 'Guest' ? 'guest' : 'member',
    isAdmin: user.isAdmin,
    isMfaCapable: mfa,
    isMfaRegistered: mfa,
    isPasswordlessCapable: names.some((n) => PASSWORDLESS_METHODS.has(n)),
    isSsprCapable: names.some((n) => SSPR_METHODS.has(n)),
    isSsprEnabled: true,
    isSsprRegistered: names.some((n) => SSPR_METHODS.has(n)),
    isSystemPreferredAuthenticationMethodEnabled: false,
    methodsRegistered: names,
    systemPreferredAuthenticationMethods: [],
    userPreferredMethodForSecondaryAuthentication: preferred,
    lastUpdatedDateTime: user.lastUpdatedDateTime,
  };
}

export function authenticatorJson(m: SimMethod): JsonObject {
  return {
    id: m.id,
    displayName: m.displayName ?? null,
    deviceTag: m.deviceTag ?? null,
    phoneAppVersion: m.phoneAppVersion ?? null,
    createdDateTime: m.createdDateTime,
  };
}

export function tapJson(
  tap: SimTap,
  now: Date,
  code: string | null = null,
  inPolicy = true,
): JsonObject {
  const usability = tapUsability(tap, now, inPolicy);
  return {
    id: tap.id,
    temporaryAccessPass: code,
    createdDateTime: tap.createdDateTime,
    startDateTime: tap.startDateTime,
    lifetimeInMinutes: tap.lifetimeInMinutes,
    isUsableOnce: tap.isUsableOnce,
    isUsable: usability === 'EnabledByPolicy',
    methodUsabilityReason: usability,
  };
}

const T = '#microsoft.graph.';

function methodJson(m: SimMethod): JsonObject {
  switch (m.kind) {
    case 'microsoftAuthenticatorPush':
      return {
        '@odata.type': `${T}microsoftAuthenticatorAuthenticationMethod`,
        ...authenticatorJson(m),
      };
    case 'mobilePhone':
    case 'officePhone':
      return {
        '@odata.type': `${T}phoneAuthenticationMethod`,
        id: m.id,
        phoneNumber: m.phoneNumber ?? null,
        phoneType: m.kind === 'mobilePhone' ? 'mobile' : 'office',
        smsSignInState: 'notAllowedByPolicy',
      };
    case 'email':
      return {
        '@odata.type': `${T}emailAuthenticationMethod`,
        id: m.id,
        emailAddress: m.emailAddress ?? null,
      };
    case 'fido2SecurityKey':
      return {
        '@odata.type': `${T}fido2AuthenticationMethod`,
        id: m.id,
        displayName: m.displayName ?? null,
        model: m.model ?? null,
        createdDateTime: m.createdDateTime,
      };
    case 'hardwareOneTimePasscode':
      return {
        '@odata.type': `${T}hardwareOathAuthenticationMethod`,
        id: m.id,
        displayName: m.displayName ?? null,
        serialNumber: m.serialNumber ?? null,
        createdDateTime: m.createdDateTime,
      };
    case 'softwareOneTimePasscode':
      return { '@odata.type': `${T}softwareOathAuthenticationMethod`, id: m.id, secretKey: null };
    case 'windowsHelloForBusiness':
      return {
        '@odata.type': `${T}windowsHelloForBusinessAuthenticationMethod`,
        id: m.id,
        displayName: m.displayName ?? null,
        createdDateTime: m.createdDateTime,
      };
  }
}

/** /authentication/methods: password first, then every method, then the pass if any. */
export function authMethodsJson(user: SimUser, now: Date): JsonObject[] {
  const out: JsonObject[] = [
    {
      '@odata.type': `${T}passwordAuthenticationMethod`,
      id: PASSWORD_METHOD_ID,
      password: null,
      createdDateTime: null,
    },
  ];
  for (const m of user.methods) out.push(methodJson(m));
  if (user.tap) {
    out.push({
      '@odata.type': `${T}temporaryAccessPassAuthenticationMethod`,
      ...tapJson(user.tap, now),
    });
  }
  return out;
}

/** Every user property the stand-in knows, for $select. */
export function userJson(user: SimUser): JsonObject {
  return {
    id: user.id,
    displayName: user.displayName,
    givenName: user.givenName,
    surname: user.surname,
    userPrincipalName: user.userPrincipalName,
    mail: user.mail,
    jobTitle: user.jobTitle,
    department: user.department,
    businessPhones: user.businessPhones,
    mobilePhone: user.mobilePhone,
    officeLocation: null,
    preferredLanguage: 'en-US',
    accountEnabled: user.accountEnabled,
    userType: user.userType,
  };
}

/** Properties Graph returns for a user when there is no $select. */
export const DEFAULT_USER_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];
