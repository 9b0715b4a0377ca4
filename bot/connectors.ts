import type { Activity } from 'botbuilder';
import {
  AuthenticationConstants,
  BotFrameworkAuthentication,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';

/** Service URLs are few (Teams' regions); this bounds the cache whatever activities claim. */
const MAX_CLIENTS = 64;

/**
 * The bot's authentication, with connector clients made once per bot, service URL and audience
 * and reused. botbuilder's CloudAdapter builds a new connector client (its own HTTP pipeline)
 * and a new user-token client for every proactive message and every incoming turn: at a
 * campaign's pace that costs more CPU than the sends themselves, and leaves garbage behind each.
 * A client holds nothing of any one conversation, and its credentials sign each request with the
 * cached token (MSAL) after checking the host (SERVICE_URL_HOSTS), so one client per service URL
 * serves every send. Authentication itself is left entirely to the wrapped object.
 */
export class ReusedConnectors extends BotFrameworkAuthentication {
  private readonly clients = new Map<string, Promise<ConnectorClient>>();
  private readonly userTokenClients = new Map<string, Promise<UserTokenClient>>();

  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  override async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    const result = await this.inner.authenticateRequest(activity, authHeader);
    return {
      ...result,
      connectorFactory: this.reusing(result.connectorFactory, appIdOf(result.claimsIdentity)),
    };
  }

  override authenticateStreamingRequest(
    authHeader: string,
    channelIdHeader: string,
  ): Promise<AuthenticateRequestResult> {
    return this.inner.authenticateStreamingRequest(authHeader, channelIdHeader);
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.reusing(this.inner.createConnectorFactory(claimsIdentity), appIdOf(claimsIdentity));
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    const key = appIdOf(claimsIdentity);
    return this.remember(this.userTokenClients, key, () =>
      this.inner.createUserTokenClient(claimsIdentity),
    );
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  private reusing(factory: ConnectorFactory | undefined, appId: string): ConnectorFactory {
    if (!factory) return factory as unknown as ConnectorFactory;
    return {
      create: async (serviceUrl: string, audience?: string) => {
        return this.remember(this.clients, `${appId}|${audience ?? ''}|${serviceUrl}`, () =>
          factory.create(serviceUrl, audience),
        );
      },
    };
  }

  /** One promise per key; a failed one is forgotten, so the next call tries again. */
  private remember<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>) {
    let made = cache.get(key);
    if (!made) {
      made = make();
      made.catch(() => {
        if (cache.get(key) === made) cache.delete(key);
      });
      cache.set(key, made);
      if (cache.size > MAX_CLIENTS) cache.delete(cache.keys().next().value!);
    }
    return made;
  }
}

/** The bot's app id as botbuilder reads it: the audience claim, else the appid claim. */
function appIdOf(identity: ClaimsIdentity | undefined): string {
  return (
    identity?.getClaimValue(AuthenticationConstants.AudienceClaim) ??
    identity?.getClaimValue(AuthenticationConstants.AppIdClaim) ??
    ''
  );
}
