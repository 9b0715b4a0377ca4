import { FilterError, type Predicate } from '../filters';
import { GraphHttpError, notFound, sendJson, type SimContext } from '../http';
import {
  BETA_SIGN_IN_FILTER_FIELDS,
  parseLogFilter,
  RISK_FILTER_FIELDS,
  SIGN_IN_FILTER_FIELDS,
  type FieldRule,
} from '../log-filters';
import { collection, page, queryOptions } from '../odata';
import type { Router } from '../router';
import { BETA_ONLY_FIELDS, type SimSignIn } from '../signin-log';
import { requirePremium } from './reports';

/**
 * The sign-in log (v1.0 and beta: beta adds the MFA detail) and Identity Protection's risk
 * detections. Both need Entra ID P1/P2 and their own application permission; both page newest
 * first and filter as Graph documents.
 */

/** The sign-in log's largest (and default) page. */
const SIGN_IN_MAX_PAGE = 1000;

type Version = 'v1.0' | 'beta';

/** The app lacks an application permission: the 403 Graph gives for the audit log. */
function requirePermission(ctx: SimContext, permission: string): void {
  if (ctx.state.hasPermission(permission)) return;
  throw new GraphHttpError(
    403,
    'Authentication_MSGraphPermissionMissing',
    `Calling principal does not have required MSGraph permissions ${permission}`,
  );
}

function filterOf(text: string | undefined, fields: Record<string, FieldRule>): Predicate {
  if (text === undefined) return () => true;
  try {
    return parseLogFilter(text, fields);
  } catch (err) {
    if (err instanceof FilterError) {
      throw new GraphHttpError(400, 'BadRequest', `Invalid filter clause: ${err.message}`);
    }
    throw err;
  }
}

function ordered<T>(newestFirst: T[], orderby: string | undefined, field: string): T[] {
  if (orderby === undefined) return newestFirst;
  const match = new RegExp(`^\\s*${field}(\\s+(asc|desc))?\\s*$`, 'i').exec(orderby);
  if (!match)
    throw new GraphHttpError(400, 'BadRequest', `Ordering by '${orderby}' is not supported.`);
  return (match[2] ?? 'asc').toLowerCase() === 'desc' ? newestFirst : [...newestFirst].reverse();
}

function view(signIn: SimSignIn, version: Version): Record<string, unknown> {
  const row: Record<string, unknown> = { ...signIn };
  if (version === 'v1.0') for (const field of BETA_ONLY_FIELDS) delete row[field];
  return row;
}

const context = (ctx: SimContext, version: Version, fragment: string) =>
  `${ctx.baseUrl}/${version}/$metadata#${fragment}`;

function listSignIns(ctx: SimContext, version: Version, pageSize: number): void {
  requirePremium(ctx);
  requirePermission(ctx, 'AuditLog.Read.All');
  const q = queryOptions(ctx, ['$top', '$filter', '$skiptoken', '$orderby'], SIGN_IN_MAX_PAGE);
  const fields = version === 'beta' ? BETA_SIGN_IN_FILTER_FIELDS : SIGN_IN_FILTER_FIELDS;
  const keep = filterOf(q.filter, fields);
  const rows = ordered(ctx.state.signInLog.signInsNewestFirst(), q.orderby, 'createdDateTime')
    .map((s) => view(s, version))
    .filter(keep);
  const p = page(ctx, rows, q, pageSize);
  sendJson(ctx, 200, collection(context(ctx, version, 'auditLogs/signIns'), p));
}

function getSignIn(ctx: SimContext, version: Version): void {
  requirePremium(ctx);
  requirePermission(ctx, 'AuditLog.Read.All');
  const id = ctx.params.id!;
  const signIn = ctx.state.signInLog.signIn(id);
  if (!signIn) throw notFound(id);
  sendJson(ctx, 200, {
    '@odata.context': context(ctx, version, 'auditLogs/signIns/$entity'),
    ...view(signIn, version),
  });
}

function listRiskDetections(ctx: SimContext, version: Version, pageSize: number): void {
  requirePremium(ctx);
  requirePermission(ctx, 'IdentityRiskEvent.Read.All');
  const q = queryOptions(ctx, ['$top', '$filter', '$skiptoken']);
  const keep = filterOf(q.filter, RISK_FILTER_FIELDS);
  const rows = ctx.state.signInLog
    .riskDetectionsNewestFirst()
    .map((r) => ({ ...r }) as Record<string, unknown>)
    .filter(keep);
  const p = page(ctx, rows, q, pageSize);
  sendJson(ctx, 200, collection(context(ctx, version, 'identityProtection/riskDetections'), p));
}

export function registerSignIns(router: Router, pageSize: number): void {
  for (const version of ['v1.0', 'beta'] as const) {
    router.on('GET', `/${version}/auditLogs/signIns`, (ctx) => listSignIns(ctx, version, pageSize));
    router.on('GET', `/${version}/auditLogs/signIns/:id`, (ctx) => getSignIn(ctx, version));
    router.on('GET', `/${version}/identityProtection/riskDetections`, (ctx) =>
      listRiskDetections(ctx, version, pageSize),
    );
  }
}
