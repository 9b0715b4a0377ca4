import { randomUUID } from 'node:crypto';
import { GROUP_NAMES, findGroupByName, type Practice } from '../directory/practice';
import {
  METHOD_TYPES,
  type CaPolicyInput,
  type CaPolicyPatch,
  type Campaign,
  type CampaignPatch,
  type IncludeTarget,
  type MethodConfigPatch,
  type MigrationState,
  type PerUserMfaState,
  type SimCaPolicy,
  type SimMethodConfig,
} from './policy-inputs';
import type { TapPolicy } from './tap';

/**
 * The tenant's sign-in policies as the stand-in keeps them: security defaults, Conditional Access,
 * the authentication methods policy (per-method configurations and the registration campaign) and
 * per-user MFA. Graph's JSON shapes go in and come out; the Temporary Access Pass configuration
 * here is also what pass issuance obeys.
 */

export class PolicyError extends Error {}

const ALL_USERS = 'all_users';
const allUsers = (): IncludeTarget[] => [
  { id: ALL_USERS, targetType: 'group', isRegistrationRequired: false },
];
const featureOn = () => ({
  state: 'enabled' as const,
  includeTarget: { id: ALL_USERS, targetType: 'group' as const },
  excludeTarget: { id: '00000000-0000-0000-0000-000000000000', targetType: 'group' as const },
});

export class SimPolicies {
  securityDefaults = false;
  policyMigrationState: MigrationState | null = 'migrationComplete';
  private readonly ca: SimCaPolicy[] = [];
  private readonly configs = new Map<string, SimMethodConfig>();
  private campaign: Campaign;
  private readonly perUser = new Map<string, PerUserMfaState>();

  /**
   * The demo practice is partly ready: MFA for everyone and legacy sign-in blocked by Conditional
   * Access (break-glass admins excluded), Authenticator with app and location context, text codes
   * still on, the registration campaign off, and passes that may last up to 8 hours.
   */
  constructor(practice: Practice, tap: TapPolicy, now: Date) {
    const exclusions = findGroupByName(practice, GROUP_NAMES.mfaExclusions)?.id.toLowerCase();
    const breakGlass = practice.users
      .filter(
        (u) => u.isAdmin && exclusions && u.memberOf.some((g) => g.toLowerCase() === exclusions),
      )
      .map((u) => u.id.toLowerCase());
    const users = (extra: Partial<CaPolicyInput['conditions']['users']> = {}) => ({
      includeUsers: ['All'],
      excludeUsers: breakGlass,
      includeGroups: [],
      excludeGroups: [],
      includeRoles: [],
      excludeRoles: [],
      ...extra,
    });
    const applications = { includeApplications: ['All'], excludeApplications: [] };
    this.addCa(
      {
        displayName: 'Require MFA for all users',
        state: 'enabled',
        conditions: { users: users(), applications, clientAppTypes: ['all'] },
        grantControls: { operator: 'OR', builtInControls: ['mfa'], authenticationStrength: null },
      },
      now,
    );
    this.addCa(
      {
        displayName: 'Block legacy authentication',
        state: 'enabled',
        conditions: {
          users: users(),
          applications,
          clientAppTypes: ['exchangeActiveSync', 'other'],
        },
        grantControls: { operator: 'OR', builtInControls: ['block'], authenticationStrength: null },
      },
      now,
    );
    this.setConfig(
      'MicrosoftAuthenticator',
      'enabled',
      [{ ...allUsers()[0]!, authenticationMode: 'any' }],
      {
        isSoftwareOathEnabled: false,
        featureSettings: {
          displayAppInformationRequiredState: featureOn(),
          displayLocationInformationRequiredState: featureOn(),
        },
      },
    );
    this.setConfig('Sms', 'enabled', [{ ...allUsers()[0]!, isUsableForSignIn: false }], {});
    this.setConfig('Voice', 'disabled', allUsers(), { isOfficePhoneAllowed: false });
    this.setConfig('TemporaryAccessPass', 'enabled', allUsers(), {
      isUsableOnce: true,
      defaultLifetimeInMinutes: tap.defaultLifetimeInMinutes,
      minimumLifetimeInMinutes: tap.minLifetimeInMinutes,
      maximumLifetimeInMinutes: tap.maxLifetimeInMinutes,
      defaultLength: tap.length,
    });
    this.setConfig('Fido2', 'enabled', allUsers(), {});
    this.setConfig('SoftwareOath', 'disabled', allUsers(), {});
    this.setConfig('Email', 'disabled', [], {});
    this.campaign = {
      state: 'disabled',
      snoozeDurationInDays: 1,
      enforceRegistrationAfterAllowedSnoozes: true,
      includeTargets: [
        {
          id: ALL_USERS,
          targetType: 'group',
          targetedAuthenticationMethod: 'microsoftAuthenticator',
        },
      ],
      excludeTargets: [],
    };
  }

  caPolicies(): SimCaPolicy[] {
    return this.ca;
  }

  caPolicy(id: string): SimCaPolicy | undefined {
    return this.ca.find((p) => p.id === id.toLowerCase());
  }

  addCa(input: CaPolicyInput, now: Date): SimCaPolicy {
    const policy: SimCaPolicy = {
      ...input,
      id: randomUUID(),
      createdDateTime: now.toISOString(),
      modifiedDateTime: null,
    };
    this.ca.push(policy);
    return policy;
  }

