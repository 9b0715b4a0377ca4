import fs from 'node:fs';
import restify from 'restify';
import { z } from 'zod';
import type { AuditEntry } from '../services/audit/record';
import type { Dashboard } from '../services/dashboard/dashboard';
import { MAX_PAGE_SIZE } from '../services/dashboard/coverage-view';
import { MAX_TREND_DAYS } from '../services/dashboard/history';
import { MAX_SELECTION, type NudgeStarter } from '../services/dashboard/nudges';
import { DRAFT_ID_PATTERN } from '../services/campaigns/model';
import { HOUR } from '../services/clock';
import { summarize, type ReadinessReport } from '../services/readiness/report';
import { isDirectoryError } from '../services/directory/types';
import type { Logger } from '../services/logger';
import { assetPath } from '../services/paths';
import type { TabRole } from '../services/tab-auth/access';
import {
  TabAuthError,
  TabKeysUnavailable,
  type TabAuthenticator,
  type TabCaller,
} from '../services/tab-auth/verify';

/**
 * The dashboard tab's API (/api/tab/…) and its pages (/tab/…). Every API call proves who is
 * calling (a Teams SSO token; the local demo's sign-in in demo mode only) and is checked against
 * the admin and IT groups live; anything else gets 401 or 403 with a short message and no data.
 * Practice admins may start nudges; IT may only look (rollout readiness included: it only reads).
 */
export interface TabApiDeps {
  authenticator: TabAuthenticator;
  access: { roleOf(caller: TabCaller): Promise<TabRole> };
  dashboard: Dashboard;
  nudges: NudgeStarter;
  /** The rollout readiness check (read-only), for the panel admins and IT see. */
  readiness: {
    run(): Promise<ReadinessReport>;
    recent(maxAgeMs: number): Promise<ReadinessReport>;
  };
  audit: { append(entry: AuditEntry): Promise<unknown> };
  logger: Logger;
  /** Nudges to more people than this need a second confirmation (shown before the first). */
  confirmThreshold: number;
}

/** Largest body the tab posts: a selection of MAX_SELECTION ids and a short note. */
const MAX_TAB_BODY = 64 * 1024;

const NOT_SIGNED_IN = 'Please sign in again: open the dashboard from Microsoft Teams.';
const NOT_ALLOWED = 'The dashboard is for practice admins and IT.';
const ADMINS_ONLY = 'Only practice admins can start a nudge.';

/** A readiness report younger than this is shown as it is; "Check again now" reads afresh. */
const READINESS_RECENT_MS = HOUR;

const PeopleQuery = z.object({
  search: z.string().max(200).optional(),
  group: z.string().max(200).optional(),
  standing: z.enum(['other', 'none']).optional(),
  page: z.coerce.number().int().min(0).max(1_000_000).optional(),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
});
const TrendQuery = z.object({
  days: z.coerce.number().int().min(1).max(MAX_TREND_DAYS).optional(),
});
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PreviewBody = z.object({
  people: z.array(z.string().regex(GUID)).min(1).max(MAX_SELECTION),
  kind: z.enum(['friendly', 'deadline', 'final']),
  deadline: z.string().max(20).optional(),
  note: z.string().max(400).optional(),
  everyDays: z.number().int().min(1).max(30).optional(),
  maxTimes: z.number().int().min(1).max(10).optional(),
});
const ConfirmBody = z.object({
  draftId: z.string().regex(DRAFT_ID_PATTERN),
  final: z.boolean().optional(),
});

type Need = 'read' | 'nudge';
interface Answer {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}
type Run = (req: restify.Request, who: { caller: TabCaller; role: TabRole }) => Promise<Answer>;

