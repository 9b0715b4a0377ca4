import fs from 'node:fs';
import { z } from 'zod';
import { GUID_PATTERN } from './ids';

/**
 * A practice file: the people and groups of one (real or fictional) Microsoft 365 tenant. The
 * Graph stand-in serves it; the demo and tests load it. Loading fails fast, naming the field.
 */

/** Registration names as Graph spells them in methodsRegistered. */
export const METHOD_NAMES = [
  'microsoftAuthenticatorPush',
  'softwareOneTimePasscode',
  'hardwareOneTimePasscode',
  'mobilePhone',
  'officePhone',
  'email',
  'fido2SecurityKey',
  'windowsHelloForBusiness',
] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

/** The group names the bot and the demo rely on. */
export const GROUP_NAMES = {
  physicians: 'Physicians',
  nursing: 'Nursing',
  frontDesk: 'Front Desk',
  billing: 'Billing',
  itSupport: 'IT Support',
  practiceAdmins: 'Practice Admins',
  clinicalStaff: 'Clinical Staff',
  mfaExclusions: 'MFA Exclusions',
} as const;

const guid = z.string().regex(GUID_PATTERN, 'must be a GUID');
const text = z.string().min(1);

export const AuthenticatorDeviceSchema = z.object({
  id: guid,
  displayName: text,
  deviceTag: z.string().nullable(),
  phoneAppVersion: z.string().nullable().optional(),
  createdDateTime: z.iso.datetime().nullable().optional(),
});

export const PracticeGroupSchema = z.object({
  id: guid,
  displayName: text,
  description: z.string().optional(),
  /** Groups this group is itself a member of (nesting). */
  memberOf: z.array(guid).optional(),
  /** A role-assignable group: its members hold these Entra roles (role template ids). */
  isAssignableToRole: z.boolean().optional(),
  directoryRoles: z.array(guid).optional(),
  /** Roles the group's members may activate through Privileged Identity Management. */
  eligibleRoles: z.array(guid).optional(),
});

export const PracticeUserSchema = z
  .object({
    id: guid,
    displayName: text,
    givenName: z.string().nullable(),
    surname: z.string().nullable(),
    userPrincipalName: z.string().regex(/^[^@\s]+@[^@\s]+$/, 'must look like name@domain'),
    mail: z.string().nullable(),
    jobTitle: z.string().nullable(),
    department: z.string().nullable(),
    memberOf: z.array(guid),
    /** Holds an Entra admin role (shows as isAdmin in the registration report). */
    isAdmin: z.boolean(),
    /** Entra roles the person may activate through Privileged Identity Management. */
    eligibleRoles: z.array(guid).default([]),
    methodsRegistered: z.array(z.enum(METHOD_NAMES)),
    authenticatorDevices: z.array(AuthenticatorDeviceSchema),
    /** The number registered for SMS / voice sign-in (the mobilePhone method). */
    phoneNumber: z.string().nullable(),
    businessPhones: z.array(z.string()).default([]),
    mobilePhone: z.string().nullable().default(null),
    userType: z.enum(['Member', 'Guest']).default('Member'),
    accountEnabled: z.boolean().default(true),
    lastUpdatedDateTime: z.iso.datetime().nullable().optional(),
  })
  .superRefine((u, ctx) => {
    const hasPush = u.methodsRegistered.includes('microsoftAuthenticatorPush');
    if (hasPush && u.authenticatorDevices.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['authenticatorDevices'],
        message: 'microsoftAuthenticatorPush is registered, so at least one device is needed',
      });
    }
    if (!hasPush && u.authenticatorDevices.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['methodsRegistered'],
        message: 'has authenticator devices but not microsoftAuthenticatorPush',
      });
    }
    if (u.methodsRegistered.includes('mobilePhone') && !u.phoneNumber) {
      ctx.addIssue({ code: 'custom', path: ['phoneNumber'], message: 'needed for mobilePhone' });
    }
    if (u.methodsRegistered.includes('officePhone') && u.businessPhones.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['businessPhones'], message: 'needed for officePhone' });
    }
    if (new Set(u.methodsRegistered).size !== u.methodsRegistered.length) {
      ctx.addIssue({ code: 'custom', path: ['methodsRegistered'], message: 'has duplicates' });
    }
  });

