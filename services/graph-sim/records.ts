import { z } from 'zod';
import { guidFromLabel } from '../directory/ids';
import { METHOD_NAMES, type MethodName, type PracticeUser } from '../directory/practice';

/**
 * The stand-in's record of one user. Everything Graph reports about a user's sign-in methods
 * (the registration report row, the method lists) is derived from this one record.
 */

const SimMethodSchema = z.object({
  id: z.string(),
  kind: z.enum(METHOD_NAMES),
  createdDateTime: z.string().nullable(),
  displayName: z.string().nullable().optional(),
  deviceTag: z.string().nullable().optional(),
  phoneAppVersion: z.string().nullable().optional(),
  phoneNumber: z.string().optional(),
  emailAddress: z.string().optional(),
  model: z.string().optional(),
  serialNumber: z.string().optional(),
});

/** A Temporary Access Pass as kept: never the code, only a salted hash of it. */
const SimTapSchema = z.object({
  id: z.string(),
  createdDateTime: z.string(),
  startDateTime: z.string(),
  lifetimeInMinutes: z.number().int(),
  isUsableOnce: z.boolean(),
  usedDateTime: z.string().nullable(),
  codeHash: z.string(),
  salt: z.string(),
});

const SimInstalledAppSchema = z.object({
  id: z.string(),
  teamsAppId: z.string(),
  installedDateTime: z.string(),
  chatId: z.string(),
});

export const SimUserSchema = z.object({
  id: z.string(),
  /** Graph may send null here (an account created without one). */
  displayName: z.string().nullable(),
  givenName: z.string().nullable(),
  surname: z.string().nullable(),
  userPrincipalName: z.string(),
  mail: z.string().nullable(),
  jobTitle: z.string().nullable(),
  department: z.string().nullable(),
  businessPhones: z.array(z.string()),
  mobilePhone: z.string().nullable(),
  userType: z.enum(['Member', 'Guest']),
  accountEnabled: z.boolean(),
  isAdmin: z.boolean(),
  /** Entra roles this person may activate (PIM eligibility); active roles follow isAdmin. */
  eligibleRoles: z.array(z.string()).default([]),
  /** The default sign-in method the person (or an admin) chose; null means derived from methods. */
  preferredMethod: z.string().nullable().default(null),
  memberOf: z.array(z.string()),
  methods: z.array(SimMethodSchema),
  tap: SimTapSchema.nullable(),
  revokedSessionsAt: z.string().nullable(),
  installedApps: z.array(SimInstalledAppSchema),
  lastUpdatedDateTime: z.string().nullable(),
});

export type SimMethod = z.infer<typeof SimMethodSchema>;
export type SimTap = z.infer<typeof SimTapSchema>;
export type SimInstalledApp = z.infer<typeof SimInstalledAppSchema>;
export type SimUser = z.infer<typeof SimUserSchema>;

/** The well-known id Graph gives every user's password method. */
export const PASSWORD_METHOD_ID = '28c10230-6103-485e-b985-444c60001490';

/** A method instance for a registration name (not for Authenticator: devices carry their own). */
export function newMethod(
  user: Pick<SimUser, 'id' | 'mail' | 'businessPhones' | 'displayName'>,
  kind: MethodName,
  createdDateTime: string | null,
  phoneNumber: string | null,
): SimMethod {
  const id = guidFromLabel(`graph-sim:method:${user.id}:${kind}`);
  switch (kind) {
    case 'mobilePhone':
      return { id, kind, createdDateTime, phoneNumber: phoneNumber ?? '+1 555 0100' };
    case 'officePhone':
      return { id, kind, createdDateTime, phoneNumber: user.businessPhones[0] ?? '+1 555 0101' };
    case 'email':
      return { id, kind, createdDateTime, emailAddress: user.mail ?? 'someone@example.org' };
    case 'fido2SecurityKey':
      return { id, kind, createdDateTime, displayName: 'Security key', model: 'YubiKey 5 NFC' };
    case 'hardwareOneTimePasscode':
      return {
        id,
        kind,
        createdDateTime,
        displayName: 'Hardware token',
        serialNumber: id.slice(0, 8),
      };
    case 'softwareOneTimePasscode':
      return { id, kind, createdDateTime, displayName: 'Authenticator app (code)' };
    case 'windowsHelloForBusiness':
      return { id, kind, createdDateTime, displayName: `${user.displayName ?? 'Work'} PC` };
    case 'microsoftAuthenticatorPush':
      return {
        id,
        kind,
        createdDateTime,
        displayName: 'Phone',
        deviceTag: 'SoftwareTokenActivated',
        phoneAppVersion: '6.8.4',
      };
  }
}

export function userFromPractice(p: PracticeUser): SimUser {
  const base = {
    id: p.id,
    displayName: p.displayName,
    givenName: p.givenName,
    surname: p.surname,
    userPrincipalName: p.userPrincipalName,
    mail: p.mail,
    jobTitle: p.jobTitle,
    department: p.department,
    businessPhones: [...p.businessPhones],
    mobilePhone: p.mobilePhone,
    userType: p.userType,
    accountEnabled: p.accountEnabled,
    isAdmin: p.isAdmin,
    eligibleRoles: [...p.eligibleRoles],
    preferredMethod: null,
    memberOf: [...p.memberOf],
    tap: null,
    revokedSessionsAt: null,
    installedApps: [],
    lastUpdatedDateTime: p.lastUpdatedDateTime ?? null,
  };
  const created = p.lastUpdatedDateTime ?? null;
  const methods: SimMethod[] = [];
  for (const kind of p.methodsRegistered) {
    if (kind === 'microsoftAuthenticatorPush') {
      for (const d of p.authenticatorDevices) {
        methods.push({
          id: d.id,
          kind,
          createdDateTime: d.createdDateTime ?? null,
          displayName: d.displayName,
          deviceTag: d.deviceTag,
          phoneAppVersion: d.phoneAppVersion ?? null,
        });
      }
    } else {
      methods.push(newMethod(base, kind, created, p.phoneNumber));
    }
  }
  return { ...base, methods };
}

/** Registration names in the order Graph tends to list them, without duplicates. */
export function methodsRegistered(user: SimUser): MethodName[] {
  const present = new Set(user.methods.map((m) => m.kind));
  return METHOD_NAMES.filter((name) => present.has(name));
}
