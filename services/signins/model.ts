import type { Person, ThreadRef, TimelineEntry } from '../tickets/model';

/**
 * The sign-in monitor's data: sign-in events and fraud reports as read from Graph, the incidents
 * they raise (one per person per burst), and the monitor's own settings.
 */

/** A second-factor method as the sign-in log names it, reduced to what the monitor tells apart. */
export type MfaMethod = 'push' | 'sms' | 'voice' | 'oath' | 'other';

export interface MfaStep {
  method: MfaMethod;
  succeeded: boolean;
  /** The person reported this prompt as fraud (the step's result says so). */
  fraud: boolean;
}

/** One row of the sign-in log. */
export interface SignInEvent {
  id: string;
  /** createdDateTime, ISO 8601. */
  at: string;
  userId: string;
  upn: string;
  name: string;
  /** 0 is success; 500121 is a denied or timed-out MFA prompt. */
  errorCode: number;
  ip: string | null;
  /** "City, State, Country", as far as Graph knows it. */
  place: string | null;
  app: string | null;
  /** Second-factor steps (beta authenticationDetails); empty when Graph gave none. */
  steps: MfaStep[];
}

/** A prompt the person reported as suspicious (riskEventType userReportedSuspiciousActivity). */
export interface FraudReport {
  id: string;
  at: string;
  userId: string;
  upn: string;
  name: string;
  ip: string | null;
  place: string | null;
}

export type IncidentTrigger = 'fatigue' | 'fraud-report';

/**
 * The IT channel's side of an incident: `due` until the bot posts the alert; `held` when the
 * hour's cap was reached (it goes into that hour's summary instead); `summarised` once it has.
 */
type ItAlertState = 'due' | 'posted' | 'held' | 'summarised';

/** The message to the person: `not-needed` when they reported the prompt themselves. */
type PersonMessageState = 'due' | 'sent' | 'failed' | 'not-needed';

export type PersonAnswer = 'it-was-me' | 'not-me';

/** What IT can do from the alert. Each is claimed first, so one click has one effect. */
export type IncidentAction = 'revoke-sessions' | 'call-back' | 'open-ticket';

interface Danger {
  /** The successful sign-in right after the prompts. */
  signInId: string;
  at: string;
  ip: string | null;
  place: string | null;
}

export interface Incident {
  /** Readable number, e.g. ALERT-0007. */
  id: string;
  /** Bumped on every change IT or the person acts on; cards carry it to spot a stale card. */
  version: number;
  user: { id: string; upn: string; name: string };
  status: 'open' | 'handled';
  triggers: IncidentTrigger[];
  /** Denied or timed-out push prompts counted in this incident, by sign-in id. */
  promptIds: string[];
  fraudReportIds: string[];
  firstEventAt: string;
  lastEventAt: string;
  /** The last prompt's time, for "a success right after the burst". */
  lastPromptAt: string | null;
  /** Where the prompts came from: shown to IT only, never to the person or in the audit log. */
  ips: string[];
  places: string[];
  apps: string[];
  danger?: Danger;
  /** A fraud report, a success after the burst, or "it wasn't me". */
  urgent: boolean;
  createdAt: string;
  updatedAt: string;
  it: {
    alert: ItAlertState;
    /** The clock hour (UTC, e.g. 2026-03-02T09) whose cap this alert counted against. */
    hour: string;
    thread?: ThreadRef;
    /** A success after the burst is told to IT at once, whatever the cap. */
    dangerAlert?: 'due' | 'posted';
    summarisedAt?: string;
  };
  message: {
    state: PersonMessageState;
    answer?: PersonAnswer;
    answeredAt?: string;
  };
  ticketId?: string;
  pending?: { action: IncidentAction; by: Person; at: string };
  sessionsRevokedAt?: string;
  handled?: { by: Person; at: string };
  timeline: TimelineEntry[];
}

export interface MonitorSettings {
  /** Denied or timed-out prompts within the window that make a burst. */
  fatiguePrompts: number;
  windowMinutes: number;
  /** How soon after the last prompt a successful sign-in counts as the attacker getting in. */
  dangerMinutes: number;
  /** IT alerts per clock hour; beyond it, alerts wait for the hour's summary. */
  alertsPerHour: number;
  /** How far back each read reaches before the cursor, for events the log records late. */
  overlapMinutes: number;
  /** The first read, with no cursor yet, looks back this far. */
  firstLookbackMinutes: number;
  /** Sign-ins per page ($top); Graph's largest is 1,000. */
  pageSize: number;
  /** Retries of one page after 429/503/504. */
  maxRetries: number;
  /** The longest Retry-After waited for within one poll; longer ends the poll. */
  maxRetryAfterSeconds: number;
}

export const DEFAULT_MONITOR_SETTINGS: MonitorSettings = {
  fatiguePrompts: 3,
  windowMinutes: 10,
  dangerMinutes: 10,
  alertsPerHour: 5,
  overlapMinutes: 15,
  firstLookbackMinutes: 60,
  pageSize: 1000,
  maxRetries: 3,
  maxRetryAfterSeconds: 60,
};

export const MINUTE_MS = 60_000;

/** Incident numbers as cards carry them. */
export const INCIDENT_ID_PATTERN = /^ALERT-\d{4,}$/;

/** The clock hour an instant falls in, UTC: 2026-03-02T09. */
export function hourOf(at: Date | string): string {
  return new Date(at).toISOString().slice(0, 13);
}
