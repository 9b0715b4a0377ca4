import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { MethodName, Practice, PracticeGroup } from '../directory/practice';
import { DEMO_TEAMS_APP, type InstallBehaviour, type SimTeamsApp } from './catalog';
import { GroupIndex } from './groups';
import { practiceHash, type SimMail, type StateStore } from './persist';
import { SimPolicies } from './policies';
import {
  newMethod,
  userFromPractice,
  type SimInstalledApp,
  type SimTap,
  type SimUser,
} from './records';
import { ReportRows, type RowFilter } from './report-rows';
import { SignInLog, type SimRiskDetection, type SimSignIn } from './signin-log';
import { newTap, tapCodeMatches, type TapPolicy, type TapRequest } from './tap';
import { ReportsThrottle } from './throttle';
import { canBeDefault, defaultMethod, tapUsability, type RegistrationRow } from './views';

/** The Global Administrator role template id. */
const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';

/**
 * The stand-in's directory: users and groups from a practice file plus every change made through
 * the API, kept for the life of the process and saved to the data directory when there is one.
 */

export interface UserPatch {
  methodsRegistered?: MethodName[];
  deviceName?: string;
  displayName?: string | null;
  mail?: string | null;
  accountEnabled?: boolean;
  isAdmin?: boolean;
  eligibleRoles?: string[];
  jobTitle?: string | null;
  department?: string | null;
  mobilePhone?: string | null;
  phoneNumber?: string | null;
  memberOf?: string[];
  userType?: 'Member' | 'Guest';
}

/** The tenant's Entra ID licence: free has no reports, P1 no Privileged Identity Management. */
export type Licence = 'free' | 'p1' | 'p2';

export type TapUseResult = { ok: true } | { ok: false; reason: string };

const MAX_MAIL = 500;

export class SimState {
  readonly tenantId: string;
  private readonly hash: string;
  private users = new Map<string, SimUser>();
  private byUpn = new Map<string, string>();
  private order: string[] = [];
  private readonly groups: GroupIndex;
  private readonly membersCache = new Map<string, SimUser[]>();
  private readonly report = new ReportRows();
  private changed = new Set<string>();
  private mailLog: SimMail[] = [];
  /** The registration report as it was when frozen (Microsoft's report lags behind changes). */
  private frozenReport: { rows: RegistrationRow[]; byId: Map<string, RegistrationRow> } | null =
    null;
  private installBehaviour: InstallBehaviour = { unlistedReads: 0, forbiddenChatReads: 0 };
  /** Per new installation: list reads it is still missing from, chat reads still refused. */
  private readonly settling = new Map<string, { unlisted: number; forbidden: number }>();
  licence: Licence = 'p1';
  /**
   * Application permissions the tenant has not granted this app: the routes that need one of them
   * answer 403 as Graph does. Everything else counts as granted.
   */
  deniedScopes = new Set<string>();
  /** Sign-in policies: security defaults, Conditional Access, the authentication methods policy. */
  policies: SimPolicies;
  /** Sign-ins and risk detections, injected through /_sim/signins. */
  readonly signInLog: SignInLog;
  readonly reportsThrottle = new ReportsThrottle();
  catalog: SimTeamsApp[] = [DEMO_TEAMS_APP];

  constructor(
    private readonly practice: Practice,
    private readonly initialTapPolicy: TapPolicy,
    private readonly clock: Clock,
    private readonly store: StateStore | null,
    private readonly logger: Logger,
  ) {
    this.tenantId = practice.tenantId;
    this.policies = new SimPolicies(practice, initialTapPolicy, clock.now());
    this.hash = practiceHash(practice);
    this.groups = new GroupIndex(practice.groups);
    this.loadFromPractice();
    const saved = store?.load(this.hash);
    if (saved) {
      for (const u of saved.users) {
        if (this.users.has(u.id)) {
          this.users.set(u.id, u);
          this.changed.add(u.id);
        }
      }
      this.reindex();
      this.mailLog = saved.mail;
      logger.info({ users: saved.users.length }, 'graph-sim restored saved changes');
    }
    this.signInLog = new SignInLog(saved ?? undefined);
  }

  now(): Date {
    return this.clock.now();
  }

  /** What pass issuance obeys: the Temporary Access Pass configuration of the methods policy. */
  get tapPolicy(): TapPolicy {
    return this.policies.tapPolicy(this.initialTapPolicy.defaultIsUsableOnce);
  }

