import restify from 'restify';
import type { Activity } from 'botbuilder';
import type { BotApp } from './app';
import { InboundRefusal } from './channel-auth';
import { registerTabApi, registerTabPages } from './tab-api';

/** Largest request body /api/messages accepts; Teams activities are far smaller. */
const MAX_BODY_BYTES = 256 * 1024;

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Opens the HTTP endpoint for a built app: POST /api/messages, GET /healthz and the tab. */
export async function startServer(
  app: BotApp,
  port = app.config.port,
  host = app.config.host,
): Promise<RunningServer> {
  const server = restify.createServer({ name: 'mfa-bot', handleUncaughtExceptions: false });
  const parseBody = restify.plugins.bodyParser({
    maxBodySize: MAX_BODY_BYTES,
    mapParams: false,
    rejectUnknown: true,
  });
  const log = app.logger;

  server.post('/api/messages', jsonOnly, parseBody, async (req, res) => {
    const body: unknown = req.body;
    if (
      typeof body !== 'object' ||
      body === null ||
      Array.isArray(body) ||
      typeof (body as { type?: unknown }).type !== 'string' ||
      !(body as { type: string }).type.trim()
    ) {
      res.send(400, {
        error: 'The body must be a Bot Framework activity: a JSON object with a "type".',
      });
      return;
    }
    const activity = withDates(body as Activity);
    try {
      const authorization = String(req.headers.authorization ?? '');
      const invoke = await app.adapter.run(authorization, activity, (context) =>
        app.bot.run(context),
      );
      if (invoke?.body === undefined) res.send(invoke?.status ?? 200);
      else res.send(invoke.status, invoke.body);
    } catch (err) {
      // Already logged once, with its reason, by the inbound check.
      if (err instanceof InboundRefusal) {
        res.send(err.statusCode, { error: err.publicMessage });
        return;
      }
      log.error({ err, activityId: activity.id }, 'could not process the request');
      if (!res.headersSent) res.send(500, { error: 'The bot could not process this activity.' });
    }
  });

  // The dashboard tab: its pages and its API (tab-api.ts).
  registerTabPages(server);
  registerTabApi(server, app.tab);

  // Some clients check the endpoint is there before they post (a HEAD): yes, it is.
  server.head('/api/messages', (_req, res, next) => {
    res.send(200);
    return next();
  });

  server.get('/healthz', async (_req, res) => {
    const health = await app.health();
    res.send(health.status === 'ok' ? 200 : 503, health);
  });

  server.on('restifyError', (req, _res, err, next) => {
    log.warn(
      { status: err.statusCode, path: req.path?.(), message: err.message },
      'request refused',
    );
    return next();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actualPort = address.port;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actualPort}`;
  app.listening(url);
  return {
    url,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}

/**
 * Bot Framework posts JSON and nothing else. Refusing every other type also means a web page in
 * a browser on this machine cannot drive the bot with a form (which posts text/plain, urlencoded
 * or multipart without asking first); a JSON post from a page needs CORS, which is never granted.
 */
function jsonOnly(req: restify.Request, res: restify.Response, next: restify.Next): void {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (type !== 'application/json') {
    res.send(415, { error: 'Send the activity as application/json.' });
    return next(false);
  }
  return next();
}

/** Timestamps as Date, as the adapter's own request handling gives them to the bot. */
function withDates(activity: Activity): Activity {
  const fixed: Activity = { ...activity };
  for (const field of ['timestamp', 'localTimestamp', 'expiration'] as const) {
    const value: unknown = activity[field];
    if (typeof value === 'string') fixed[field] = new Date(value);
  }
  return fixed;
}
