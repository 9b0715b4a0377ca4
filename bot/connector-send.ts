import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import type { ServiceClientCredentials } from 'botframework-connector';
import { Agent, request } from 'undici';

type WebResource = Parameters<ServiceClientCredentials['signRequest']>[0];

/** Signs requests for one service URL: the bot's credentials (allow-list and token cache). */
export type CredentialsFor = (serviceUrl: string) => Promise<ServiceClientCredentials>;

/** Teams refused the message, or it did not arrive; read by describeSendError like botbuilder's. */
export class ConnectorSendError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
    /** The parsed error body ({ error: { code, message } }), when Teams sent one. */
    readonly details?: unknown,
    readonly response?: { headers: Record<string, string | string[] | undefined> },
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ConnectorSendError';
  }
}

/** No answer within this long is a network failure, retried within the campaign's pace. */
const TIMEOUT_MS = 30_000;

/**
 * One message to the Bot Connector in exactly one request, for campaign nudges: they take their
 * slot in the send budget and retry on their own, so botbuilder's retries would be sends outside
 * the pace. botbuilder's proactive path also builds a turn context, runs the middleware and
 * serializes the activity through its REST pipeline: about 120 KB of short-lived objects per
 * send, which at a campaign's pace is most of the bot's memory churn. This makes the same request
 * botbuilder makes (POST v3/conversations/{id}/activities, the activity addressed as
 * TurnContext addresses it), signed by the same credentials: the SERVICE_URL_HOSTS check and the
 * cached token are theirs, so nothing about who may receive the token changes.
 */
export class ConnectorSend {
  private readonly dispatcher = new Agent({
    keepAliveTimeout: 30_000,
    connections: 64,
    connectTimeout: 10_000,
    headersTimeout: TIMEOUT_MS,
    bodyTimeout: TIMEOUT_MS,
  });

  constructor(private readonly credentialsFor: CredentialsFor) {}

  /**
   * Sends and returns the new activity id; throws ConnectorSendError when Teams refuses.
   * `beforeSend` (the send budget's slot) runs once the request is ready, right before it goes.
   */
  async send(
    ref: Partial<ConversationReference>,
    activity: Partial<Activity>,
    beforeSend?: () => Promise<void>,
  ): Promise<string | undefined> {
    const conversationId = ref.conversation?.id;
    const serviceUrl = ref.serviceUrl;
    if (!conversationId || !serviceUrl)
      throw new ConnectorSendError('no conversation to send to', undefined, undefined);
    // A new message in the chat, not a reply to whatever the person said last.
    const body = TurnContext.applyConversationReference(
      { type: 'message', ...activity },
      { ...ref, activityId: undefined },
    ) as Partial<Activity>;
    const url = `${serviceUrl.replace(/\/+$/, '')}/v3/conversations/${encodeURIComponent(conversationId)}/activities`;
    const headers = await this.signed(serviceUrl, url);
    const payload = JSON.stringify(body);
    // After signing (a token fetch may take a while), so the slot's time is the request's time.
    await beforeSend?.();
    let status: number;
    let responseHeaders: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      // undici's request, not fetch: no redirects followed (the token stays with the host that
      // was checked), and none of fetch's stream and body copies per message.
      const res = await request(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', accept: 'application/json' },
        body: payload,
        dispatcher: this.dispatcher,
      });
      status = res.statusCode;
      responseHeaders = res.headers;
      text = await res.body.text();
    } catch (err) {
      throw networkError(err);
    }
    const parsed = parseJson(text);
    if (status < 200 || status >= 300)
      throw new ConnectorSendError(`the Bot Connector answered ${status}`, status, parsed, {
        headers: responseHeaders,
      });
    const id = (parsed as { id?: unknown } | undefined)?.id;
    return typeof id === 'string' ? id : undefined;
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }

  /** The headers the bot's credentials add (Authorization, unless authentication is off). */
  private async signed(serviceUrl: string, url: string): Promise<Record<string, string>> {
    const credentials = await this.credentialsFor(serviceUrl);
    const headers: Record<string, string> = {};
    const resource = {
      url,
      method: 'POST',
      headers: {
        set: (name: string, value: string) => {
          headers[name.toLowerCase()] = value;
        },
      },
    } as unknown as WebResource;
    await credentials.signRequest(resource);
    return headers;
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The socket's own code (ECONNRESET, UND_ERR_HEADERS_TIMEOUT, ...) where there is one. */
function networkError(err: unknown): ConnectorSendError {
  const e = err as { code?: unknown };
  const code = typeof e?.code === 'string' ? e.code : 'REQUEST_SEND_ERROR';
  return new ConnectorSendError(
    `could not reach the Bot Connector (${code})`,
    undefined,
    undefined,
    undefined,
    code,
  );
}
