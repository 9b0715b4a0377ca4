import type { AppConfig } from './config';
import type { Clock } from '../services/clock';
import type { Logger } from '../services/logger';
import type { Directory } from '../services/directory/types';
import type { RoleResolver } from '../services/authz/roles';
import type { ConversationDirectory } from '../services/storage/conversations';
import type { DocumentStore } from '../services/storage/types';
import type { Scheduler } from '../services/scheduler';
import type { KnowledgeBase } from '../services/kb';
import type { KbFeedback } from '../services/kb/feedback';
import type { RateLimiter } from '../services/ratelimit';
import type { OnboardingContent } from '../services/onboarding/content';
import type { OnboardingProgressStore } from '../services/onboarding/progress';
import type { TicketStore } from '../services/tickets/store';
import type { ItRequests } from './requests';
import type { Proactive } from './proactive';
import type { TicketBoard } from './handlers/tickets/board';
import type { ItTeam } from './handlers/it-team';
import type { AuditLog } from '../services/audit/log';
import type { CampaignService } from '../services/campaigns/service';

/** Everything a turn handler may use, built once by the composition root. */
export interface BotServices {
  config: AppConfig;
  clock: Clock;
  logger: Logger;
  store: DocumentStore;
  directory: Directory;
  roles: RoleResolver;
  conversations: ConversationDirectory;
  scheduler: Scheduler;
  kb: KnowledgeBase;
  onboarding: { content: OnboardingContent; progress: OnboardingProgressStore };
  tickets: TicketStore;
  requests: ItRequests;
  proactive: Proactive;
  audit: AuditLog;
  /** The IT channel: ticket cards, threads and notices. */
  board: TicketBoard;
  itTeam: ItTeam;
  campaigns: CampaignService;
  kbFeedback: KbFeedback;
  /** Whether the directory is in an outage (the circuit breaker is open). */
  directoryHealth: { readonly isOpen: boolean };
  /** Inbound turn limits: per user, per tenant, and how often the bot says "slow down". */
  limits: { perUser: RateLimiter; perTenant: RateLimiter; notices: RateLimiter };
}