export function registerTabApi(server: restify.Server, deps: TabApiDeps): void {
  const parseBody = restify.plugins.bodyParser({
    maxBodySize: MAX_TAB_BODY,
    mapParams: false,
    rejectUnknown: true,
  });
  const get = (route: string, need: Need, run: Run) => server.get(route, handler(deps, need, run));
  const post = (route: string, need: Need, run: Run) =>
    server.post(route, jsonBody, parseBody, handler(deps, need, run));
  const { dashboard, nudges } = deps;

  get('/api/tab/me', 'read', async (_req, { caller, role }) => ({
    body: {
      name: caller.name,
      upn: caller.upn ?? '',
      role,
      canNudge: role === 'admin',
      demo: caller.demo,
      confirmThreshold: deps.confirmThreshold,
    },
  }));
  get('/api/tab/coverage', 'read', async () => ({ body: await dashboard.coverage() }));
  post('/api/tab/coverage/refresh', 'read', async () => ({ body: await dashboard.refresh() }));
  get('/api/tab/people', 'read', async (req) => {
    const query = PeopleQuery.safeParse(queryOf(req));
    return query.success
      ? { body: await dashboard.people(query.data) }
      : badRequest('That filter is not valid.');
  });
  get('/api/tab/people.csv', 'read', async () => {
    const csv = await dashboard.peopleCsv();
    return {
      body: csv.body,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${csv.filename}"`,
      },
    };
  });
  get('/api/tab/trend', 'read', async (req) => {
    const query = TrendQuery.safeParse(queryOf(req));
    return query.success
      ? { body: await dashboard.trend(query.data.days ?? 90) }
      : badRequest('That period is not valid.');
  });
  get('/api/tab/campaigns', 'read', async () => ({ body: await dashboard.campaigns() }));
  get('/api/tab/tickets', 'read', async () => ({ body: await dashboard.tickets() }));
  get('/api/tab/readiness', 'read', async () => ({
    body: readinessBody(await deps.readiness.recent(READINESS_RECENT_MS)),
  }));
  post('/api/tab/readiness/refresh', 'read', async () => ({
    body: readinessBody(await deps.readiness.run()),
  }));
  post('/api/tab/nudge/preview', 'nudge', async (req, { caller }) => {
    const body = PreviewBody.safeParse(req.body);
    if (!body.success) return badRequest('Please tick people and choose a message.');
    return { body: await nudges.preview(body.data, { id: caller.id, name: caller.name }) };
  });
  post('/api/tab/nudge/confirm', 'nudge', async (req, { caller }) => {
    const body = ConfirmBody.safeParse(req.body);
    if (!body.success) return badRequest('That confirmation is not valid.');
    const result = await nudges.confirm(
      body.data.draftId,
      { id: caller.id, name: caller.name },
      body.data.final === true,
    );
    if (result.kind === 'not-yours') {
      await deps.audit.append({
        actor: caller.id,
        action: 'tab.nudgeConfirm',
        target: '-',
        outcome: 'denied',
        reason: 'not-draft-owner',
      });
    }
    if (result.kind === 'launched')
      deps.logger.info(
        { campaign: result.campaignId, recipients: result.recipients },
        'campaign launched from the tab',
      );
    return { body: result };
  });
}

function handler(deps: TabApiDeps, need: Need, run: Run): restify.RequestHandler {
  return async (req, res) => {
    const route = req.path();
    let who: { caller: TabCaller; role: TabRole };
    try {
      const caller = await deps.authenticator.identify(req.headers.authorization);
      try {
        who = { caller, role: await deps.access.roleOf(caller) };
      } catch (err) {
        if (err instanceof TabAuthError)
          await refuseAudited(deps, caller, route, err, 'not-in-admin-or-it-group');
        throw err;
      }
      if (need === 'nudge' && who.role !== 'admin') {
        await refuseAudited(
          deps,
          caller,
          route,
          new TabAuthError('not-admin'),
          'not-in-admin-group',
        );
        return send(res, { status: 403, body: { error: ADMINS_ONLY } });
      }
    } catch (err) {
      if (err instanceof TabAuthError) {
        if (err.status === 401)
          deps.logger.warn({ route, reason: err.reason }, 'tab request refused');
        const headers = err.status === 401 ? { 'www-authenticate': 'Bearer' } : undefined;
        return send(res, {
          status: err.status,
          body: { error: err.status === 401 ? NOT_SIGNED_IN : NOT_ALLOWED },
          headers,
        });
      }
      if (err instanceof TabKeysUnavailable || isDirectoryError(err)) {
        deps.logger.error({ err, route }, 'could not check who is calling the tab');
        return send(res, {
          status: 503,
          body: {
            error: 'Sign-in cannot be checked right now. Please try again in a few minutes.',
          },
        });
      }
      deps.logger.error({ err, route }, 'tab request failed');
      return send(res, { status: 500, body: { error: 'Something went wrong. Please try again.' } });
    }
    try {
      send(res, await run(req, who));
    } catch (err) {
      deps.logger.error({ err, route }, 'tab request failed');
      const status = isDirectoryError(err) ? 503 : 500;
      send(res, {
        status,
        body: {
          error:
            status === 503
              ? "Microsoft 365 can't be reached right now. Please try again in a few minutes."
              : 'Something went wrong. Please try again.',
        },
      });
    }
  };
}

