import { z } from 'zod';

/**
 * The stand-in's sign-in log and risk detections, as Graph's beta signIn and v1.0 riskDetection
 * resources hold them (the subset the bot reads). Events only come from the /_sim/ controls.
 */

const LocationSchema = z.object({
  city: z.string().nullable(),
  state: z.string().nullable(),
  countryOrRegion: z.string().nullable(),
});

const AuthenticationDetailSchema = z.object({
  authenticationStepDateTime: z.string(),
  authenticationMethod: z.string(),
  authenticationMethodDetail: z.string().nullable(),
  succeeded: z.boolean(),
  authenticationStepResultDetail: z.string().nullable(),
  authenticationStepRequirement: z.string(),
});

export const SimSignInSchema = z.object({
  id: z.string(),
  createdDateTime: z.string(),
  userId: z.string(),
  userPrincipalName: z.string(),
  userDisplayName: z.string().nullable(),
  appId: z.string(),
  appDisplayName: z.string(),
  ipAddress: z.string(),
  clientAppUsed: z.string(),
  correlationId: z.string(),
  conditionalAccessStatus: z.enum(['success', 'failure', 'notApplied']),
  isInteractive: z.boolean(),
  status: z.object({
    errorCode: z.number().int(),
    failureReason: z.string().nullable(),
    additionalDetails: z.string().nullable(),
  }),
  location: LocationSchema,
  deviceDetail: z.object({
    operatingSystem: z.string().nullable(),
    browser: z.string().nullable(),
  }),
  // Beta only from here on: v1.0 has no MFA detail.
  authenticationRequirement: z.enum(['singleFactorAuthentication', 'multiFactorAuthentication']),
  authenticationDetails: z.array(AuthenticationDetailSchema),
  mfaDetail: z.object({ authMethod: z.string(), authDetail: z.string().nullable() }).nullable(),
});
export type SimSignIn = z.infer<typeof SimSignInSchema>;

/** Fields of the beta resource that v1.0 does not have. */
export const BETA_ONLY_FIELDS = ['authenticationRequirement', 'authenticationDetails', 'mfaDetail'];

export const SimRiskDetectionSchema = z.object({
  id: z.string(),
  requestId: z.string(),
  correlationId: z.string(),
  riskEventType: z.string(),
  riskState: z.string(),
  riskLevel: z.string(),
  riskDetail: z.string(),
  source: z.string(),
  detectionTimingType: z.string(),
  activity: z.string(),
  ipAddress: z.string(),
  location: LocationSchema,
  activityDateTime: z.string(),
  detectedDateTime: z.string(),
  lastUpdatedDateTime: z.string(),
  userId: z.string(),
  userDisplayName: z.string().nullable(),
  userPrincipalName: z.string(),
});
export type SimRiskDetection = z.infer<typeof SimRiskDetectionSchema>;

/** Enough for any test or demo; the oldest events go first beyond it. */
const MAX_EVENTS = 20_000;

const newestFirst = (a: string, b: string) => Date.parse(b) - Date.parse(a);

export class SignInLog {
  private signIns: SimSignIn[] = [];
  private risks: SimRiskDetection[] = [];

  constructor(saved?: { signIns?: SimSignIn[]; riskDetections?: SimRiskDetection[] }) {
    this.signIns = [...(saved?.signIns ?? [])];
    this.risks = [...(saved?.riskDetections ?? [])];
  }

  add(signIns: SimSignIn[], risks: SimRiskDetection[] = []): void {
    this.signIns.push(...signIns);
    this.risks.push(...risks);
    if (this.signIns.length > MAX_EVENTS) this.signIns.splice(0, this.signIns.length - MAX_EVENTS);
    if (this.risks.length > MAX_EVENTS) this.risks.splice(0, this.risks.length - MAX_EVENTS);
  }

  /** Newest first, as Graph lists them; events of the same second stay in the order they came. */
  signInsNewestFirst(): SimSignIn[] {
    return this.signIns
      .map((s, i) => ({ s, i }))
      .sort((a, b) => newestFirst(a.s.createdDateTime, b.s.createdDateTime) || b.i - a.i)
      .map(({ s }) => s);
  }

  riskDetectionsNewestFirst(): SimRiskDetection[] {
    return this.risks
      .map((r, i) => ({ r, i }))
      .sort((a, b) => newestFirst(a.r.detectedDateTime, b.r.detectedDateTime) || b.i - a.i)
      .map(({ r }) => r);
  }

  signIn(id: string): SimSignIn | undefined {
    const key = id.toLowerCase();
    return this.signIns.find((s) => s.id === key);
  }

  snapshot(): { signIns: SimSignIn[]; riskDetections: SimRiskDetection[] } {
    return { signIns: [...this.signIns], riskDetections: [...this.risks] };
  }

  clear(): void {
    this.signIns = [];
    this.risks = [];
  }
}
