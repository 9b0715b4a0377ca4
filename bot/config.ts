import path from 'node:path';
import { z } from 'zod';
import { loadPractice, groupIdByName } from '../services/directory/practice';
import { DEMO_TEAMS_APP } from '../services/graph-sim/catalog';
import { assetPath } from '../services/paths';
import { DEFAULT_SERVICE_URL_HOSTS, hostPatternProblem } from './service-urls';
import { AUDIT_KEY_HINT, AUDIT_KEY_MIN_LENGTH } from '../services/audit/key';
import { azureStorageSettings, type AzureStorageSettings } from '../services/storage/settings';

/**
 * Configuration, read once from the environment at start. Demo mode (no MicrosoftAppId) runs
 * everything on this machine against the Graph stand-in; production mode needs real credentials
 * and refuses to start, naming every missing or invalid variable.
 */

export const DEMO_PRACTICE_PATH = assetPath('services', 'directory', 'demo-practice.json');
export const DEFAULT_DEMO_USER = 'nora.nguyen@riverbendfm.example';

/**
 * Azure App Service (Linux) sets these in every app it runs. There only /home survives a restart,
 * and it is a network share; each deployment replaces /home/site/wwwroot (read-only when the app
 * runs from a package).
 */
const APP_SERVICE_SIGNS = ['WEBSITE_SITE_NAME', 'WEBSITE_INSTANCE_ID'] as const;
const APP_SERVICE_PERSISTED = '/home';
const APP_SERVICE_SITE = '/home/site';
export const APP_SERVICE_DATA_DIR = '/home/data/mfa-bot';
const DEFAULT_DATA_DIR = './data';

/** SQLite's journal: WAL on a local disk; DELETE where the file lives on a network share. */
export type SqliteJournalMode = 'wal' | 'delete';

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

/** One of `values`; unset or blank (App Service keeps empty app settings) means `fallback`. */
const choice = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  optionalText.pipe(z.enum(values).optional()).transform((v) => v ?? fallback);

const integer = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? Number(v) : fallback))
    .pipe(z.number().int().min(min).max(max));

const guid = z
  .string()
  .trim()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');

const httpsUrl = z
  .string()
  .trim()
  .url()
  .refine((u) => u.startsWith('https://'), 'must start with https://');

/** https, or http to this machine only (local stand-ins in offline tests). */
const metadataUrl = z
  .string()
  .trim()
  .url()
  .refine(
    (u) => u.startsWith('https://') || isLoopbackHttp(u),
    'must start with https:// (http:// only for 127.0.0.1 or localhost)',
  );

function isLoopbackHttp(u: string): boolean {
  if (!URL.canParse(u)) return false;
  const { protocol, hostname } = new URL(u);
  return protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
}

const roleGroups = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON, e.g. {"Nursing":"<group id>"}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), guid).optional());

/** Comma-separated host names or *.suffix patterns; Teams' own hosts when unset. */
const serviceUrlHosts = optionalText.transform((v, ctx) => {
  if (v === undefined) return [...DEFAULT_SERVICE_URL_HOSTS];
  const hosts = v
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  if (!hosts.length) ctx.addIssue({ code: 'custom', message: 'must name at least one host' });
  for (const host of hosts) {
    const problem = hostPatternProblem(host);
    if (problem) ctx.addIssue({ code: 'custom', message: `${host}: ${problem}` });
  }
  return hosts;
});

