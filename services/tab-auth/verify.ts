import jwt from 'jsonwebtoken';
import { z } from 'zod';
import type { SigningKeys } from './keys';

/**
 * Who is calling the tab's API. In Teams, the page sends the Entra access token that
 * `authentication.getAuthToken()` gave it; it proves who the user is to this API only (it is not
 * a Graph token: the server reads Graph with its own app).
 */
export interface TabCaller {
  /** Entra object id. */
  id: string;
  name: string;
  upn?: string;
  /** Signed in with the local demo's sign-in, not a Teams token. */
  demo: boolean;
}

export interface TabAuthenticator {
  /** The caller an Authorization header proves; throws TabAuthError when it proves nobody. */
  identify(authorization: string | undefined): Promise<TabCaller>;
}

export type TabAuthReason =
  | 'missing'
  | 'malformed'
  | 'unknown-key'
  | 'signature'
  | 'expired'
  | 'not-yet-valid'
  | 'audience'
  | 'issuer'
  | 'tenant'
  | 'scope'
  | 'not-a-user'
  | 'not-admin';

/** A refusal: 401 when the token proves nobody, 403 when it proves someone who may not look. */
export class TabAuthError extends Error {
  readonly status: 401 | 403;

  constructor(readonly reason: TabAuthReason) {
    super(`tab request refused: ${reason}`);
    this.name = 'TabAuthError';
    this.status = reason === 'not-admin' ? 403 : 401;
  }
}

/** The signing keys could not be read: nobody can be checked, so the API answers 503. */
export class TabKeysUnavailable extends Error {
  constructor(override readonly cause: unknown) {
    super('the tenant signing keys could not be read');
    this.name = 'TabKeysUnavailable';
  }
}

/** The scope the app exposes for Teams (Expose an API → access_as_user). */
const TAB_SCOPE = 'access_as_user';
/** Clock skew allowed on exp and nbf, as Bot Framework allows for channel tokens. */
const SKEW_SECONDS = 300;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const Claims = z
  .object({
    iss: z.string(),
    tid: z.string(),
    oid: z.string().optional(),
    scp: z.string().optional(),
    ver: z.enum(['1.0', '2.0']),
    exp: z.number(),
    name: z.string().optional(),
    preferred_username: z.string().optional(),
    upn: z.string().optional(),
  })
  .loose();

export interface TabTokenSettings {
  tenantId: string;
  /**
   * Audiences that name this app's API: the app (client) id, which v2 tokens carry, and the
   * Application ID URI (api://host/app-id), which v1 tokens carry when it was asked for.
   */
  audiences: readonly string[];
}

/**
 * Checks a Teams SSO token: RS256 signed by one of the tenant's published keys, for this app's
 * API, issued by the practice's tenant (v1 or v2 issuer), in its lifetime, with the
 * access_as_user scope, for a user. Any failure is a 401 with the reason kept for the log.
 */
export class TabTokenVerifier implements TabAuthenticator {
  constructor(
    private readonly keys: SigningKeys,
    private readonly settings: TabTokenSettings,
  ) {}

  async identify(authorization: string | undefined): Promise<TabCaller> {
    const token = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(
      authorization ?? '',
    )?.[1];
    if (!token) throw new TabAuthError(authorization ? 'malformed' : 'missing');
    const decoded = jwt.decode(token, { complete: true });
    const kid = decoded?.header.kid;
    if (!decoded || decoded.header.alg !== 'RS256' || !kid) throw new TabAuthError('malformed');
    let key;
    let v2Issuer: string;
    try {
      key = await this.keys.key(kid);
      v2Issuer = await this.keys.issuer();
    } catch (err) {
      throw new TabKeysUnavailable(err);
    }
    if (!key) throw new TabAuthError('unknown-key');
    let payload: unknown;
    try {
      payload = jwt.verify(token, key, {
        algorithms: ['RS256'],
        audience: [...this.settings.audiences] as [string, ...string[]],
        clockTolerance: SKEW_SECONDS,
      });
    } catch (err) {
      throw new TabAuthError(reasonOf(err));
    }
    const parsed = Claims.safeParse(payload);
    if (!parsed.success) throw new TabAuthError('malformed');
    const claims = parsed.data;
    if (claims.tid !== this.settings.tenantId) throw new TabAuthError('tenant');
    const issuer =
      claims.ver === '2.0' ? v2Issuer : `https://sts.windows.net/${this.settings.tenantId}/`;
    if (claims.iss !== issuer) throw new TabAuthError('issuer');
    if (!(claims.scp ?? '').split(' ').includes(TAB_SCOPE)) throw new TabAuthError('scope');
    if (!claims.oid || !GUID.test(claims.oid)) throw new TabAuthError('not-a-user');
    const upn = claims.preferred_username ?? claims.upn;
    return { id: claims.oid.toLowerCase(), name: claims.name ?? upn ?? '', upn, demo: false };
  }
}

function reasonOf(err: unknown): TabAuthReason {
  if (err instanceof jwt.TokenExpiredError) return 'expired';
  if (err instanceof jwt.NotBeforeError) return 'not-yet-valid';
  const message = err instanceof Error ? err.message : '';
  if (message.startsWith('jwt audience invalid')) return 'audience';
  if (message === 'invalid signature') return 'signature';
  return 'malformed';
}
