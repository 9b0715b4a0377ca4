import { z } from 'zod';
import {
  GraphHttpError,
  metadata,
  notFound,
  parseBody,
  requireUser,
  sendJson,
  type SimContext,
} from '../http';
import { checkSelect, collection, page, pick, queryOptions } from '../odata';
import type { Router } from '../router';
import { DEFAULT_USER_PROPERTIES, userJson } from '../views';

/** Users, groups, transitive membership and session revocation. */

const USER_PROPERTIES = [...DEFAULT_USER_PROPERTIES, 'department', 'accountEnabled', 'userType'];
const GROUP_PROPERTIES = [
  'id',
  'displayName',
  'description',
  'mailEnabled',
  'securityEnabled',
  'groupTypes',
];

const CheckMemberGroupsBody = z.object({ groupIds: z.array(z.string()) });

function userProperties(ctx: SimContext): string[] {
  const q = queryOptions(ctx, ['$select']);
  checkSelect(q.select, USER_PROPERTIES, 'microsoft.graph.user');
  return q.select ?? DEFAULT_USER_PROPERTIES;
}

export function registerUsers(router: Router, pageSize: number): void {
  router.on('GET', '/v1.0/users/:id', (ctx) => {
    const properties = userProperties(ctx);
    const user = requireUser(ctx);
    const selected = ctx.url.searchParams.has('$select') ? `(${properties.join(',')})` : '';
    sendJson(ctx, 200, {
      '@odata.context': metadata(ctx, `users${selected}/$entity`),
      ...pick(userJson(user), properties),
    });
  });

  router.on('POST', '/v1.0/users/:id/checkMemberGroups', (ctx) => {
    const user = requireUser(ctx);
    const { groupIds } = parseBody(ctx, CheckMemberGroupsBody);
    if (groupIds.length > 20) {
      throw new GraphHttpError(
        400,
        'Request_BadRequest',
        'Too many groupIds were provided: at most 20 are allowed.',
      );
    }
    const mine = ctx.state.transitiveGroups(user);
    sendJson(ctx, 200, {
      '@odata.context': metadata(ctx, 'Collection(Edm.String)'),
      value: groupIds.filter((id) => mine.has(id.toLowerCase())),
    });
  });

  router.on('POST', '/v1.0/users/:id/revokeSignInSessions', (ctx) => {
    const user = requireUser(ctx);
    ctx.state.revokeSessions(user);
    sendJson(ctx, 200, { '@odata.context': metadata(ctx, 'Edm.Boolean'), value: true });
  });

  router.on('GET', '/v1.0/groups/:id', (ctx) => {
    const q = queryOptions(ctx, ['$select']);
    checkSelect(q.select, GROUP_PROPERTIES, 'microsoft.graph.group');
    const group = ctx.state.group(ctx.params.id!);
    if (!group) throw notFound(ctx.params.id!);
    const json = {
      id: group.id,
      displayName: group.displayName,
      description: group.description ?? null,
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
    };
    sendJson(ctx, 200, {
      '@odata.context': metadata(ctx, 'groups/$entity'),
      ...pick(json, q.select ?? GROUP_PROPERTIES),
    });
  });

  router.on('GET', '/v1.0/groups/:id/transitiveMembers/microsoft.graph.user', (ctx) => {
    // An OData cast on a directory collection is an advanced query in Graph.
    if (
      ctx.req.headers['consistencylevel'] !== 'eventual' ||
      ctx.url.searchParams.get('$count') !== 'true'
    ) {
      throw new GraphHttpError(
        400,
        'Request_UnsupportedQuery',
        "The OData cast segment 'microsoft.graph.user' needs the ConsistencyLevel header set to 'eventual' and $count=true.",
      );
    }
    const q = queryOptions(ctx, ['$select', '$top', '$skiptoken', '$count']);
    checkSelect(q.select, USER_PROPERTIES, 'microsoft.graph.user');
    const group = ctx.state.group(ctx.params.id!);
    if (!group) throw notFound(ctx.params.id!);
    const p = page(ctx, ctx.state.transitiveMembers(group.id), q, pageSize);
    const properties = q.select ?? DEFAULT_USER_PROPERTIES;
    const value = p.value.map((u) => ({
      '@odata.type': '#microsoft.graph.user',
      ...pick(userJson(u), properties),
    }));
    sendJson(ctx, 200, collection(metadata(ctx, 'users'), { ...p, value }));
  });
}
