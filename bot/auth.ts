import tls from 'node:tls';
import fs from 'node:fs';
import { X509Certificate } from 'node:crypto';
import {
  CallerIdConstants,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
} from 'botbuilder';
import {
  AuthenticationConstants,
  type BotFrameworkAuthentication,
  type ServiceClientCredentials,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import {
  ConfidentialClientApplication,
  LogLevel,
  type Configuration,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import { Agent, fetch } from 'undici';
import type { AppConfig } from './config';
import type { AuditLog } from '../services/audit/log';
import type { Clock } from '../services/clock';
import type { Logger } from '../services/logger';
import { RateLimiter } from '../services/ratelimit';
import { ChannelAuthentication } from './channel-auth';
import { ChannelTokenVerifier } from './channel-token';
import { ServiceUrlBoundCredentials, ServiceUrlPolicy } from './service-urls';

/**
 * How the bot proves who it is and checks who calls it. Inbound (production): a Bot Framework
 * channel token checked against the OpenID metadata it is pointed at, for this bot and this
 * activity's serviceUrl, and nothing else. Outbound: MSAL gets the bot's token from the
 * configured login authority, so national clouds (and a local token endpoint in offline tests)
 * work without asking login.microsoftonline.com for instance discovery; the token goes only to
 * serviceUrl hosts on SERVICE_URL_HOSTS.
 */

type AuthSettings = Record<string, string | undefined>;
type WebResource = Parameters<ServiceClientCredentials['signRequest']>[0];

/** Public-cloud values for the settings botbuilder needs all of once any one of them is set. */
const PUBLIC_CLOUD: Record<string, string> = {
  ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
  ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
  ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
  ToBotFromChannelOpenIdMetadataUrl: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
  ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
  OAuthUrl: AuthenticationConstants.OAuthUrl,
  CallerId: CallerIdConstants.PublicAzureChannel,
};

/** Audit records refused tokens may cause per minute (a flood still gets its log lines). */
const AUDITED_REFUSALS_PER_MINUTE = 60;

export interface AuthDependencies {
  logger: Logger;
  /** Where refused tokens are recorded (production). */
  audit: AuditLog;
  clock: Clock;
}

/** The demo has no authentication at all (and listens on this machine only). */
export function createBotAuthentication(
  config: AppConfig,
  { logger, audit, clock }: AuthDependencies,
): BotFrameworkAuthentication {
  if (config.mode === 'demo')
    return new ConfigurationBotFrameworkAuthentication(config.bot.authSettings);
  const settings = withCloudDefaults(config.bot.authSettings);
  const serviceUrls = new ServiceUrlPolicy(config.bot.serviceUrlHosts);
  const factory = new ServiceUrlBoundCredentials(
    credentialsFactory(config, settings, logger),
    serviceUrls,
    logger,
  );
  const verifier = new ChannelTokenVerifier({
    appId: config.bot.appId,
    issuer: String(settings.ToBotFromChannelTokenIssuer),
    metadataUrl: String(settings.ToBotFromChannelOpenIdMetadataUrl),
  });
  const auditLimit = new RateLimiter(AUDITED_REFUSALS_PER_MINUTE, AUDITED_REFUSALS_PER_MINUTE, () =>
    clock.now().getTime(),
  );
  return new ChannelAuthentication(settings, factory, {
    verifier,
    serviceUrls,
    audit,
    auditLimit,
    logger,
  });
}

/** Fills every unset endpoint with its public-cloud value (botbuilder takes one as all). */
export function withCloudDefaults(settings: AuthSettings): AuthSettings {
  const set = Object.entries(settings).filter(([, v]) => v !== undefined && v !== '');
  return { ...PUBLIC_CLOUD, ...Object.fromEntries(set) };
}

export function credentialsFactory(
  config: AppConfig,
  settings: AuthSettings,
  logger: Logger,
): ServiceClientCredentialsFactory {
  if (config.bot.appType === 'UserAssignedMsi') {
    return new ConfigurationServiceClientCredentialFactory(settings);
  }
  const thumbprint = settings.CertificateThumbprint;
  const privateKey = settings.CertificatePrivateKey;
  return new MsalCredentialsFactory({
    appId: config.bot.appId,
    appType: config.bot.appType,
    tenantId: config.tenantId,
    secret: settings.MicrosoftAppPassword,
    certificate: thumbprint && privateKey ? { thumbprint, privateKey } : undefined,
    caPem: config.bot.loginCaCertPath ? readCa(config.bot.loginCaCertPath) : undefined,
    logger,
  });
}

export interface MsalCredentialsOptions {
  appId: string;
  appType: AppConfig['bot']['appType'];
  tenantId: string;
  secret?: string;
  /** SHA-1 or SHA-256 thumbprint in hex (or the PEM certificate itself) and the PEM private key. */
  certificate?: { thumbprint: string; privateKey: string };
  /** The only CA trusted for these token requests, when set. */
  caPem?: string;
  logger: Logger;
}

/** The bot's outgoing credentials: one MSAL client per login authority, secret or certificate. */
export class MsalCredentialsFactory implements ServiceClientCredentialsFactory {
  private readonly clients = new Map<string, ConfidentialClientApplication>();
  private readonly network: INetworkModule | undefined;

  constructor(private readonly options: MsalCredentialsOptions) {
    if (!options.secret && !options.certificate) {
      throw new Error('MicrosoftAppPassword or a certificate is needed for the bot to get tokens');
    }
    this.network = options.caPem ? trustingNetworkClient(options.caPem) : undefined;
  }

  async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.options.appId;
  }

  async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }

  async createCredentials(
    appId: string,
    audience: string | undefined,
    loginEndpoint: string,
  ): Promise<ServiceClientCredentials> {
    if (appId !== this.options.appId) throw new Error('Invalid appId.');
    const authority = this.authorityFor(loginEndpoint);
    let client = this.clients.get(authority);
    if (!client) {
      client = new ConfidentialClientApplication(this.msalConfig(authority));
      this.clients.set(authority, client);
    }
    const scope = toScope(audience ?? AuthenticationConstants.ToChannelFromBotOAuthScope);
    return new MsalBearer(client, scope);
  }

  /** A single-tenant bot signs in at its own tenant on the configured cloud's login host. */
  authorityFor(loginEndpoint: string | undefined): string {
    const url = new URL(loginEndpoint || AuthenticationConstants.ToChannelFromBotLoginUrl);
    if (this.options.appType === 'SingleTenant') return `${url.origin}/${this.options.tenantId}`;
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  }

  toJSON(): Record<string, string> {
    return { name: 'MsalCredentialsFactory', appId: this.options.appId };
  }

  private msalConfig(authority: string): Configuration {
    const { appId, secret, certificate, logger } = this.options;
    const system: Configuration['system'] = {
      loggerOptions: {
        logLevel: LogLevel.Warning,
        piiLoggingEnabled: false,
        loggerCallback: (level, message, containsPii) => {
          if (containsPii) return;
          if (level === LogLevel.Error) logger.warn({ source: 'msal' }, message);
          else logger.debug({ source: 'msal' }, message);
        },
      },
    };
    if (this.network) system.networkClient = this.network;
    return {
      auth: {
        clientId: appId,
        authority,
        // Trust this authority host as it is: no instance discovery at login.microsoftonline.com.
        knownAuthorities: [new URL(authority).host],
        ...(certificate
          ? { clientCertificate: msalCertificate(certificate) }
          : { clientSecret: secret }),
      },
      system,
    };
  }
}

