/**
 * The directory: everything the bot asks Microsoft Entra ID (through Microsoft Graph).
 * One interface, one Graph implementation; demo mode and tests point the same implementation at
 * the local Graph stand-in.
 */

/** A row of the authentication methods registration report (userRegistrationDetails). */
export interface RegistrationDetail {
  id: string;
  userPrincipalName: string;
  userDisplayName: string;
  userType: 'member' | 'guest' | string;
  isAdmin: boolean;
  isMfaCapable: boolean;
  isMfaRegistered: boolean;
  isPasswordlessCapable: boolean;
  isSsprRegistered: boolean;
  methodsRegistered: string[];
  userPreferredMethodForSecondaryAuthentication: string | null;
  lastUpdatedDateTime: string | null;
}

export interface PageOptions {
  /** Runs before each page is asked for: a caller's share of Graph's limit. */
  beforeRequest?: () => Promise<void>;
}

export interface RegistrationFilter {
  /** Only users with (true) or without (false) Microsoft Authenticator push registered. */
  authenticatorRegistered?: boolean;
  isMfaRegistered?: boolean;
  isAdmin?: boolean;
  userType?: 'member' | 'guest';
}

export interface UserProfile {
  id: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  userPrincipalName: string;
  mail: string | null;
  jobTitle: string | null;
  department: string | null;
  businessPhones: string[];
  mobilePhone: string | null;
  accountEnabled: boolean;
  userType: string | null;
}

export interface GroupMember {
  id: string;
  displayName: string;
  userPrincipalName: string;
}

export interface Group {
  id: string;
  displayName: string;
}

export interface AuthenticatorDevice {
  id: string;
  displayName: string | null;
  deviceTag: string | null;
  phoneAppVersion: string | null;
  createdDateTime: string | null;
}

/** One entry of /authentication/methods, reduced to what the bot shows. */
export interface AuthMethod {
  id: string;
  /** The Graph type without the prefix, e.g. 'microsoftAuthenticatorAuthenticationMethod'. */
  kind: string;
  /** A short label for people: device name, masked phone number, key model. */
  label: string;
}

export interface TemporaryAccessPassRequest {
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  startDateTime?: string;
}

export interface TemporaryAccessPass {
  id: string;
  /** The code. Returned once, to the caller only: never log, store or forward it. */
  temporaryAccessPass: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  isUsable: boolean;
  methodUsabilityReason: string | null;
  startDateTime: string | null;
  createdDateTime: string | null;
}

/** Values Graph takes for a person's default sign-in method. */
export type DefaultMethod = 'push' | 'oath' | 'sms' | 'voiceMobile' | 'voiceOffice';

/** Entra directory roles that reach a person, read live (role template ids). */
export interface DirectoryRoles {
  /** Held now, directly or through a role-assignable group. */
  active: string[];
  /** Could be activated through Privileged Identity Management. */
  eligible: string[];
  /** Why eligibility could not exist (e.g. no Entra ID P2, so no PIM); absent when it was read. */
  eligibilityNote?: string;
}

export interface MailMessage {
  to: string;
  subject: string;
  /** Plain text body. */
  body: string;
}

/** Graph's request id for a call that changed something, for the audit log. */
export interface Receipt {
  requestId: string | null;
}

/**
 * The bot installed for someone. Teams settles a new installation over a few seconds: until
 * Graph lists it and its chat can be read, it is not ready (try again shortly), not missing.
 */
export type AppInstallation = Receipt & { alreadyInstalled: boolean } & (
    | { ready: true; /** The 1:1 chat with the bot, to send to. */ chatId: string }
    | { ready: false; why: string }
  );

/** An app in the tenant's Teams app catalog (appCatalogs/teamsApps). */
export interface TeamsApp {
  /** The catalog id, which installing names; differs from the manifest id unless from the store. */
  id: string;
  /** The id in the app's manifest. */
  externalId: string | null;
  displayName: string | null;
  distributionMethod: string | null;
}

export interface Directory {
  /** The whole registration report, one page at a time. */
  registrationPages(
    filter?: RegistrationFilter,
    options?: PageOptions,
  ): AsyncIterable<RegistrationDetail[]>;
  /** One user's row of the report; it can lag behind reality by hours. */
  registrationFor(userId: string): Promise<RegistrationDetail>;
  getUser(idOrUpn: string): Promise<UserProfile>;
  /** Which of the given groups the user belongs to, directly or through nested groups. */
  memberGroups(userId: string, groupIds: string[]): Promise<string[]>;
  groupMemberPages(groupId: string): AsyncIterable<GroupMember[]>;
  getGroup(groupId: string): Promise<Group>;
  /** Live list of the user's Microsoft Authenticator registrations. */
  authenticatorDevices(userId: string): Promise<AuthenticatorDevice[]>;
  /** Live list of all the user's authentication methods. */
  authMethods(userId: string): Promise<AuthMethod[]>;
  revokeSessions(userId: string): Promise<Receipt>;
  removeAuthenticator(userId: string, methodId: string): Promise<Receipt>;
  createTemporaryAccessPass(
    userId: string,
    request: TemporaryAccessPassRequest,
  ): Promise<TemporaryAccessPass & Receipt>;
  deleteTemporaryAccessPass(userId: string, methodId: string): Promise<Receipt>;
  /** Changes the person's default sign-in method (Graph: signInPreferences). */
  setDefaultMethod(userId: string, method: DefaultMethod): Promise<Receipt>;
  /** Entra roles the user holds or may activate, live from role management (never cached). */
  directoryRoles(userId: string): Promise<DirectoryRoles>;
  /** Apps in the Teams app catalog with this catalog id or manifest id (externalId). */
  teamsApps(filter: { id: string } | { externalId: string }): Promise<TeamsApp[]>;
  installAppForUser(userId: string, teamsAppCatalogId: string): Promise<AppInstallation>;
  sendMail(sender: string, message: MailMessage): Promise<Receipt>;
}

export type DirectoryErrorKind =
  | 'not-found'
  | 'forbidden'
  | 'throttled'
  | 'invalid-request'
  | 'unavailable'
  | 'malformed-response'
  /** Graph refused to remove the default sign-in method while other methods exist. */
  | 'default-method';

/** A directory failure a caller can turn into a plain message. */
export class DirectoryError extends Error {
  constructor(
    readonly kind: DirectoryErrorKind,
    message: string,
    readonly details: {
      statusCode?: number;
      code?: string;
      requestId?: string | null;
      retryAfterSeconds?: number;
    } = {},
  ) {
    super(message);
    this.name = 'DirectoryError';
  }
}

export function isDirectoryError(e: unknown, kind?: DirectoryErrorKind): e is DirectoryError {
  return e instanceof DirectoryError && (kind === undefined || e.kind === kind);
}

/** Microsoft's name for Authenticator push in methodsRegistered. */
export const AUTHENTICATOR_METHOD = 'microsoftAuthenticatorPush';
