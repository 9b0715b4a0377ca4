import type { Agent } from 'undici';
import type { z } from 'zod';
import { silentLogger, type Logger } from '../logger';
import { GraphCaller, type CallSpec } from './graph-caller';
import {
  AuthenticatorSchema,
  AuthMethodSchema,
  ChatSchema,
  DirectoryObjectIdSchema,
  GroupMemberSchema,
  GroupSchema,
  InstalledAppsSchema,
  RegistrationDetailSchema,
  RevokeResultSchema,
  RoleAssignmentSchema,
  StringCollectionSchema,
  TeamsAppSchema,
  TemporaryAccessPassSchema,
  USER_SELECT,
  UserSchema,
} from './graph-schemas';
import { methodLabel, quote, registrationQuery, toRegistration } from './graph-mapping';
import { createGraphClient, graphRoot, type AccessTokenProvider } from './graph-transport';
import {
  AUTHENTICATOR_METHOD,
  DirectoryError,
  type AppInstallation,
  type AuthenticatorDevice,
  type AuthMethod,
  type Directory,
  type DefaultMethod,
  type DirectoryRoles,
  type Group,
  type GroupMember,
  type MailMessage,
  type PageOptions,
  type Receipt,
  type RegistrationDetail,
  type RegistrationFilter,
  type TeamsApp,
  type TemporaryAccessPass,
  type TemporaryAccessPassRequest,
  type UserProfile,
} from './types';

/**
 * The directory on Microsoft Graph (or the local stand-in, which speaks the same API). Every
 * answer is parsed with a schema; every failure becomes a DirectoryError with a kind.
 */

export type { AccessTokenProvider } from './graph-transport';

export interface GraphDirectoryOptions {
  /** e.g. https://graph.microsoft.com or https://localhost:3979 */
  baseUrl: string;
  authProvider: AccessTokenProvider;
  /**
   * The CA this client trusts, for this client only (the stand-in's self-signed certificate);
   * without it the system roots apply.
   */
  caPem?: string;
  /** Per attempt; default 10 000. */
  timeoutMs?: number;
  /** Retries on 429/503/504; default 3. */
  maxRetries?: number;
  /** First backoff when Graph gives no Retry-After; doubles per retry. Default 1000. */
  retryBaseDelayMs?: number;
  /** Longest Retry-After worth waiting for inside one call; default 60. */
  maxRetryAfterSeconds?: number;
  logger?: Logger;
}

/** A token provider that always returns the same token: for the stand-in and tests. */
export function staticTokenProvider(token: string): AccessTokenProvider {
  return { getAccessToken: async () => token };
}

const enc = encodeURIComponent;
const unique = (values: string[]) => [...new Set(values.map((v) => v.toLowerCase()))];

export class GraphDirectory implements Directory {
  private readonly graph: GraphCaller;
  private readonly agent: Agent | undefined;
  private readonly root: string;
  private readonly logger: Logger;

  constructor(options: GraphDirectoryOptions) {
    this.logger = options.logger ?? silentLogger();
    const timeoutMs = options.timeoutMs ?? 10_000;
    const root = graphRoot(options.baseUrl);
    this.root = root.href.replace(/\/$/, '');
    const { client, agent } = createGraphClient({
      baseUrl: options.baseUrl,
      authProvider: options.authProvider,
      caPem: options.caPem,
      logger: this.logger,
      policy: {
        maxRetries: options.maxRetries ?? 3,
        baseDelayMs: options.retryBaseDelayMs ?? 1000,
        maxRetryAfterMs: (options.maxRetryAfterSeconds ?? 60) * 1000,
        timeoutMs,
      },
    });
    this.agent = agent;
    this.graph = new GraphCaller(client, root.origin, timeoutMs, this.logger);
  }

  /**
   * This directory's Graph caller (same token, retries, timeout and connection), for readers of
   * other parts of Graph, such as the sign-in policies the readiness check reads.
   */
  get caller(): GraphCaller {
    return this.graph;
  }

  /** Closes the connections of this client's own dispatcher (when it has a CA of its own). */
  async close(): Promise<void> {
    await this.agent?.close();
  }