const EnvSchema = z.object({
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppType: choice(['MultiTenant', 'SingleTenant', 'UserAssignedMsi'], 'SingleTenant'),
  MicrosoftAppTenantId: optionalText,
  CertificateThumbprint: optionalText,
  CertificatePrivateKey: optionalText,
  ToBotFromChannelOpenIdMetadataUrl: optionalText.pipe(metadataUrl.optional()),
  ToChannelFromBotLoginUrl: optionalText.pipe(httpsUrl.optional()),
  ToChannelFromBotOAuthScope: optionalText,
  LOGIN_CA_CERT_PATH: optionalText,
  SERVICE_URL_HOSTS: serviceUrlHosts,
  TAB_SSO_RESOURCE: optionalText.pipe(
    z
      .string()
      .max(2048)
      .refine(
        (v) => v.startsWith('api://'),
        "must start with api:// (the Entra app's Application ID URI)",
      )
      .optional(),
  ),
  GRAPH_CLIENT_ID: optionalText,
  GRAPH_CLIENT_SECRET: optionalText,
  GRAPH_CERTIFICATE_PATH: optionalText,
  GRAPH_BASE_URL: optionalText.pipe(httpsUrl.optional()),
  GRAPH_CA_CERT_PATH: optionalText,
  GRAPH_TIMEOUT_MS: integer(10_000, 500, 120_000),
  GRAPH_MAX_RETRIES: integer(3, 0, 10),
  GRAPH_RETRY_BASE_MS: integer(1000, 10, 60_000),
  AZURE_AUTHORITY_HOST: optionalText.pipe(httpsUrl.optional()),
  AZURE_CLIENT_ID: optionalText,
  IT_GROUP_ID: optionalText.pipe(guid.optional()),
  ADMIN_GROUP_ID: optionalText.pipe(guid.optional()),
  PRIVILEGED_GROUP_ID: optionalText.pipe(guid.optional()),
  NUDGE_EXCLUDE_GROUP_ID: optionalText.pipe(guid.optional()),
  ROLE_GROUPS: roleGroups,
  IT_CHANNEL_ID: optionalText,
  IT_PHONE: optionalText,
  MAIL_SENDER: optionalText,
  TEAMS_APP_ID: optionalText.pipe(guid.optional()),
  TEAMS_APP_CATALOG_ID: optionalText,
  TAP_LIFETIME_MINUTES: integer(60, 10, 43200),
  TICKET_SLA_MINUTES: integer(15, 1, 1440),
  NUDGE_MAX_RPS: integer(30, 1, 50),
  NUDGE_CONFIRM_THRESHOLD: integer(50, 1, 100_000),
  ONBOARDING_MAX_SNOOZES: integer(3, 0, 20),
  TAP_MAX_PER_HOUR: integer(5, 1, 100),
  VERIFICATION_TTL_MINUTES: integer(30, 1, 1440),
  USER_TURNS_PER_MINUTE: integer(30, 1, 10_000),
  AUDIT_KEY: optionalText.pipe(
    z.string().min(AUDIT_KEY_MIN_LENGTH, `must be ${AUDIT_KEY_HINT}`).optional(),
  ),
  AUDIT_HEAD_FILE: optionalText,
  AUDIT_RETENTION_YEARS: integer(6, 1, 100),
  TENANT_TURNS_PER_MINUTE: integer(3000, 1, 1_000_000),
  SECOND_VERIFIER_MAY_BE_ADMIN: choice(['true', 'false'], 'false'),
  PORT: integer(3978, 0, 65535),
  HOST: optionalText,
  GRAPH_SIM_PORT: integer(3979, 0, 65535),
  PLAYGROUND_PORT: integer(56150, 1, 65535),
  DATA_DIR: optionalText,
  SQLITE_JOURNAL_MODE: optionalText.pipe(z.enum(['wal', 'delete']).optional()),
  STORAGE: choice(['sqlite', 'azure'], 'sqlite'),
  AZURE_STORAGE_CONNECTION_STRING: optionalText,
  AZURE_STORAGE_ACCOUNT_URL: optionalText,
  AZURE_STORAGE_PREFIX: optionalText,
  DEMO_USER: optionalText,
  LOG_LEVEL: choice(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
});

/** Every environment variable the bot reads. */
export const ENV_VARIABLES: readonly string[] = Object.keys(EnvSchema.shape);

export type Mode = 'demo' | 'production';

export interface Groups {
  it: string;
  admin: string;
  /** Role name (e.g. "Nursing") → group id, for coverage reports and role-aware content. */
  roles: Record<string, string>;
  /** Accounts whose recovery needs two people (besides the admin group). */
  privileged?: string;
  /** Break-glass and shared accounts: never nudged. */
  nudgeExclude?: string;
}

export interface AppConfig {
  mode: Mode;
  host: string;
  port: number;
  dataDir: string;
  sqliteJournalMode: SqliteJournalMode;
  /** Set for STORAGE=azure: the bot keeps its data in Azure Table and Blob storage, not SQLite. */
  azureStorage?: AzureStorageSettings;
  /** Things about the host the operator should hear once at start (logged as warnings). */
  startupWarnings: string[];
  logLevel: string;
  bot: {
    appId: string;
    appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMsi';
    /** Settings handed to botbuilder's ConfigurationBotFrameworkAuthentication as they are. */
    authSettings: Record<string, string | undefined>;
    /** The only CA trusted for the bot's own token requests, when set (a local token endpoint). */
    loginCaCertPath?: string;
    /** Hosts (or *.suffix patterns) the bot sends its Bot Connector token to. */
    serviceUrlHosts: string[];
  };
  tenantId: string;
  /**
   * The Application ID URI the dashboard tab's SSO tokens may name (the manifest's
   * webApplicationInfo.resource): v1 tokens carry it as their audience, v2 tokens the app id.
   */
  tabSsoResource?: string;
  graph: {
    baseUrl: string;
    timeoutMs: number;
    maxRetries: number;
    retryBaseDelayMs: number;
    caCertPath?: string;
    authorityHost?: string;
    clientId?: string;
    clientSecret?: string;
    certificatePath?: string;
    managedIdentityClientId?: string;
  };
  groups: Groups;
  itChannelId?: string;
  itPhone: string;
  mailSender?: string;
  /** The id in the Teams app manifest (TEAMS_APP_ID): its catalog id is looked up from it. */
  teamsAppId?: string;
  /** The app's id in the Teams app catalog, when set by hand; installing names this one. */
  teamsAppCatalogId?: string;
  tapLifetimeMinutes: number;
  ticketSlaMinutes: number;
  nudgeMaxRps: number;
  /** Nudges to more people than this need a second confirmation. */
  nudgeConfirmThreshold: number;
  onboardingMaxSnoozes: number;
  tapMaxPerHour: number;
  /** How long an identity check counts for issuing a pass. */
  verificationTtlMinutes: number;
  userTurnsPerMinute: number;
  audit: {
    /** Seals every audit record; required in production. Unset in the demo, which keeps one in DATA_DIR. */
    key?: string;
    headFile?: string;
    retentionYears: number;
  };
  tenantTurnsPerMinute: number;
  /** For practices with one IT person: a practice admin may be the second verifier. */
  secondVerifierMayBeAdmin: boolean;
  graphSimPort: number;
  playgroundPort: number;
  demoUser: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = z.infer<typeof EnvSchema>;

export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const unresolved = unresolvedKeyVaultReferences(source);
  if (unresolved.length) throw new ConfigError(unresolved);
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`),
    );
  }
  const env = parsed.data;
  const host = hostOf(source);
  const { storage, problems } = resolveStorage(env, host);
  // The demo has no inbound authentication: on App Service a missing MicrosoftAppId is a
  // deployment mistake, reported with everything else production needs.
  if (!env.MicrosoftAppId && host !== 'app-service') {
    // The demo keeps SQLite's host notes to itself, but never falls back from Azure silently.
    if (storage.azure === undefined && env.STORAGE === 'azure') throw new ConfigError(problems);
    const installProblems = teamsAppProblems(env, undefined);
    if (installProblems.length) throw new ConfigError(installProblems);
    return demoConfig(env, storage);
  }
  return productionConfig(env, storage, problems);
}

/**
 * Installing the bot for people before a nudge (TEAMS_APP_ID or TEAMS_APP_CATALOG_ID set):
 * - the catalog id is not the manifest id (an app published to the practice gets its own);
 * - Graph must sign in as the app the manifest's webApplicationInfo.id names, which is the bot's
 *   own (MicrosoftAppId): TeamsAppInstallation.ReadWriteSelfForUser.All lets an app install
 *   only itself, so another app for Graph would be refused for every person.
 */
function teamsAppProblems(
  env: Env,
  graph: { appId: string; graphAppId: string | undefined; variable: string } | undefined,
): string[] {
  const problems: string[] = [];
  const manifestId = env.TEAMS_APP_ID;
  const catalogId = env.TEAMS_APP_CATALOG_ID;
  if (manifestId && catalogId && manifestId.toLowerCase() === catalogId.toLowerCase()) {
    problems.push(
      "TEAMS_APP_CATALOG_ID: this is the manifest id (TEAMS_APP_ID); the practice's Teams app catalog gives the published app another id. Leave TEAMS_APP_CATALOG_ID empty to look it up from TEAMS_APP_ID",
    );
  }
  if (
    graph &&
    (manifestId || catalogId) &&
    graph.graphAppId?.toLowerCase() !== graph.appId.toLowerCase()
  ) {
    problems.push(
      `${graph.variable}: installing the bot for people (${manifestId ? 'TEAMS_APP_ID' : 'TEAMS_APP_CATALOG_ID'}) needs Microsoft Graph to sign in as the bot's own app (MicrosoftAppId ${graph.appId}), ` +
        `the app the manifest's webApplicationInfo.id names; Graph signs in as ${graph.graphAppId ?? 'no app'}. ` +
        `Leave ${graph.variable} unset, or leave TEAMS_APP_ID and TEAMS_APP_CATALOG_ID empty (nudges then reach only people who have talked to the bot)`,
    );
  }
  return problems;
}

