import fs from 'node:fs';
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import type { AppConfig } from '../../bot/config';

export interface AccessTokenProvider {
  getAccessToken(): Promise<string>;
}

/**
 * How the bot gets tokens for Microsoft Graph. Production uses an Entra credential (managed
 * identity, certificate or secret, in that order of preference); the local demo has no Entra
 * tenant, so its stand-in accepts a fixed bearer token.
 */
export function graphAuthProvider(config: AppConfig): AccessTokenProvider {
  if (config.mode === 'demo') return { getAccessToken: async () => 'local-demo-token' };
  const credential = graphCredential(config);
  const scope = `${new URL(config.graph.baseUrl).origin}/.default`;
  return new TokenCredentialAuthenticationProvider(credential, { scopes: [scope] });
}

function graphCredential(config: AppConfig): TokenCredential {
  const g = config.graph;
  const options = g.authorityHost ? { authorityHost: g.authorityHost } : {};
  if (g.managedIdentityClientId) {
    return new ManagedIdentityCredential({ clientId: g.managedIdentityClientId });
  }
  if (!g.clientId) throw new Error('GRAPH_CLIENT_ID (or MicrosoftAppId) is needed to reach Graph');
  if (g.certificatePath) {
    const pem = fs.readFileSync(g.certificatePath, 'utf8');
    return new ClientCertificateCredential(config.tenantId, g.clientId, { certificate: pem }, options);
  }
  if (!g.clientSecret) throw new Error('GRAPH_CLIENT_SECRET or GRAPH_CERTIFICATE_PATH is needed to reach Graph');
  return new ClientSecretCredential(config.tenantId, g.clientId, g.clientSecret, options);
}
