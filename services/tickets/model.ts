/**
 * IT requests: lost or stolen phones, hardware token requests, first-time Temporary Access Pass
 * requests, "Ask IT" from troubleshooting and recovery after suspicious sign-ins all travel as
 * tickets with a readable number.
 */

export type TicketKind =
  'lost-device' | 'hardware-token' | 'first-time-pass' | 'help' | 'suspicious-sign-in';

export type TicketStatus = 'open' | 'assigned' | 'verified' | 'resolved' | 'withdrawn';

export interface Person {
  id: string;
  name: string;
}

export interface TimelineEntry {
  at: string;
  by: Person;
  /** What happened, in words an IT member reads on the card. Never a code. */
  text: string;
}

type VerificationMethod = 'callback' | 'in-person' | 'manager';

interface Verification {
  method: VerificationMethod;
  note?: string;
  by: Person;
  at: string;
  /** The second person, for privileged accounts (two-person rule). */
  confirmedBy?: Person;
  confirmedAt?: string;
}

interface IssuedPass {
  issuedAt: string;
  expiresAt: string;
  by: Person;
  /** Graph's id for the pass method, so it can be deleted; not a secret. */
  methodId?: string;
}

/** Where the ticket's card lives in the IT channel. */
export interface ThreadRef {
  /** The channel conversation the card was posted to. */
  channelConversationId: string;
  /** The card's activity id, which is also the thread's root. */
  activityId: string;
  serviceUrl: string;
  tenantId?: string;
}

/** An action in flight: claimed on the ticket before Graph is called, so it happens once. */
interface PendingAction {
  action: string;
  by: Person;
  at: string;
}

export interface Ticket {
  /** Readable number, e.g. MFA-0007. */
  id: string;
  kind: TicketKind;
  status: TicketStatus;
  /** Bumped on every change; cards carry it so a stale card is recognised. */
  version: number;
  requester: Person & {
    upn?: string;
    /** Where recovery notices go: the mailbox, else the UPN. */
    email?: string;
    jobTitle?: string | null;
    department?: string | null;
  };
  createdAt: string;
  updatedAt: string;
  /** Kind-specific answers, all from fixed choices or screened short text. */
  details: Record<string, string | string[] | boolean | undefined>;
  /** Member of the admin group or the privileged group: urgent, and two people must verify. */
  privileged: boolean;
  /** Holds an Entra admin role: no Temporary Access Pass from the bot. */
  adminRole: boolean;
  /**
   * The directory could not say at opening, so the ticket was treated as privileged; the live
   * check when a pass is issued settles it either way.
   */
  standingUnknown?: boolean;
  assignee?: Person;
  verification?: Verification;
  pending?: PendingAction;
  sessionsRevokedAt?: string;
  removedDevices?: string[];
  /** The latest pass issued on this ticket (never its code). A new pass replaces it in Entra. */
  pass?: IssuedPass;
  /** How many passes were issued on this ticket. */
  passesIssued?: number;
  resolution?: string;
  thread?: ThreadRef;
  timeline: TimelineEntry[];
}

export const TICKET_ID_PATTERN = /^MFA-\d{4,}$/;

export const KIND_LABELS: Record<TicketKind, string> = {
  'lost-device': 'Lost or stolen phone',
  'hardware-token': 'Hardware token request',
  'first-time-pass': 'First-time sign-in pass',
  help: 'Help with sign-in',
  'suspicious-sign-in': 'Suspicious sign-in',
};

/**
 * Whether the requester may withdraw it. Not after a suspicious sign-in: whoever is in the
 * account may be the attacker, and must not be able to call IT off.
 */
export function requesterMayWithdraw(t: Ticket): boolean {
  return isActive(t.status) && t.kind !== 'suspicious-sign-in';
}

export function isActive(status: TicketStatus): boolean {
  return status !== 'resolved' && status !== 'withdrawn';
}