type Host = 'app-service' | 'other';

/**
 * App Service hands an app setting over as its literal `@Microsoft.KeyVault(...)` text when it
 * cannot read the secret (no access yet, a wrong name), which would otherwise reach Entra as
 * the bot's password. Refusing to start makes App Service restart the bot, and read it again.
 */
function unresolvedKeyVaultReferences(source: NodeJS.ProcessEnv): string[] {
  return ENV_VARIABLES.filter((name) =>
    source[name]?.trim().startsWith('@Microsoft.KeyVault('),
  ).map(
    (name) =>
      `${name}: App Service could not read it from Key Vault; check that the web app's identity may read the secret, then restart`,
  );
}

function hostOf(source: NodeJS.ProcessEnv): Host {
  return APP_SERVICE_SIGNS.some((name) => Boolean(source[name]?.trim())) ? 'app-service' : 'other';
}

export interface StorageSettings {
  dataDir: string;
  journalMode: SqliteJournalMode;
  /** Set for STORAGE=azure; SQLite otherwise. */
  azure?: AzureStorageSettings;
  /** Said once at start: what this host means for the database. */
  warnings: string[];
}

/**
 * Where the database lives and how SQLite journals, for the bot and the command line alike.
 * Throws a ConfigError naming DATA_DIR or SQLITE_JOURNAL_MODE when the host cannot keep them.
 */
