/** The tab's API, with the caller's Authorization on every request. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  download(path: string): Promise<{ blob: Blob; filename: string }>;
}

/** `authorization()` gives the header value; on a 401 it is asked once more (a fresh token). */
export function createApi(authorization: (fresh: boolean) => Promise<string>): Api {
  const call = async (path: string, init: RequestInit = {}): Promise<Response> => {
    for (const fresh of [false, true]) {
      const res = await fetch(path, {
        ...init,
        headers: {
          ...(init.headers as Record<string, string>),
          authorization: await authorization(fresh),
        },
        cache: 'no-store',
      });
      if (res.status === 401 && !fresh) continue;
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { error?: string };
        throw new ApiError(res.status, body.error ?? `The dashboard answered ${res.status}.`);
      }
      return res;
    }
    throw new ApiError(401, 'Please sign in again.');
  };
  return {
    async get<T>(path: string) {
      return (await (await call(path)).json()) as T;
    },
    async post<T>(path: string, body: unknown) {
      const res = await call(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await res.json()) as T;
    },
    async download(path: string) {
      const res = await call(path);
      const disposition = res.headers.get('content-disposition') ?? '';
      const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'download.csv';
      return { blob: await res.blob(), filename };
    },
  };
}
