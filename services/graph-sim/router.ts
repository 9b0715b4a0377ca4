import { badRequest, GraphHttpError, type Handler } from './http';

/** A small path router: literal segments match case-insensitively, `:name` captures one. */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Route {
  method: Method;
  segments: string[];
  handler: Handler;
}

export type RouteMatch =
  | { kind: 'found'; handler: Handler; params: Record<string, string> }
  | { kind: 'wrong-method'; allowed: Method[] }
  | { kind: 'none' };

export function splitPath(pathname: string): string[] {
  try {
    return pathname
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
  } catch {
    throw badRequest('The request URL is not valid.');
  }
}

export class Router {
  private readonly routes: Route[] = [];

  on(method: Method, pattern: string, handler: Handler): this {
    this.routes.push({ method, segments: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  match(method: string, segments: string[]): RouteMatch {
    const allowed: Method[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.method === method) return { kind: 'found', handler: route.handler, params };
      allowed.push(route.method);
    }
    return allowed.length ? { kind: 'wrong-method', allowed } : { kind: 'none' };
  }
}

function matchSegments(pattern: string[], path: string[]): Record<string, string> | null {
  if (pattern.length !== path.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i += 1) {
    const p = pattern[i]!;
    const s = path[i]!;
    if (p.startsWith(':')) params[p.slice(1)] = s;
    else if (p.toLowerCase() !== s.toLowerCase()) return null;
  }
  return params;
}

export function methodNotAllowed(allowed: Method[]): GraphHttpError {
  return new GraphHttpError(
    405,
    'Request_BadRequest',
    'Specified HTTP method is not allowed for the request target.',
    { allow: [...new Set(allowed)].join(', ') },
  );
}

export function unknownSegment(segments: string[]): GraphHttpError {
  const last = segments[segments.length - 1] ?? '';
  return badRequest(`Resource not found for the segment '${last}'.`);
}
