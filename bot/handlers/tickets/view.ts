import { expandCard, type CardJson } from '../../../cards/render';
import type { AuthenticatorDevice, AuthMethod } from '../../../services/directory/types';
import { isActive } from '../../../services/tickets/store';
import { KIND_LABELS, type Ticket } from '../../../services/tickets/model';

/** What the directory says about the requester now, for IT's card. Absent when unreachable. */
export interface RequesterFacts {
  devices: AuthenticatorDevice[];
  methods: AuthMethod[];
  /** The number on file from the HR-maintained profile (never from security info). */
  callbackNumber: string | null;
}

const HAPPENED: Record<string, string> = {
  lost: 'Lost it',
  stolen: 'Stolen',
  broken: 'Broke',
  replaced: 'Replaced (old one gone)',
  'number-changed': 'Number changed',
};
const WHEN: Record<string, string> = { today: 'Today', yesterday: 'Yesterday', 'this-week': 'This week', longer: 'Longer ago' };
const YES_NO: Record<string, string> = { yes: 'Yes', no: 'No', unsure: 'Not sure' };
export const VERIFY_BY: Record<string, string> = {
  callback: 'Call back on the number on file',
  'in-person': 'In person, with photo ID',
  manager: 'Their manager confirms',
};
const STATUS: Record<Ticket['status'], string> = {
  open: 'Open',
  assigned: 'Assigned',
  verified: 'Identity verified',
  resolved: 'Resolved',
  withdrawn: 'Withdrawn by requester',
};

export function age(from: string, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - Date.parse(from)) / 60_000));
  if (minutes < 1) return 'opened just now';
  if (minutes < 60) return `opened ${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `opened ${hours} h ago`;
  return `opened ${Math.round(hours / 24)} days ago`;
}

export function clock(iso: string): string {
  return `${iso.slice(11, 16)} UTC`;
}

/** Masks a phone number to its last two digits: +1 555-••• ••12. */
export function maskPhone(label: string): string {
  const digits = label.replace(/\D/g, '');
  return digits.length < 4 ? '••••' : `••• ••${digits.slice(-2)}`;
}

/** Whether the ticket is ready for a Temporary Access Pass, and if not, why. */
export function passBlocker(t: Ticket): string | undefined {
  if (t.kind !== 'lost-device' && t.kind !== 'first-time-pass') return 'This kind of request does not get a pass.';
  if (t.adminRole) {
    return 'This person holds a Microsoft Entra admin role. Recover their account in the Microsoft Entra admin center, not from Teams.';
  }
  if (!t.verification) return 'Record how you confirmed their identity first.';
  if (t.privileged && !t.verification.confirmedBy) return 'Privileged account: a second person must confirm the identity check first.';
  return undefined;
}

export interface TicketCardOptions {
  notice?: string;
  now: Date;
  facts?: RequesterFacts;
}

export function ticketCard(t: Ticket, o: TicketCardOptions): CardJson {
  const active = isActive(t.status);
  const lost = t.kind === 'lost-device';
  const canPassKind = lost || t.kind === 'first-time-pass';
  const facts: Array<{ title: string; value: string }> = [];
  const d = t.details;
  if (typeof d.happened === 'string') facts.push({ title: 'What happened', value: HAPPENED[d.happened] ?? d.happened });
  if (typeof d.when === 'string') facts.push({ title: 'When', value: WHEN[d.when] ?? d.when });
  if (typeof d.hadWorkApps === 'string') facts.push({ title: 'Work apps on it', value: YES_NO[d.hadWorkApps] ?? d.hadWorkApps });
  if (typeof d.verifyBy === 'string') facts.push({ title: 'Verify by', value: VERIFY_BY[d.verifyBy] ?? d.verifyBy });
  if (typeof d.step === 'string') facts.push({ title: 'Setup step', value: d.step });
  if (Array.isArray(d.articlesTried) && d.articlesTried.length) facts.push({ title: 'Articles tried', value: d.articlesTried.join(', ') });
  if (o.facts) facts.push({ title: 'Number on file', value: o.facts.callbackNumber ?? 'none on file: verify in person' });
  if (t.verification) {
    const v = t.verification;
    const second = v.confirmedBy ? `; confirmed by ${v.confirmedBy.name}` : '';
    facts.push({ title: 'Identity check', value: `${VERIFY_BY[v.method]} (${v.by.name})${second}` });
  }
  if (t.pass) facts.push({ title: 'Access pass', value: `issued by ${t.pass.by.name}, expires ${clock(t.pass.expiresAt)}` });
  if (t.resolution) facts.push({ title: 'Resolution', value: t.resolution });

  const methods = (o.facts?.methods ?? [])
    .filter((m) => m.kind !== 'passwordAuthenticationMethod')
    .map((m) => ({
      kind: m.kind === 'microsoftAuthenticatorAuthenticationMethod' ? 'Authenticator' : m.kind === 'phoneAuthenticationMethod' ? 'Phone' : m.kind.replace(/AuthenticationMethod$/, ''),
      label: m.kind === 'phoneAuthenticationMethod' ? maskPhone(m.label) : m.label,
    }));
  const devices = (o.facts?.devices ?? []).map((dev) => ({ title: dev.displayName ?? dev.id, value: dev.id }));
  const blocker = canPassKind && active ? passBlocker(t) : undefined;
  const inFlight = Boolean(t.pending);
  const working = active && !inFlight;

  return expandCard('ticket', {
    notice: o.notice ?? '',
    id: t.id,
    v: t.version,
    kindLabel: KIND_LABELS[t.kind],
    urgent: t.privileged || t.adminRole,
    urgentText: t.adminRole
      ? 'Holds a Microsoft Entra admin role.'
      : 'Privileged account: two people must confirm the identity check.',
    statusText: inFlight ? `${STATUS[t.status]} (action in progress)` : STATUS[t.status],
    ageText: age(t.createdAt, o.now),
    requesterName: t.requester.name,
    requesterRole: [t.requester.jobTitle, t.requester.department].filter(Boolean).join(', ') || 'unknown',
    assigneeText: t.assignee?.name ?? 'nobody yet',
    facts,
    note: typeof d.note === 'string' ? d.note : '',
    methods,
    guidance: active ? (blocker ?? '') : '',
    timeline: t.timeline.slice(-8).map((e) => `${clock(e.at)} ${e.by.name}: ${e.text}`),
    canAssign: working && !t.assignee,
    canVerify: working && canPassKind && !t.verification,
    canConfirm: working && canPassKind && t.privileged && Boolean(t.verification) && !t.verification?.confirmedBy,
    canRevoke: working && lost,
    canRemove: working && lost && devices.length > 0,
    devices,
    canIssuePass: working && canPassKind && !blocker,
    canResolve: working,
    canReopen: !active && t.status !== 'withdrawn',
  });
}

export function passCard(t: Ticket, code: string, expiresAt: string, lifetime: number, callback: string | null): CardJson {
  return expandCard('ticket-pass', {
    id: t.id,
    requesterName: t.requester.name,
    requesterFirstName: t.requester.name.split(/\s+/)[0],
    code,
    expires: clock(expiresAt),
    lifetime,
    callback: callback ?? 'the number on file',
  });
}
