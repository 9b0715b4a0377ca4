import http from 'node:http';
import https from 'node:https';
import {
  constants,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  sign,
  verify,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { createCertificate } from '../../services/graph-sim/cert';

/**
 * A local stand-in for the identity services a production bot talks to, so production mode
 * runs offline:
 * - Bot Framework's OpenID metadata and signing keys (plain HTTP on 127.0.0.1), whose key signs
 *   the channel tokens tests post to /api/messages;
 * - Entra's common OpenID metadata (same server), publishing the authority's signing key as
 *   login.microsoftonline.com/common does for every tenant: botbuilder checks "emulator" tokens
 *   against it, so a forged token in that form is checked offline as it would be in Azure;
 * - an Entra-style authority over HTTPS (self-signed, trusted by the bot for its token requests
 *   only): OpenID configuration, keys and a client-credentials token endpoint; its key also signs
 *   the Teams SSO tokens the dashboard tab sends (`tabToken`).
 */

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
export const CONNECTOR_AUDIENCE = 'https://api.botframework.com';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const SKEW_SECONDS = 300;

type Json = Record<string, unknown>;
type Reply = [status: number, body: Json];

export interface IssuedToken {
  clientId: string;
  tenantId: string;
  scope: string;
  method: 'secret' | 'certificate';
}

/** Claims of a channel token; serviceurl must equal the activity's serviceUrl to be accepted. */
export type ChannelClaims = { serviceurl: string } & Json;

export interface SignOptions {
  /** 'stranger' signs with a key the metadata does not publish. */
  signer?: 'channel' | 'stranger';
  kid?: string;
  /** 'none' leaves the token unsigned. */
  alg?: 'RS256' | 'none';
}

/** Teams' web client: one of the clients pre-authorized on the tab's access_as_user scope. */
const TEAMS_WEB_CLIENT = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';

export interface TabTokenOptions {
  version?: '1.0' | '2.0';
  /** The Application ID URI a v1 token names as its audience. */
  applicationIdUri?: string;
  signer?: 'tenant' | 'stranger';
  /** A key id other than the tenant's current one. */
  kid?: string;
}

export class LocalIdentity {
  readonly appId = randomUUID();
  readonly appSecret = randomBytes(24).toString('base64url');
  /** The key id channel tokens are signed under (changes when the key rolls). */
  channelKid = `bf-${randomBytes(6).toString('hex')}`;
  /** Token requests the authority granted, oldest first. */
  readonly issued: IssuedToken[] = [];
  /** Every request either server received ("GET /path"). */
  readonly requests: string[] = [];
  caPem = '';
  /** ToBotFromChannelOpenIdMetadataUrl; unique per instance, as botbuilder caches keys by URL. */
  channelMetadataUrl = '';
  /** Entra's common metadata: where botbuilder looks for the keys of "emulator" tokens. */
  entraCommonMetadataUrl = '';
  /** ToChannelFromBotLoginUrl for the bot. */
  loginUrl = '';
  private channelBase = '';
  loginOrigin = '';
  private readonly instance = randomUUID();
  private readonly entraKid = `entra-${randomBytes(6).toString('hex')}`;
  private channelKey = rsaKeyPair();
  /** Keys published besides the current one (the ones rolled out). */
  private readonly retiredChannelKeys: Json[] = [];
  private readonly strangerKey = rsaKeyPair();
  private readonly entraKey = rsaKeyPair();
  private readonly certificates = new Map<string, KeyObject>();
  private servers: Array<http.Server | https.Server> = [];

  constructor(readonly tenantId: string) {}

  async start(): Promise<this> {
    const tls = await createCertificate(new Date());
    this.caPem = tls.cert;
    const plain = http.createServer((req, res) => this.route(req, res, 'channel'));
    const secure = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) =>
      this.route(req, res, 'entra'),
    );
    this.servers = [plain, secure];
    const [plainPort, securePort] = await Promise.all([listen(plain), listen(secure)]);
    this.channelBase = `http://127.0.0.1:${plainPort}/${this.instance}`;
    this.channelMetadataUrl = `${this.channelBase}/.well-known/openid-configuration`;
    this.entraCommonMetadataUrl = `${this.channelBase}/common/v2.0/.well-known/openid-configuration`;
    this.loginOrigin = `https://localhost:${securePort}`;
    this.loginUrl = `${this.loginOrigin}/botframework.com`;
    return this;
  }

  async close(): Promise<void> {
    const closing = this.servers.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    );
    await Promise.all(closing);
  }

  /** Publishes a new channel signing key (keeping the old one published) and signs with it. */
  rollChannelKey(): void {
    this.retiredChannelKeys.push(jwk(this.channelKey.publicKey, this.channelKid, ['msteams']));
    this.channelKey = rsaKeyPair();
    this.channelKid = `bf-${randomBytes(6).toString('hex')}`;
  }

  /** Registers the bot's certificate (PEM) so it may sign in with a client assertion. */
  registerCertificate(certPem: string): void {
    const x509 = new X509Certificate(certPem);
    for (const fingerprint of [x509.fingerprint, x509.fingerprint256]) {
      const thumbprint = Buffer.from(fingerprint.replace(/:/g, ''), 'hex').toString('base64url');
      this.certificates.set(thumbprint, x509.publicKey);
    }
  }

  /** A Bot Framework channel token, valid for this bot unless claims or options say otherwise. */
  channelToken(claims: ChannelClaims, options: SignOptions = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: BOT_FRAMEWORK_ISSUER, aud: this.appId, nbf: now - 60, exp: now + 3600 };
    const header = { alg: options.alg ?? 'RS256', typ: 'JWT', kid: options.kid ?? this.channelKid };
    if (options.alg === 'none') return `${encode(header)}.${encode({ ...payload, ...claims })}.`;
    const key = options.signer === 'stranger' ? this.strangerKey : this.channelKey;
    return signJwt(header, { ...payload, ...claims }, key.privateKey);
  }

  /**
   * A token in the form botbuilder takes for the Bot Framework Emulator's: issued by the Entra
   * tenant it names (`tid`) to the bot's own app, signed with Entra's key, and with no serviceurl
   * claim. Whoever holds the bot's credential can get one from Entra; so can whoever sees a token
   * the bot got with it, when it names the bot as audience too.
   */
  entraToken(claims: Json = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const tid = typeof claims.tid === 'string' ? claims.tid : this.tenantId;
    const payload = {
      iss: `https://sts.windows.net/${tid}/`,
      aud: this.appId,
      appid: this.appId,
      tid,
      ver: '1.0',
      iat: now - 60,
      nbf: now - 60,
      exp: now + 3600,
    };
    const header = { alg: 'RS256', typ: 'JWT', kid: this.entraKid };
    return signJwt(header, { ...payload, ...claims }, this.entraKey.privateKey);
  }

  /**
   * A Teams SSO token for the dashboard tab, as `authentication.getAuthToken()` gets it from the
   * tenant: v2 by default (issuer `{login host}/{tid}/v2.0`, audience the app id), or v1
   * (issuer `https://sts.windows.net/{tid}/`, audience the Application ID URI) with
   * `version: '1.0'`. Claims override the defaults; `signer: 'stranger'` signs with a key the
   * tenant does not publish.
   */
  tabToken(
    user: { id: string; name?: string; upn?: string },
    claims: Json = {},
    options: TabTokenOptions = {},
  ): string {
    const now = Math.floor(Date.now() / 1000);
    const tid = typeof claims.tid === 'string' ? claims.tid : this.tenantId;
    const v1 = options.version === '1.0';
    const payload: Json = {
      iss: v1 ? `https://sts.windows.net/${tid}/` : `${this.loginOrigin}/${tid}/v2.0`,
      aud: v1
        ? (options.applicationIdUri ?? `api://mfa-bot.example.org/${this.appId}`)
        : this.appId,
      tid,
      oid: user.id,
      sub: `sub-${user.id}`,
      name: user.name ?? 'Someone',
      ...(v1
        ? { upn: user.upn, appid: TEAMS_WEB_CLIENT }
        : { preferred_username: user.upn, azp: TEAMS_WEB_CLIENT }),
      scp: 'access_as_user',
      ver: v1 ? '1.0' : '2.0',
      iat: now - 60,
      nbf: now - 60,
      exp: now + 3600,
    };
    const header = { alg: 'RS256', typ: 'JWT', kid: options.kid ?? this.entraKid };
    const key = options.signer === 'stranger' ? this.strangerKey : this.entraKey;
    return signJwt(header, { ...payload, ...claims }, key.privateKey);
  }

  /** Why the bot's outgoing Authorization header is not acceptable; undefined when it is. */
  checkBotToken(authorization: string | undefined, audience = CONNECTOR_AUDIENCE) {
    const match = /^Bearer (\S+)$/.exec(authorization ?? '');
    if (!match?.[1]) return 'no bearer token';
    const jwt = verifyJwt(match[1], this.entraKey.publicKey);
    if (!jwt) return 'signature not from this authority';
    const { header, payload } = jwt;
    const now = Math.floor(Date.now() / 1000);
    if (header.kid !== this.entraKid) return 'unknown key id';
    if (payload.iss !== this.issuer()) return `issuer ${String(payload.iss)}`;
    if (payload.aud !== audience) return `audience ${String(payload.aud)}`;
    if (payload.appid !== this.appId) return `app ${String(payload.appid)}`;
    if (payload.tid !== this.tenantId) return `tenant ${String(payload.tid)}`;
    const expired = Number(payload.exp) < now - SKEW_SECONDS;
    if (expired || Number(payload.nbf) > now + SKEW_SECONDS) return 'outside its lifetime';
    return undefined;
  }

  private issuer(): string {
    return `${this.loginOrigin}/${this.tenantId}/v2.0`;
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse, side: 'channel' | 'entra') {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      this.requests.push(`${method} ${path}`);
      const body = Buffer.concat(chunks).toString('utf8');
      const [status, json] =
        side === 'channel' ? this.channelRoute(path) : this.entraRoute(method, path, body);
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(json));
    });
  }

  private channelRoute(path: string): Reply {
    if (path === `/${this.instance}/.well-known/openid-configuration`) {
      const metadata = {
        issuer: BOT_FRAMEWORK_ISSUER,
        authorization_endpoint: `${this.channelBase}/authorize`,
        jwks_uri: `${this.channelBase}/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      };
      return [200, metadata];
    }
    if (path === `/${this.instance}/keys`) {
      const current = jwk(this.channelKey.publicKey, this.channelKid, ['msteams']);
      return [200, { keys: [...this.retiredChannelKeys, current] }];
    }
    if (path === `/${this.instance}/common/v2.0/.well-known/openid-configuration`) {
      const metadata = {
        issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0',
        jwks_uri: `${this.channelBase}/common/discovery/v2.0/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
      };
      return [200, metadata];
    }
    if (path === `/${this.instance}/common/discovery/v2.0/keys`) {
      return [200, { keys: [jwk(this.entraKey.publicKey, this.entraKid)] }];
    }
    return [404, { error: 'not_found' }];
  }

  private entraRoute(method: string, path: string, body: string): Reply {
    const [tenant = '', ...rest] = path.split('/').filter(Boolean);
    const route = `${method} ${rest.join('/')}`;
    const base = `${this.loginOrigin}/${tenant}`;
    if (route === 'GET v2.0/.well-known/openid-configuration') {
      const metadata = {
        issuer: `${base}/v2.0`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        token_endpoint: `${base}/oauth2/v2.0/token`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'token'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
      };
      return [200, metadata];
    }
    if (route === 'GET discovery/v2.0/keys') {
      return [200, { keys: [jwk(this.entraKey.publicKey, this.entraKid)] }];
    }
    if (route === 'POST oauth2/v2.0/token') return this.token(tenant, new URLSearchParams(body));
    return [404, { error: 'not_found' }];
  }

  /** The client-credentials grant, as Entra answers it. */
  private token(tenant: string, form: URLSearchParams): Reply {
    const refuse = (status: number, error: string, description: string): Reply => [
      status,
      { error, error_description: description },
    ];
    if (tenant !== this.tenantId) return refuse(400, 'invalid_request', `unknown tenant ${tenant}`);
    if (form.get('grant_type') !== 'client_credentials') {
      return refuse(400, 'unsupported_grant_type', 'only client_credentials');
    }
    const clientId = form.get('client_id') ?? '';
    if (clientId !== this.appId) {
      return refuse(400, 'unauthorized_client', `unknown app ${clientId}`);
    }
    const endpoint = `${this.loginOrigin}/${tenant}/oauth2/v2.0/token`;
    const method = this.clientAuthentication(form, endpoint);
    if (!method) return refuse(401, 'invalid_client', 'the secret or assertion is not valid');
    const scope = (form.get('scope') ?? '').split(' ').find((s) => s.endsWith('/.default'));
    if (!scope) return refuse(400, 'invalid_scope', 'a /.default scope is required');
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      aud: scope.slice(0, -'/.default'.length),
      iss: this.issuer(),
      iat: now,
      nbf: now,
      exp: now + 3600,
      appid: clientId,
      azp: clientId,
      sub: clientId,
      tid: tenant,
      idtyp: 'app',
      ver: '2.0',
    };
    this.issued.push({ clientId, tenantId: tenant, scope, method });
    const header = { alg: 'RS256', typ: 'JWT', kid: this.entraKid };
    const accessToken = signJwt(header, claims, this.entraKey.privateKey);
    return [200, { token_type: 'Bearer', expires_in: 3599, access_token: accessToken }];
  }

  private clientAuthentication(form: URLSearchParams, endpoint: string) {
    const secret = form.get('client_secret');
    if (secret !== null) return secret === this.appSecret ? 'secret' : undefined;
    const assertion = form.get('client_assertion');
    if (form.get('client_assertion_type') !== JWT_BEARER || !assertion) return undefined;
    const header = decodePart(assertion.split('.')[0] ?? '');
    const key = this.certificates.get(String(header?.['x5t#S256'] ?? header?.x5t ?? ''));
    const payload = key ? verifyJwt(assertion, key)?.payload : undefined;
    if (!payload) return undefined;
    const now = Math.floor(Date.now() / 1000);
    const fresh = Number(payload.exp) > now && Number(payload.nbf ?? 0) <= now + SKEW_SECONDS;
    const forUs =
      payload.aud === endpoint && payload.iss === this.appId && payload.sub === this.appId;
    return fresh && forUs ? 'certificate' : undefined;
  }
}