export function storageSettings(source: NodeJS.ProcessEnv = process.env): StorageSettings {
  const parsed = EnvSchema.pick({
    DATA_DIR: true,
    SQLITE_JOURNAL_MODE: true,
    ...AZURE_PICK,
  }).safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const { storage, problems } = resolveStorage(parsed.data, hostOf(source));
  if (problems.length) throw new ConfigError(problems);
  return storage;
}

const AZURE_PICK = {
  STORAGE: true,
  AZURE_STORAGE_CONNECTION_STRING: true,
  AZURE_STORAGE_ACCOUNT_URL: true,
  AZURE_STORAGE_PREFIX: true,
  AZURE_CLIENT_ID: true,
} as const;

type StorageEnv = Pick<Env, 'DATA_DIR' | 'SQLITE_JOURNAL_MODE' | keyof typeof AZURE_PICK>;

/**
 * On App Service the data goes under /home (the only folder that survives a restart) and
 * outside /home/site (replaced by every deployment), and SQLite uses DELETE, not WAL: WAL's
 * shared memory is not safe on the network share behind /home.
 */
function resolveStorage(
  env: StorageEnv,
  host: Host,
): { storage: StorageSettings; problems: string[] } {
  if (env.STORAGE === 'azure') {
    // Several instances share the account; DATA_DIR keeps only the demo's own files.
    const { settings, problems } = azureStorageSettings(env, host === 'app-service');
    const dataDir =
      host === 'app-service'
        ? path.posix.resolve(env.DATA_DIR ?? APP_SERVICE_DATA_DIR)
        : path.resolve(env.DATA_DIR ?? DEFAULT_DATA_DIR);
    return { storage: { dataDir, journalMode: 'wal', azure: settings, warnings: [] }, problems };
  }
  if (host !== 'app-service') {
    const storage: StorageSettings = {
      dataDir: path.resolve(env.DATA_DIR ?? DEFAULT_DATA_DIR),
      journalMode: env.SQLITE_JOURNAL_MODE ?? 'wal',
      warnings: [],
    };
    return { storage, problems: [] };
  }
  const dataDir = path.posix.resolve(env.DATA_DIR ?? APP_SERVICE_DATA_DIR);
  const problems: string[] = [];
  if (!isWithin(dataDir, APP_SERVICE_PERSISTED) || isWithin(dataDir, APP_SERVICE_SITE)) {
    problems.push(
      `DATA_DIR must be under ${APP_SERVICE_PERSISTED} and outside ${APP_SERVICE_SITE} on Azure App Service ` +
        `(is ${dataDir}): only ${APP_SERVICE_PERSISTED} survives a restart and every deployment replaces ` +
        `${APP_SERVICE_SITE}/wwwroot; use ${APP_SERVICE_DATA_DIR}`,
    );
  }
  if (env.SQLITE_JOURNAL_MODE === 'wal') {
    problems.push(
      `SQLITE_JOURNAL_MODE=wal is not safe on Azure App Service, where ${APP_SERVICE_PERSISTED} is a network share; leave it unset`,
    );
  }
  const storage: StorageSettings = {
    dataDir,
    journalMode: 'delete',
    warnings: [
      `Azure App Service: the SQLite database in ${dataDir} supports one instance only; ` +
        'do not scale out (more instances need the Azure Storage backend, see the README)',
    ],
  };
  return { storage, problems };
}