  registrationPages(
    filter: RegistrationFilter = {},
    options: PageOptions = {},
  ): AsyncIterable<RegistrationDetail[]> {
    // Graph cannot filter for "not registered", nor (documented) on isAdmin or userType: those
    // parts are applied page by page here.
    const keep = (r: RegistrationDetail) =>
      (filter.authenticatorRegistered !== false ||
        !r.methodsRegistered.includes(AUTHENTICATOR_METHOD)) &&
      (filter.isAdmin === undefined || r.isAdmin === filter.isAdmin) &&
      (filter.userType === undefined || r.userType.toLowerCase() === filter.userType);
    return this.graph.pages(
      'list registrations',
      {
        method: 'GET',
        path: '/reports/authenticationMethods/userRegistrationDetails',
        query: registrationQuery(filter),
      },
      RegistrationDetailSchema,
      toRegistration,
      keep,
      options.beforeRequest,
    );
  }

  async registrationFor(userId: string): Promise<RegistrationDetail> {
    const path = `/reports/authenticationMethods/userRegistrationDetails/${enc(userId)}`;
    const spec = { method: 'GET', path } as const;
    const { data } = await this.graph.json('read registration', spec, RegistrationDetailSchema);
    return toRegistration(data);
  }

  async getUser(idOrUpn: string): Promise<UserProfile> {
    const { data } = await this.graph.json(
      'read user',
      { method: 'GET', path: `/users/${enc(idOrUpn)}`, query: { $select: USER_SELECT.join(',') } },
      UserSchema,
    );
    return { ...data, displayName: data.displayName ?? data.userPrincipalName };
  }

  async memberGroups(userId: string, groupIds: string[]): Promise<string[]> {
    const matched = new Set<string>();
    for (let i = 0; i < groupIds.length; i += 20) {
      const { data } = await this.graph.json(
        'check groups',
        {
          method: 'POST',
          path: `/users/${enc(userId)}/checkMemberGroups`,
          body: { groupIds: groupIds.slice(i, i + 20) },
        },
        StringCollectionSchema,
      );
      for (const id of data.value) matched.add(id.toLowerCase());
    }
    return groupIds.filter((id) => matched.has(id.toLowerCase()));
  }

  groupMemberPages(groupId: string): AsyncIterable<GroupMember[]> {
    return this.graph.pages(
      'list group members',
      {
        method: 'GET',
        path: `/groups/${enc(groupId)}/transitiveMembers/microsoft.graph.user`,
        // The cast to users is an advanced query: Graph wants both of these with it.
        query: { $select: 'id,displayName,userPrincipalName', $count: 'true' },
        headers: { ConsistencyLevel: 'eventual' },
      },
      GroupMemberSchema,
      (m) => ({
        id: m.id,
        displayName: m.displayName ?? m.userPrincipalName,
        userPrincipalName: m.userPrincipalName,
      }),
    );
  }

  async getGroup(groupId: string): Promise<Group> {
    const { data } = await this.graph.json(
      'read group',
      { method: 'GET', path: `/groups/${enc(groupId)}`, query: { $select: 'id,displayName' } },
      GroupSchema,
    );
    return data;
  }

  async authenticatorDevices(userId: string): Promise<AuthenticatorDevice[]> {
    const devices: AuthenticatorDevice[] = [];
    const path = `/users/${enc(userId)}/authentication/microsoftAuthenticatorMethods`;
    const spec = { method: 'GET', path } as const;
    const pages = this.graph.pages('list authenticators', spec, AuthenticatorSchema, (d) => d);
    for await (const page of pages) devices.push(...page);
    return devices;
  }

  async authMethods(userId: string): Promise<AuthMethod[]> {
    const methods: AuthMethod[] = [];
    const path = `/users/${enc(userId)}/authentication/methods`;
    const toMethod = (m: z.infer<typeof AuthMethodSchema>): AuthMethod => {
      const kind = m['@odata.type'].slice('#microsoft.graph.'.length);
      return { id: m.id, kind, label: methodLabel(kind, m) };
    };
    const spec = { method: 'GET', path } as const;
    const pages = this.graph.pages('list methods', spec, AuthMethodSchema, toMethod);
    for await (const page of pages) methods.push(...page);
    return methods;
  }

