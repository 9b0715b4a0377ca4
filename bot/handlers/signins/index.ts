import type { TimeZone } from '../../../services/time';
import type { AuditLog } from '../../../services/audit/log';
import type { RoleResolver } from '../../../services/authz/roles';
import type { Clock } from '../../../services/clock';
import type { Directory } from '../../../services/directory/types';
import type { Logger } from '../../../services/logger';
import type { Scheduler } from '../../../services/scheduler';
import { MONITOR_GRAPH_READS, SharedReportsBudget } from '../../../services/signins/budget';
import type { SignInReader } from '../../../services/signins/graph-reader';
import { HoldoutStore } from '../../../services/signins/holdouts';
import { IncidentActions } from '../../../services/signins/incident-actions';
import { IncidentOutbox } from '../../../services/signins/incident-outbox';
import { IncidentStore } from '../../../services/signins/incident-store';
import { SignInMonitor } from '../../../services/signins/monitor';
import type { DocumentStore } from '../../../services/storage/types';
import type { ActionDef } from '../../actions';
import type { AppConfig } from '../../config';
import type { ItChannel } from '../../it-channel';
import type { Proactive } from '../../proactive';
import type { ItRequests } from '../../requests';
import { signinActions } from './actions';
import { SignInBoard } from './board';
import { holdoutActions } from './holdouts';
import { registerSignInWatch, type SignInWatch } from './watch';

export interface SignInFeatureDeps {
  store: DocumentStore;
  directory: Pick<Directory, 'revokeSessions' | 'getUser'>;
  /** The registration report within the campaigns' share of Graph's reports limit. */
  reports: Pick<Directory, 'registrationPages'>;
  reader: SignInReader;
  requests: Pick<ItRequests, 'open'>;
  roles: RoleResolver;
  audit: AuditLog;
  channel: ItChannel;
  proactive: Proactive;
  scheduler: Scheduler;
  clock: Clock;
  logger: Logger;
  settings: AppConfig['monitor'] & { itPhone: string; timeZone: TimeZone };
  /** Several instances share the store (Azure). */
  sharedStorage?: boolean;
  /** The monitor's share of Graph's reports limit; tests against a stand-in take more. */
  reads?: { requests: number; perMs: number };
}

export interface SignInFeature {
  actions: ActionDef[];
  watch: SignInWatch;
  monitor: SignInMonitor;
  incidents: IncidentStore;
}

/** The sign-in monitor in the bot: the poll job, the IT channel's alerts, the cards' verbs. */
export function signInFeature(deps: SignInFeatureDeps): SignInFeature {
  const { store, clock, logger, audit, settings } = deps;
  const incidents = new IncidentStore(store, clock);
  const holdouts = new HoldoutStore(store);
  const actions = new IncidentActions({ incidents, audit, clock });
  const monitor = new SignInMonitor({
    reader: deps.reader,
    budget: new SharedReportsBudget(deps.reads ?? MONITOR_GRAPH_READS, clock),
    store,
    incidents,
    holdouts,
    audit,
    clock,
    logger,
    settings: {
      fatiguePrompts: settings.fatiguePrompts,
      windowMinutes: settings.windowMinutes,
      dangerMinutes: settings.dangerMinutes,
      alertsPerHour: settings.alertsPerHour,
    },
  });
  const board = new SignInBoard({
    incidents,
    outbox: new IncidentOutbox(incidents, clock),
    channel: deps.channel,
    proactive: deps.proactive,
    scheduler: deps.scheduler,
    clock,
    logger,
    settings: { itPhone: settings.itPhone, timeZone: settings.timeZone },
  });
  board.register();
  const watch = registerSignInWatch({
    monitor,
    actions,
    board,
    channel: deps.channel,
    scheduler: deps.scheduler,
    store,
    clock,
    logger,
    settings,
    sharedStorage: deps.sharedStorage,
  });
  return {
    actions: [
      ...signinActions({
        incidents,
        actions,
        board,
        channel: deps.channel,
        directory: deps.directory,
        requests: deps.requests,
        roles: deps.roles,
        audit,
        logger,
        settings: { itPhone: settings.itPhone },
      }),
      ...holdoutActions({ holdouts, reports: deps.reports, timeZone: settings.timeZone }),
    ],
    watch,
    monitor,
    incidents,
  };
}