async function refuseAudited(
  deps: TabApiDeps,
  caller: TabCaller,
  route: string,
  err: TabAuthError,
  reason: string,
): Promise<void> {
  deps.logger.warn({ route, caller: caller.id, reason: err.reason }, 'tab request refused');
  await deps.audit
    .append({
      actor: caller.id,
      action: 'tab.open',
      target: route,
      outcome: 'denied',
      reason,
    })
    .catch((e: unknown) => deps.logger.error({ err: e }, 'could not audit a tab refusal'));
}

function send(res: restify.Response, answer: Answer): void {
  const headers = {
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...answer.headers,
  };
  if (typeof answer.body === 'string') {
    res.writeHead(answer.status ?? 200, headers);
    res.end(answer.body);
    return;
  }
  res.send(answer.status ?? 200, answer.body, headers);
}

/** The panel's view of a report: each check as the card has it, and the verdict on top. */
function readinessBody(report: ReadinessReport) {
  const summary = summarize(report);
  return {
    generatedAt: report.generatedAt,
    ready: summary.ready,
    headline: summary.headline,
    blocking: summary.blocking.map((c) => c.id),
    coverage: report.coverage,
    checks: report.checks.map(({ id, title, status, reason, risk, fixUrl, needs }) => ({
      id,
      title,
      status,
      reason,
      risk,
      fixUrl,
      needs,
    })),
  };
}

function badRequest(error: string): Answer {
  return { status: 400, body: { error } };
}

function queryOf(req: restify.Request): Record<string, string> {
  const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
  return Object.fromEntries([...params].filter(([, v]) => v !== ''));
}

/** The tab posts JSON only; a form post from another page is refused before anything runs. */
function jsonBody(req: restify.Request, res: restify.Response, next: restify.Next): void {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (type !== 'application/json') {
    res.send(415, { error: 'Send JSON.' });
    return next(false);
  }
  return next();
}

// --- the pages ---

/** The tab's page and its bundle (tab/dist, made by `npm run build`). */
const PAGES: Record<string, { file: string; type: string }> = {
  '': { file: assetPath('tab', 'index.html'), type: 'text/html; charset=utf-8' },
  'index.html': { file: assetPath('tab', 'index.html'), type: 'text/html; charset=utf-8' },
  'app.js': { file: assetPath('tab', 'dist', 'app.js'), type: 'text/javascript; charset=utf-8' },
  'app.css': { file: assetPath('tab', 'dist', 'app.css'), type: 'text/css; charset=utf-8' },
};
const CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  'frame-ancestors https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft',
].join('; ');

export function registerTabPages(server: restify.Server): void {
  server.get('/tab', async (_req, res) => {
    res.writeHead(301, { location: '/tab/' });
    res.end();
  });
  const page = async (req: restify.Request, res: restify.Response) => {
    const entry = PAGES[String(req.params?.name ?? '')];
    if (!entry) {
      res.send(404, { error: 'Not found' });
      return;
    }
    const built = await fs.promises.stat(entry.file).then(
      () => true,
      () => false,
    );
    if (!built) {
      res.send(503, { error: 'The dashboard has not been built yet: run npm run build.' });
      return;
    }
    res.writeHead(200, {
      'content-type': entry.type,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': CSP,
    });
    fs.createReadStream(entry.file).pipe(res);
  };
  server.get('/tab/', page);
  server.get('/tab/:name', page);
}
