import {
  MINUTE_MS,
  type FraudReport,
  type Incident,
  type IncidentTrigger,
  type MonitorSettings,
  type SignInEvent,
} from './model';

/**
 * What the sign-in log means, decided without storage or clocks: which rows are denied push
 * prompts, which make a burst, which success came right after one, and which person signs in
 * with text or voice codes. `planForUser` says what changes for one person's incidents.
 */

/** "Authentication failed during strong authentication request": denied or timed-out MFA. */
const STRONG_AUTH_FAILED = 500121;

export function isDeniedPrompt(event: SignInEvent): boolean {
  if (event.errorCode !== STRONG_AUTH_FAILED) return false;
  // Without the beta detail the method is unknown: one alert too many beats a missed attack.
  if (event.steps.length === 0) return true;
  return event.steps.some((s) => s.method === 'push' && !s.succeeded);
}

function isSuccess(event: SignInEvent): boolean {
  return event.errorCode === 0;
}

/** The text or voice code a successful sign-in used, if it used one. */
export function textCodeMethod(event: SignInEvent): 'sms' | 'voice' | null {
  if (!isSuccess(event)) return null;
  const step = event.steps.find((s) => s.succeeded && (s.method === 'sms' || s.method === 'voice'));
  return step ? (step.method as 'sms' | 'voice') : null;
}

/**
 * A prompt reported as fraud as the sign-in log itself records it: the same report as Identity
 * Protection's, still seen when risk detections cannot be read.
 */
function fraudReportInLog(event: SignInEvent): FraudReport | null {
  if (!event.steps.some((s) => s.fraud)) return null;
  const { userId, upn, name, at, ip, place } = event;
  return { id: `signin:${event.id}`, at, userId, upn, name, ip, place };
}

const ms = (iso: string) => Date.parse(iso);
const byTime = <T extends { at: string }>(a: T, b: T) => ms(a.at) - ms(b.at);

/**
 * Runs of prompts, each within the window of the one before, that hold at least
 * `fatiguePrompts` prompts inside one window. Expects prompts oldest first.
 */
export function bursts(prompts: SignInEvent[], settings: MonitorSettings): SignInEvent[][] {
  const window = settings.windowMinutes * MINUTE_MS;
  const n = settings.fatiguePrompts;
  const chains: SignInEvent[][] = [];
  for (const p of prompts) {
    const chain = chains[chains.length - 1];
    if (chain && ms(p.at) - ms(chain[chain.length - 1]!.at) <= window) chain.push(p);
    else chains.push([p]);
  }
  return chains.filter((chain) =>
    chain.some((p, i) => i + n - 1 < chain.length && ms(chain[i + n - 1]!.at) - ms(p.at) <= window),
  );
}

export interface UserActivity {
  user: Incident['user'];
  prompts: SignInEvent[];
  successes: SignInEvent[];
  reports: FraudReport[];
}

/** What happens to one incident: new prompts, reports or a success right after the burst. */
export interface IncidentChange {
  /** The incident that grows, or undefined for a new one. */
  incident?: Incident;
  trigger: IncidentTrigger;
  prompts: SignInEvent[];
  reports: FraudReport[];
  danger?: SignInEvent;
}

interface Span extends IncidentChange {
  open: boolean;
  first: number;
  last: number;
  firstPrompt: number | null;
  lastPrompt: number | null;
  hadDanger: boolean;
}

function spanOf(incident: Incident): Span {
  return {
    incident,
    trigger: incident.triggers[0] ?? 'fatigue',
    prompts: [],
    reports: [],
    open: incident.status === 'open',
    first: ms(incident.firstEventAt),
    last: ms(incident.lastEventAt),
    firstPrompt: incident.promptIds.length ? ms(incident.firstEventAt) : null,
    lastPrompt: incident.lastPromptAt ? ms(incident.lastPromptAt) : null,
    hadDanger: Boolean(incident.danger),
  };
}

function newSpan(trigger: IncidentTrigger, at: number): Span {
  return {
    trigger,
    prompts: [],
    reports: [],
    open: true,
    first: at,
    last: at,
    firstPrompt: null,
    lastPrompt: null,
    hadDanger: false,
  };
}