/** Signs each connector request with a bearer token from MSAL (cached until near expiry). */
class MsalBearer implements ServiceClientCredentials {
  constructor(
    private readonly client: ConfidentialClientApplication,
    private readonly scope: string,
  ) {}

  async signRequest(request: WebResource): Promise<WebResource> {
    request.headers.set('authorization', `Bearer ${await this.getToken()}`);
    return request;
  }

  async getToken(): Promise<string> {
    const result = await this.client.acquireTokenByClientCredential({ scopes: [this.scope] });
    if (!result?.accessToken) {
      throw new Error('No token for the Bot Connector service was received');
    }
    return result.accessToken;
  }

  toJSON(): Record<string, string> {
    return { name: 'MsalBearer', scope: this.scope };
  }
}

function toScope(audience: string): string {
  return audience.endsWith('/.default') ? audience : `${audience.replace(/\/+$/, '')}/.default`;
}

/** botbuilder's CertificateThumbprint: a hex thumbprint (SHA-1 or SHA-256) or the certificate. */
function msalCertificate({ thumbprint, privateKey }: { thumbprint: string; privateKey: string }) {
  if (thumbprint.includes('-----BEGIN CERTIFICATE-----')) {
    const sha256 = new X509Certificate(thumbprint).fingerprint256.replace(/:/g, '');
    return { thumbprintSha256: sha256, privateKey, x5c: thumbprint };
  }
  const hex = thumbprint.replace(/[:\s]/g, '');
  if (hex.length === 64) return { thumbprintSha256: hex, privateKey };
  return { thumbprint: hex, privateKey };
}

/** MSAL's HTTP calls through a dispatcher of their own that trusts this CA alone. */
function trustingNetworkClient(caPem: string, timeoutMs = 10_000): INetworkModule {
  const dispatcher = new Agent({ connect: { ca: [...tls.rootCertificates, caPem] } });
  const send = async <T>(
    method: 'GET' | 'POST',
    url: string,
    options: NetworkRequestOptions = {},
    timeout = timeoutMs,
  ): Promise<NetworkResponse<T>> => {
    const res = await fetch(url, {
      method,
      headers: options.headers,
      body: options.body,
      dispatcher,
      signal: AbortSignal.timeout(timeout),
    });
    const text = await res.text();
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: res.status, headers, body: (text ? JSON.parse(text) : {}) as T };
  };
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) =>
      send<T>('GET', url, options, timeout),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) =>
      send<T>('POST', url, options),
  };
}

function readCa(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read LOGIN_CA_CERT_PATH (${file}): ${(err as Error).message}`, {
      cause: err,
    });
  }
}
