/**
 * IT requests: lost or stolen phones, hardware token requests, first-time Temporary Access Pass
 * requests and "Ask IT" from troubleshooting all travel as tickets with a readable number.
 */

export type TicketKind = 'lost-device' | 'hardware-token' | 'first-time-pass' | 'help';

export type TicketStatus = 'open' | 'assigned' | 'verified' | 'resolved' | 'withdrawn';

export interface Person {
  id: string;
  name: string;
}

export interface TimelineEntry {
  at: string;
  by: Person;
  /** What happened, in words an IT member reads on the card. */
  text: string;
}

export interface Ticket {
  /** Readable number, e.g. MFA-0007. */
  id: string;
  kind: TicketKind;
  status: TicketStatus;
  requester: Person & { upn?: string; jobTitle?: string | null; department?: string | null };
  createdAt: string;
  updatedAt: string;
  /** Kind-specific answers, all from fixed choices or screened short text. */
  details: Record<string, string | string[] | boolean | undefined>;
  privileged: boolean;
  assignee?: Person;
  timeline: TimelineEntry[];
}

export const TICKET_ID_PATTERN = /^MFA-\d{4,}$/;
