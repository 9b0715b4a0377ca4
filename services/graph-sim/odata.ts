import { badRequest, type SimContext } from './http';

/** OData system query options and server-driven paging, as the stand-in supports them. */

export type QueryOption =
  '$top' | '$filter' | '$select' | '$expand' | '$skiptoken' | '$count' | '$orderby';

export interface QueryOptions {
  top?: number;
  filter?: string;
  select?: string[];
  expand?: string[];
  skiptoken?: string;
  orderby?: string;
}

const MAX_TOP = 999;

/**
 * Reads the $ options of a request; an option the route does not support is a 400. `maxTop` is
 * the largest page a resource allows (the sign-in log allows 1,000).
 */
export function queryOptions(
  ctx: SimContext,
  allowed: readonly QueryOption[],
  maxTop = MAX_TOP,
): QueryOptions {
  const out: QueryOptions = {};
  const seen = new Set<string>();
  for (const [rawKey, value] of ctx.url.searchParams) {
    if (!rawKey.startsWith('$')) continue;
    const key = rawKey.toLowerCase();
    if (seen.has(key)) throw badRequest(`Query option '${rawKey}' was specified more than once.`);
    seen.add(key);
    if (!(allowed as readonly string[]).includes(key)) {
      throw badRequest(`Query option '${rawKey}' is not supported on this resource.`);
    }
    if (key === '$top') {
      const top = Number(value);
      if (!/^\d+$/.test(value) || top < 1 || top > maxTop) {
        throw badRequest(
          `Invalid page size specified: '${value}'. Must be between 1 and ${maxTop}.`,
        );
      }
      out.top = top;
    } else if (key === '$filter') {
      out.filter = value;
    } else if (key === '$select' || key === '$expand') {
      const list = value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (key === '$select') out.select = list;
      else out.expand = list;
    } else if (key === '$skiptoken') {
      out.skiptoken = value;
    } else if (key === '$orderby') {
      out.orderby = value;
    }
  }
  return out;
}

/** Checks $select against the properties a type has, Graph's wording on failure. */
export function checkSelect(
  select: string[] | undefined,
  known: readonly string[],
  type: string,
): void {
  for (const property of select ?? []) {
    if (!known.includes(property)) {
      throw badRequest(`Could not find a property named '${property}' on type '${type}'.`);
    }
  }
}

export function pick(
  object: Record<string, unknown>,
  properties: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of properties) if (p in object) out[p] = object[p];
  return out;
}

function decodeSkipToken(token: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    const offset = (parsed as { o?: unknown }).o;
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through
  }
  throw badRequest('Invalid $skiptoken.');
}

export interface Page<T> {
  value: T[];
  nextLink?: string;
}

/**
 * One page of a collection. The next link is absolute and repeats the request's own $filter,
 * $select, $expand and $top, so following it continues the same query.
 */
export function page<T>(
  ctx: SimContext,
  items: readonly T[],
  options: QueryOptions,
  pageSize: number,
): Page<T> {
  const size = options.top ?? pageSize;
  const offset = options.skiptoken === undefined ? 0 : decodeSkipToken(options.skiptoken);
  const value = items.slice(offset, offset + size);
  if (offset + size >= items.length) return { value };
  const keep: string[] = [];
  for (const [key, v] of ctx.url.searchParams) {
    if (key.toLowerCase() !== '$skiptoken') keep.push(`${key}=${encodeURIComponent(v)}`);
  }
  const token = Buffer.from(JSON.stringify({ o: offset + size })).toString('base64url');
  keep.push(`$skiptoken=${token}`);
  return { value, nextLink: `${ctx.baseUrl}${ctx.url.pathname}?${keep.join('&')}` };
}

/** A collection response body with @odata.context and, when more remain, @odata.nextLink. */
export function collection<T>(context: string, p: Page<T>): Record<string, unknown> {
  const body: Record<string, unknown> = { '@odata.context': context };
  if (p.nextLink) body['@odata.nextLink'] = p.nextLink;
  body.value = p.value;
  return body;
}
