import type { Agent } from 'undici';
import { z } from 'zod';
import { silentLogger, type Logger } from '../logger';
import { GraphCaller, type CallSpec } from '../directory/graph-caller';
import { pageOf } from '../directory/graph-schemas';
import {
  createGraphClient,
  graphRoot,
  type AccessTokenProvider,
} from '../directory/graph-transport';
import { DirectoryError } from '../directory/types';
import type { FraudReport, MfaMethod, MfaStep, SignInEvent } from './model';

/**
 * Reads the sign-in log (beta, for the MFA detail v1.0 lacks) and the fraud reports people make
 * from Authenticator (Identity Protection risk detections), one page per call. The caller drives
 * paging, throttling and retries: this client never retries on its own.
 */

export type PageRequest = { from: Date; to: Date; pageSize: number } | { next: string };

export interface ReadPage<T> {
  items: T[];
  next: string | null;
}

export interface SignInReader {
  signInPage(request: PageRequest): Promise<ReadPage<SignInEvent>>;
  fraudReportPage(request: PageRequest): Promise<ReadPage<FraudReport>>;
}

const text = z.string().nullable().optional();
const LocationSchema = z
  .object({ city: text, state: text, countryOrRegion: text })
  .nullable()
  .optional();

const SignInRowSchema = z.object({
  id: z.string().min(1),
  createdDateTime: z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'not a date-time'),
  userId: z.string().min(1),
  userPrincipalName: text,
  userDisplayName: text,
  appDisplayName: text,
  ipAddress: text,
  status: z.object({ errorCode: z.number().int() }),
  location: LocationSchema,
  authenticationDetails: z
    .array(
      z.object({
        authenticationMethod: text,
        succeeded: z.boolean().nullable().optional(),
        authenticationStepResultDetail: text,
      }),
    )
    .nullable()
    .optional(),
});

const RiskRowSchema = z.object({
  id: z.string().min(1),
  riskEventType: z.string(),
  detectedDateTime: z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'not a date-time'),
  userId: z.string().min(1),
  userPrincipalName: text,
  userDisplayName: text,
  ipAddress: text,
  location: LocationSchema,
});

const USER_REPORTED = 'userReportedSuspiciousActivity';

/**
 * The log's method names: the documented ones (`Authenticator App`, `SMS`, `Voice`, `Software
 * OATH token`) and the portal's (`Mobile app notification`, `Text message`, `Phone call`).
 * First factors and "previously satisfied" come out as `other`.
 */
export function mfaMethod(name: string | null | undefined): MfaMethod {
  const n = (name ?? '').toLowerCase();
  if (/oath|verification code/.test(n)) return 'oath';
  if (/authenticator app|mobile app notification|push/.test(n)) return 'push';
  if (/^sms$|text message/.test(n)) return 'sms';
  if (/^voice$|phone call/.test(n)) return 'voice';
  return 'other';
}

function placeOf(location: z.infer<typeof LocationSchema>): string | null {
  const parts = [location?.city, location?.state, location?.countryOrRegion].filter(Boolean);
  return parts.length ? parts.join(', ') : null;
}

function toEvent(row: z.infer<typeof SignInRowSchema>): SignInEvent {
  const steps: MfaStep[] = (row.authenticationDetails ?? [])
    .filter((d) => !/^password$/i.test(d.authenticationMethod ?? ''))
    .map((d) => ({
      method: mfaMethod(d.authenticationMethod),
      succeeded: d.succeeded === true,
      fraud: /fraud/i.test(d.authenticationStepResultDetail ?? ''),
    }));
  const upn = row.userPrincipalName ?? row.userId;
  return {
    id: row.id.toLowerCase(),
    at: new Date(row.createdDateTime).toISOString(),
    userId: row.userId.toLowerCase(),
    upn,
    name: row.userDisplayName ?? upn,
    errorCode: row.status.errorCode,
    ip: row.ipAddress ?? null,
    place: placeOf(row.location),
    app: row.appDisplayName ?? null,
    steps,
  };
}

function toReport(row: z.infer<typeof RiskRowSchema>): FraudReport {
  const upn = row.userPrincipalName ?? row.userId;
  return {
    id: row.id.toLowerCase(),
    at: new Date(row.detectedDateTime).toISOString(),
    userId: row.userId.toLowerCase(),
    upn,
    name: row.userDisplayName ?? upn,
    ip: row.ipAddress ?? null,
    place: placeOf(row.location),
  };
}

export interface GraphSignInReaderOptions {
  baseUrl: string;
  authProvider: AccessTokenProvider;
  /** The CA this client alone trusts (the stand-in's certificate). */
  caPem?: string;
  timeoutMs?: number;
  logger?: Logger;
}

const SignInPageSchema = pageOf(SignInRowSchema);
const RiskPageSchema = pageOf(RiskRowSchema);
/** Risk detections are not the sign-in log: a smaller page is plenty. */
const RISK_PAGE_MAX = 500;

export class GraphSignInReader implements SignInReader {
  private readonly graph: GraphCaller;
  private readonly agent: Agent | undefined;
  private readonly origin: string;

  constructor(options: GraphSignInReaderOptions) {
    const logger = options.logger ?? silentLogger();
    const timeoutMs = options.timeoutMs ?? 10_000;
    const { client, agent } = createGraphClient({
      baseUrl: options.baseUrl,
      authProvider: options.authProvider,
      caPem: options.caPem,
      logger,
      // The monitor honours Retry-After itself, spending its reports budget on each retry.
      policy: { maxRetries: 0, baseDelayMs: 0, maxRetryAfterMs: 0, timeoutMs },
    });
    this.agent = agent;
    this.origin = graphRoot(options.baseUrl).origin;
    this.graph = new GraphCaller(client, this.origin, timeoutMs, logger);
  }

  async signInPage(request: PageRequest): Promise<ReadPage<SignInEvent>> {
    const spec = this.spec(request, '/auditLogs/signIns', 'createdDateTime', (size) => size);
    const page = await this.graph.json('read sign-in log', spec, SignInPageSchema);
    return { items: page.data.value.map(toEvent), next: page.data['@odata.nextLink'] ?? null };
  }

  async fraudReportPage(request: PageRequest): Promise<ReadPage<FraudReport>> {
    // Filtering risk detections on riskEventType is not documented: filter by time only.
    const spec = this.spec(
      request,
      '/identityProtection/riskDetections',
      'detectedDateTime',
      (size) => Math.min(size, RISK_PAGE_MAX),
    );
    const page = await this.graph.json('read fraud reports', spec, RiskPageSchema);
    const items = page.data.value.filter((r) => r.riskEventType === USER_REPORTED).map(toReport);
    return { items, next: page.data['@odata.nextLink'] ?? null };
  }

  async close(): Promise<void> {
    await this.agent?.close();
  }

  private spec(
    request: PageRequest,
    path: string,
    timeField: string,
    top: (size: number) => number,
  ): CallSpec {
    const version = path.startsWith('/auditLogs') ? 'beta' : 'v1.0';
    if ('next' in request) {
      // A next link elsewhere would take the bot's token with it.
      if (!URL.canParse(request.next) || new URL(request.next).origin !== this.origin) {
        throw new DirectoryError(
          'malformed-response',
          `${path}: '@odata.nextLink' points elsewhere`,
        );
      }
      return { method: 'GET', path: request.next };
    }
    const filter =
      `${timeField} ge ${request.from.toISOString()} and ` +
      `${timeField} le ${request.to.toISOString()}`;
    return {
      method: 'GET',
      path,
      version,
      query: { $filter: filter, $top: String(top(request.pageSize)) },
    };
  }
}