function isWithin(dir: string, root: string): boolean {
  const relative = path.posix.relative(root, dir);
  return relative === '' || (!relative.startsWith('..') && !path.posix.isAbsolute(relative));
}

function shared(env: Env, storage: StorageSettings) {
  return {
    dataDir: storage.dataDir,
    sqliteJournalMode: storage.journalMode,
    ...(storage.azure ? { azureStorage: storage.azure } : {}),
    startupWarnings: storage.warnings,
    logLevel: env.LOG_LEVEL,
    itChannelId: env.IT_CHANNEL_ID,
    tabSsoResource: env.TAB_SSO_RESOURCE,
    mailSender: env.MAIL_SENDER,
    teamsAppId: env.TEAMS_APP_ID,
    teamsAppCatalogId: env.TEAMS_APP_CATALOG_ID,
    tapLifetimeMinutes: env.TAP_LIFETIME_MINUTES,
    ticketSlaMinutes: env.TICKET_SLA_MINUTES,
    nudgeMaxRps: env.NUDGE_MAX_RPS,
    nudgeConfirmThreshold: env.NUDGE_CONFIRM_THRESHOLD,
    onboardingMaxSnoozes: env.ONBOARDING_MAX_SNOOZES,
    tapMaxPerHour: env.TAP_MAX_PER_HOUR,
    verificationTtlMinutes: env.VERIFICATION_TTL_MINUTES,
    userTurnsPerMinute: env.USER_TURNS_PER_MINUTE,
    audit: {
      key: env.AUDIT_KEY,
      headFile: env.AUDIT_HEAD_FILE,
      retentionYears: env.AUDIT_RETENTION_YEARS,
    },
    tenantTurnsPerMinute: env.TENANT_TURNS_PER_MINUTE,
    secondVerifierMayBeAdmin: env.SECOND_VERIFIER_MAY_BE_ADMIN === 'true',
    graphSimPort: env.GRAPH_SIM_PORT,
    playgroundPort: env.PLAYGROUND_PORT,
    port: env.PORT,
    demoUser: env.DEMO_USER ?? DEFAULT_DEMO_USER,
  };
}

function graphTuning(env: Env) {
  return {
    timeoutMs: env.GRAPH_TIMEOUT_MS,
    maxRetries: env.GRAPH_MAX_RETRIES,
    retryBaseDelayMs: env.GRAPH_RETRY_BASE_MS,
  };
}