  async revokeSessions(userId: string): Promise<Receipt> {
    const result = await this.graph.raw('revoke sessions', {
      method: 'POST',
      path: `/users/${enc(userId)}/revokeSignInSessions`,
    });
    if (result.status !== 204) {
      const body = this.graph.parse('revoke sessions', result, RevokeResultSchema);
      if (!body.value) {
        const message = 'revoke sessions: Graph did not revoke the sessions';
        throw new DirectoryError('unavailable', message, {
          statusCode: result.status,
          requestId: result.requestId,
        });
      }
    }
    return { requestId: result.requestId };
  }

  async removeAuthenticator(userId: string, methodId: string): Promise<Receipt> {
    const base = `/users/${enc(userId)}/authentication/microsoftAuthenticatorMethods`;
    const path = `${base}/${enc(methodId)}`;
    try {
      const result = await this.graph.raw('remove authenticator', { method: 'DELETE', path });
      return { requestId: result.requestId };
    } catch (err) {
      // Graph's words for "this is the default method and others exist"; the caller can change
      // the default and try again.
      if (
        err instanceof DirectoryError &&
        err.kind === 'invalid-request' &&
        /default method/i.test(err.message)
      ) {
        throw new DirectoryError('default-method', err.message, err.details);
      }
      throw err;
    }
  }

  async setDefaultMethod(userId: string, method: DefaultMethod): Promise<Receipt> {
    const result = await this.graph.raw('set default method', {
      method: 'PATCH',
      version: 'beta',
      path: `/users/${enc(userId)}/authentication/signInPreferences`,
      body: { userPreferredMethodForSecondaryAuthentication: method },
    });
    return { requestId: result.requestId };
  }

  async createTemporaryAccessPass(
    userId: string,
    request: TemporaryAccessPassRequest,
  ): Promise<TemporaryAccessPass & Receipt> {
    const body: Record<string, unknown> = {
      lifetimeInMinutes: request.lifetimeInMinutes,
      isUsableOnce: request.isUsableOnce,
    };
    if (request.startDateTime) body.startDateTime = request.startDateTime;
    const { data, requestId } = await this.graph.json(
      'create temporary access pass',
      {
        method: 'POST',
        path: `/users/${enc(userId)}/authentication/temporaryAccessPassMethods`,
        body,
      },
      TemporaryAccessPassSchema,
    );
    this.logger.info(
      { op: 'create temporary access pass', methodId: data.id, requestId },
      'temporary access pass issued',
    );
    return { ...data, requestId };
  }

  async deleteTemporaryAccessPass(userId: string, methodId: string): Promise<Receipt> {
    const base = `/users/${enc(userId)}/authentication/temporaryAccessPassMethods`;
    const result = await this.graph.raw('delete temporary access pass', {
      method: 'DELETE',
      path: `${base}/${enc(methodId)}`,
    });
    return { requestId: result.requestId };
  }

  async directoryRoles(userId: string): Promise<DirectoryRoles> {
    const advanced = { ConsistencyLevel: 'eventual' };
    const active = await this.collect(
      'list role assignments',
      {
        method: 'GET',
        version: 'beta',
        path: '/roleManagement/directory/transitiveRoleAssignments',
        query: { $filter: `principalId eq ${quote(userId)}`, $count: 'true' },
        headers: advanced,
      },
      RoleAssignmentSchema,
      (a) => a.roleDefinitionId,
    );
    // Eligibility is kept per principal: the person and each role-assignable group they are in.
    const groups = await this.collect(
      'list role-assignable groups',
      {
        method: 'GET',
        path: `/users/${enc(userId)}/transitiveMemberOf/microsoft.graph.group`,
        query: { $filter: 'isAssignableToRole eq true', $count: 'true', $select: 'id' },
        headers: advanced,
      },
      DirectoryObjectIdSchema,
      (g) => g.id,
    );
    const eligible: string[] = [];
    for (const principal of [userId, ...groups]) {
      try {
        eligible.push(
          ...(await this.collect(
            'list role eligibility',
            {
              method: 'GET',
              path: '/roleManagement/directory/roleEligibilityScheduleInstances',
              query: { $filter: `principalId eq ${quote(principal)}` },
            },
            RoleAssignmentSchema,
            (a) => a.roleDefinitionId,
          )),
        );
      } catch (err) {
        // Without Entra ID P2 there is no Privileged Identity Management, so nobody can be
        // eligible for a role: Graph says so with this one code, and only then is it no answer.
        if (err instanceof DirectoryError && err.details.code === 'AadPremiumLicenseRequired') {
          return {
            active: unique(active),
            eligible: [],
            eligibilityNote: 'no Entra ID P2, so no role eligibility',
          };
        }
        throw err;
      }
    }
    return { active: unique(active), eligible: unique(eligible) };
  }

