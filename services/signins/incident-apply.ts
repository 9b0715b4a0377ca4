import type { AuditLog } from '../audit/log';
import type { Clock } from '../clock';
import type { IncidentChange } from './detect';
import type { IncidentStore } from './incident-store';
import {
  hourOf,
  type FraudReport,
  type Incident,
  type MonitorSettings,
  type SignInEvent,
} from './model';

/**
 * Turns a planned change into stored incidents: a new one (counted against the hour's IT alert
 * cap) or more prompts, a fraud report or a success after the burst on an existing one. Adding
 * an event an incident already counts changes nothing, so a repeated read is harmless.
 */

export interface ApplyDeps {
  incidents: IncidentStore;
  audit: Pick<AuditLog, 'append'>;
  clock: Clock;
  settings: MonitorSettings;
}

export interface Applied {
  incident: Incident;
  opened: boolean;
  /** Something new was added (the opened incident, or more prompts on an existing one). */
  changed: boolean;
  /** A fraud report or a success after the burst made it urgent just now. */
  escalated: boolean;
}

const SYSTEM = { id: 'system', name: 'MFA Helper' };
/** Enough to tell IT where the prompts came from without a wall of addresses. */
const MAX_PLACES = 5;

function distinct(current: string[], more: Array<string | null>): string[] {
  const out = [...current];
  for (const v of more) if (v && !out.includes(v) && out.length < MAX_PLACES) out.push(v);
  return out;
}

function span(incident: Incident, prompts: SignInEvent[], reports: FraudReport[]): Incident {
  const times = [...prompts, ...reports].map((e) => e.at);
  const promptTimes = prompts.map((p) => p.at);
  const min = (values: string[]) => values.reduce((a, b) => (a < b ? a : b));
  const max = (values: string[]) => values.reduce((a, b) => (a > b ? a : b));
  const sources = [...prompts, ...reports];
  return {
    ...incident,
    promptIds: [...incident.promptIds, ...prompts.map((p) => p.id)],
    fraudReportIds: [...incident.fraudReportIds, ...reports.map((r) => r.id)],
    firstEventAt: min([incident.firstEventAt, ...times]),
    lastEventAt: max([incident.lastEventAt, ...times]),
    lastPromptAt: promptTimes.length
      ? max([...(incident.lastPromptAt ? [incident.lastPromptAt] : []), ...promptTimes])
      : incident.lastPromptAt,
    ips: distinct(
      incident.ips,
      sources.map((s) => s.ip),
    ),
    places: distinct(
      incident.places,
      sources.map((s) => s.place),
    ),
    apps: distinct(
      incident.apps,
      prompts.map((p) => p.app),
    ),
  };
}

function promptText(prompts: number): string {
  return `${prompts} sign-in ${prompts === 1 ? 'prompt was' : 'prompts were'} denied or not answered`;
}

async function open(deps: ApplyDeps, change: IncidentChange): Promise<Applied> {
  const now = deps.clock.now();
  const first = [...change.prompts, ...change.reports][0]!;
  const user = { id: first.userId, upn: first.upn, name: first.name };
  const hour = hourOf(now);
  const slot = await deps.incidents.takeAlertSlot(hour, deps.settings.alertsPerHour);
  // The attacker getting in is told at once, whatever the cap.
  const held = !slot && !change.danger;
  const reported = change.reports.length > 0;
  const at = now.toISOString();
  const timeline = [
    change.prompts.length
      ? { at: first.at, by: SYSTEM, text: promptText(change.prompts.length) }
      : undefined,
    reported
      ? { at, by: SYSTEM, text: `${user.name} reported a sign-in request as fraud` }
      : undefined,
  ].filter((e) => e !== undefined);
  const blank: Incident = {
    id: '',
    version: 0,
    user,
    status: 'open',
    triggers:
      reported && change.trigger === 'fatigue' ? ['fatigue', 'fraud-report'] : [change.trigger],
    promptIds: [],
    fraudReportIds: [],
    firstEventAt: first.at,
    lastEventAt: first.at,
    lastPromptAt: null,
    ips: [],
    places: [],
    apps: [],
    urgent: reported,
    createdAt: at,
    updatedAt: at,
    it: { alert: held ? 'held' : 'due', hour },
    // Someone who reported the prompt in Authenticator has already said it wasn't them.
    message: { state: change.trigger === 'fraud-report' ? 'not-needed' : 'due' },
    timeline,
  };
  const {
    id: _id,
    version: _v,
    createdAt: _c,
    updatedAt: _u,
    ...draft
  } = withDanger(span(blank, change.prompts, change.reports), change.danger);
  const incident = await deps.incidents.create(draft);
  await deps.audit.append({
    actor: 'system',
    action: 'signins.incident.opened',
    target: incident.id,
    outcome: 'success',
    details: {
      userId: user.id,
      trigger: incident.triggers.join('+'),
      prompts: incident.promptIds.length,
      fraudReported: reported,
      successAfter: Boolean(incident.danger),
      heldForSummary: held,
    },
  });
  return { incident, opened: true, changed: true, escalated: incident.urgent };
}

