import { MINUTE } from '../clock';
import { isDirectoryError } from '../directory/types';
import { ConflictError, type DocumentStore } from '../storage/types';

/**
 * Whether the monitor can see: on, partly (bursts watched, fraud reports unreadable), off (no
 * licence or no permission: it cannot watch at all), or failing for now (throttled, unreachable).
 * Kept in storage so the readiness check and IT see the same answer, and never "all quiet" when
 * the monitor is blind.
 */

export type MonitorState = 'on' | 'partial' | 'off' | 'failing';

export type MonitorIssue =
  | 'no-licence'
  | 'no-permission'
  | 'fraud-reports-unreadable'
  | 'throttled'
  | 'unreachable'
  | 'cannot-sign-in'
  | 'unexpected-answer'
  | 'disabled';

export interface MonitorStatus {
  state: MonitorState;
  issue: MonitorIssue | null;
  /** Plain words for IT and the readiness check; null when all is well. */
  reason: string | null;
  /** The last poll, successful or not. */
  checkedAt: string;
  /** The sign-in log has been read up to here. */
  readThrough: string | null;
  /** When the monitor entered this state. */
  since: string;
}

const MONITOR = 'signin-monitor';
const STATUS_KEY = 'status';
const TOLD_KEY = 'status-told';

const PREMIUM = 'Authentication_RequestFromNonPremiumTenantOrB2CTenant';

export const REASONS: Record<MonitorIssue, string> = {
  'no-licence':
    'Sign-in monitoring is off: reading the sign-in log needs Microsoft Entra ID P1 or P2, and this tenant has neither. Push-bombing (MFA fatigue) attacks will not be noticed.',
  'no-permission':
    "Sign-in monitoring is off: the bot's Graph app has not been granted AuditLog.Read.All (an admin must consent). Push-bombing (MFA fatigue) attacks will not be noticed.",
  'fraud-reports-unreadable':
    "Prompts people report as fraud in Authenticator can't be read (IdentityRiskEvent.Read.All not granted, or no Entra ID P1/P2). Bursts of denied prompts are still watched.",
  throttled:
    'Microsoft Graph kept answering "too many requests", so the sign-in log could not be read this time. The monitor tries again.',
  unreachable:
    'Microsoft Graph could not be reached, so the sign-in log could not be read this time. The monitor tries again.',
  'cannot-sign-in':
    'The bot could not sign in to Microsoft Graph (check its credentials), so the sign-in log could not be read. The monitor tries again.',
  'unexpected-answer':
    "Microsoft Graph answered in a way the bot did not expect (details are in the bot's log), so the sign-in log could not be read. The monitor tries again.",
  disabled:
    "Sign-in monitoring is turned off in the bot's settings (MONITOR_ENABLED=false). Push-bombing (MFA fatigue) attacks will not be noticed.",
};

/**
 * Why a read failed for good (no licence, no permission), or null when trying again may work.
 * `fraudReports`: the failed read was of risk detections, not the sign-in log.
 */
export function blindness(err: unknown, fraudReports = false): MonitorIssue | null {
  if (!isDirectoryError(err, 'forbidden') || err.details.statusCode !== 403) return null;
  if (fraudReports) return 'fraud-reports-unreadable';
  return err.details.code === PREMIUM ? 'no-licence' : 'no-permission';
}

export function transientIssue(err: unknown): MonitorIssue {
  if (isDirectoryError(err, 'throttled')) return 'throttled';
  return isDirectoryError(err, 'forbidden') ? 'cannot-sign-in' : 'unreachable';
}

export async function readMonitorStatus(store: DocumentStore): Promise<MonitorStatus | undefined> {
  return (await store.get<MonitorStatus>(MONITOR, STATUS_KEY))?.value;
}

export async function saveMonitorStatus(
  store: DocumentStore,
  status: MonitorStatus,
): Promise<void> {
  await store.put(MONITOR, STATUS_KEY, status);
}

/** The monitor is turned off in the bot's settings: said as plainly as any other blindness. */
export async function saveDisabled(store: DocumentStore, now: Date): Promise<MonitorStatus> {
  const before = await readMonitorStatus(store);
  const at = now.toISOString();
  const same = before?.state === 'off' && before.issue === 'disabled';
  const status: MonitorStatus = {
    state: 'off',
    issue: 'disabled',
    reason: REASONS.disabled,
    checkedAt: at,
    readThrough: before?.readThrough ?? null,
    since: same ? before.since : at,
  };
  await saveMonitorStatus(store, status);
  return status;
}

/** A passing failure (throttled, unreachable) is told once it has lasted this long. */
const FAILING_TOLD_AFTER_MS = 15 * MINUTE;

/**
 * Whether IT should hear about the monitor's state now: each change once (remembered in storage,
 * so a restart does not tell it again), a passing failure only once it has lasted, and "on again"
 * only after IT was told it was not.
 */
export async function statusToTell(
  store: DocumentStore,
  status: MonitorStatus,
  now: Date,
): Promise<boolean> {
  if (
    status.state === 'failing' &&
    now.getTime() - Date.parse(status.since) < FAILING_TOLD_AFTER_MS
  )
    return false;
  const key = status.state === 'on' ? 'on' : `${status.state}|${status.issue ?? ''}`;
  const told = await store.get<{ key: string }>(MONITOR, TOLD_KEY);
  if (told?.value.key === key || (key === 'on' && !told)) return false;
  try {
    await store.put(MONITOR, TOLD_KEY, { key }, told ? { etag: told.etag } : { ifAbsent: true });
    return true;
  } catch (err) {
    // Another instance told it at the same moment.
    if (err instanceof ConflictError) return false;
    throw err;
  }
}

/** One line for the readiness check: what the monitor watches, or why it can't. */
export function describeStatus(status: MonitorStatus | undefined): string {
  if (!status) return 'Sign-in monitoring has not run yet, so nothing is being watched.';
  if (status.state === 'on')
    return 'Sign-in monitoring is on: bursts of denied prompts and fraud reports are watched.';
  if (status.state === 'failing') {
    const read = status.readThrough ? `read up to ${utc(status.readThrough)}` : 'never read yet';
    return `${status.reason} (The log was ${read}.)`;
  }
  return status.reason ?? 'Sign-in monitoring is off.';
}

const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