  /** Who the Temporary Access Pass policy includes: every user (null) or members of these groups. */
  get tapPolicyGroups(): string[] | null {
    return this.policies.tapGroups();
  }

  set tapPolicyGroups(groups: string[] | null) {
    this.policies.setTapGroups(groups);
  }

  get userCount(): number {
    return this.order.length;
  }

  user(idOrUpn: string): SimUser | undefined {
    const key = idOrUpn.toLowerCase();
    return this.users.get(key) ?? this.users.get(this.byUpn.get(key) ?? '');
  }

  group(id: string): PracticeGroup | undefined {
    return this.groups.get(id);
  }

  allUsers(): SimUser[] {
    return this.order.map((id) => this.users.get(id)!);
  }

  /** The registration report: enabled users only, as in Graph (as frozen, while it is). */
  registrationRows(filter?: RowFilter): RegistrationRow[] {
    if (this.frozenReport)
      return filter ? this.frozenReport.rows.filter(filter.keep) : this.frozenReport.rows;
    return this.report.rows(() => this.allUsers(), this.clock.now(), filter);
  }

  registrationRow(user: SimUser): RegistrationRow | undefined {
    if (this.frozenReport) return this.frozenReport.byId.get(user.id);
    return user.accountEnabled ? this.report.row(user, this.clock.now()) : undefined;
  }

  get reportFrozen(): boolean {
    return this.frozenReport !== null;
  }

  /** Frozen, the report keeps answering as it is now while the directory changes underneath. */
  freezeReport(frozen: boolean): void {
    if (!frozen) {
      this.frozenReport = null;
      return;
    }
    const rows = this.registrationRows();
    this.frozenReport = { rows, byId: new Map(rows.map((r) => [r.id, r])) };
  }

  setInstallBehaviour(behaviour: InstallBehaviour): void {
    this.installBehaviour = behaviour;
  }

  /** Whether this installation shows in a list read now (each read counts toward it appearing). */
  installationListed(app: SimInstalledApp): boolean {
    const s = this.settling.get(app.id);
    if (!s || s.unlisted === 0) return true;
    s.unlisted -= 1;
    return false;
  }

  /** Whether this installation's chat may be read now; a refusal counts toward it settling. */
  installationChatReadable(app: SimInstalledApp): boolean {
    const s = this.settling.get(app.id);
    if (!s || s.forbidden === 0) return true;
    s.forbidden -= 1;
    return false;
  }

  /**
   * Active Entra role assignments reaching the user, as transitiveRoleAssignments lists them:
   * their own (an admin holds Global Administrator here) and those of role-assignable groups.
   */
  activeRoleAssignments(user: SimUser): Array<{ roleDefinitionId: string; principalId: string }> {
    const own = user.isAdmin
      ? [{ roleDefinitionId: GLOBAL_ADMINISTRATOR, principalId: user.id }]
      : [];
    return [...own, ...this.groupRoles(user, 'directoryRoles')];
  }

  /** Roles the user may activate through PIM, directly or through role-assignable groups. */
  eligibleRoleAssignments(
    principalId: string,
  ): Array<{ roleDefinitionId: string; principalId: string }> {
    const id = principalId.toLowerCase();
    const user = this.users.get(id);
    if (user)
      return user.eligibleRoles.map((roleDefinitionId) => ({ roleDefinitionId, principalId: id }));
    const group = this.groups.get(id);
    return (group?.eligibleRoles ?? []).map((roleDefinitionId) => ({
      roleDefinitionId,
      principalId: id,
    }));
  }

  /** The role-assignable groups the user belongs to, directly or through nesting. */
  roleAssignableGroups(user: SimUser): PracticeGroup[] {
    return [...this.transitiveGroups(user)]
      .map((id) => this.groups.get(id))
      .filter((g): g is PracticeGroup => Boolean(g?.isAssignableToRole));
  }

  private groupRoles(user: SimUser, field: 'directoryRoles' | 'eligibleRoles') {
    return this.roleAssignableGroups(user).flatMap((g) =>
      (g[field] ?? []).map((roleDefinitionId) => ({ roleDefinitionId, principalId: g.id })),
    );
  }

  /** Every group the user is in, directly or through nesting. */
  transitiveGroups(user: SimUser): Set<string> {
    return this.groups.transitive(user.memberOf);
  }

  transitiveMembers(groupId: string): SimUser[] {
    const id = groupId.toLowerCase();
    let members = this.membersCache.get(id);
    if (!members) {
      members = this.allUsers().filter((u) => this.transitiveGroups(u).has(id));
      this.membersCache.set(id, members);
    }
    return members;
  }

