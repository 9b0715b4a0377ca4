import { ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import {
  AuthenticationConstants,
  AuthenticationError,
  ClaimsIdentity,
  type AuthenticateRequestResult,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import type { AuditLog } from '../services/audit/log';
import type { Logger } from '../services/logger';
import type { RateLimiter } from '../services/ratelimit';
import {
  type ChannelTokenVerifier,
  SigningKeysUnavailable,
  TokenRefusal,
  type TokenRefusalReason,
} from './channel-token';
import type { ServiceUrlPolicy } from './service-urls';

type AuthSettings = Record<string, string | undefined>;

const UNAUTHORIZED = 401;
const FORBIDDEN = 403;
const SERVICE_UNAVAILABLE = 503;

/**
 * A request /api/messages answers without running the bot. Extends botbuilder's error so that
 * anything handing it to the adapter still gets its status code.
 */
export class InboundRefusal extends AuthenticationError {
  constructor(
    readonly reason:
      TokenRefusalReason | 'service-url-not-allowed' | 'signing-keys-unavailable' | 'not-supported',
    status: number,
  ) {
    super(reason, status);
    this.name = 'InboundRefusal';
  }

  /** What the caller is told: the status in words, never why (that is in the log). */
  get publicMessage(): string {
    if (this.statusCode === FORBIDDEN) return 'Forbidden';
    if (this.statusCode === UNAUTHORIZED) return 'Unauthorized';
    return 'Try again later';
  }
}

export interface ChannelAuthenticationOptions {
  verifier: ChannelTokenVerifier;
  serviceUrls: ServiceUrlPolicy;
  audit: AuditLog;
  /** Bounds the audit records unauthenticated callers can cause; the log line stays. */
  auditLimit: RateLimiter;
  logger: Logger;
}

/**
 * Production's inbound check: a Bot Framework channel token for this bot and this activity's
 * serviceUrl, and a serviceUrl on the allow-list, or nothing. Each refusal is one warning line
 * with its reason; a refused token (not a missing one) is also audited.
 */
export class ChannelAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    private readonly settings: AuthSettings,
    factory: ServiceClientCredentialsFactory,
    private readonly options: ChannelAuthenticationOptions,
  ) {
    super(settings, factory);
  }

  override async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    let claims: Record<string, unknown>;
    try {
      claims = await this.options.verifier.verify(authHeader, activity);
    } catch (err) {
      if (err instanceof TokenRefusal) {
        await this.refuse(activity, err.reason, UNAUTHORIZED, err.claims);
      }
      if (err instanceof SigningKeysUnavailable) {
        this.options.logger.error(
          { activityId: activity.id, problem: err.message },
          'cannot check tokens',
        );
        throw new InboundRefusal('signing-keys-unavailable', SERVICE_UNAVAILABLE);
      }
      throw err;
    }
    // Checked after the token, so it only ever refuses what Bot Framework itself sent: a Teams
    // host missing from the list shows up here, not a stranger's noise.
    const problem = this.options.serviceUrls.refusal(activity.serviceUrl);
    if (problem) {
      await this.refuse(activity, 'service-url-not-allowed', FORBIDDEN, claims, problem);
    }
    const claimsIdentity = new ClaimsIdentity(
      Object.entries(claims).map(([type, value]) => ({ type, value: value as string })),
      true,
    );
    return {
      audience:
        this.settings.ToChannelFromBotOAuthScope ??
        AuthenticationConstants.ToChannelFromBotOAuthScope,
      callerId: this.settings.CallerId,
      claimsIdentity,
      connectorFactory: this.createConnectorFactory(claimsIdentity),
    };
  }

  // Skills and streaming connections are not used by this bot; refuse rather than fall back
  // to botbuilder's checks, which take tokens this class exists to refuse.
  override async authenticateChannelRequest(): Promise<ClaimsIdentity> {
    throw new InboundRefusal('not-supported', UNAUTHORIZED);
  }

  override async authenticateStreamingRequest(): Promise<never> {
    throw new InboundRefusal('not-supported', UNAUTHORIZED);
  }

  private async refuse(
    activity: Activity,
    reason: InboundRefusal['reason'],
    status: number,
    claims: Readonly<Record<string, unknown>> | undefined,
    problem?: string,
  ): Promise<never> {
    const { audit, auditLimit, logger } = this.options;
    const serviceUrlHost = hostOf(activity.serviceUrl);
    const audited = claims !== undefined && auditLimit.take('inbound');
    logger.warn(
      { activityId: activity.id, reason, status, serviceUrlHost, problem, audited },
      'inbound request refused',
    );
    if (audited) {
      await audit
        .append({
          actor: 'unauthenticated',
          action: `inbound.${short(activity.type) ?? 'unknown'}`,
          target: serviceUrlHost ?? 'none',
          outcome: 'refused',
          reason,
          activityId: short(activity.id),
          details: {
            claimedUser: short(activity.from?.aadObjectId) ?? null,
            channelId: short(activity.channelId) ?? null,
            issuer: short(claims.iss) ?? null,
          },
        })
        .catch((err: unknown) =>
          logger.error(
            { activityId: activity.id, problem: (err as Error).message },
            'could not audit a refusal',
          ),
        );
    }
    throw new InboundRefusal(reason, status);
  }
}

/** Text from an unauthenticated request, cut to a size fit for a log or audit record. */
function short(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value.slice(0, 128) : undefined;
}

function hostOf(serviceUrl: string | undefined): string | undefined {
  return serviceUrl && URL.canParse(serviceUrl)
    ? new URL(serviceUrl).host.slice(0, 128)
    : undefined;
}
