import { z } from 'zod';

/**
 * What the stand-in accepts for sign-in policies, in Graph's JSON shapes: Conditional Access
 * policies (created whole, patched in part), method configuration and campaign patches.
 */

const ids = z.array(z.string());
const TargetType = z.enum(['user', 'group']);

/** Created policies get empty lists for what they leave out; a PATCH keeps what it doesn't name. */
const UsersSchema = z
  .object({
    includeUsers: ids.default([]),
    excludeUsers: ids.default([]),
    includeGroups: ids.default([]),
    excludeGroups: ids.default([]),
    includeRoles: ids.default([]),
    excludeRoles: ids.default([]),
  })
  .strict();
const UsersPatchSchema = z
  .object({
    includeUsers: ids.optional(),
    excludeUsers: ids.optional(),
    includeGroups: ids.optional(),
    excludeGroups: ids.optional(),
    includeRoles: ids.optional(),
    excludeRoles: ids.optional(),
  })
  .strict();
const ApplicationsSchema = z
  .object({ includeApplications: ids.default([]), excludeApplications: ids.default([]) })
  .strict();
const ApplicationsPatchSchema = z
  .object({ includeApplications: ids.optional(), excludeApplications: ids.optional() })
  .strict();
const ClientAppTypes = z.array(
  z.enum([
    'all',
    'browser',
    'mobileAppsAndDesktopClients',
    'exchangeActiveSync',
    'easSupported',
    'other',
  ]),
);
const GrantControlsSchema = z
  .object({
    operator: z.enum(['AND', 'OR']).default('OR'),
    builtInControls: z.array(z.string()).default([]),
    authenticationStrength: z
      .object({
        id: z.string(),
        displayName: z.string(),
        requirementsSatisfied: z.enum(['none', 'mfa']),
      })
      .nullable()
      .default(null),
  })
  .nullable();
const CaState = z.enum(['enabled', 'disabled', 'enabledForReportingButNotEnforced']);

export const CaPolicyInputSchema = z
  .object({
    displayName: z.string().min(1),
    state: CaState,
    conditions: z.object({
      users: UsersSchema,
      applications: ApplicationsSchema,
      clientAppTypes: ClientAppTypes.default(['all']),
    }),
    grantControls: GrantControlsSchema.default(null),
  })
  .strict();
export type CaPolicyInput = z.infer<typeof CaPolicyInputSchema>;

export type SimCaPolicy = CaPolicyInput & {
  id: string;
  createdDateTime: string;
  modifiedDateTime: string | null;
};

/**
 * A PATCH of a Conditional Access policy: "properties not included keep their previous values",
 * down into conditions (Graph's own example sends only conditions.signInRiskLevels).
 */
export const CaPolicyPatchSchema = z
  .object({
    displayName: z.string().min(1).optional(),
    state: CaState.optional(),
    conditions: z
      .object({
        users: UsersPatchSchema.optional(),
        applications: ApplicationsPatchSchema.optional(),
        clientAppTypes: ClientAppTypes.optional(),
      })
      .strict()
      .optional(),
    grantControls: GrantControlsSchema.optional(),
  })
  .strict();
export type CaPolicyPatch = z.infer<typeof CaPolicyPatchSchema>;

const IncludeTargetSchema = z
  .object({
    id: z.string().min(1),
    targetType: TargetType.default('group'),
    isRegistrationRequired: z.boolean().default(false),
    authenticationMode: z.enum(['any', 'push', 'deviceBasedPush']).optional(),
    isUsableForSignIn: z.boolean().optional(),
  })
  .strict();
export type IncludeTarget = z.infer<typeof IncludeTargetSchema>;

const ExcludeTargetSchema = z
  .object({ id: z.string().min(1), targetType: TargetType.default('group') })
  .strict();
type ExcludeTarget = z.infer<typeof ExcludeTargetSchema>;

const FeatureTargetSchema = z
  .object({
    state: z.enum(['default', 'enabled', 'disabled']),
    includeTarget: z.object({ id: z.string(), targetType: TargetType }),
    excludeTarget: z.object({ id: z.string(), targetType: TargetType }),
  })
  .strict();