  removeMethod(user: SimUser, methodId: string, kind: MethodName): boolean {
    const id = methodId.toLowerCase();
    const index = user.methods.findIndex((m) => m.id.toLowerCase() === id && m.kind === kind);
    if (index === -1) return false;
    user.methods.splice(index, 1);
    this.commit(user, true);
    return true;
  }

  /** Issues a pass, replacing any earlier one. The code is returned here and nowhere else. */
  createTap(user: SimUser, request: TapRequest): { tap: SimTap; code: string } {
    const created = newTap(request, this.clock.now(), this.tapPolicy.length);
    user.tap = created.tap;
    this.commit(user, true);
    return created;
  }

  deleteTap(user: SimUser, tapId: string): boolean {
    if (!user.tap || user.tap.id !== tapId.toLowerCase()) return false;
    user.tap = null;
    this.commit(user, true);
    return true;
  }

  /** Whether the pass policy includes this person (a pass outside it is DisabledByPolicy). */
  tapInPolicy(user: SimUser): boolean {
    if (!this.policies.tapEnabled()) return false;
    const groups = this.tapPolicyGroups;
    if (!groups) return true;
    const mine = this.transitiveGroups(user);
    return groups.some((g) => mine.has(g.toLowerCase()));
  }

  /**
   * Graph will not delete the default sign-in method while other methods exist ("Cannot delete
   * default method with other methods configured"): the last Authenticator, when push is the
   * default and the person has anything else to sign in with.
   */
  blocksDefaultRemoval(user: SimUser, methodId: string): boolean {
    const push = user.methods.filter((m) => m.kind === 'microsoftAuthenticatorPush');
    const target = push.find((m) => m.id.toLowerCase() === methodId.toLowerCase());
    if (!target || push.length > 1 || defaultMethod(user) !== 'push') return false;
    return user.methods.some((m) => m.kind !== 'microsoftAuthenticatorPush' && m.kind !== 'email');
  }

  /** Sets the default sign-in method (signInPreferences); false when the person lacks it. */
  setPreferredMethod(user: SimUser, value: string): boolean {
    if (!canBeDefault(value, user)) return false;
    user.preferredMethod = value;
    this.commit(user, true);
    return true;
  }

  /** A sign-in with the pass, as the sign-in page would check it. */
  useTap(user: SimUser, code: string): TapUseResult {
    const tap = user.tap;
    if (!tap) return { ok: false, reason: 'NoPass' };
    const usability = tapUsability(tap, this.clock.now(), this.tapInPolicy(user));
    if (usability !== 'EnabledByPolicy') return { ok: false, reason: usability };
    if (!tapCodeMatches(tap, code)) return { ok: false, reason: 'WrongCode' };
    if (tap.isUsableOnce) {
      tap.usedDateTime = this.clock.now().toISOString();
      this.commit(user, true);
    }
    return { ok: true };
  }

  revokeSessions(user: SimUser): string {
    user.revokedSessionsAt = this.clock.now().toISOString();
    this.commit(user, false);
    return user.revokedSessionsAt;
  }

  installApp(user: SimUser, teamsAppId: string): { created: boolean; app: SimInstalledApp } {
    const existing = user.installedApps.find((a) => a.teamsAppId === teamsAppId);
    if (existing) return { created: false, app: existing };
    const app: SimInstalledApp = {
      id: Buffer.from(`${user.id}##${teamsAppId}`).toString('base64url'),
      teamsAppId,
      installedDateTime: this.clock.now().toISOString(),
      chatId: `19:${user.id}_${teamsAppId}@unq.gbl.spaces`,
    };
    user.installedApps.push(app);
    const { unlistedReads, forbiddenChatReads } = this.installBehaviour;
    if (unlistedReads || forbiddenChatReads)
      this.settling.set(app.id, { unlisted: unlistedReads, forbidden: forbiddenChatReads });
    this.commit(user, false);
    return { created: true, app };
  }

  recordMail(mail: Omit<SimMail, 'id' | 'sentDateTime'>): SimMail {
    const sentDateTime = this.clock.now().toISOString();
    const sent: SimMail = { ...mail, id: randomUUID(), sentDateTime };
    this.mailLog.push(sent);
    if (this.mailLog.length > MAX_MAIL) this.mailLog.splice(0, this.mailLog.length - MAX_MAIL);
    this.save();
    return sent;
  }

  mail(): SimMail[] {
    return [...this.mailLog];
  }