  private async collect<S, T>(
    op: string,
    spec: CallSpec,
    schema: z.ZodType<S>,
    map: (row: S) => T,
  ): Promise<T[]> {
    const out: T[] = [];
    for await (const page of this.graph.pages(op, spec, schema, map)) out.push(...page);
    return out;
  }

  async teamsApps(filter: { id: string } | { externalId: string }): Promise<TeamsApp[]> {
    const clause =
      'id' in filter ? `id eq ${quote(filter.id)}` : `externalId eq ${quote(filter.externalId)}`;
    return this.collect(
      'list catalog apps',
      { method: 'GET', path: '/appCatalogs/teamsApps', query: { $filter: clause } },
      TeamsAppSchema,
      (a) => ({
        id: a.id,
        externalId: a.externalId ?? null,
        displayName: a.displayName ?? null,
        distributionMethod: a.distributionMethod ?? null,
      }),
    );
  }

  /**
   * Installs the bot for the user (409: it already is), then finds the installation and its 1:1
   * chat. Right after installing, Graph may not list the installation yet, or answer 403 for
   * its chat: that is "not ready", for the caller to try again shortly, not a failure.
   */
  async installAppForUser(userId: string, teamsAppCatalogId: string): Promise<AppInstallation> {
    const base = `/users/${enc(userId)}/teamwork/installedApps`;
    const install = await this.graph.raw('install app', {
      method: 'POST',
      path: base,
      body: {
        'teamsApp@odata.bind': `${this.root}/v1.0/appCatalogs/teamsApps/${enc(teamsAppCatalogId)}`,
      },
      accept: [409],
    });
    const alreadyInstalled = install.status === 409;
    const notReady = (why: string): AppInstallation => ({
      ready: false,
      why,
      alreadyInstalled,
      requestId: install.requestId,
    });
    const listed = await this.graph.raw('find app installation', {
      method: 'GET',
      path: base,
      query: { $expand: 'teamsApp', $filter: `teamsApp/id eq ${quote(teamsAppCatalogId)}` },
      accept: [403],
    });
    if (listed.status === 403) return notReady('Graph refused to list it yet');
    const installation = this.graph.parse('find app installation', listed, InstalledAppsSchema)
      .value[0];
    if (!installation) return notReady('not listed yet');
    const chat = await this.graph.raw('find app chat', {
      method: 'GET',
      path: `${base}/${enc(installation.id)}/chat`,
      accept: [403, 404],
    });
    if (chat.status !== 200) return notReady(`its chat answered ${chat.status}`);
    const { id: chatId } = this.graph.parse('find app chat', chat, ChatSchema);
    return { ready: true, chatId, alreadyInstalled, requestId: install.requestId };
  }

  async sendMail(sender: string, message: MailMessage): Promise<Receipt> {
    const result = await this.graph.raw('send mail', {
      method: 'POST',
      path: `/users/${enc(sender)}/sendMail`,
      body: {
        message: {
          subject: message.subject,
          body: { contentType: 'Text', content: message.body },
          toRecipients: [{ emailAddress: { address: message.to } }],
        },
        saveToSentItems: false,
      },
    });
    return { requestId: result.requestId };
  }
}
