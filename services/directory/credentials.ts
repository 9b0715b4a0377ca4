import fs from 'node:fs';
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import { loginHttpClient } from './login-http';

export interface AccessTokenProvider {
  getAccessToken(): Promise<string>;
}

/** What the Graph credential is built from (the bot's configuration passes its own values). */
export interface GraphCredentialSettings {
  mode: 'demo' | 'production';
  tenantId: string;
  /** A CA trusted for token requests to the login host, when set (PEM file path). */
  loginCaCertPath?: string;
  graph: {
    baseUrl: string;
    authorityHost?: string;
    clientId?: string;
    clientSecret?: string;
    certificatePath?: string;
    managedIdentityClientId?: string;
  };
}

/**
 * How the bot gets tokens for Microsoft Graph. Production uses an Entra credential (managed
 * identity, certificate or secret, in that order of preference); the local demo has no Entra
 * tenant, so its stand-in accepts a fixed bearer token.
 */
export function graphAuthProvider(config: GraphCredentialSettings): AccessTokenProvider {
  if (config.mode === 'demo') return { getAccessToken: async () => 'local-demo-token' };
  const credential = graphCredential(config);
  const scope = `${new URL(config.graph.baseUrl).origin}/.default`;
  return new TokenCredentialAuthenticationProvider(credential, { scopes: [scope] });
}

const MICROSOFT_LOGIN_HOSTS = [
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
];

function isMicrosoftLoginHost(authorityHost: string): boolean {
  return MICROSOFT_LOGIN_HOSTS.includes(new URL(authorityHost).hostname);
}

function graphCredential(config: GraphCredentialSettings): TokenCredential {
  const g = config.graph;
  const loginCa = config.loginCaCertPath
    ? fs.readFileSync(config.loginCaCertPath, 'utf8')
    : undefined;
  const options = {
    ...(g.authorityHost ? { authorityHost: g.authorityHost } : {}),
    // A login host Entra does not know (a private cloud, the test stand-in) cannot be checked
    // against Entra's instance discovery, which lives on the public internet.
    ...(g.authorityHost && !isMicrosoftLoginHost(g.authorityHost)
      ? { disableInstanceDiscovery: true }
      : {}),
    ...(loginCa ? { httpClient: loginHttpClient(loginCa) } : {}),
  };
  if (g.managedIdentityClientId) {
    return new ManagedIdentityCredential({ clientId: g.managedIdentityClientId });
  }
  if (!g.clientId) throw new Error('GRAPH_CLIENT_ID (or MicrosoftAppId) is needed to reach Graph');
  if (g.certificatePath) {
    const pem = fs.readFileSync(g.certificatePath, 'utf8');
    return new ClientCertificateCredential(
      config.tenantId,
      g.clientId,
      { certificate: pem },
      options,
    );
  }
  if (!g.clientSecret)
    throw new Error('GRAPH_CLIENT_SECRET or GRAPH_CERTIFICATE_PATH is needed to reach Graph');
  return new ClientSecretCredential(config.tenantId, g.clientId, g.clientSecret, options);
}