function demoConfig(env: Env, storage: StorageSettings): AppConfig {
  const practice = loadPractice(DEMO_PRACTICE_PATH);
  const byName = (name: string) => groupIdByName(practice, name);
  const base = shared(env, storage);
  const roles: Record<string, string> = env.ROLE_GROUPS ?? {
    Physicians: byName('Physicians'),
    Nursing: byName('Nursing'),
    'Front Desk': byName('Front Desk'),
    Billing: byName('Billing'),
  };
  return {
    ...base,
    mode: 'demo',
    // The demo has no inbound authentication, so it never listens beyond this machine.
    host: '127.0.0.1',
    bot: {
      appId: '',
      appType: 'MultiTenant',
      authSettings: {},
      serviceUrlHosts: env.SERVICE_URL_HOSTS,
    },
    tenantId: practice.tenantId,
    graph: {
      ...graphTuning(env),
      baseUrl: env.GRAPH_BASE_URL ?? `https://localhost:${env.GRAPH_SIM_PORT}`,
      caCertPath: env.GRAPH_CA_CERT_PATH ?? path.join(base.dataDir, 'graph-sim', 'cert.pem'),
    },
    groups: {
      it: env.IT_GROUP_ID ?? byName('IT Support'),
      admin: env.ADMIN_GROUP_ID ?? byName('Practice Admins'),
      roles,
      privileged: env.PRIVILEGED_GROUP_ID,
      nudgeExclude:
        env.NUDGE_EXCLUDE_GROUP_ID ??
        practice.groups.find((g) => g.displayName === 'MFA Exclusions')?.id,
    },
    itPhone: env.IT_PHONE ?? '555-0100 ext. 200',
    mailSender:
      env.MAIL_SENDER ??
      `it-helpdesk@${practice.users[0]?.userPrincipalName.split('@')[1] ?? 'example.org'}`,
    // The demo app as the stand-in's catalog has it: its catalog id is looked up from this.
    teamsAppId:
      env.TEAMS_APP_ID ??
      (env.TEAMS_APP_CATALOG_ID ? undefined : (DEMO_TEAMS_APP.externalId ?? undefined)),
  };
}

/**
 * What production cannot start without, and why (each is named when missing). The bot's
 * credential (a secret, a certificate or a managed identity) is checked separately.
 */
const REQUIRED_IN_PRODUCTION = {
  MicrosoftAppId: "the bot's Entra app id; the local demo never runs on Azure App Service",
  MicrosoftAppTenantId: 'the tenant this bot serves; activities from other tenants are refused',
  IT_GROUP_ID: 'the Entra group whose members handle escalations',
  ADMIN_GROUP_ID: 'the Entra group of practice admins',
  IT_PHONE: 'the number staff call if a recovery was not them',
  MAIL_SENDER: 'the mailbox that sends recovery notices',
  AUDIT_KEY: `the secret that seals the audit log, so a log rewritten without it is caught: ${AUDIT_KEY_HINT}, kept in Key Vault or an App Service setting, never in the database`,
} as const satisfies Partial<Record<keyof Env, string>>;

/** Variables production refuses to start without (besides the bot's credential). */
export const PRODUCTION_REQUIRED_VARIABLES: readonly string[] = Object.keys(REQUIRED_IN_PRODUCTION);