const minutes = z.number().int().min(10).max(43200);

/** The properties a method configuration PATCH may carry; which belong to which method is checked after. */
export const MethodConfigPatchSchema = z
  .object({
    '@odata.type': z.string().optional(),
    id: z.string().optional(),
    state: z.enum(['enabled', 'disabled']).optional(),
    includeTargets: z.array(IncludeTargetSchema).optional(),
    excludeTargets: z.array(ExcludeTargetSchema).optional(),
    featureSettings: z
      .object({
        displayAppInformationRequiredState: FeatureTargetSchema.optional(),
        displayLocationInformationRequiredState: FeatureTargetSchema.optional(),
      })
      .strict()
      .optional(),
    isSoftwareOathEnabled: z.boolean().optional(),
    isUsableOnce: z.boolean().optional(),
    defaultLifetimeInMinutes: minutes.optional(),
    minimumLifetimeInMinutes: minutes.optional(),
    maximumLifetimeInMinutes: minutes.optional(),
    defaultLength: z.number().int().min(8).max(48).optional(),
    isOfficePhoneAllowed: z.boolean().optional(),
  })
  .strict();
export type MethodConfigPatch = z.infer<typeof MethodConfigPatchSchema>;

/** Which extra properties each method has (Graph's type names, without the namespace). */
export const METHOD_TYPES: Record<string, { type: string; extra: readonly string[] }> = {
  microsoftauthenticator: {
    type: 'microsoftAuthenticatorAuthenticationMethodConfiguration',
    extra: ['featureSettings', 'isSoftwareOathEnabled'],
  },
  sms: { type: 'smsAuthenticationMethodConfiguration', extra: [] },
  voice: { type: 'voiceAuthenticationMethodConfiguration', extra: ['isOfficePhoneAllowed'] },
  temporaryaccesspass: {
    type: 'temporaryAccessPassAuthenticationMethodConfiguration',
    extra: [
      'isUsableOnce',
      'defaultLifetimeInMinutes',
      'minimumLifetimeInMinutes',
      'maximumLifetimeInMinutes',
      'defaultLength',
    ],
  },
  fido2: { type: 'fido2AuthenticationMethodConfiguration', extra: [] },
  softwareoath: { type: 'softwareOathAuthenticationMethodConfiguration', extra: [] },
  email: { type: 'emailAuthenticationMethodConfiguration', extra: [] },
};

export interface SimMethodConfig {
  id: string;
  state: 'enabled' | 'disabled';
  includeTargets: IncludeTarget[];
  excludeTargets: ExcludeTarget[];
  /** The method's own properties (featureSettings, lifetimes, ...), as Graph names them. */
  extra: Record<string, unknown>;
}

const CampaignTargetSchema = z
  .object({
    id: z.string().min(1),
    targetType: TargetType.default('group'),
    targetedAuthenticationMethod: z
      .enum(['microsoftAuthenticator'])
      .default('microsoftAuthenticator'),
  })
  .strict();

export const CampaignPatchSchema = z
  .object({
    state: z.enum(['default', 'enabled', 'disabled']).optional(),
    snoozeDurationInDays: z.number().int().min(0).max(14).optional(),
    enforceRegistrationAfterAllowedSnoozes: z.boolean().optional(),
    includeTargets: z.array(CampaignTargetSchema).optional(),
    excludeTargets: z.array(ExcludeTargetSchema).optional(),
  })
  .strict();
export type CampaignPatch = z.infer<typeof CampaignPatchSchema>;
export type Campaign = Required<CampaignPatch>;

export const MIGRATION_STATES = [
  'preMigration',
  'migrationInProgress',
  'migrationComplete',
] as const;
export type MigrationState = (typeof MIGRATION_STATES)[number];

export const PER_USER_MFA_STATES = ['disabled', 'enabled', 'enforced'] as const;
export type PerUserMfaState = (typeof PER_USER_MFA_STATES)[number];
