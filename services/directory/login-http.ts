import tls from 'node:tls';
import {
  createHttpHeaders,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { Agent, fetch } from 'undici';

/**
 * An HTTP client for @azure/identity's token requests that trusts one extra CA, for a login
 * host with a private certificate (a private cloud, or the local stand-in in tests). Only these
 * requests trust it; nothing changes for the rest of the process.
 */
export function loginHttpClient(caPem: string): HttpClient {
  const dispatcher = new Agent({ connect: { ca: [...tls.rootCertificates, caPem] } });
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const headers: Record<string, string> = {};
      for (const [name, value] of request.headers) headers[name] = value;
      const body =
        typeof request.body === 'string'
          ? request.body
          : request.body === undefined || request.body === null
            ? undefined
            : String(request.body);
      const res = await fetch(request.url, {
        method: request.method,
        headers,
        body,
        dispatcher,
        signal: request.abortSignal as AbortSignal | undefined,
      });
      const responseHeaders = createHttpHeaders();
      res.headers.forEach((value, name) => responseHeaders.set(name, value));
      return {
        request,
        status: res.status,
        headers: responseHeaders,
        bodyAsText: await res.text(),
      };
    },
  };
}
