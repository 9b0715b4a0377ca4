import { FilterError, parseRegistrationFilter } from '../filters';
import { GraphHttpError, metadata, notFound, sendJson, type SimContext } from '../http';
import { checkSelect, collection, page, pick, queryOptions } from '../odata';
import type { Router } from '../router';
import type { RegistrationRow } from '../views';

/** GET /reports/authenticationMethods/userRegistrationDetails (paged, filtered) and one row. */

const BASE = '/v1.0/reports/authenticationMethods/userRegistrationDetails';
const TYPE = 'microsoft.graph.userRegistrationDetails';
const PROPERTIES = [
  'id',
  'userPrincipalName',
  'userDisplayName',
  'userType',
  'isAdmin',
  'isMfaCapable',
  'isMfaRegistered',
  'isPasswordlessCapable',
  'isSsprCapable',
  'isSsprEnabled',
  'isSsprRegistered',
  'isSystemPreferredAuthenticationMethodEnabled',
  'methodsRegistered',
  'systemPreferredAuthenticationMethods',
  'userPreferredMethodForSecondaryAuthentication',
  'lastUpdatedDateTime',
];

function invalidFilter(detail: string): GraphHttpError {
  return new GraphHttpError(400, 'badRequest', `Invalid filter clause: ${detail}`);
}

/** Reports and audit logs need Entra ID P1 or P2; a free tenant gets Graph's 403. */
export function requirePremium(ctx: SimContext): void {
  if (ctx.state.licence !== 'free') return;
  throw new GraphHttpError(
    403,
    'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
    "Neither tenant is B2C or tenant doesn't have premium license",
  );
}

/** The reports service words a missing permission its own way, naming the permission. */
function requireReportsPermission(ctx: SimContext, permission: string): void {
  if (ctx.state.hasPermission(permission)) return;
  throw new GraphHttpError(
    403,
    'Authentication_MSGraphPermissionMissing',
    `Calling principal does not have required MSGraph permissions ${permission}`,
  );
}

/** The registration report: AuditLog.Read.All and a premium licence. */
function requireReportAccess(ctx: SimContext): void {
  requireReportsPermission(ctx, 'AuditLog.Read.All');
  requirePremium(ctx);
}

export function registerReports(router: Router, pageSize: number): void {
  router.on('GET', BASE, (ctx) => {
    requireReportAccess(ctx);
    const q = queryOptions(ctx, ['$top', '$filter', '$skiptoken', '$select']);
    checkSelect(q.select, PROPERTIES, TYPE);
    let rows: RegistrationRow[];
    if (q.filter === undefined) {
      rows = ctx.state.registrationRows();
    } else {
      let keep: (row: RegistrationRow) => boolean;
      try {
        keep = parseRegistrationFilter(q.filter);
      } catch (err) {
        if (err instanceof FilterError) throw invalidFilter(err.message);
        throw err;
      }
      rows = ctx.state.registrationRows({ key: q.filter, keep });
    }
    const p = page(ctx, rows, q, pageSize);
    const select = q.select;
    const value = select ? p.value.map((r) => pick(r, ['id', ...select])) : p.value;
    const context = metadata(ctx, 'reports/authenticationMethods/userRegistrationDetails');
    sendJson(ctx, 200, collection(context, { ...p, value }));
  });

  router.on('GET', `${BASE}/:id`, (ctx) => {
    requireReportAccess(ctx);
    const q = queryOptions(ctx, ['$select']);
    checkSelect(q.select, PROPERTIES, TYPE);
    const id = ctx.params.id!;
    const user = ctx.state.user(id);
    const row = user && user.id === id.toLowerCase() ? ctx.state.registrationRow(user) : undefined;
    if (!row) throw notFound(id);
    const body = q.select ? pick(row, ['id', ...q.select]) : row;
    const context = metadata(ctx, 'reports/authenticationMethods/userRegistrationDetails/$entity');
    sendJson(ctx, 200, { '@odata.context': context, ...body });
  });
}
