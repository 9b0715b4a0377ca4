import type {
  ServiceClientCredentials,
  ServiceClientCredentialsFactory,
} from 'botframework-connector';
import type { Logger } from '../services/logger';

/**
 * Where the bot may send its Bot Connector token. Every reply and proactive message goes to the
 * activity's (or the saved conversation's) serviceUrl with the bot's bearer token attached, so a
 * serviceUrl an attacker chose would hand them that token. Only Teams' own hosts are trusted.
 */

/**
 * Teams' connector hosts in the public cloud (all regions are paths under
 * smba.trafficmanager.net), GCC, GCC High and DoD: the list the Teams SDK validates against.
 */
export const DEFAULT_SERVICE_URL_HOSTS: readonly string[] = [
  'smba.trafficmanager.net',
  'smba.onyx.prod.teams.trafficmanager.net',
  'smba.infra.gcc.teams.microsoft.com',
  'smba.infra.gov.teams.microsoft.us',
  'smba.infra.dod.teams.microsoft.us',
];

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Why a SERVICE_URL_HOSTS entry is not usable; undefined when it is. */
export function hostPatternProblem(pattern: string): string | undefined {
  if (/[/:@\s]/.test(pattern)) return 'a host name only, without scheme, port or path';
  const wildcard = pattern.startsWith('*.');
  const labels = (wildcard ? pattern.slice(2) : pattern).split('.');
  if (labels.some((label) => !LABEL.test(label))) {
    return 'a host name, or *. followed by one (as in *.example.org)';
  }
  // "*.org" would trust every host under a public suffix.
  if (wildcard && labels.length < 2) return 'keep at least two labels after *.';
  return undefined;
}

export class ServiceUrlPolicy {
  private readonly exact: Set<string>;
  private readonly suffixes: string[];

  constructor(patterns: readonly string[]) {
    const lower = patterns.map((p) => p.toLowerCase());
    this.exact = new Set(lower.filter((p) => !p.startsWith('*.')));
    this.suffixes = lower.filter((p) => p.startsWith('*.')).map((p) => p.slice(1));
  }

  /** Why the bot must not send its token to this serviceUrl; undefined when it may. */
  refusal(serviceUrl: string | undefined): string | undefined {
    if (!serviceUrl || !URL.canParse(serviceUrl)) return 'the serviceUrl is not a URL';
    const { protocol, hostname } = new URL(serviceUrl);
    const host = hostname.toLowerCase();
    if (protocol !== 'https:' && !(protocol === 'http:' && LOOPBACK.has(host))) {
      return `the serviceUrl is not https (${protocol})`;
    }
    if (this.exact.has(host) || this.suffixes.some((suffix) => host.endsWith(suffix))) {
      return undefined;
    }
    return `${host} is not on SERVICE_URL_HOSTS`;
  }
}

type WebResource = Parameters<ServiceClientCredentials['signRequest']>[0];

/**
 * The bot's outgoing credentials, refusing to sign a request for a host the policy does not
 * trust. Every way a token leaves the bot (replies, proactive messages, new conversations,
 * updates) is signed here, so this is the one place the allow-list cannot be walked around;
 * a refused request fails before any token is even fetched.
 */
export class ServiceUrlBoundCredentials implements ServiceClientCredentialsFactory {
  constructor(
    private readonly inner: ServiceClientCredentialsFactory,
    private readonly policy: ServiceUrlPolicy,
    private readonly logger: Logger,
  ) {}

  isValidAppId(appId: string): Promise<boolean> {
    return this.inner.isValidAppId(appId);
  }

  isAuthenticationDisabled(): Promise<boolean> {
    return this.inner.isAuthenticationDisabled();
  }

  async createCredentials(
    appId: string,
    audience: string | undefined,
    loginEndpoint: string,
    validateAuthority: boolean,
  ): Promise<ServiceClientCredentials> {
    const credentials = await this.inner.createCredentials(
      appId,
      audience,
      loginEndpoint,
      validateAuthority,
    );
    return {
      signRequest: async (request: WebResource) => {
        const problem = this.policy.refusal(request.url);
        if (problem) {
          this.logger.warn({ problem }, 'not sending the bot’s token to that serviceUrl');
          throw new Error(`not sending the bot’s token: ${problem}`);
        }
        return credentials.signRequest(request);
      },
    };
  }

  toJSON(): Record<string, string> {
    return { name: 'ServiceUrlBoundCredentials' };
  }
}
