import { ephemeral, expandCard, type CardJson } from '../../../cards/render';
import { plainText } from '../../../cards/plain';
import { VERBS } from '../../../cards/verbs';
import { describeMethod } from '../../../services/directory/method-names';
import type { AuthenticatorDevice, AuthMethod } from '../../../services/directory/types';
import { isActive, KIND_LABELS, type Ticket } from '../../../services/tickets/model';
import {
  canHavePass,
  checkExpiresAt,
  identityCheckState,
  livePass,
  passBlocker,
  type PassBlocker,
} from '../../../services/tickets/rules';

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
const WHEN: Record<string, string> = {
  today: 'Today',
  yesterday: 'Yesterday',
  'this-week': 'This week',
  longer: 'Longer ago',
};
const YES_NO: Record<string, string> = { yes: 'Yes', no: 'No', unsure: 'Not sure' };
/** What the person answered when asked about the sign-in requests (suspicious-sign-in tickets). */
const SAID: Record<string, string> = {
  'not-me': "It wasn't me",
  'it-was-me': 'It was me (not proof: check)',
  none: 'Not answered yet',
};
export const VERIFY_BY: Record<string, string> = {
  callback: 'Call back on the number on file',
  'in-person': 'In person, with photo ID',
  manager: 'Their manager confirms',
};
const CHECKED_BY: Record<string, string> = {
  callback: 'called back the number on file',
  'in-person': 'saw them in person with photo ID',
  manager: 'heard from their manager',
};
const STATUS: Record<Ticket['status'], string> = {
  open: 'Open',
  assigned: 'Assigned',
  verified: 'Identity verified',
  resolved: 'Resolved',
  withdrawn: 'Withdrawn by requester',
};