function withDanger(incident: Incident, danger: SignInEvent | undefined): Incident {
  if (!danger || incident.danger) return incident;
  return {
    ...incident,
    status: 'open',
    handled: undefined,
    urgent: true,
    danger: { signInId: danger.id, at: danger.at, ip: danger.ip, place: danger.place },
    // A held alert is posted now after all: the attacker getting in does not wait for a summary.
    it: {
      ...incident.it,
      alert: incident.it.alert === 'held' ? 'due' : incident.it.alert,
      dangerAlert: 'due',
    },
    timeline: [
      ...incident.timeline,
      {
        at: danger.at,
        by: SYSTEM,
        text: `A sign-in succeeded right after the denied prompts${
          incident.status === 'handled' ? ': reopened' : ''
        }`,
      },
    ],
  };
}

async function grow(deps: ApplyDeps, existing: Incident, change: IncidentChange): Promise<Applied> {
  const at = deps.clock.now().toISOString();
  // What this change did, as decided on the copy that was finally saved.
  const did = { changed: false, reported: false, danger: false };
  const updated = await deps.incidents.mutate(
    existing.id,
    (current) => {
      const prompts = change.prompts.filter((p) => !current.promptIds.includes(p.id));
      const reports = change.reports.filter((r) => !current.fraudReportIds.includes(r.id));
      const danger = current.danger ? undefined : change.danger;
      did.changed = Boolean(prompts.length || reports.length || danger);
      if (!did.changed) return undefined;
      let next = span(current, prompts, reports);
      did.reported = reports.length > 0 && !current.triggers.includes('fraud-report');
      did.danger = Boolean(danger);
      if (did.reported) {
        next = {
          ...next,
          triggers: [...next.triggers, 'fraud-report'],
          urgent: true,
          timeline: [
            ...next.timeline,
            { at, by: SYSTEM, text: `${current.user.name} reported a sign-in request as fraud` },
          ],
        };
      }
      return withDanger(next, danger);
    },
    // More prompts alone leave the version, so a click on the card is not refused for them.
    { bump: change.reports.length > 0 || Boolean(change.danger) },
  );
  const incident = updated ?? existing;
  if (did.reported) {
    await deps.audit.append({
      actor: 'system',
      action: 'signins.incident.fraudReported',
      target: incident.id,
      outcome: 'success',
      details: { userId: incident.user.id },
    });
  }
  if (did.danger) {
    await deps.audit.append({
      actor: 'system',
      action: 'signins.incident.successAfterPrompts',
      target: incident.id,
      outcome: 'success',
      details: { userId: incident.user.id, prompts: incident.promptIds.length },
    });
  }
  return { incident, opened: false, changed: did.changed, escalated: did.reported || did.danger };
}

export function applyChange(deps: ApplyDeps, change: IncidentChange): Promise<Applied> {
  return change.incident ? grow(deps, change.incident, change) : open(deps, change);
}