  patchCa(policy: SimCaPolicy, patch: CaPolicyPatch, now: Date): void {
    const { conditions, ...top } = patch;
    Object.assign(policy, top, { modifiedDateTime: now.toISOString() });
    if (!conditions) return;
    const c = policy.conditions;
    policy.conditions = {
      users: { ...c.users, ...conditions.users },
      applications: { ...c.applications, ...conditions.applications },
      clientAppTypes: conditions.clientAppTypes ?? c.clientAppTypes,
    };
  }

  replaceCa(inputs: CaPolicyInput[], now: Date): void {
    this.ca.splice(0);
    for (const input of inputs) this.addCa(input, now);
  }

  config(id: string): SimMethodConfig | undefined {
    return this.configs.get(id.toLowerCase());
  }

  allConfigs(): SimMethodConfig[] {
    return [...this.configs.values()];
  }

  /** Applies a PATCH to one method; throws PolicyError with Graph's kind of message when it can't. */
  patchConfig(config: SimMethodConfig, patch: MethodConfigPatch): void {
    const kind = METHOD_TYPES[config.id.toLowerCase()]!;
    const { '@odata.type': type, id, state, includeTargets, excludeTargets, ...extra } = patch;
    if (type !== undefined && type !== `#microsoft.graph.${kind.type}`) {
      throw new PolicyError(
        `The @odata.type '${type}' does not match the configuration '${config.id}'.`,
      );
    }
    if (id !== undefined && id.toLowerCase() !== config.id.toLowerCase()) {
      throw new PolicyError('The id in the body does not match the id in the URL.');
    }
    const foreign = Object.keys(extra).find((k) => !kind.extra.includes(k));
    if (foreign)
      throw new PolicyError(
        `Could not find a property named '${foreign}' on type 'microsoft.graph.${kind.type}'.`,
      );
    const next = { ...config.extra, ...extra };
    if (config.id === 'TemporaryAccessPass') {
      const min = next.minimumLifetimeInMinutes as number;
      const def = next.defaultLifetimeInMinutes as number;
      const max = next.maximumLifetimeInMinutes as number;
      if (!(min <= def && def <= max)) {
        throw new PolicyError('The lifetimes must satisfy minimum ≤ default ≤ maximum.');
      }
    }
    if (state) config.state = state;
    if (includeTargets) config.includeTargets = includeTargets;
    if (excludeTargets) config.excludeTargets = excludeTargets;
    config.extra = next;
  }

  configJson(config: SimMethodConfig): Record<string, unknown> {
    return {
      '@odata.type': `#microsoft.graph.${METHOD_TYPES[config.id.toLowerCase()]!.type}`,
      id: config.id,
      state: config.state,
      ...config.extra,
      includeTargets: config.includeTargets,
      excludeTargets: config.excludeTargets,
    };
  }

  patchCampaign(patch: CampaignPatch): void {
    this.campaign = { ...this.campaign, ...patch };
  }

  methodsPolicyJson(): Record<string, unknown> {
    return {
      id: 'authenticationMethodsPolicy',
      displayName: 'Authentication Methods Policy',
      policyVersion: '1.5',
      policyMigrationState: this.policyMigrationState,
      registrationEnforcement: { authenticationMethodsRegistrationCampaign: this.campaign },
      authenticationMethodConfigurations: this.allConfigs().map((c) => this.configJson(c)),
    };
  }

  perUserMfa(userId: string): PerUserMfaState {
    return this.perUser.get(userId.toLowerCase()) ?? 'disabled';
  }

  setPerUserMfa(userId: string, state: PerUserMfaState): void {
    this.perUser.set(userId.toLowerCase(), state);
  }

  /** What pass issuance obeys: the Temporary Access Pass configuration's lifetimes and length. */
  tapPolicy(defaultIsUsableOnce: boolean): TapPolicy {
    const extra = this.config('TemporaryAccessPass')!.extra;
    return {
      minLifetimeInMinutes: extra.minimumLifetimeInMinutes as number,
      maxLifetimeInMinutes: extra.maximumLifetimeInMinutes as number,
      defaultLifetimeInMinutes: extra.defaultLifetimeInMinutes as number,
      defaultIsUsableOnce,
      length: extra.defaultLength as number,
    };
  }

  tapEnabled(): boolean {
    return this.config('TemporaryAccessPass')!.state === 'enabled';
  }

  /** Who may use a pass: null when the configuration includes all users, else its group ids. */
  tapGroups(): string[] | null {
    const tap = this.config('TemporaryAccessPass')!;
    if (tap.includeTargets.some((t) => t.id === ALL_USERS)) return null;
    return tap.includeTargets.map((t) => t.id);
  }

  setTapGroups(groups: string[] | null): void {
    const tap = this.config('TemporaryAccessPass')!;
    tap.includeTargets = groups
      ? groups.map((id) => ({ id, targetType: 'group', isRegistrationRequired: false }))
      : allUsers();
  }

  private setConfig(
    id: string,
    state: 'enabled' | 'disabled',
    includeTargets: IncludeTarget[],
    extra: Record<string, unknown>,
  ): void {
    this.configs.set(id.toLowerCase(), { id, state, includeTargets, excludeTargets: [], extra });
  }
}
