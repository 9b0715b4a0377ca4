import { ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import type { z } from 'zod';
import type { Logger } from '../logger';
import { CallInfo, retryAfterMs, TokenAcquisitionError } from './graph-transport';
import { GraphErrorBodySchema, pageOf } from './graph-schemas';
import { formatPath } from './practice';
import { DirectoryError, type DirectoryErrorKind } from './types';

/**
 * One Graph call: send through the client, map every failure to a DirectoryError, parse the
 * answer with a schema. Bodies are never logged (they can hold a Temporary Access Pass).
 */

export interface CallSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** A path under the version (`/users/...`) or an absolute @odata.nextLink. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Non-2xx statuses the caller handles itself (e.g. 409 on app install). */
  accept?: number[];
  /** Graph's API version; v1.0 unless a field or call exists only in beta. */
  version?: 'v1.0' | 'beta';
  /** Request headers such as `ConsistencyLevel: eventual` for advanced queries. */
  headers?: Record<string, string>;
}

export interface RawResult {
  status: number;
  text: string;
  requestId: string | null;
}

type Page<S> = { value: S[]; '@odata.nextLink'?: string };

export interface Parsed<T> {
  data: T;
  status: number;
  requestId: string | null;
}

function kindForStatus(status: number): DirectoryErrorKind {
  if (status === 404) return 'not-found';
  if (status === 401 || status === 403) return 'forbidden';
  if (status === 429) return 'throttled';
  if (status >= 400 && status < 500) return 'invalid-request';
  return 'unavailable';
}

export class GraphCaller {
  constructor(
    private readonly client: Client,
    private readonly origin: string,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {}

  async raw(op: string, spec: CallSpec): Promise<RawResult> {
    const info = new CallInfo();
    const started = Date.now();
    let request = this.client
      .api(spec.path)
      .responseType(ResponseType.RAW)
      .middlewareOptions([info]);
    if (spec.version) request = request.version(spec.version);
    if (spec.headers) request = request.headers(spec.headers);
    if (spec.query) {
      const encoded: Record<string, string> = {};
      for (const [k, v] of Object.entries(spec.query)) encoded[k] = encodeURIComponent(v);
      request = request.query(encoded);
    }
    let response: Response;
    try {
      if (spec.method === 'GET') response = (await request.get()) as Response;
      else if (spec.method === 'POST') response = (await request.post(spec.body ?? {})) as Response;
      else if (spec.method === 'PATCH')
        response = (await request.patch(spec.body ?? {})) as Response;
      else response = (await request.delete()) as Response;
    } catch (err) {
      throw this.transportError(op, info, err);
    }
    const requestId = response.headers.get('request-id');
    let text: string;
    try {
      text = await response.text();
    } catch {
      throw this.fail(op, 'unavailable', `${op}: the answer from Graph was cut off`, { requestId });
    }
    this.logger.debug(
      { op, status: response.status, requestId, attempts: info.attempts, ms: Date.now() - started },
      'graph call',
    );
    if (!response.ok && !spec.accept?.includes(response.status)) {
      throw this.statusError(op, response, text, requestId);
    }
    return { status: response.status, text, requestId };
  }

  async json<T>(op: string, spec: CallSpec, schema: z.ZodType<T>): Promise<Parsed<T>> {
    const result = await this.raw(op, spec);
    const data = this.parse(op, result, schema);
    return { data, status: result.status, requestId: result.requestId };
  }

  /**
   * Follows @odata.nextLink page by page, yielding the mapped, non-empty pages. `beforeRequest`
   * runs before each page is asked for (a caller's rate limit).
   */
  async *pages<S, T>(
    op: string,
    first: CallSpec,
    item: z.ZodType<S>,
    map: (row: S) => T,
    keep: (row: T) => boolean = () => true,
    beforeRequest?: () => Promise<void>,
  ): AsyncGenerator<T[]> {
    const schema: z.ZodType<Page<S>> = pageOf(item);
    let spec: CallSpec | null = first;
    while (spec) {
      await beforeRequest?.();
      const page: Parsed<Page<S>> = await this.json(op, spec, schema);
      const rows = page.data.value.map(map).filter(keep);
      if (rows.length) yield rows;
      const next: string | undefined = page.data['@odata.nextLink'];
      spec = next
        ? { method: 'GET', path: this.checkNextLink(op, next), headers: first.headers }
        : null;
    }
  }

  parse<T>(op: string, result: RawResult, schema: z.ZodType<T>): T {
    let json: unknown;
    try {
      json = JSON.parse(result.text);
    } catch {
      throw this.fail(op, 'malformed-response', `${op}: Graph's answer is not JSON`, {
        statusCode: result.status,
        requestId: result.requestId,
      });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw this.fail(
        op,
        'malformed-response',
        `${op}: unexpected Graph answer at '${formatPath(issue.path)}': ${issue.message}`,
        { statusCode: result.status, requestId: result.requestId },
      );
    }
    return parsed.data;
  }

  private checkNextLink(op: string, link: string): string {
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      throw this.fail(op, 'malformed-response', `${op}: '@odata.nextLink' is not a URL`, {});
    }
    if (url.origin !== this.origin) {
      throw this.fail(op, 'malformed-response', `${op}: '@odata.nextLink' points elsewhere`, {});
    }
    return link;
  }

  private statusError(op: string, response: Response, text: string, requestId: string | null) {
    let code: string | undefined;
    let message = '';
    try {
      const body = GraphErrorBodySchema.safeParse(JSON.parse(text));
      if (body.success) {
        code = body.data.error.code;
        message = body.data.error.message ?? '';
      }
    } catch {
      // not JSON: the status alone says enough
    }
    const status = response.status;
    const kind = kindForStatus(status);
    const retryAfter = retryAfterMs(response.headers);
    const details = {
      statusCode: status,
      code,
      requestId,
      retryAfterSeconds: retryAfter === null ? undefined : Math.ceil(retryAfter / 1000),
    };
    const what = [status, code, message].filter(Boolean).join(' ');
    return this.fail(op, kind, `${op}: Graph answered ${what}`, details);
  }

  private transportError(op: string, info: CallInfo, err: unknown): DirectoryError {
    const cause = info.error ?? err;
    if (cause instanceof TokenAcquisitionError) {
      return this.fail(op, 'forbidden', `${op}: ${cause.message}`, {});
    }
    if (info.timedOut) {
      const message = `${op}: no answer from Graph within ${this.timeoutMs} ms`;
      return this.fail(op, 'unavailable', message, {});
    }
    const inner = (cause as { cause?: { code?: string; message?: string } })?.cause;
    const reason = inner?.code ?? inner?.message ?? (cause as Error)?.message ?? String(cause);
    return this.fail(op, 'unavailable', `${op}: could not reach Graph (${reason})`, {});
  }

  private fail(
    op: string,
    kind: DirectoryErrorKind,
    message: string,
    details: DirectoryError['details'],
  ): DirectoryError {
    const quiet = kind === 'not-found' || kind === 'invalid-request';
    const fields = { op, kind, status: details.statusCode, requestId: details.requestId };
    if (quiet) this.logger.info(fields, 'graph call refused');
    else this.logger.warn(fields, 'graph call failed');
    return new DirectoryError(kind, message, details);
  }
}
