import fs from 'node:fs';
import path from 'node:path';
import type { TurnContext } from 'botbuilder';
import { BotAdapter } from './adapter';
import type { AppConfig } from './config';
import { ActionRouter } from './actions';
import { MfaBot } from './bot';
import { createBotAuthentication } from './auth';
import { helpAction, helpCard } from './handlers/help';
import { myStatusAction } from './handlers/my-status';
import { onboardingActions } from './handlers/onboarding/actions';
import { registerOnboardingReminders } from './handlers/onboarding/reminders';
import { ItRequests } from './requests';
import { TicketBoard } from './handlers/tickets/board';
import { RequesterNotices } from './handlers/tickets/notify';
import { ItTeam } from './handlers/it-team';
import { MINUTE } from '../services/clock';
import { lostDeviceActions } from './handlers/lost-device/actions';
import { ticketActions } from './handlers/tickets/actions';
import { troubleshootActions } from './handlers/troubleshoot';
import { kbReviewActions, teachLearnedExamples } from './handlers/kb-review';
import { KbFeedback } from '../services/kb/feedback';
import { RateLimiter } from '../services/ratelimit';
import { SendBudget } from '../services/send-budget';
import { TapLimiter } from '../services/tickets/tap-limiter';
import { Proactive } from './proactive';
import { createKnowledgeBase, type KnowledgeBase } from '../services/kb';
import { loadOnboardingContent } from '../services/onboarding/content';
import { OnboardingProgressStore } from '../services/onboarding/progress';
import { TicketStore } from '../services/tickets/store';
import { AuditLog } from '../services/audit/log';
import { registerAuditCheckpoints } from '../services/audit/checkpoint';
import { demoAuditKey } from '../services/audit/key';
import { SOMETHING_WENT_WRONG, STORAGE_TROUBLE } from './replies';
import type { BotServices } from './services';
import { systemClock, type Clock } from '../services/clock';
import { createLogger, type Logger } from '../services/logger';
import { GraphDirectory } from '../services/directory/graph';
import { DirectoryCircuitBreaker } from '../services/directory/breaker';
import { graphAuthProvider, type AccessTokenProvider } from '../services/directory/credentials';
import type { Directory } from '../services/directory/types';
import { RoleResolver } from '../services/authz/roles';
import { SqliteStore } from '../services/storage/sqlite';
import { StorageError, type DocumentStore } from '../services/storage/types';
import { ConversationDirectory } from '../services/storage/conversations';
import { Scheduler } from '../services/scheduler';
import { assetPath } from '../services/paths';
import { CampaignService, type CampaignTuning } from '../services/campaigns/service';
import { registerCampaignJobs } from '../services/campaigns/jobs';
import { campaignActions, nudgeSetupClicks, TeamsNudgeMessenger } from './handlers/admin';

export interface AppOverrides {
  clock?: Clock;
  logger?: Logger;
  store?: DocumentStore;
  directory?: Directory;
  kb?: KnowledgeBase;
  /** Graph token source instead of the configured Entra credential (tests against the stand-in). */
  graphAuth?: AccessTokenProvider;
  /** Scheduler poll interval; tests that drive the clock call runDue() themselves. */
  schedulerPollMs?: number;
  /** Campaign sender tuning (tests and benchmarks send faster than a real tenant may). */
  campaignTuning?: CampaignTuning;
}

export interface Health {
  status: 'ok' | 'degraded';
  version: string;
  mode: AppConfig['mode'];
  storage: boolean;
  directory: boolean;
}

export interface BotApp {
  config: AppConfig;
  adapter: BotAdapter;
  bot: MfaBot;
  services: BotServices;
  health(): Promise<Health>;
  /** Starts background work (the scheduler loop). */
  start(): void;
  close(): Promise<void>;
}

const VERSION: string = (
  JSON.parse(fs.readFileSync(assetPath('package.json'), 'utf8')) as { version: string }
).version;

