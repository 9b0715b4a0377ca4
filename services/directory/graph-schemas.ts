import { z } from 'zod';

/** The parts of Graph's answers the bot depends on, checked at the boundary. */

const nullableText = z
  .string()
  .nullable()
  .optional()
  .transform((v) => v ?? null);

export const GraphErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string().optional() }),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    value: z.array(item),
    '@odata.nextLink': z.string().optional(),
  });
}

export const RegistrationDetailSchema = z.object({
  id: z.string().min(1),
  userPrincipalName: z.string().min(1),
  userDisplayName: nullableText,
  userType: z.string(),
  isAdmin: z.boolean(),
  isMfaCapable: z.boolean(),
  isMfaRegistered: z.boolean(),
  isPasswordlessCapable: z.boolean(),
  isSsprRegistered: z.boolean(),
  methodsRegistered: z.array(z.string()),
  userPreferredMethodForSecondaryAuthentication: nullableText,
  lastUpdatedDateTime: nullableText,
});

export const USER_SELECT = [
  'id',
  'displayName',
  'givenName',
  'surname',
  'userPrincipalName',
  'mail',
  'jobTitle',
  'department',
  'businessPhones',
  'mobilePhone',
  'accountEnabled',
  'userType',
] as const;

export const UserSchema = z.object({
  id: z.string().min(1),
  displayName: nullableText,
  givenName: nullableText,
  surname: nullableText,
  userPrincipalName: z.string().min(1),
  mail: nullableText,
  jobTitle: nullableText,
  department: nullableText,
  businessPhones: z.array(z.string()).default([]),
  mobilePhone: nullableText,
  accountEnabled: z.boolean(),
  userType: nullableText,
});

export const GroupSchema = z.object({ id: z.string().min(1), displayName: z.string() });

export const GroupMemberSchema = z.object({
  id: z.string().min(1),
  displayName: nullableText,
  userPrincipalName: z.string().min(1),
});

export const AuthenticatorSchema = z.object({
  id: z.string().min(1),
  displayName: nullableText,
  deviceTag: nullableText,
  phoneAppVersion: nullableText,
  createdDateTime: nullableText,
});

export const AuthMethodSchema = z.object({
  '@odata.type': z.string().startsWith('#microsoft.graph.'),
  id: z.string().min(1),
  displayName: nullableText,
  phoneNumber: nullableText,
  phoneType: nullableText,
  emailAddress: nullableText,
  model: nullableText,
});

export const TemporaryAccessPassSchema = z.object({
  id: z.string().min(1),
  temporaryAccessPass: z.string().min(1),
  lifetimeInMinutes: z.number().int(),
  isUsableOnce: z.boolean(),
  isUsable: z.boolean(),
  methodUsabilityReason: nullableText,
  startDateTime: nullableText,
  createdDateTime: nullableText,
});

export const StringCollectionSchema = z.object({ value: z.array(z.string()) });

export const RevokeResultSchema = z.object({ value: z.boolean() });

export const InstalledAppsSchema = z.object({
  value: z.array(
    z.object({
      id: z.string().min(1),
      teamsApp: z.object({ id: z.string() }).optional(),
    }),
  ),
});

export const ChatSchema = z.object({ id: z.string().min(1) });

export const TeamsAppSchema = z.object({
  id: z.string().min(1),
  externalId: z.string().nullable().optional(),
  displayName: z.string().nullable().optional(),
  distributionMethod: z.string().nullable().optional(),
});

export const RoleAssignmentSchema = z.object({
  id: z.string().min(1),
  roleDefinitionId: z.string().min(1),
  principalId: z.string().min(1),
});

export const DirectoryObjectIdSchema = z.object({ id: z.string().min(1) });
