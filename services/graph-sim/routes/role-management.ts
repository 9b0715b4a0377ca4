import { GraphHttpError, metadata, requireUser, sendJson, type SimContext } from '../http';
import { queryOptions } from '../odata';
import type { Router } from '../router';

/**
 * Entra role assignments, as the bot reads them to decide who may get a pass: transitive active
 * assignments (beta), PIM eligibility (v1.0, needs Entra ID P2) and role-assignable groups.
 * Advanced queries need `ConsistencyLevel: eventual` and `$count=true`, as Graph documents.
 */

const PRINCIPAL_FILTER = /^\s*principalId\s+eq\s+'([0-9a-f-]{36})'\s*$/i;

function requireAdvancedQuery(ctx: SimContext): void {
  const level = ctx.req.headers['consistencylevel'];
  const count = ctx.url.searchParams.get('$count');
  if (level !== 'eventual' || count !== 'true') {
    throw new GraphHttpError(
      400,
      'Request_UnsupportedQuery',
      "This query needs the ConsistencyLevel header set to 'eventual' and $count=true.",
    );
  }
}

function principalOf(ctx: SimContext): string {
  const q = queryOptions(ctx, ['$filter', '$select', '$count', '$top']);
  const match = PRINCIPAL_FILTER.exec(q.filter ?? '');
  if (!match) {
    throw new GraphHttpError(
      400,
      'BadRequest',
      "The $filter query parameter must scope the request to a principal: principalId eq '{id}'.",
    );
  }
  return match[1]!.toLowerCase();
}

function assignmentJson(a: { roleDefinitionId: string; principalId: string }, kind: string) {
  return {
    id: `${kind}-${a.principalId}-${a.roleDefinitionId}`,
    principalId: a.principalId,
    roleDefinitionId: a.roleDefinitionId,
    directoryScopeId: '/',
  };
}

export function registerRoleManagement(router: Router): void {
  router.on('GET', '/beta/roleManagement/directory/transitiveRoleAssignments', (ctx) => {
    requireAdvancedQuery(ctx);
    const principalId = principalOf(ctx);
    const user = ctx.state.user(principalId);
    const value = user
      ? ctx.state.activeRoleAssignments(user).map((a) => assignmentJson(a, 'active'))
      : [];
    sendJson(ctx, 200, {
      '@odata.context': metadata(ctx, 'roleManagement/directory/transitiveRoleAssignments').replace(
        '/v1.0/',
        '/beta/',
      ),
      '@odata.count': value.length,
      value,
    });
  });

  router.on('GET', '/v1.0/roleManagement/directory/roleEligibilityScheduleInstances', (ctx) => {
    if (ctx.state.licence !== 'p2') {
      throw new GraphHttpError(
        400,
        'AadPremiumLicenseRequired',
        'The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license.',
      );
    }
    const principalId = principalOf(ctx);
    const value = ctx.state
      .eligibleRoleAssignments(principalId)
      .map((a) => ({ ...assignmentJson(a, 'eligible'), memberType: 'Direct' }));
    sendJson(ctx, 200, {
      '@odata.context': metadata(ctx, 'roleManagement/directory/roleEligibilityScheduleInstances'),
      value,
    });
  });

  router.on('GET', '/v1.0/users/:id/transitiveMemberOf/microsoft.graph.group', (ctx) => {
    requireAdvancedQuery(ctx);
    const q = queryOptions(ctx, ['$filter', '$select', '$count', '$top']);
    if (q.filter !== undefined && !/^\s*isAssignableToRole\s+eq\s+true\s*$/i.test(q.filter)) {
      throw new GraphHttpError(
        400,
        'Request_UnsupportedQuery',
        'Unsupported filter on transitiveMemberOf.',
      );
    }
    const user = requireUser(ctx);
    const groups = q.filter
      ? ctx.state.roleAssignableGroups(user)
      : [...ctx.state.transitiveGroups(user)].map((id) => ctx.state.group(id)!);
    const value = groups.map((g) => ({
      '@odata.type': '#microsoft.graph.group',
      id: g.id,
      displayName: g.displayName,
      isAssignableToRole: g.isAssignableToRole ?? false,
    }));
    sendJson(ctx, 200, {
      '@odata.context': metadata(ctx, 'groups'),
      '@odata.count': value.length,
      value,
    });
  });
}
