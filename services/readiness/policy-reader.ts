import type { GraphCaller } from '../directory/graph-caller';
import {
  CaPolicySchema,
  MethodConfigSchema,
  MethodsPolicySchema,
  PerUserMfaSchema,
  SecurityDefaultsSchema,
  type CaPolicy,
  type MethodConfig,
  type MethodsPolicy,
  type SecurityDefaults,
} from './policy-schemas';

/**
 * The tenant's sign-in policies, read-only. Kept apart from Directory on purpose: it needs a
 * permission of its own (Policy.Read.All), only the readiness check uses it, and every Directory
 * stand-in and wrapper would otherwise have to grow these calls. It shares the directory's Graph
 * caller, so the token, retries and timeouts are the same. Failures are DirectoryErrors.
 */
export interface PolicyReader {
  securityDefaults(): Promise<SecurityDefaults>;
  conditionalAccessPolicies(): Promise<CaPolicy[]>;
  /** The methods policy with every method's configuration and the registration campaign. */
  authenticationMethodsPolicy(): Promise<MethodsPolicy>;
  /** One method's configuration on its own (it can carry settings the policy's list leaves out). */
  methodConfiguration(id: string): Promise<MethodConfig>;
  /** Legacy per-user MFA for one person: disabled, enabled or enforced (beta). */
  perUserMfaState(userId: string): Promise<string>;
}

const enc = encodeURIComponent;

export class GraphPolicyReader implements PolicyReader {
  constructor(private readonly graph: GraphCaller) {}

  async securityDefaults(): Promise<SecurityDefaults> {
    const spec = {
      method: 'GET',
      path: '/policies/identitySecurityDefaultsEnforcementPolicy',
    } as const;
    return (await this.graph.json('read security defaults', spec, SecurityDefaultsSchema)).data;
  }

  async conditionalAccessPolicies(): Promise<CaPolicy[]> {
    const spec = { method: 'GET', path: '/identity/conditionalAccess/policies' } as const;
    const policies: CaPolicy[] = [];
    for await (const page of this.graph.pages(
      'list conditional access policies',
      spec,
      CaPolicySchema,
      (p) => p,
    )) {
      policies.push(...page);
    }
    return policies;
  }

  async authenticationMethodsPolicy(): Promise<MethodsPolicy> {
    const spec = { method: 'GET', path: '/policies/authenticationMethodsPolicy' } as const;
    return (await this.graph.json('read authentication methods policy', spec, MethodsPolicySchema))
      .data;
  }

  async methodConfiguration(id: string): Promise<MethodConfig> {
    const path = `/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/${enc(id)}`;
    return (
      await this.graph.json(
        'read method configuration',
        { method: 'GET', path },
        MethodConfigSchema,
      )
    ).data;
  }

  async perUserMfaState(userId: string): Promise<string> {
    const spec = {
      method: 'GET',
      version: 'beta',
      path: `/users/${enc(userId)}/authentication/requirements`,
    } as const;
    return (await this.graph.json('read per-user MFA', spec, PerUserMfaSchema)).data
      .perUserMfaState;
  }
}