function productionConfig(
  env: Env,
  storage: StorageSettings,
  storageProblems: string[],
): AppConfig {
  const problems: string[] = [];
  for (const [name, why] of Object.entries(REQUIRED_IN_PRODUCTION)) {
    if (!env[name as keyof typeof REQUIRED_IN_PRODUCTION])
      problems.push(`${name} is required in production (${why})`);
  }
  problems.push(...storageProblems);
  const appId = env.MicrosoftAppId ?? '';
  if (appId && !guid.safeParse(appId).success) problems.push('MicrosoftAppId: must be a GUID');
  const botHasSecret = Boolean(env.MicrosoftAppPassword);
  const botHasCert = Boolean(env.CertificateThumbprint && env.CertificatePrivateKey);
  if (env.MicrosoftAppType === 'UserAssignedMsi') {
    if (botHasSecret)
      problems.push('MicrosoftAppPassword must be empty when MicrosoftAppType is UserAssignedMsi');
  } else if (!botHasSecret && !botHasCert) {
    problems.push(
      'MicrosoftAppPassword (or CertificateThumbprint with CertificatePrivateKey) is required in production',
    );
  }
  if (env.MicrosoftAppType === 'MultiTenant') {
    problems.push(
      'MicrosoftAppType: use SingleTenant or UserAssignedMsi; multi-tenant bots are retired for new registrations',
    );
  }
  const graphClientId =
    env.GRAPH_CLIENT_ID ?? (env.MicrosoftAppType === 'UserAssignedMsi' ? undefined : appId);
  const graphSecret =
    env.GRAPH_CLIENT_SECRET ?? (env.GRAPH_CLIENT_ID ? undefined : env.MicrosoftAppPassword);
  const graphByIdentity = env.MicrosoftAppType === 'UserAssignedMsi' && !env.GRAPH_CLIENT_ID;
  if (!graphByIdentity && !graphSecret && !env.GRAPH_CERTIFICATE_PATH) {
    // Without GRAPH_CLIENT_ID, Graph uses the bot's secret: a missing one is named above.
    if (env.GRAPH_CLIENT_ID) {
      problems.push(
        'GRAPH_CLIENT_SECRET or GRAPH_CERTIFICATE_PATH is required when GRAPH_CLIENT_ID is set',
      );
    } else if (botHasCert) {
      problems.push(
        'GRAPH_CERTIFICATE_PATH is required for Graph when the bot signs in with a certificate',
      );
    }
  }
  if (graphByIdentity && !env.AZURE_CLIENT_ID) {
    problems.push(
      'AZURE_CLIENT_ID is required to reach Graph with a user-assigned managed identity',
    );
  }
  if (appId) {
    const graphAppId = graphByIdentity ? env.AZURE_CLIENT_ID : graphClientId;
    problems.push(
      ...teamsAppProblems(env, {
        appId,
        graphAppId,
        variable: graphByIdentity ? 'AZURE_CLIENT_ID' : 'GRAPH_CLIENT_ID',
      }),
    );
  }
  if (problems.length) throw new ConfigError(problems);

  return {
    ...shared(env, storage),
    mode: 'production',
    host: env.HOST ?? '0.0.0.0',
    bot: {
      appId,
      appType: env.MicrosoftAppType,
      authSettings: {
        MicrosoftAppId: appId,
        MicrosoftAppPassword: env.MicrosoftAppPassword,
        MicrosoftAppType: env.MicrosoftAppType,
        MicrosoftAppTenantId: env.MicrosoftAppTenantId,
        CertificateThumbprint: env.CertificateThumbprint,
        CertificatePrivateKey: env.CertificatePrivateKey,
        ToBotFromChannelOpenIdMetadataUrl: env.ToBotFromChannelOpenIdMetadataUrl,
        ToChannelFromBotLoginUrl: env.ToChannelFromBotLoginUrl,
        ToChannelFromBotOAuthScope: env.ToChannelFromBotOAuthScope,
      },
      loginCaCertPath: env.LOGIN_CA_CERT_PATH,
      serviceUrlHosts: env.SERVICE_URL_HOSTS,
    },
    tenantId: env.MicrosoftAppTenantId as string,
    graph: {
      ...graphTuning(env),
      baseUrl: env.GRAPH_BASE_URL ?? 'https://graph.microsoft.com',
      caCertPath: env.GRAPH_CA_CERT_PATH,
      authorityHost: env.AZURE_AUTHORITY_HOST,
      clientId: graphClientId,
      clientSecret: graphSecret,
      certificatePath: env.GRAPH_CERTIFICATE_PATH,
      managedIdentityClientId: graphByIdentity ? env.AZURE_CLIENT_ID : undefined,
    },
    groups: {
      it: env.IT_GROUP_ID as string,
      admin: env.ADMIN_GROUP_ID as string,
      roles: env.ROLE_GROUPS ?? {},
      privileged: env.PRIVILEGED_GROUP_ID,
      nudgeExclude: env.NUDGE_EXCLUDE_GROUP_ID,
    },
    itPhone: env.IT_PHONE as string,
  };
}