export async function startIdentity(tenantId: string): Promise<LocalIdentity> {
  return new LocalIdentity(tenantId).start();
}

function rsaKeyPair(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

function jwk(key: KeyObject, kid: string, endorsements?: string[]): Json {
  const { kty, n, e } = key.export({ format: 'jwk' });
  return { kty, use: 'sig', alg: 'RS256', kid, n, e, ...(endorsements ? { endorsements } : {}) };
}

function encode(part: Json): string {
  return Buffer.from(JSON.stringify(part)).toString('base64url');
}

function decodePart(part: string): Json | undefined {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return value && typeof value === 'object' ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

function signJwt(header: Json, payload: Json, key: KeyObject): string {
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

/** Checks an RS256 or PS256 signature; returns the decoded parts when it holds. */
function verifyJwt(token: string, key: KeyObject): { header: Json; payload: Json } | undefined {
  const [h = '', p = '', s = ''] = token.split('.');
  const header = decodePart(h);
  const payload = decodePart(p);
  if (!header || !payload || !s) return undefined;
  const data = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(s, 'base64url');
  const pss = {
    key,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: constants.RSA_PSS_SALTLEN_AUTO,
  };
  const ok =
    (header.alg === 'RS256' && verify('sha256', data, key, signature)) ||
    (header.alg === 'PS256' && verify('sha256', data, pss, signature));
  return ok ? { header, payload } : undefined;
}

function listen(server: http.Server | https.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
}
