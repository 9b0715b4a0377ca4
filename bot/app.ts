import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import type { TurnContext } from 'botbuilder';
import { BotAdapter } from './adapter';
import type { AppConfig } from './config';
import { ActionRouter } from './actions';
import { MfaBot } from './bot';
import { admission, rememberConversations } from './admission';
import { TextRouter } from './text-routing';
import type { ActionContext, ActionDef } from './actions';
import { createBotAuthentication } from './auth';
import { Menu } from './handlers/help';
import { myStatusActions } from './handlers/my-status';
import { onboardingActions } from './handlers/onboarding/actions';
import { registerOnboardingReminders } from './handlers/onboarding/reminders';
import { ItRequests } from './requests';
import { TicketBoard } from './handlers/tickets/board';
import { RequesterNotices } from './handlers/tickets/notify';
import { ItTeam } from './handlers/it-team';
import { ItChannel } from './it-channel';
import { signInFeature, type SignInFeature } from './handlers/signins';
import { GraphSignInReader } from '../services/signins/graph-reader';
import { MINUTE } from '../services/clock';
import { lostDeviceActions } from './handlers/lost-device/actions';
import { ticketActions } from './handlers/tickets/actions';
import { troubleshooting } from './handlers/troubleshoot';
import { kbReviewActions, registerReviewNotices, teachLearnedExamples } from './handlers/kb-review';
import { KbFeedback } from '../services/kb/feedback';
import { RateLimiter } from '../services/ratelimit';
import { SendBudget } from '../services/send-budget';
import { SharedPause } from '../services/shared-pause';
import { TapLimiter } from '../services/tickets/tap-limiter';
import { isProactiveTurn, Proactive } from './proactive';
import { createKnowledgeBase, type KnowledgeBase } from '../services/kb';
import { loadOnboardingContent, type OnboardingContent } from '../services/onboarding/content';
import { OnboardingProgressStore } from '../services/onboarding/progress';
import { TicketStore } from '../services/tickets/store';
import { AuditLog } from '../services/audit/log';
import { registerAuditCheckpoints } from '../services/audit/checkpoint';
import { demoAuditKey } from '../services/audit/key';
import { SOMETHING_WENT_WRONG, STORAGE_TROUBLE } from './replies';
import { systemClock, type Clock } from '../services/clock';
import { createLogger, type Logger } from '../services/logger';
import { DirectoryCircuitBreaker } from '../services/directory/breaker';
import type { AccessTokenProvider } from '../services/directory/credentials';
import type { Directory } from '../services/directory/types';
import { RoleResolver } from '../services/authz/roles';
import { openConfiguredStore } from '../services/storage/settings';
import { Leases } from '../services/storage/lease';
import { SenderLease } from '../services/campaigns/sender-lease';
import { StorageError, type DocumentStore } from '../services/storage/types';
import { ConversationDirectory } from '../services/storage/conversations';
import { Scheduler } from '../services/scheduler';
import { assetPath } from '../services/paths';
import { CampaignService, type CampaignTuning } from '../services/campaigns/service';
import { registerCampaignJobs } from '../services/campaigns/jobs';
import { campaignViews } from '../cards/campaigns';
import type { CardJson } from '../cards/render';
import { campaignActions, nudgeSetupClicks, TeamsNudgeMessenger } from './handlers/admin';
// The dashboard tab: its API deps are built here (see dashboardTab below).
import type { TabApiDeps } from './tab-api';
import { CoverageView } from '../services/dashboard/coverage-view';
import { Dashboard } from '../services/dashboard/dashboard';
import { seedDemoHistory } from '../services/dashboard/demo-history';
import { CampaignNudgeStarter } from '../services/dashboard/nudges';
import { registerDailySnapshots, SnapshotStore } from '../services/dashboard/snapshots';
import { TabAccess } from '../services/tab-auth/access';
import { DemoSignIn } from '../services/tab-auth/demo';
import { SigningKeys } from '../services/tab-auth/keys';
import { tabAudiences } from '../services/tab-auth/settings';
import { TabTokenVerifier, type TabAuthenticator } from '../services/tab-auth/verify';
// Rollout readiness: the policies it reads, the weekly digest, and the dashboard link.
import { GraphPolicyReader, type PolicyReader } from '../services/readiness/policy-reader';
import { ReadinessService } from '../services/readiness/service';
import { DigestService, DigestSubscriptions } from '../services/readiness/digest';
import { readinessActions } from './handlers/readiness';
import { registerWeeklyDigest } from './handlers/readiness-digest';
import { DashboardLink } from './dashboard-link';
import { graphAuthFor, graphDirectory, readGraphCa } from './graph';
import { readinessSettings } from './readiness-check';

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
  /**
   * The tenant's sign-in policies, instead of reading them through the Graph client (needed
   * with `directory`, which brings no Graph client). Still behind the directory's breaker.
   */
  policies?: PolicyReader;
  /** The sign-in monitor's share of Graph's reports limit (tests read a stand-in faster). */
  monitorReads?: { requests: number; perMs: number };
}

