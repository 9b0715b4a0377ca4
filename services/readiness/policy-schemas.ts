import { z } from 'zod';

/**
 * The parts of Graph's sign-in policy answers the readiness checks depend on. Lenient where Graph
 * is (missing or null lists become empty), strict about the fields a check decides on.
 */

const list = z
  .array(z.string())
  .nullable()
  .optional()
  .transform((v) => v ?? []);

const text = z
  .string()
  .nullable()
  .optional()
  .transform((v) => v ?? null);

export const SecurityDefaultsSchema = z.object({ isEnabled: z.boolean() });
export type SecurityDefaults = z.infer<typeof SecurityDefaultsSchema>;

const UsersConditionSchema = z.object({
  includeUsers: list,
  excludeUsers: list,
  includeGroups: list,
  excludeGroups: list,
  includeRoles: list,
  excludeRoles: list,
});

export const CaPolicySchema = z.object({
  id: z.string().min(1),
  displayName: text,
  state: z.string(),
  conditions: z.object({
    users: UsersConditionSchema.nullable()
      .optional()
      .transform((v) => v ?? UsersConditionSchema.parse({})),
    applications: z
      .object({ includeApplications: list, excludeApplications: list })
      .nullable()
      .optional()
      .transform((v) => v ?? { includeApplications: [], excludeApplications: [] }),
    clientAppTypes: list,
  }),
  grantControls: z
    .object({
      operator: text,
      builtInControls: list,
      authenticationStrength: z
        .object({ displayName: text, requirementsSatisfied: text })
        .nullable()
        .optional()
        .transform((v) => v ?? null),
    })
    .nullable()
    .optional()
    .transform((v) => v ?? null),
});
export type CaPolicy = z.infer<typeof CaPolicySchema>;

const TargetSchema = z.object({
  id: z.string(),
  targetType: text,
  authenticationMode: text,
  isUsableForSignIn: z.boolean().optional(),
});

const targets = z
  .array(TargetSchema)
  .nullable()
  .optional()
  .transform((v) => v ?? []);

const FeatureSchema = z
  .object({ state: z.string(), includeTarget: z.object({ id: z.string() }).nullable().optional() })
  .nullable()
  .optional()
  .transform((v) => v ?? null);

const minutes = z
  .number()
  .int()
  .nullable()
  .optional()
  .transform((v) => v ?? null);

/** One method's configuration; the properties of other methods are simply absent. */
export const MethodConfigSchema = z.object({
  id: z.string(),
  state: z.string(),
  includeTargets: targets,
  excludeTargets: targets,
  featureSettings: z
    .object({
      displayAppInformationRequiredState: FeatureSchema,
      displayLocationInformationRequiredState: FeatureSchema,
    })
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  isUsableOnce: z.boolean().nullable().optional(),
  defaultLifetimeInMinutes: minutes,
  minimumLifetimeInMinutes: minutes,
  maximumLifetimeInMinutes: minutes,
});
export type MethodConfig = z.infer<typeof MethodConfigSchema>;

const CampaignSchema = z.object({
  state: z.string(),
  snoozeDurationInDays: z.number().nullable().optional(),
  includeTargets: z
    .array(z.object({ id: z.string(), targetType: text, targetedAuthenticationMethod: text }))
    .nullable()
    .optional()
    .transform((v) => v ?? []),
  excludeTargets: z
    .array(z.object({ id: z.string(), targetType: text }))
    .nullable()
    .optional()
    .transform((v) => v ?? []),
});

export const MethodsPolicySchema = z.object({
  /** Null in some new tenants (a third party's note); treated as "not known". */
  policyMigrationState: text,
  registrationEnforcement: z
    .object({
      authenticationMethodsRegistrationCampaign: CampaignSchema.nullable()
        .optional()
        .transform((v) => v ?? null),
    })
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  authenticationMethodConfigurations: z
    .array(MethodConfigSchema)
    .nullable()
    .optional()
    .transform((v) => v ?? []),
});
export type MethodsPolicy = z.infer<typeof MethodsPolicySchema>;

export const PerUserMfaSchema = z.object({ perUserMfaState: z.string() });