function addPrompt(span: Span, p: SignInEvent): void {
  const at = ms(p.at);
  span.prompts.push(p);
  span.first = Math.min(span.first, at);
  span.last = Math.max(span.last, at);
  span.firstPrompt = Math.min(span.firstPrompt ?? at, at);
  span.lastPrompt = Math.max(span.lastPrompt ?? at, at);
}

function addReport(span: Span, r: FraudReport): void {
  span.reports.push(r);
  span.first = Math.min(span.first, ms(r.at));
  span.last = Math.max(span.last, ms(r.at));
}

/**
 * One person's incident changes from what was read, given their incidents that could still grow
 * (open ones, and those handled within the read window). Events an incident already counts are
 * skipped, so reading the same stretch of log again changes nothing.
 */
export function planForUser(
  activity: UserActivity,
  known: Incident[],
  settings: MonitorSettings,
): IncidentChange[] {
  const window = settings.windowMinutes * MINUTE_MS;
  const counted = new Set(
    known.flatMap((i) => [...i.promptIds, ...i.fraudReportIds, i.danger?.signInId ?? '']),
  );
  const fresh = <T extends { id: string; at: string }>(items: T[]) =>
    items.filter((x) => !counted.has(x.id)).sort(byTime);
  const spans = known.map(spanOf);
  const near = (span: Span, at: number) => at >= span.first - window && at <= span.last + window;

  const rest: SignInEvent[] = [];
  for (const p of fresh(activity.prompts)) {
    const span = spans.find((s) => s.open && near(s, ms(p.at)));
    if (span) addPrompt(span, p);
    else rest.push(p);
  }
  const inBurst = new Set<string>();
  for (const chain of bursts(rest, settings)) {
    const span = newSpan('fatigue', ms(chain[0]!.at));
    for (const p of chain) {
      addPrompt(span, p);
      inBurst.add(p.id);
    }
    spans.push(span);
  }
  for (const r of fresh(activity.reports)) {
    const at = ms(r.at);
    let span = spans.find((s) => s.open && near(s, at));
    if (!span) {
      span = newSpan('fraud-report', at);
      // Prompts too few for a burst still belong with the report: they are what was reported.
      for (const p of rest)
        if (!inBurst.has(p.id) && Math.abs(ms(p.at) - at) <= window) addPrompt(span, p);
      spans.push(span);
    }
    addReport(span, r);
  }
  const danger = settings.dangerMinutes * MINUTE_MS;
  for (const s of fresh(activity.successes)) {
    const at = ms(s.at);
    const span = spans.find(
      (sp) =>
        !sp.hadDanger &&
        !sp.danger &&
        sp.firstPrompt !== null &&
        at > sp.firstPrompt &&
        at <= sp.lastPrompt! + danger,
    );
    if (span) span.danger = s;
  }
  return spans
    .filter((s) => s.prompts.length || s.reports.length || s.danger)
    .map(({ incident, trigger, prompts, reports, danger: d }) => ({
      ...(incident ? { incident } : {}),
      trigger,
      prompts,
      reports,
      ...(d ? { danger: d } : {}),
    }));
}

/** Groups what was read by person, keeping only what the monitor acts on. */
export function activityByUser(
  events: SignInEvent[],
  reports: FraudReport[],
): Map<string, UserActivity> {
  const byUser = new Map<string, UserActivity>();
  const entry = (who: { userId: string; upn: string; name: string }) => {
    let a = byUser.get(who.userId);
    if (!a) {
      a = {
        user: { id: who.userId, upn: who.upn, name: who.name },
        prompts: [],
        successes: [],
        reports: [],
      };
      byUser.set(who.userId, a);
    }
    return a;
  };
  for (const e of events) {
    if (isDeniedPrompt(e)) entry(e).prompts.push(e);
    else if (isSuccess(e)) entry(e).successes.push(e);
    const inLog = fraudReportInLog(e);
    if (inLog) entry(e).reports.push(inLog);
  }
  for (const r of reports) entry(r).reports.push(r);
  return byUser;
}
