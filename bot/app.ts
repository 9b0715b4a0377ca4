import fs from 'node:fs';
import path from 'node:path';
import { CloudAdapter, type TurnContext } from 'botbuilder';
import type { AppConfig } from './config';
import { ActionRouter } from './actions';
import { MfaBot } from './bot';
import { createBotAuthentication } from './auth';
import { helpAction, helpCard } from './handlers/help';
import { myStatusAction } from './handlers/my-status';
import { onboardingActions } from './handlers/onboarding/actions';
import { registerOnboardingReminders } from './handlers/onboarding/reminders';
import { ItRequests } from './requests';
import { Escalations } from './escalations';
import { lostDeviceActions } from './handlers/lost-device/actions';
import { ticketActions } from './handlers/tickets/actions';
import { troubleshootActions } from './handlers/troubleshoot';
import { kbReviewActions, teachLearnedExamples } from './handlers/kb-review';
import { KbFeedback } from '../services/kb/feedback';
import { RateLimiter } from '../services/ratelimit';
import { TapLimiter } from '../services/tickets/tap-limiter';
import { Proactive } from './proactive';
import { createKnowledgeBase, type KnowledgeBase } from '../services/kb';
import { loadOnboardingContent } from '../services/onboarding/content';
import { OnboardingProgressStore } from '../services/onboarding/progress';
import { TicketStore } from '../services/tickets/store';
import { AuditLog } from '../services/audit/log';
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
  adapter: CloudAdapter;
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
  const store = overrides.store ?? new SqliteStore(path.join(config.dataDir, 'mfa-bot.db'));
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
  const auth = createBotAuthentication(config, logger.child({ component: 'auth' }));
  const adapter = new CloudAdapter(auth);
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
  const services: BotServices = {
    config,
    clock,
    logger,
    store,
    directory,
    roles: new RoleResolver(directory, config.groups, clock),
    conversations,
    scheduler: new Scheduler(store, clock, logger.child({ component: 'scheduler' }), {
      pollMs: overrides.schedulerPollMs ?? 1000,
    }),
    kb: overrides.kb ?? createKnowledgeBase(),
    onboarding: { content: loadOnboardingContent(), progress: new OnboardingProgressStore(store, clock) },
    tickets,
    requests: new ItRequests(tickets, logger.child({ component: 'requests' })),
    proactive: new Proactive(adapter, config.bot.appId, conversations),
    audit: new AuditLog(store, clock, logger.child({ component: 'audit' })),
    tapLimiter: new TapLimiter(store, clock, config.tapMaxPerHour),
    kbFeedback: new KbFeedback(store, clock),
    directoryHealth: breaker,
    limits: {
      perUser: new RateLimiter(config.userTurnsPerMinute, Math.max(5, Math.ceil(config.userTurnsPerMinute / 2))),
      perTenant: new RateLimiter(config.tenantTurnsPerMinute, Math.ceil(config.tenantTurnsPerMinute / 4)),
      notices: new RateLimiter(1, 1),
    },
    escalations: undefined as unknown as Escalations,
    campaigns: undefined as unknown as CampaignService,
  };

  const actions: ActionRouter = new ActionRouter((ctx, notice) => helpCard(ctx, actions.verbs(), notice));
  actions.register(helpAction(() => actions.verbs())).register(myStatusAction);
  services.escalations = new Escalations(services);
  services.escalations.register();
  announceOutage = (text) => void services.escalations.channelNotice(text);
  services.requests.onOpened = (ticket) => services.escalations.opened(ticket);
  for (const action of [...onboardingActions(), ...lostDeviceActions(), ...ticketActions(), ...troubleshootActions(), ...kbReviewActions()]) actions.register(action);
  void teachLearnedExamples(services).catch((err: unknown) => logger.error({ err }, 'could not load reviewed knowledge base examples'));
  registerOnboardingReminders(services);
  const nudgeMessenger = new TeamsNudgeMessenger(adapter, config.bot.appId, services.proactive, conversations, logger.child({ component: 'campaigns' }));
  adapter.use(nudgeMessenger.middleware());
  services.campaigns = new CampaignService({
    store,
    directory,
    scheduler: services.scheduler,
    clock,
    logger: logger.child({ component: 'campaigns' }),
    audit: services.audit,
    messenger: nudgeMessenger,
    settings: { groups: config.groups, teamsAppCatalogId: config.teamsAppCatalogId, maxRps: config.nudgeMaxRps, confirmThreshold: config.nudgeConfirmThreshold },
    tuning: overrides.campaignTuning,
  });
  registerCampaignJobs(services.campaigns, { scheduler: services.scheduler, clock, directory, logger: logger.child({ component: 'campaigns' }) });
  for (const action of campaignActions()) actions.register(action);
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
      void announce();
      headTimer = setInterval(announce, 60 * 60_000);
      headTimer.unref();
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

function readCa(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the Graph CA certificate at ${file}: ${(err as Error).message}`);
  }
}
