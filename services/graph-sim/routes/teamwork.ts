import { z } from 'zod';
import { parseCatalogFilter } from '../catalog';
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

/**
 * The Teams app catalog, installing the bot for a user (so it can message them) and finding the
 * 1:1 chat. A new installation may take a few reads to be listed, and its chat may answer 403 at
 * first, when a test asks for that (/_sim/teamwork).
 */

const BASE = '/v1.0/users/:id/teamwork/installedApps';
const InstallBody = z.object({ 'teamsApp@odata.bind': z.string().min(1) });
const BIND = /\/appCatalogs\/teamsApps\/([^/?#]+)$/i;

function installationJson(ctx: SimContext, app: SimInstalledApp, expand: boolean) {
  const json: Record<string, unknown> = { id: app.id };
  if (expand) {
    const entry = ctx.state.catalog.find((a) => a.id === app.teamsAppId);
    json.teamsApp = {
      id: app.teamsAppId,
      externalId: entry?.externalId ?? null,
      displayName: entry?.displayName ?? 'Teams app',
      distributionMethod: entry?.distributionMethod ?? 'organization',
    };
  }
  return json;
}

function invalidFilter(err: unknown): never {
  if (err instanceof FilterError)
    throw new GraphHttpError(400, 'badRequest', `Invalid filter clause: ${err.message}`);
  throw err;
}

function findInstall(ctx: SimContext): SimInstalledApp {
  const user = requireUser(ctx);
  const app = user.installedApps.find((a) => a.id === ctx.params.installId);
  if (!app) throw notFound(ctx.params.installId!);
  return app;
}

export function registerTeamwork(router: Router): void {
  router.on('GET', '/v1.0/appCatalogs/teamsApps', (ctx) => {
    const q = queryOptions(ctx, ['$filter']);
    let apps = ctx.state.catalog;
    if (q.filter !== undefined) {
      try {
        apps = apps.filter(parseCatalogFilter(q.filter));
      } catch (err) {
        invalidFilter(err);
      }
    }
    sendJson(ctx, 200, { '@odata.context': metadata(ctx, 'appCatalogs/teamsApps'), value: apps });
  });

  router.on('POST', BASE, (ctx) => {
    const user = requireUser(ctx);
    const bind = parseBody(ctx, InstallBody)['teamsApp@odata.bind'];
    const match = BIND.exec(bind);
    if (!match) throw badRequest(`Invalid teamsApp@odata.bind value '${bind}'.`);
    const catalogId = decodeURIComponent(match[1]!);
    // Only apps in the catalog can be installed: a manifest id is not a catalog id.
    if (!ctx.state.catalog.some((a) => a.id === catalogId)) {
      throw new GraphHttpError(
        404,
        'NotFound',
        `The app '${catalogId}' was not found in the Teams app catalog.`,
      );
    }
    const { created } = ctx.state.installApp(user, catalogId);
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
        const externalIdOf = (id: string) => ctx.state.catalog.find((a) => a.id === id)?.externalId;
        apps = apps.filter((a) =>
          field === 'id' ? a.teamsAppId === value : externalIdOf(a.teamsAppId) === value,
        );
      } catch (err) {
        invalidFilter(err);
      }
    }
    apps = apps.filter((a) => ctx.state.installationListed(a));
    const expand = Boolean(q.expand?.includes('teamsApp'));
    sendJson(ctx, 200, {
      '@odata.context': metadata(ctx, `users('${user.id}')/teamwork/installedApps`),
      value: apps.map((a) => installationJson(ctx, a, expand)),
    });
  });

  router.on('GET', `${BASE}/:installId`, (ctx) => {
    const q = queryOptions(ctx, ['$expand']);
    const app = findInstall(ctx);
    sendJson(ctx, 200, {
      '@odata.context': metadata(ctx, 'users/teamwork/installedApps/$entity'),
      ...installationJson(ctx, app, Boolean(q.expand?.includes('teamsApp'))),
    });
  });

  router.on('GET', `${BASE}/:installId/chat`, (ctx) => {
    const app = findInstall(ctx);
    if (!ctx.state.installationChatReadable(app)) {
      throw new GraphHttpError(
        403,
        'Forbidden',
        'Forbidden: the app installation is not ready yet.',
      );
    }
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
