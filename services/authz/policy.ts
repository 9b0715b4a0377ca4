import type { Role } from './roles';

/**
 * Who may run each card verb. Every verb the router knows must have an entry here (a test reads
 * the verbs from the router and fails on any without one); a verb missing from this table is
 * refused at run time.
 */
export interface Rule {
  /** Anyone in the tenant may run it (it only ever touches their own things). */
  anyone?: true;
  /** Roles that may run it. */
  roles?: readonly Role[];
  /** Refused when the actor is the ticket's requester (nobody acts on their own ticket). */
  notOnOwnTicket?: true;
  /** Only the ticket's requester may run it. */
  requesterOnly?: true;
}

export const POLICY: Readonly<Record<string, Rule>> = {
  'menu.show': { anyone: true },
  'status.mine': { anyone: true },
  'onboarding.start': { anyone: true },
  'onboarding.next': { anyone: true },
  'onboarding.check': { anyone: true },
  'onboarding.stuck': { anyone: true },
  'onboarding.snooze': { anyone: true },
  'onboarding.alternatives': { anyone: true },
  'onboarding.requestToken': { anyone: true },
  'onboarding.requestPass': { anyone: true },
  'onboarding.askIt': { anyone: true },
  'troubleshoot.start': { anyone: true },
  'troubleshoot.article': { anyone: true },
  'troubleshoot.feedback': { anyone: true },
  'troubleshoot.askIt': { anyone: true },
  'kb.review': { roles: ['admin', 'it'] },
  'kb.reviewMap': { roles: ['admin', 'it'] },
  'kb.reviewOutOfScope': { roles: ['admin', 'it'] },
  'lostDevice.start': { anyone: true },
  'lostDevice.submit': { anyone: true },
  'lostDevice.status': { requesterOnly: true },
  'lostDevice.withdraw': { requesterOnly: true },
  'tickets.list': { roles: ['it'] },
  'tickets.view': { roles: ['it'] },
  'tickets.assign': { roles: ['it'], notOnOwnTicket: true },
  'tickets.verify': { roles: ['it'], notOnOwnTicket: true },
  'tickets.confirmVerification': { roles: ['it'], notOnOwnTicket: true },
  'tickets.revokeSessions': { roles: ['it'], notOnOwnTicket: true },
  'tickets.removeDevice': { roles: ['it'], notOnOwnTicket: true },
  'tickets.issuePass': { roles: ['it'], notOnOwnTicket: true },
  'tickets.passGiven': { roles: ['it'], notOnOwnTicket: true },
  'tickets.resolve': { roles: ['it'], notOnOwnTicket: true },
  'tickets.reopen': { roles: ['it'], notOnOwnTicket: true },
  'admin.status': { roles: ['admin'] },
  'admin.nudge': { roles: ['admin'] },
  'admin.nudgePreview': { roles: ['admin'] },
  'admin.nudgeConfirm': { roles: ['admin'] },
  'admin.campaign': { roles: ['admin'] },
  'admin.campaignCancel': { roles: ['admin'] },
  // Readiness only reads the tenant's settings: IT may look too. The digest is for admins.
  'admin.readiness': { roles: ['admin', 'it'] },
  'admin.digestOn': { roles: ['admin'] },
  'admin.digestOff': { roles: ['admin'] },
  'nudge.snooze': { anyone: true },
  'nudge.help': { anyone: true },
  // The sign-in monitor: an incident's person is its "requester" (nobody handles their own).
  'signins.view': { roles: ['it'] },
  'signins.revokeSessions': { roles: ['it'], notOnOwnTicket: true },
  'signins.callBack': { roles: ['it'], notOnOwnTicket: true },
  'signins.openTicket': { roles: ['it'], notOnOwnTicket: true },
  'signins.markHandled': { roles: ['it'], notOnOwnTicket: true },
  'signins.itWasMe': { requesterOnly: true },
  'signins.notMe': { requesterOnly: true },
  'signins.holdouts': { roles: ['admin'] },
};

export type Decision =
  | { allowed: true }
  | { allowed: false; reason: 'no-policy' | 'role' | 'own-ticket' | 'not-requester' };

/**
 * The one authorization decision. `roles` are the actor's roles from the directory; pass the
 * ticket's requester when the verb acts on a ticket.
 */
export function authorize(
  verb: string,
  actor: { id: string; roles: ReadonlySet<Role> },
  resource: { requesterId?: string } = {},
  extraRoles: readonly Role[] = [],
): Decision {
  const rule = POLICY[verb];
  if (!rule) return { allowed: false, reason: 'no-policy' };
  if (rule.requesterOnly) {
    return resource.requesterId !== undefined && resource.requesterId === actor.id
      ? { allowed: true }
      : { allowed: false, reason: 'not-requester' };
  }
  if (!rule.anyone) {
    const allowedRoles = [...(rule.roles ?? []), ...extraRoles];
    if (!allowedRoles.some((r) => actor.roles.has(r))) return { allowed: false, reason: 'role' };
  }
  if (
    rule.notOnOwnTicket &&
    resource.requesterId !== undefined &&
    resource.requesterId === actor.id
  ) {
    return { allowed: false, reason: 'own-ticket' };
  }
  return { allowed: true };
}

/** Whether the verb needs a directory role lookup before it runs. */
export function needsRoles(verb: string): boolean {
  const rule = POLICY[verb];
  return Boolean(rule && !rule.anyone && !rule.requesterOnly);
}
