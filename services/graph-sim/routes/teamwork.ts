import { z } from 'zod';
import { FilterError, parseInstalledAppFilter } from '../filters';
import {
  badRequest,
  GraphHttpError,
  metadata,
  notFound,
  parseBody,
  requireUser,
  sendEmpty,
  sendJson,
  type SimContext,
} from '../http';
import { queryOptions } from '../odata';
import type { SimInstalledApp } from '../records';
import type { Router } from '../router';

/** Installing the bot for a user (so it can message them) and finding the 1:1 chat. */

const BASE = '/v1.0/users/:id/teamwork/installedApps';
const InstallBody = z.object({ 'teamsApp@odata.bind': z.string().min(1) });
const BIND = /\/appCatalogs\/teamsApps\/([^/?#]+)$/i;

function installationJson(app: SimInstalledApp, expand: boolean) {
  const json: Record<string, unknown> = { id: app.id };
  if (expand) {
    json.teamsApp = {
      id: app.teamsAppId,
      externalId: null,
      displayName: 'Teams app',
      distributionMethod: 'organization',
    };
  }
  return json;
}

function findInstall(ctx: SimContext): SimInstalledApp {
  const user = requireUser(ctx);
  const app = user.installedApps.find((a) => a.id === ctx.params.installId);
  if (!app) throw notFound(ctx.params.installId!);
  return app;
}

export function registerTeamwork(router: Router): void {
  router.on('POST', BASE, (ctx) => {
    const user = requireUser(ctx);
    const bind = parseBody(ctx, InstallBody)['teamsApp@odata.bind'];
    const match = BIND.exec(bind);
    if (!match) throw badRequest(`Invalid teamsApp@odata.bind value '${bind}'.`);
    const { created } = ctx.state.installApp(user, decodeURIComponent(match[1]!));
    if (!created) throw new GraphHttpError(409, 'Conflict', 'App is already installed.');
    sendEmpty(ctx, 201);
  });

  router.on('GET', BASE, (ctx) => {
    const q = queryOptions(ctx, ['$expand', '$filter']);
    const user = requireUser(ctx);
    const unknown = (q.expand ?? []).find((e) => e !== 'teamsApp');
    if (unknown) throw badRequest(`Could not find a property named '${unknown}' to expand.`);
    let apps = user.installedApps;
    if (q.filter !== undefined) {
      try {
        const { field, value } = parseInstalledAppFilter(q.filter);
        apps = field === 'id' ? apps.filter((a) => a.teamsAppId === value) : [];
      } catch (err) {
        if (err instanceof FilterError) {
          throw new GraphHttpError(400, 'badRequest', `Invalid filter clause: ${err.message}`);
        }
        throw err;
      }
    }
    const expand = Boolean(q.expand?.includes('teamsApp'));
    sendJson(ctx, 200, {
      '@odata.context': metadata(ctx, `users('${user.id}')/teamwork/installedApps`),
      value: apps.map((a) => installationJson(a, expand)),
    });
  });

  router.on('GET', `${BASE}/:installId`, (ctx) => {
    const q = queryOptions(ctx, ['$expand']);
    const app = findInstall(ctx);
    sendJson(ctx, 200, {
      '@odata.context': metadata(ctx, 'users/teamwork/installedApps/$entity'),
      ...installationJson(app, Boolean(q.expand?.includes('teamsApp'))),
    });
  });

  router.on('GET', `${BASE}/:installId/chat`, (ctx) => {
    const app = findInstall(ctx);
    sendJson(ctx, 200, {
      '@odata.context': metadata(ctx, 'chats/$entity'),
      id: app.chatId,
      topic: null,
      createdDateTime: app.installedDateTime,
      lastUpdatedDateTime: app.installedDateTime,
      chatType: 'oneOnOne',
      webUrl: `https://teams.microsoft.com/l/chat/${encodeURIComponent(app.chatId)}/0`,
      tenantId: ctx.state.tenantId,
    });
  });
}