/** What IT reads when no pass can be issued yet. */
export const BLOCKER_TEXT: Record<PassBlocker, string> = {
  closed:
    'This request is closed, so nothing can be done on it. Reopen it first if it is still needed.',
  'wrong-kind': 'This kind of request does not get a pass.',
  'entra-admin':
    'This person holds (or can activate) a Microsoft Entra admin role. Recover their account in the Microsoft Entra admin center, not from Teams.',
  'no-check': 'Record how you confirmed their identity first.',
  'check-expired':
    'The identity check is too old. Check their identity again before issuing a pass.',
  'needs-second': 'Privileged account: a second person must confirm the identity check first.',
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

/** Masks a phone number to its last two digits: ••• ••12. */
function maskPhone(label: string): string {
  const digits = label.replace(/\D/g, '');
  return digits.length < 4 ? '••••' : `••• ••${digits.slice(-2)}`;
}

export interface TicketCardOptions {
  notice?: string;
  now: Date;
  facts?: RequesterFacts;
  /** How long an identity check counts. */
  checkTtlMs: number;
  /** Teams user ids (MRIs) who get their own live view of a shared card (at most 60). */
  refreshFor?: string[];
}

/** Universal Actions refresh: each listed IT member sees their own, current view of the card. */
function withRefresh(card: CardJson, ticketId: string, userIds: string[] | undefined): CardJson {
  if (!userIds?.length) return card;
  return {
    ...card,
    refresh: {
      action: { type: 'Action.Execute', verb: VERBS.ticketView, data: { ticketId } },
      userIds: userIds.slice(0, 60),
    },
  };
}

function headline(t: Ticket, now: Date) {
  return {
    id: t.id,
    kindLabel: KIND_LABELS[t.kind],
    urgent: t.privileged || t.adminRole,
    statusText:
      t.pending && isActive(t.status)
        ? `${STATUS[t.status]} (action in progress)`
        : STATUS[t.status],
    ageText: age(t.createdAt, now),
    requesterName: plainText(t.requester.name, 80),
    assigneeText: t.assignee ? plainText(t.assignee.name, 80) : 'nobody yet',
  };
}

/**
 * The card everyone in the IT channel sees: who and what, no actions and nothing from the
 * requester's own words. IT members listed in `refreshFor` get the full view instead.
 */
export function ticketSummaryCard(
  t: Ticket,
  o: Pick<TicketCardOptions, 'now' | 'notice' | 'refreshFor'>,
): CardJson {
  return withRefresh(
    expandCard('ticket-summary', { ...headline(t, o.now), notice: o.notice ?? '' }),
    t.id,
    o.refreshFor,
  );
}

/** Words the requester typed, shown as plain text in a part of their own. */
function theirWords(t: Ticket): string[] {
  const d = t.details;
  const out: string[] = [];
  if (typeof d.question === 'string' && d.question) out.push(`Question: ${plainText(d.question)}`);
  if (typeof d.note === 'string' && d.note) out.push(`Note: ${plainText(d.note)}`);
  return out;
}

function identityText(t: Ticket, now: Date, ttlMs: number): { text: string; color: string } {
  const v = t.verification;
  if (!canHavePass(t)) return { text: '', color: 'Default' };
  if (!v)
    return {
      text: t.pass ? 'Not checked since the last pass was issued.' : 'Not checked yet.',
      color: 'Default',
    };
  const who = `${plainText(v.by.name, 80)} ${CHECKED_BY[v.method] ?? VERIFY_BY[v.method]} at ${clock(v.at)}`;
  const second = v.confirmedBy ? ` ${plainText(v.confirmedBy.name, 80)} confirmed it.` : '';
  switch (identityCheckState(t, now, ttlMs)) {
    case 'expired':
      return {
        text: `${who}. That was too long ago: check again before a pass.`,
        color: 'Warning',
      };
    case 'awaiting-second':
      return { text: `${who}. A second person must confirm it.`, color: 'Warning' };
    default:
      return {
        text: `${who}.${second} Good for one pass until ${clock(checkExpiresAt(t, ttlMs)!.toISOString())}.`,
        color: 'Good',
      };
  }
}

function guidance(t: Ticket, now: Date, ttlMs: number): string {
  if (!isActive(t.status)) return '';
  const blocker = canHavePass(t) ? passBlocker(t, now, ttlMs) : undefined;
  const earlier = livePass(t, now);
  const replaces = earlier
    ? ` A pass issued at ${clock(earlier.issuedAt)} still works until ${clock(earlier.expiresAt)}; a new pass replaces it and the earlier one stops working.`
    : '';
  if (blocker)
    return (
      BLOCKER_TEXT[blocker] +
      (blocker === 'no-check' || blocker === 'check-expired' ? replaces : '')
    );
  return replaces.trim();
}

/** The full card for IT members: facts, the identity check, methods, timeline and actions. */
export function ticketCard(t: Ticket, o: TicketCardOptions): CardJson {
  const active = isActive(t.status);
  const lost = t.kind === 'lost-device';
  const passKind = canHavePass(t);
  const now = o.now;
  const facts: Array<{ title: string; value: string }> = [];
  const d = t.details;
  if (typeof d.happened === 'string')
    facts.push({ title: 'What happened', value: HAPPENED[d.happened] ?? 'Other' });
  if (typeof d.when === 'string') facts.push({ title: 'When', value: WHEN[d.when] ?? 'Not said' });
  if (typeof d.hadWorkApps === 'string')
    facts.push({ title: 'Work apps on it', value: YES_NO[d.hadWorkApps] ?? 'Not said' });
  if (typeof d.verifyBy === 'string')
    facts.push({ title: 'Asked to verify by', value: VERIFY_BY[d.verifyBy] ?? 'Not said' });
  if (typeof d.step === 'string') facts.push({ title: 'Setup step', value: plainText(d.step, 80) });
  if (typeof d.incidentId === 'string') {
    const prompts = typeof d.prompts === 'string' ? `, ${plainText(d.prompts, 10)} prompts` : '';
    facts.push({ title: 'Sign-in alert', value: `${plainText(d.incidentId, 20)}${prompts}` });
  }
  if (typeof d.said === 'string')
    facts.push({ title: 'They said', value: SAID[d.said] ?? 'Not answered yet' });
  if (Array.isArray(d.articlesTried) && d.articlesTried.length) {
    facts.push({
      title: 'Articles tried',
      value: d.articlesTried.map((a) => plainText(a, 80)).join(', '),
    });
  }
  if (o.facts)
    facts.push({
      title: 'Number on file',
      value: o.facts.callbackNumber ?? 'none on file: verify in person',
    });
  if (t.pass)
    facts.push({
      title: 'Access pass',
      value: `issued by ${plainText(t.pass.by.name, 80)} at ${clock(t.pass.issuedAt)}, expires ${clock(t.pass.expiresAt)}`,
    });
  if (t.resolution) facts.push({ title: 'Resolution', value: t.resolution });

  const methods = (o.facts?.methods ?? [])
    .filter((m) => m.kind !== 'passwordAuthenticationMethod')
    .map((m) => {
      const { name, detail } = describeMethod(m);
      return {
        name,
        detail:
          m.kind === 'phoneAuthenticationMethod'
            ? maskPhone(m.label)
            : plainText(detail, 80) || '—',
      };
    });
  const devices = (o.facts?.devices ?? []).map((dev) => ({
    title: plainText(dev.displayName ?? 'Unnamed phone', 80),
    value: dev.id,
  }));
  const check = identityCheckState(t, now, o.checkTtlMs);
  const blocker = passKind && active ? passBlocker(t, now, o.checkTtlMs) : undefined;
  const working = active && !t.pending;
  const identity = identityText(t, now, o.checkTtlMs);

  const card = expandCard('ticket', {
    ...headline(t, now),
    notice: o.notice ?? '',
    v: t.version,
    urgentText: t.adminRole
      ? 'Holds (or can activate) a Microsoft Entra admin role.'
      : 'Privileged account: two people must confirm the identity check.',
    requesterRole:
      [t.requester.jobTitle, t.requester.department]
        .map((x) => plainText(x, 60))
        .filter(Boolean)
        .join(', ') || 'unknown',
    facts,
    theirWords: theirWords(t),
    methods,
    identityText: identity.text,
    identityColor: identity.color,
    guidance: guidance(t, now, o.checkTtlMs),
    timeline: t.timeline.slice(-8).map((e) => `${clock(e.at)} · ${plainText(e.text, 200)}`),
    canAssign: working && !t.assignee,
    canVerify: working && passKind && !t.adminRole && (check === 'none' || check === 'expired'),
    verifyTitle:
      check === 'expired' || t.pass ? 'Record a new identity check' : 'Record identity check',
    canConfirm: working && passKind && check === 'awaiting-second',
    canRevoke: working && (lost || t.kind === 'suspicious-sign-in'),
    canRemove: working && lost && devices.length > 0,
    devices,
    canIssuePass: working && passKind && !blocker,
    canResolve: working,
    canReopen: !active && t.status !== 'withdrawn',
  });
  return withRefresh(card, t.id, o.refreshFor);
}

export function passCard(
  t: Ticket,
  pass: { code: string; expiresAt: string; lifetime: number; replaced?: string },
  callback: string | null,
): CardJson {
  return ephemeral(
    expandCard('ticket-pass', {
      id: t.id,
      requesterName: plainText(t.requester.name, 80),
      requesterFirstName: plainText(t.requester.name.split(/\s+/)[0], 40),
      code: pass.code,
      expires: clock(pass.expiresAt),
      lifetime: pass.lifetime,
      replaced: pass.replaced ? `The pass issued at ${pass.replaced} no longer works.` : '',
      callback: callback ?? 'the number on file',
    }),
  );
}
