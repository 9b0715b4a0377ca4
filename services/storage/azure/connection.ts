import type { TokenCredential } from '@azure/identity';

/**
 * How the bot reaches its storage account: a connection string (Azurite, or an account key kept
 * in Key Vault), or the account's URL with a token credential (a managed identity on Azure).
 */
export type AzureConnection =
  { connectionString: string } | { tableUrl: string; blobUrl: string; credential: TokenCredential };

const ACCOUNT_HOST = /^([a-z0-9]{3,24})\.(?:table|blob)\.(.+)$/;

/**
 * The table and blob endpoints of an account, from either one's URL
 * (https://<account>.table.core.windows.net or https://<account>.blob.core.windows.net; other
 * clouds differ only in the suffix). Undefined for anything else.
 */
export function accountEndpoints(url: string): { tableUrl: string; blobUrl: string } | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  const match = ACCOUNT_HOST.exec(parsed.hostname);
  if (parsed.protocol !== 'https:' || !match || (parsed.pathname !== '/' && parsed.pathname !== ''))
    return undefined;
  const [, account, suffix] = match;
  return {
    tableUrl: `https://${account}.table.${suffix}`,
    blobUrl: `https://${account}.blob.${suffix}`,
  };
}

/** The endpoints a connection string names, and whether any of them is plain http. */
function connectionEndpoints(connectionString: string): string[] {
  const parts = new Map(
    connectionString
      .split(';')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => {
        const i = p.indexOf('=');
        return [p.slice(0, i).toLowerCase(), p.slice(i + 1)] as const;
      }),
  );
  const endpoints = ['tableendpoint', 'blobendpoint']
    .map((k) => parts.get(k))
    .filter((v): v is string => Boolean(v));
  if (endpoints.length === 0 && parts.get('defaultendpointsprotocol') === 'http')
    endpoints.push('http://');
  return endpoints;
}

/**
 * Why a connection string cannot be used, or undefined. Plain http is only for an emulator on
 * this machine: anywhere else it would send the account key's signatures and the data in clear.
 */
export function connectionStringProblem(connectionString: string): string | undefined {
  if (!/AccountKey=|SharedAccessSignature=/i.test(connectionString)) {
    return 'must hold AccountKey=… or SharedAccessSignature=… (or use AZURE_STORAGE_ACCOUNT_URL with a managed identity)';
  }
  for (const endpoint of connectionEndpoints(connectionString)) {
    if (!endpoint.startsWith('http://')) continue;
    const host = URL.canParse(endpoint) ? new URL(endpoint).hostname : '';
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(host))
      return 'must use https endpoints (http only for an emulator on 127.0.0.1)';
  }
  return undefined;
}

/** Whether the SDK clients must be allowed to speak plain http (an emulator on loopback). */
export function isLocalEmulator(connectionString: string): boolean {
  return connectionEndpoints(connectionString).some((e) => e.startsWith('http://'));
}
