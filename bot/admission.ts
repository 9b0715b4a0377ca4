import { ActivityTypes, TurnContext, type Middleware } from 'botbuilder';
import type { AuditLog } from '../services/audit/log';
import type { Logger } from '../services/logger';
import type { RateLimiter } from '../services/ratelimit';
import type { ConversationDirectory } from '../services/storage/conversations';
import { cardResponse } from './invoke';
import { isProactiveTurn } from './proactive';
import { messageCard } from './replies';

export interface AdmissionDeps {
  audit: AuditLog;
  logger: Logger;
  limits: { perUser: RateLimiter; perTenant: RateLimiter; notices: RateLimiter };
  settings: { mode: 'demo' | 'production'; tenantId: string };
}

/**
 * The first thing every turn meets: the tenant lock and the inbound rate limits. Activities
 * from another tenant are refused and audited (production); people sending too fast get one
 * friendly reply and are not processed.
 */
export function admission(deps: AdmissionDeps): Middleware {
  const { audit, logger, limits, settings } = deps;
  return {
    async onTurn(context, next) {
      const a = context.activity;
      const tenant =
        (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ??
        a.conversation?.tenantId;
      if (settings.mode === 'production' && tenant !== settings.tenantId) {
        logger.warn({ activityId: a.id, tenant }, 'activity from another tenant refused');
        await audit.append({
          actor: a.from?.aadObjectId ?? 'unknown',
          action: `inbound.${a.type}`,
          target: String(tenant ?? 'none').slice(0, 64),
          outcome: 'refused',
          reason: 'wrong-tenant',
          activityId: a.id,
        });
        if (a.type === ActivityTypes.Invoke) {
          await context.sendActivity({
            type: ActivityTypes.InvokeResponse,
            value: { status: 403, body: { error: 'This bot serves one organisation only.' } },
          });
        }
        return;
      }
      if (a.type !== ActivityTypes.Message && a.type !== ActivityTypes.Invoke) return next();
      const user = a.from?.aadObjectId ?? a.from?.id ?? 'unknown';
      if (limits.perTenant.take(String(tenant)) && limits.perUser.take(user)) return next();
      logger.warn({ activityId: a.id, user }, 'inbound rate limit reached');
      if (a.type === ActivityTypes.Invoke) {
        const card = messageCard(
          'One moment, please',
          "You're clicking faster than I can keep up. Please wait a few seconds and try again.",
        );
        await context.sendActivity({
          type: ActivityTypes.InvokeResponse,
          value: { status: 200, body: cardResponse(card) },
        });
      } else if (limits.notices.take(user)) {
        await context.sendActivity(
          "You're sending messages faster than I can keep up. Please wait a few seconds, then try again.",
        );
      }
    },
  };
}

/** Keeps each person's 1:1 conversation reference, so the bot can reach them later. */
export function rememberConversations(conversations: ConversationDirectory): Middleware {
  return {
    async onTurn(context, next) {
      const activity = context.activity;
      const aad = activity.from?.aadObjectId;
      const type = activity.conversation?.conversationType;
      const personal = type === undefined || type === 'personal';
      // A proactive turn carries the reference it was started from: nothing new to keep, and a
      // campaign would otherwise write it back once per nudge.
      if (
        aad &&
        personal &&
        activity.type !== ActivityTypes.InstallationUpdate &&
        !isProactiveTurn(activity)
      ) {
        await conversations.saveUser(aad, TurnContext.getConversationReference(activity));
      }
      await next();
    },
  };
}
