import { CloudAdapter, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';

/**
 * botbuilder's CloudAdapter, run by the server on an already parsed activity. Its own request
 * handling (`process`) prints a stack trace to stderr for every refused token; here a refusal is
 * thrown to the server, after the inbound check has logged it once with its reason.
 */
export class BotAdapter extends CloudAdapter {
  /** Authenticates the request and runs the turn; the invoke response, if the turn made one. */
  run(
    authorization: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authorization, activity, logic);
  }
}
