import { CloudAdapter, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { BotFrameworkAuthentication, ServiceClientCredentials } from 'botframework-connector';
import { ReusedConnectors } from './connectors';

/**
 * botbuilder's CloudAdapter, run by the server on an already parsed activity, with connector
 * clients reused across turns and proactive sends (see connectors.ts). Its own request handling
 * (`process`) prints a stack trace to stderr for every refused token; here a refusal is thrown to
 * the server, after the inbound check has logged it once with its reason.
 */
export class BotAdapter extends CloudAdapter {
  private readonly connectors: ReusedConnectors;

  constructor(authentication: BotFrameworkAuthentication) {
    const connectors = new ReusedConnectors(authentication);
    super(connectors);
    this.connectors = connectors;
  }

  /** Authenticates the request and runs the turn; the invoke response, if the turn made one. */
  run(
    authorization: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authorization, activity, logic);
  }

  /**
   * The credentials the bot signs its requests to this service URL with, from the same reused
   * connector client proactive messages use: the SERVICE_URL_HOSTS check and the token cache
   * come with them.
   */
  async credentialsFor(appId: string, serviceUrl: string): Promise<ServiceClientCredentials> {
    const factory = this.connectors.createConnectorFactory(this.createClaimsIdentity(appId));
    return (await factory.create(serviceUrl)).credentials;
  }
}