/** The composition root: builds the whole bot without opening a port. */
export function buildApp(config: AppConfig, overrides: AppOverrides = {}): BotApp {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const store =
    overrides.store ??
    new SqliteStore(path.join(config.dataDir, 'mfa-bot.db'), undefined, { journalMode: config.sqliteJournalMode });
  const graph =
    overrides.directory ??
    new GraphDirectory({
      baseUrl: config.graph.baseUrl,
      authProvider: overrides.graphAuth ?? graphAuthProvider(config),
      caPem: config.graph.caCertPath ? readCa(config.graph.caCertPath) : undefined,
      timeoutMs: config.graph.timeoutMs,
      maxRetries: config.graph.maxRetries,
      retryBaseDelayMs: config.graph.retryBaseDelayMs,
      logger: logger.child({ component: 'directory' }),
    });
  // Set once the services exist: the IT channel hears about directory outages.
  let announceOutage: (text: string) => void = () => {};
  const breaker = new DirectoryCircuitBreaker(graph, {
    clock,
    logger: logger.child({ component: 'directory' }),
    onOpen: () => announceOutage("⚠️ I can't reach Microsoft 365 (Microsoft Graph). Staff are being told to try again later; setup checks and recovery actions wait until it's back."),
    onClose: () => announceOutage('✅ Microsoft 365 is reachable again.'),
  });
  const directory = breaker.directory;
  const audit = new AuditLog(store, clock, logger.child({ component: 'audit' }), auditKey(config));
  const authentication = createBotAuthentication(config, { logger: logger.child({ component: 'auth' }), audit, clock });
  const adapter = new BotAdapter(authentication);
  if (config.mode === 'production' && graphIdentity(config) === config.bot.appId && !config.teamsAppId && !config.teamsAppCatalogId) {
    // Least privilege: the credential Bot Framework traffic relies on should hold no Graph rights.
    // (Installing the bot for people needs Graph to sign in as the bot's own app: see config.)
    logger.warn(
      'Microsoft Graph signs in as the bot’s own Entra app (GRAPH_CLIENT_ID unset): a separate app for Graph keeps its permissions off the bot’s channel credential',
    );
  }
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error(
      { err: error, activityId: context.activity.id, activityType: context.activity.type },
      'turn failed',
    );
    try {
      await context.sendActivity(error instanceof StorageError ? STORAGE_TROUBLE : SOMETHING_WENT_WRONG);
    } catch (sendError) {
      logger.error({ err: sendError, activityId: context.activity.id }, 'could not tell the user about the failure');
    }
  };

  const conversations = new ConversationDirectory(store);
  const tickets = new TicketStore(store, clock);
  const scheduler = new Scheduler(store, clock, logger.child({ component: 'scheduler' }), {
    pollMs: overrides.schedulerPollMs ?? 1000,
  });
  // One budget for every proactive message (nudges, ticket posts, notices, reminders), under
  // Teams' per-app limit; IT and notices take its priority lane, nudges its bulk lane.
  const sendBudget = new SendBudget({ ratePerSecond: overrides.campaignTuning?.maxRps ?? config.nudgeMaxRps });
  const proactive = new Proactive(adapter, config.bot.appId, conversations, sendBudget);
  const roles = new RoleResolver(directory, config.groups, clock);
  const checkTtlMs = config.verificationTtlMinutes * MINUTE;
  const board = new TicketBoard({
    tickets,
    directory,
    conversations,
    proactive,
    scheduler,
    notices: new RequesterNotices({ proactive, directory, logger: logger.child({ component: 'tickets' }), settings: config }),
    clock,
    logger: logger.child({ component: 'tickets' }),
    settings: { ticketSlaMinutes: config.ticketSlaMinutes, checkTtlMs },
  });
  board.register();
  const requests = new ItRequests({
    tickets,
    directory,
    logger: logger.child({ component: 'requests' }),
    groups: config.groups,
    announce: (ticket) => board.opened(ticket),
  });
  const services: BotServices = {
    config,
    clock,
    logger,
    store,
    directory,
    roles,
    conversations,
    scheduler,
    kb: overrides.kb ?? createKnowledgeBase(),
    onboarding: { content: loadOnboardingContent(), progress: new OnboardingProgressStore(store, clock) },
    tickets,
    requests,
    proactive,
    audit,
    board,
    itTeam: new ItTeam({
      conversations,
      directory,
      board,
      logger: logger.child({ component: 'it-team' }),
      settings: { itGroupId: config.groups.it, itChannelId: config.itChannelId },
    }),
    kbFeedback: new KbFeedback(store, clock),
    directoryHealth: breaker,
    limits: {
      perUser: new RateLimiter(config.userTurnsPerMinute, Math.max(5, Math.ceil(config.userTurnsPerMinute / 2))),
      perTenant: new RateLimiter(config.tenantTurnsPerMinute, Math.ceil(config.tenantTurnsPerMinute / 4)),
      notices: new RateLimiter(1, 1),
    },
    campaigns: undefined as unknown as CampaignService,
  };

  const actions: ActionRouter = new ActionRouter((ctx, notice) => helpCard(ctx, actions.verbs(), notice));
  actions.register(helpAction(() => actions.verbs())).register(myStatusAction);
  announceOutage = (text) => void board.channelNotice(text);
  const ticketDeps = {
    tickets,
    directory,
    roles,
    audit,
    clock,
    logger: logger.child({ component: 'tickets' }),
    board,
    limiter: new TapLimiter(store, clock, config.tapMaxPerHour),
    conversations,
    settings: {
      checkTtlMs,
      tapLifetimeMinutes: config.tapLifetimeMinutes,
      tapMaxPerHour: config.tapMaxPerHour,
      secondVerifierMayBeAdmin: config.secondVerifierMayBeAdmin,
      groups: config.groups,
    },
  };
  for (const action of [...onboardingActions(), ...lostDeviceActions(), ...ticketActions(ticketDeps), ...troubleshootActions(), ...kbReviewActions()]) actions.register(action);
  void teachLearnedExamples(services).catch((err: unknown) => logger.error({ err }, 'could not load reviewed knowledge base examples'));
  registerOnboardingReminders(services);
  const nudgeMessenger = new TeamsNudgeMessenger(services.proactive, conversations, logger.child({ component: 'campaigns' }));
  adapter.use(nudgeMessenger.middleware());
  services.campaigns = new CampaignService({
    store,
    directory,
    scheduler: services.scheduler,
    clock,
    logger: logger.child({ component: 'campaigns' }),
    audit: services.audit,
    messenger: nudgeMessenger,
    budget: sendBudget,
    settings: {
      groups: config.groups,
      teamsAppId: config.teamsAppId,
      teamsAppCatalogId: config.teamsAppCatalogId,
      confirmThreshold: config.nudgeConfirmThreshold,
    },
    tuning: overrides.campaignTuning,
  });
  registerCampaignJobs(services.campaigns, { scheduler: services.scheduler, clock, logger: logger.child({ component: 'campaigns' }) });
  for (const action of campaignActions()) actions.register(action);
  const auditCheckpoints = registerAuditCheckpoints(
    { scheduler: services.scheduler, clock, logger: logger.child({ component: 'audit' }), audit: services.audit },
    (text) => board.channelNotice(text),
  );
  const bot = new MfaBot(services, actions);
  bot.onTurn(nudgeSetupClicks(services));

  let headTimer: NodeJS.Timeout | undefined;
  let lastHealth: { at: number; value: Health } | undefined;
  return {
    config,
    adapter,
    bot,
    services,
    async health() {
      const now = Date.now();
      if (lastHealth && now - lastHealth.at < 15_000) return lastHealth.value;
      const [storageOk, directoryOk] = await Promise.all([
        store.ping().then(() => true, () => false),
        directory.getGroup(config.groups.it).then(() => true, () => false),
      ]);
      const value: Health = {
        status: storageOk && directoryOk ? 'ok' : 'degraded',
        version: VERSION,
        mode: config.mode,
        storage: storageOk,
        directory: directoryOk,
      };
      lastHealth = { at: now, value };
      return value;
    },
    start() {
      // One bot instance per SQLite file: anything claimed before a restart is no longer running.
      void tickets
        .releaseInterrupted()
        .then((n) => n && logger.warn({ released: n }, 'released ticket actions interrupted by a restart'))
        .catch((err: unknown) => logger.error({ err }, 'could not release interrupted ticket actions'))
        .finally(() => services.scheduler.start());
      const announce = () =>
        services.audit.announceHead(config.audit.headFile).catch((err: unknown) => logger.error({ err }, 'could not write the audit chain head'));
      // Seal records from before the log was keyed first, so the first head announced covers them.
      void services.audit
        .sealUnkeyed()
        .catch((err: unknown) => logger.error({ err }, 'could not seal the older audit records'))
        .finally(() => {
          void announce();
          void auditCheckpoints.schedule().catch((err: unknown) => logger.error({ err }, 'could not schedule the audit checkpoint'));
        });
      headTimer = setInterval(announce, 60 * 60_000);
      headTimer.unref();
      // A wrong Teams app id is a configuration mistake: said now, not once per person nudged.
      void services.campaigns.catalog.check().catch((err: unknown) => logger.error({ err }, 'could not look up the Teams app'));
      services.campaigns.resume();
    },
    async close() {
      if (headTimer) clearInterval(headTimer);
      await services.campaigns.stop();
      await services.scheduler.stop();
      await store.close();
    },
  };
}

/** The app (or managed identity) Graph signs in as. */
function graphIdentity(config: AppConfig): string | undefined {
  return config.graph.clientId ?? config.graph.managedIdentityClientId;
}

/** Production's AUDIT_KEY (loadConfig refuses to start without it); the demo's own key file otherwise. */
function auditKey(config: AppConfig): string {
  if (config.audit.key) return config.audit.key;
  if (config.mode === 'production') throw new Error('AUDIT_KEY is required in production');
  return demoAuditKey(config.dataDir);
}

function readCa(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the Graph CA certificate at ${file}: ${(err as Error).message}`);
  }
}
