import { CloudAdapter, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { BotFrameworkAuthentication, ConnectorClient } from 'botframework-connector';
import type { Logger } from '../services/logger';
import { ReusedConnectors } from './connectors';

/**
 * botbuilder's CloudAdapter, run by the server on an already parsed activity, with connector
 * clients reused across turns and proactive sends (see connectors.ts). Its own request handling
 * (`process`) prints a stack trace to stderr for every refused token; here a refusal is thrown to
 * the server, after the inbound check has logged it once with its reason.
 */
export class BotAdapter extends CloudAdapter {
  private readonly connectors: ReusedConnectors;

  constructor(authentication: BotFrameworkAuthentication, logger: Logger) {
    const connectors = new ReusedConnectors(authentication, logger);
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
   * From here on, this turn's requests are made once each, without botbuilder's retries: for a
   * caller that paces and retries on its own (campaign nudges).
   */
  async withoutRetries(context: TurnContext): Promise<void> {
    const client = context.turnState.get<ConnectorClient | undefined>(this.ConnectorClientKey);
    if (client)
      context.turnState.set(this.ConnectorClientKey, await this.connectors.withoutRetries(client));
  }
}