export const PracticeSchema = z
  .object({
    tenantId: guid,
    organization: z.object({ displayName: text }),
    groups: z.array(PracticeGroupSchema),
    users: z.array(PracticeUserSchema),
  })
  .superRefine((p, ctx) => {
    const issue = (path: Array<string | number>, message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    const groupIds = new Set<string>();
    p.groups.forEach((g, i) => {
      if (groupIds.has(g.id)) issue(['groups', i, 'id'], 'duplicate id');
      groupIds.add(g.id);
    });
    p.groups.forEach((g, i) =>
      (g.memberOf ?? []).forEach((id, j) => {
        if (!groupIds.has(id)) issue(['groups', i, 'memberOf', j], `unknown group ${id}`);
      }),
    );
    const userIds = new Set<string>();
    const upns = new Set<string>();
    p.users.forEach((u, i) => {
      if (userIds.has(u.id)) issue(['users', i, 'id'], 'duplicate id');
      const upn = u.userPrincipalName.toLowerCase();
      if (upns.has(upn)) issue(['users', i, 'userPrincipalName'], 'duplicate');
      userIds.add(u.id);
      upns.add(upn);
      u.memberOf.forEach((id, j) => {
        if (!groupIds.has(id)) issue(['users', i, 'memberOf', j], `unknown group ${id}`);
      });
    });
  });

export type Practice = z.infer<typeof PracticeSchema>;
export type PracticeUser = z.infer<typeof PracticeUserSchema>;
export type PracticeGroup = z.infer<typeof PracticeGroupSchema>;
export type PracticeAuthenticatorDevice = z.infer<typeof AuthenticatorDeviceSchema>;
/** A practice as written in a file, before defaults are filled in. */
export type PracticeInput = z.input<typeof PracticeSchema>;

/** Formats a zod issue path the way a person reads a JSON file: users[3].memberOf[0]. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

/** Checks a parsed value; throws naming the first bad field. */
export function parsePractice(value: unknown, source = 'practice'): Practice {
  const parsed = PracticeSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${source}: ${formatPath(issue.path)}: ${issue.message}`);
  }
  return parsed.data;
}

/** Reads and checks a practice file; the error names the file and the field. */
export function loadPractice(path: string): Practice {
  let raw: string;
  try {
    raw = fs.readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read practice file ${path}: ${(err as Error).message}`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new Error(`practice file ${path} is not valid JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return parsePractice(json, path);
}

export function findGroupByName(
  practice: Practice,
  displayName: string,
): PracticeGroup | undefined {
  const wanted = displayName.toLowerCase();
  return practice.groups.find((g) => g.displayName.toLowerCase() === wanted);
}

/** The id of the group with this display name; throws if the practice has none. */
export function groupIdByName(practice: Practice, displayName: string): string {
  const group = findGroupByName(practice, displayName);
  if (!group) throw new Error(`the practice has no group named "${displayName}"`);
  return group.id;
}

export interface StandardGroupIds {
  physicians: string;
  nursing: string;
  frontDesk: string;
  billing: string;
  itSupport: string;
  practiceAdmins: string;
  clinicalStaff?: string;
  mfaExclusions?: string;
}

/** The ids of the groups the bot relies on, found by display name. */
export function standardGroupIds(practice: Practice): StandardGroupIds {
  const optional = (name: string) => findGroupByName(practice, name)?.id;
  return {
    physicians: groupIdByName(practice, GROUP_NAMES.physicians),
    nursing: groupIdByName(practice, GROUP_NAMES.nursing),
    frontDesk: groupIdByName(practice, GROUP_NAMES.frontDesk),
    billing: groupIdByName(practice, GROUP_NAMES.billing),
    itSupport: groupIdByName(practice, GROUP_NAMES.itSupport),
    practiceAdmins: groupIdByName(practice, GROUP_NAMES.practiceAdmins),
    clinicalStaff: optional(GROUP_NAMES.clinicalStaff),
    mfaExclusions: optional(GROUP_NAMES.mfaExclusions),
  };
}

export function findUser(practice: Practice, idOrUpn: string): PracticeUser | undefined {
  const key = idOrUpn.toLowerCase();
  return practice.users.find(
    (u) => u.id.toLowerCase() === key || u.userPrincipalName.toLowerCase() === key,
  );
}