/** The parts the composition root builds once. */
interface AppParts {
  store: DocumentStore;
  directory: Directory;
  roles: RoleResolver;
  conversations: ConversationDirectory;
  scheduler: Scheduler;
  kb: KnowledgeBase;
  kbFeedback: KbFeedback;
  onboarding: { content: OnboardingContent; progress: OnboardingProgressStore };
  tickets: TicketStore;
  requests: ItRequests;
  proactive: Proactive;
  sendBudget: SendBudget;
  /** Several instances on one Azure store: the app-wide send pause they share. */
  sharedPause?: SharedPause;
  audit: AuditLog;
  board: TicketBoard;
  campaigns: CampaignService<CardJson>;
  readiness: {
    service: ReadinessService;
    subscriptions: DigestSubscriptions;
    digests: DigestService;
  };
  dashboardLink: DashboardLink;
  /** The sign-in monitor: its poll (what the scheduled job runs), incidents and state. */
  signins: Pick<SignInFeature, 'watch' | 'monitor' | 'incidents'>;
}

interface Health {
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
  logger: Logger;
  /** Every card verb and its handler (tests read the verbs from it). */
  actions: ActionRouter;
  /** What the composition root built, for tests and tools (handlers get their own few). */
  parts: AppParts;
  /** What the dashboard tab's API uses (bot/tab-api.ts). */
  tab: TabApiDeps;
  health(): Promise<Health>;
  /** Starts background work (the scheduler loop). */
  start(): void;
  /** The address the bot listens on, once it does (the demo links its dashboard there). */
  listening(baseUrl: string): void;
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
    openConfiguredStore({
      dataDir: config.dataDir,
      journalMode: config.sqliteJournalMode,
      azure: config.azureStorage,
    });
  // One Graph credential for the directory and the sign-in log.
  const graphAuth = overrides.graphAuth ?? graphAuthFor(config);
  const graphCa = readGraphCa(config);
  const graphClient = overrides.directory
    ? undefined
    : graphDirectory(config, logger.child({ component: 'directory' }), {
        auth: graphAuth,
        caPem: graphCa,
      });
  const graph: Directory = overrides.directory ?? graphClient!;
  // Set once the services exist: the IT channel hears about directory outages.
  let announceOutage: (text: string) => void = () => {};
  const breaker = new DirectoryCircuitBreaker(graph, {
    clock,
    logger: logger.child({ component: 'directory' }),
    onOpen: () =>
      announceOutage(
        "⚠️ I can't reach Microsoft 365 (Microsoft Graph). Staff are being told to try again later; setup checks and recovery actions wait until it's back.",
      ),
    onClose: () => announceOutage('✅ Microsoft 365 is reachable again.'),
  });
  const directory = breaker.directory;
  // The sign-in policies come from the same Graph: an outage there fails fast too.
  const policyReader =
    overrides.policies ?? (graphClient && new GraphPolicyReader(graphClient.caller));
  if (!policyReader)
    throw new Error('a directory override needs a policies override: readiness reads both');
  const policies = breaker.wrap(policyReader);
  const audit = new AuditLog(store, clock, logger.child({ component: 'audit' }), auditKey(config));
  const authentication = createBotAuthentication(config, {
    logger: logger.child({ component: 'auth' }),
    audit,
    clock,
  });
  const adapter = new BotAdapter(authentication);
  if (
    config.mode === 'production' &&
    graphIdentity(config) === config.bot.appId &&
    !config.teamsAppId &&
    !config.teamsAppCatalogId
  ) {
    // Least privilege: the credential Bot Framework traffic relies on should hold no Graph rights.
    // (Installing the bot for people needs Graph to sign in as the bot's own app: see config.)
    logger.warn(
      'Microsoft Graph signs in as the bot’s own Entra app (GRAPH_CLIENT_ID unset): a separate app for Graph keeps its permissions off the bot’s channel credential',
    );
  }
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    // A message the bot started itself failed: its sender retries or reports it. Apologising to
    // the person it was meant for would be wrong twice over.
    if (isProactiveTurn(context.activity)) throw error;
    logger.error(
      { err: error, activityId: context.activity.id, activityType: context.activity.type },
      'turn failed',
    );
    try {
      await context.sendActivity(
        error instanceof StorageError ? STORAGE_TROUBLE : SOMETHING_WENT_WRONG,
      );
    } catch (sendError) {
      logger.error(
        { err: sendError, activityId: context.activity.id },
        'could not tell the user about the failure',
      );
    }
  };

  const conversations = new ConversationDirectory(store);
  const limits = {
    perUser: new RateLimiter(
      config.userTurnsPerMinute,
      Math.max(5, Math.ceil(config.userTurnsPerMinute / 2)),
    ),
    perTenant: new RateLimiter(
      config.tenantTurnsPerMinute,
      Math.ceil(config.tenantTurnsPerMinute / 4),
    ),
    notices: new RateLimiter(1, 1),
  };
  // First on every turn: the tenant lock and rate limits, then where to reach people later.
  adapter.use(
    admission({
      audit,
      logger,
      limits,
      settings: { mode: config.mode, tenantId: config.tenantId },
    }),
  );
  adapter.use(rememberConversations(conversations));
  const tickets = new TicketStore(store, clock);
  const scheduler = new Scheduler(store, clock, logger.child({ component: 'scheduler' }), {
    pollMs: overrides.schedulerPollMs ?? 1000,
  });
  // One budget for every proactive message (nudges, ticket posts, notices, reminders), under
  // Teams' per-app limit; IT and notices take its priority lane, nudges its bulk lane.
  // Several instances on one Azure store: Teams throttles them as one app, so a pause one of
  // them finds holds for all (on SQLite there is one instance, and nothing to share).
  const sharedPause = config.azureStorage
    ? new SharedPause({ store, logger: logger.child({ component: 'send-budget' }) })
    : undefined;
  const sendBudget = new SendBudget({
    ratePerSecond: overrides.campaignTuning?.maxRps ?? config.nudgeMaxRps,
    ...(sharedPause ? { onAppWidePause: (pause) => void sharedPause.publish(pause) } : {}),
  });
  const proactive = new Proactive(adapter, config.bot.appId, conversations, sendBudget);
  const itChannel = new ItChannel({
    conversations,
    proactive,
    logger: logger.child({ component: 'it-channel' }),
  });
  const roles = new RoleResolver(directory, config.groups, clock);
  const checkTtlMs = config.verificationTtlMinutes * MINUTE;
  const board = new TicketBoard({
    tickets,
    directory,
    channel: itChannel,
    scheduler,
    notices: new RequesterNotices({ proactive, directory, settings: config }),
    clock,
    logger: logger.child({ component: 'tickets' }),
    settings: {
      ticketSlaMinutes: config.ticketSlaMinutes,
      checkTtlMs,
      timeZone: config.practiceTimeZone,
    },
  });
  board.register();
  const requests = new ItRequests({
    tickets,
    directory,
    logger: logger.child({ component: 'requests' }),
    groups: config.groups,
    announce: (ticket) => board.opened(ticket),
  });
  const kb = overrides.kb ?? createKnowledgeBase();
  const kbFeedback = new KbFeedback(store, clock);
  const onboarding = {
    content: loadOnboardingContent(),
    progress: new OnboardingProgressStore(store, clock),
  };
  const itTeam = new ItTeam({
    conversations,
    directory,
    board,
    logger: logger.child({ component: 'it-team' }),
    settings: { itGroupId: config.groups.it, itChannelId: config.itChannelId },
  });
  announceOutage = (text) => void itChannel.notice(text);

  const troubles = troubleshooting({ kb, kbFeedback, requests, itPhone: config.itPhone });
  const nudgeMessenger = new TeamsNudgeMessenger(proactive, conversations);
  const campaigns = new CampaignService<CardJson>({
    store,
    directory,
    scheduler,
    clock,
    logger: logger.child({ component: 'campaigns' }),
    audit,
    messenger: nudgeMessenger,
    views: campaignViews(),
    budget: sendBudget,
    settings: {
      groups: config.groups,
      teamsAppId: config.teamsAppId,
      teamsAppCatalogId: config.teamsAppCatalogId,
      confirmThreshold: config.nudgeConfirmThreshold,
      timeZone: config.practiceTimeZone,
    },
    tuning: overrides.campaignTuning,
    // Several instances on one Azure store: the one holding this lease sends every nudge.
    senderLease: config.azureStorage
      ? new SenderLease(
          new Leases(store, clock),
          `${os.hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`,
          clock,
          logger.child({ component: 'campaigns' }),
        )
      : undefined,
  });
  registerCampaignJobs(campaigns, {
    scheduler,
    clock,
    logger: logger.child({ component: 'campaigns' }),
  });
  const signInReader = new GraphSignInReader({
    baseUrl: config.graph.baseUrl,
    authProvider: graphAuth,
    caPem: graphCa,
    timeoutMs: config.graph.timeoutMs,
    logger: logger.child({ component: 'signins' }),
  });
  const signins = signInFeature({
    store,
    directory,
    reports: campaigns.reports,
    reader: signInReader,
    requests,
    roles,
    audit,
    channel: itChannel,
    proactive,
    scheduler,
    clock,
    logger: logger.child({ component: 'signins' }),
    settings: { ...config.monitor, itPhone: config.itPhone, timeZone: config.practiceTimeZone },
    sharedStorage: config.azureStorage !== undefined,
    reads: overrides.monitorReads,
  });
  const dashboardLink = new DashboardLink(
    { mode: config.mode, manifestId: config.teamsAppId, port: config.port },
    campaigns.catalog,
  );
  const readinessService = new ReadinessService({
    policies,
    directory,
    settings: readinessSettings(config),
    monitor: signins.monitor,
    clock,
    logger: logger.child({ component: 'readiness' }),
    store,
  });
  const readiness = {
    service: readinessService,
    subscriptions: new DigestSubscriptions(store, clock),
    digests: new DigestService({ readiness: readinessService, tickets, store, clock }),
  };
  const weeklyDigest = registerWeeklyDigest({
    scheduler,
    clock,
    logger: logger.child({ component: 'readiness' }),
    digests: readiness.digests,
    subscriptions: readiness.subscriptions,
    directory,
    proactive,
    settings: { adminGroup: config.groups.admin },
  });
  // Each feature gets the few things it uses; the menu and the router need each other's verbs.
  const routed: { router?: ActionRouter } = {};
  const menu = new Menu({
    directory,
    roles,
    logger,
    verbs: () => routed.router?.verbs() ?? new Set(),
    dashboard: dashboardLink,
  });
  const actions = new ActionRouter({
    roles,
    audit,
    logger,
    directoryHealth: breaker,
    fallback: (ctx, notice) => menu.card(ctx, notice),
  });
  routed.router = actions;
  const features: ActionDef[][] = [
    menu.actions(),
    myStatusActions({ directory }),
    onboardingActions({
      onboarding,
      directory,
      requests,
      kb,
      scheduler,
      clock,
      logger,
      settings: {
        roleGroups: config.groups.roles,
        maxSnoozes: config.onboardingMaxSnoozes,
        timeZone: config.practiceTimeZone,
      },
    }),
    lostDeviceActions({ tickets, requests, audit, board, itPhone: config.itPhone }),
    ticketActions({
      tickets,
      directory,
      roles,
      audit,
      clock,
      logger: logger.child({ component: 'tickets' }),
      board,
      limiter: new TapLimiter(store, clock, config.tapMaxPerHour),
      channel: itChannel,
      settings: {
        checkTtlMs,
        tapLifetimeMinutes: config.tapLifetimeMinutes,
        tapMaxPerHour: config.tapMaxPerHour,
        secondVerifierMayBeAdmin: config.secondVerifierMayBeAdmin,
        groups: config.groups,
        timeZone: config.practiceTimeZone,
      },
    }),
    troubles.actions,
    kbReviewActions({ kb, kbFeedback, audit, logger }),
    campaignActions({
      campaigns,
      directory,
      roles,
      audit,
      scheduler,
      requests,
      clock,
      logger,
      settings: {
        adminGroup: config.groups.admin,
        roleGroups: config.groups.roles,
        tenantId: config.tenantId,
      },
      monitor: signins.monitor,
      dashboard: dashboardLink,
    }),
    readinessActions({
      readiness: readiness.service,
      subscriptions: readiness.subscriptions,
      directory,
      roles,
      audit,
      logger: logger.child({ component: 'readiness' }),
      dashboard: dashboardLink,
      settings: { adminGroup: config.groups.admin, timeZone: config.practiceTimeZone },
    }),
    signins.actions,
  ];
  for (const action of features.flat()) actions.register(action);
  void teachLearnedExamples({ kb, kbFeedback, logger }).catch((err: unknown) =>
    logger.error({ err }, 'could not load reviewed knowledge base examples'),
  );
  registerOnboardingReminders({
    scheduler,
    onboarding,
    directory,
    proactive,
    logger,
    settings: { maxSnoozes: config.onboardingMaxSnoozes },
  });
  const auditCheckpoints = registerAuditCheckpoints(
    { scheduler, clock, logger: logger.child({ component: 'audit' }), audit },
    (text) => itChannel.notice(text),
  );
  const reviewNotices = registerReviewNotices({
    kbFeedback,
    scheduler,
    clock,
    logger: logger.child({ component: 'kb' }),
    post: (card) => itChannel.card(card),
  });
  const showMenu = (ctx: ActionContext, notice?: string) => menu.card(ctx, notice);
  const bot = new MfaBot({
    actions,
    itTeam,
    logger,
    menu: showMenu,
    text: new TextRouter({ actions, kb, roles, logger, menu: showMenu, answer: troubles.answer }),
  });
  bot.onTurn(nudgeSetupClicks({ campaigns, clock, logger }));
  const parts: AppParts = {
    store,
    directory,
    roles,
    conversations,
    scheduler,
    kb,
    kbFeedback,
    onboarding,
    tickets,
    requests,
    proactive,
    sendBudget,
    ...(sharedPause ? { sharedPause } : {}),
    audit,
    board,
    campaigns,
    readiness,
    dashboardLink,
    signins,
  };
  const tab = dashboardTab(config, { ...parts, clock, logger });

  let headTimer: NodeJS.Timeout | undefined;
  let lastHealth: { at: number; value: Health } | undefined;
  return {
    config,
    adapter,
    bot,
    actions,
    parts,
    logger,
    tab: tab.deps,
    async health() {
      const now = Date.now();
      if (lastHealth && now - lastHealth.at < 15_000) return lastHealth.value;
      const [storageOk, directoryOk] = await Promise.all([
        store.ping().then(
          () => true,
          () => false,
        ),
        directory.getGroup(config.groups.it).then(
          () => true,
          () => false,
        ),
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
      void conversations
        .channel('it')
        .then((channel) => {
          if (channel?.conversation?.id) return;
          logger.warn(
            'NO IT CHANNEL YET: lost-phone and help requests are kept and will be posted once the bot is added to the IT team (or @mentioned in one of its channels). Add the app to the team of IT_GROUP_ID now.',
          );
        })
        .catch((err: unknown) => logger.error({ err }, 'could not read the IT channel'));
      // One bot instance per SQLite file: anything claimed before a restart is no longer running.
      // On shared Azure storage another instance may be running it: claims run out instead.
      void (config.azureStorage ? Promise.resolve(0) : tickets.releaseInterrupted())
        .then(
          (n) =>
            n && logger.warn({ released: n }, 'released ticket actions interrupted by a restart'),
        )
        .catch((err: unknown) =>
          logger.error({ err }, 'could not release interrupted ticket actions'),
        )
        .finally(() => scheduler.start());
      const announce = () =>
        audit
          .announceHead(config.audit.headFile)
          .catch((err: unknown) => logger.error({ err }, 'could not write the audit chain head'));
      // Seal records from before the log was keyed first, so the first head announced covers them.
      void audit
        .sealUnkeyed()
        .catch((err: unknown) => logger.error({ err }, 'could not seal the older audit records'))
        .finally(() => {
          void announce();
          void auditCheckpoints
            .schedule()
            .catch((err: unknown) =>
              logger.error({ err }, 'could not schedule the audit checkpoint'),
            );
        });
      void reviewNotices
        .schedule()
        .catch((err: unknown) => logger.error({ err }, 'could not schedule the review notice'));
      headTimer = setInterval(announce, 60 * 60_000);
      headTimer.unref();
      // A wrong Teams app id is a configuration mistake: said now, not once per person nudged.
      void campaigns.catalog
        .check()
        .catch((err: unknown) => logger.error({ err }, 'could not look up the Teams app'));
      campaigns.resume();
      void signins.watch
        .start()
        .catch((err: unknown) => logger.error({ err }, 'could not start the sign-in monitor'));
      tab.start();
      sharedPause?.start(sendBudget);
      void weeklyDigest
        .schedule()
        .catch((err: unknown) =>
          logger.error({ err }, 'could not schedule the weekly readiness digest'),
        );
    },
    listening(baseUrl) {
      dashboardLink.listening(baseUrl);
    },
    async close() {
      if (headTimer) clearInterval(headTimer);
      await campaigns.stop();
      await scheduler.stop();
      await sharedPause?.stop();
      await signInReader.close();
      await proactive.close();
      await store.close();
    },
  };
}

/**
 * The dashboard tab's API: who may call it (Teams SSO in production, the labelled demo sign-in
 * in demo mode only), what it reads, the nudges it may start, and the daily coverage snapshot.
 */
function dashboardTab(
  config: AppConfig,
  services: AppParts & { clock: Clock; logger: Logger },
): { deps: TabApiDeps; start(): void } {
  const { clock, logger, directory, scheduler, campaigns } = services;
  const log = logger.child({ component: 'dashboard' });
  const coverage = new CoverageView(campaigns.coverage, clock, log);
  const snapshots = new SnapshotStore(services.store);
  const daily = registerDailySnapshots({
    scheduler,
    clock,
    logger: log,
    snapshots,
    rebuildCoverage: () => coverage.rebuild(),
  });
  let authenticator: TabAuthenticator;
  if (config.mode === 'production') {
    const keys = new SigningKeys({
      authorityHost: config.graph.authorityHost ?? 'https://login.microsoftonline.com',
      tenantId: config.tenantId,
      clock,
      // The CA the bot's own token requests trust (a private cloud, or the stand-in in tests).
      caPem: config.bot.loginCaCertPath
        ? fs.readFileSync(config.bot.loginCaCertPath, 'utf8')
        : undefined,
    });
    const audiences = tabAudiences(config.bot.appId, config.tabSsoResource);
    authenticator = new TabTokenVerifier(keys, { tenantId: config.tenantId, audiences });
  } else {
    authenticator = new DemoSignIn(config.demoUser, directory);
  }
  const nudges = new CampaignNudgeStarter({
    campaigns,
    views: campaignViews(),
    roleNames: Object.keys(config.groups.roles),
    confirmThreshold: config.nudgeConfirmThreshold,
    today: () => clock.now().toISOString().slice(0, 10),
    // Nudges to people without a chat yet go out where this admin's own chat with the bot is.
    origin: async (adminId) => {
      const ref = await services.conversations.user(adminId);
      if (!ref?.serviceUrl || !ref.bot?.id) return undefined;
      return {
        serviceUrl: ref.serviceUrl,
        tenantId: config.tenantId,
        bot: { id: ref.bot.id, name: ref.bot.name ?? '' },
      };
    },
  });
  const deps: TabApiDeps = {
    authenticator,
    access: new TabAccess(directory, config.groups),
    dashboard: new Dashboard({
      coverage,
      snapshots,
      campaigns: campaigns.store,
      tickets: services.tickets,
      clock,
    }),
    nudges,
    readiness: services.readiness.service,
    audit: services.audit,
    logger: log,
    confirmThreshold: config.nudgeConfirmThreshold,
  };
  return {
    deps,
    start() {
      const seeded =
        config.mode === 'demo'
          ? seedDemoHistory(snapshots, () => coverage.current(), clock.now())
          : Promise.resolve(0);
      void seeded
        .then(
          (n) =>
            n && log.info({ days: n }, 'demo: stored made-up coverage history for the trend chart'),
        )
        .catch((err: unknown) => log.warn({ err }, 'could not store the demo coverage history'))
        .finally(
          () =>
            void daily
              .schedule()
              .catch((err: unknown) =>
                log.error({ err }, 'could not schedule the daily coverage snapshot'),
              ),
        );
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