  clearMail(): void {
    this.mailLog = [];
    this.save();
  }

  /** Adds sign-in events (and the risk detections they raised) to the log. */
  recordSignIns(signIns: SimSignIn[], riskDetections: SimRiskDetection[] = []): void {
    this.signInLog.add(signIns, riskDetections);
    this.save();
  }

  clearSignIns(): void {
    this.signInLog.clear();
    this.save();
  }

  /** Whether the bot's app holds this application permission (all, unless a test took it away). */
  hasPermission(permission: string): boolean {
    return ![...this.deniedScopes].some((p) => p.toLowerCase() === permission.toLowerCase());
  }

  patchUser(user: SimUser, patch: UserPatch): void {
    const { methodsRegistered, deviceName, phoneNumber, memberOf, ...fields } = patch;
    Object.assign(user, fields);
    const now = this.clock.now().toISOString();
    if (phoneNumber !== undefined) {
      const phone = user.methods.find((m) => m.kind === 'mobilePhone');
      if (phone && phoneNumber) phone.phoneNumber = phoneNumber;
    }
    if (methodsRegistered) {
      const wanted = new Set(methodsRegistered);
      user.methods = user.methods.filter((m) => wanted.has(m.kind));
      for (const kind of wanted) {
        if (user.methods.some((m) => m.kind === kind)) continue;
        const method = newMethod(user, kind, now, phoneNumber ?? user.mobilePhone);
        if (kind === 'microsoftAuthenticatorPush') {
          method.id = randomUUID();
          method.displayName = deviceName ?? method.displayName;
        }
        user.methods.push(method);
      }
    }
    if (memberOf) {
      user.memberOf = memberOf.map((g) => g.toLowerCase());
      this.membersCache.clear();
    }
    this.commit(user, methodsRegistered !== undefined || phoneNumber !== undefined);
  }

  /** Whether Microsoft 365 lists Authenticator (push) for this person now. */
  hasAuthenticator(idOrUpn: string): boolean {
    const user = this.user(idOrUpn);
    return Boolean(user?.methods.some((m) => m.kind === 'microsoftAuthenticatorPush'));
  }

  /** They finished setting up Authenticator on a phone at My Security Info. */
  addAuthenticator(idOrUpn: string, deviceName: string): void {
    const user = this.user(idOrUpn);
    if (!user || this.hasAuthenticator(user.id)) return;
    const kinds = [...new Set([...user.methods.map((m) => m.kind), 'microsoftAuthenticatorPush'])];
    this.patchUser(user, { methodsRegistered: kinds as MethodName[], deviceName });
  }

  /** Back to the practice file: every change is forgotten, on disk too. */
  reset(): void {
    this.licence = 'p1';
    this.deniedScopes.clear();
    this.policies = new SimPolicies(this.practice, this.initialTapPolicy, this.clock.now());
    this.reportsThrottle.configure({ enabled: false });
    this.catalog = [DEMO_TEAMS_APP];
    this.frozenReport = null;
    this.installBehaviour = { unlistedReads: 0, forbiddenChatReads: 0 };
    this.settling.clear();
    this.loadFromPractice();
    this.mailLog = [];
    this.signInLog.clear();
    this.save();
  }

  private commit(user: SimUser, methodsChanged: boolean): void {
    if (methodsChanged) user.lastUpdatedDateTime = this.clock.now().toISOString();
    this.report.invalidate(user.id);
    this.changed.add(user.id);
    this.save();
  }

  private save(): void {
    if (!this.store) return;
    try {
      this.store.save({
        version: 1,
        practiceHash: this.hash,
        savedAt: this.clock.now().toISOString(),
        users: [...this.changed].map((id) => this.users.get(id)!),
        mail: this.mailLog,
        ...this.signInLog.snapshot(),
      });
    } catch (err) {
      this.logger.error({ err: (err as Error).message }, 'graph-sim could not save its state');
    }
  }

  private loadFromPractice(): void {
    this.users = new Map(this.practice.users.map((u) => [u.id.toLowerCase(), userFromPractice(u)]));
    for (const u of this.users.values()) {
      u.id = u.id.toLowerCase();
      u.memberOf = u.memberOf.map((g) => g.toLowerCase());
    }
    this.order = [...this.users.keys()];
    this.changed = new Set();
    this.report.invalidate();
    this.membersCache.clear();
    this.reindex();
  }

  private reindex(): void {
    this.byUpn = new Map(this.allUsers().map((u) => [u.userPrincipalName.toLowerCase(), u.id]));
  }
}
