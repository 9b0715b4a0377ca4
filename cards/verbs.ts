/**
 * Action.Execute verbs: the one list both the card templates and their handlers use. A template
 * names a verb as "${verbs.x}" is not possible in static JSON, so templates write the literal
 * and a test checks every verb a template uses is listed here and handled by the router.
 */
export const VERBS = {
  menu: 'menu.show',
  myStatus: 'status.mine',
  setupStart: 'onboarding.start',
  setupNext: 'onboarding.next',
  setupCheck: 'onboarding.check',
  setupStuck: 'onboarding.stuck',
  setupSnooze: 'onboarding.snooze',
  setupAlternatives: 'onboarding.alternatives',
  setupRequestToken: 'onboarding.requestToken',
  setupRequestPass: 'onboarding.requestPass',
  setupAskIt: 'onboarding.askIt',
  troubleshoot: 'troubleshoot.start',
  kbArticle: 'troubleshoot.article',
  kbFeedback: 'troubleshoot.feedback',
  kbAskIt: 'troubleshoot.askIt',
  lostDevice: 'lostDevice.start',
  itTickets: 'tickets.list',
  ticketView: 'tickets.view',
  ticketAssign: 'tickets.assign',
  ticketVerify: 'tickets.verify',
  ticketConfirm: 'tickets.confirmVerification',
  ticketRevoke: 'tickets.revokeSessions',
  ticketRemoveDevice: 'tickets.removeDevice',
  ticketIssuePass: 'tickets.issuePass',
  ticketPassGiven: 'tickets.passGiven',
  ticketResolve: 'tickets.resolve',
  ticketReopen: 'tickets.reopen',
  lostSubmit: 'lostDevice.submit',
  lostStatus: 'lostDevice.status',
  lostWithdraw: 'lostDevice.withdraw',
  adminStatus: 'admin.status',
  adminNudge: 'admin.nudge',
  adminNudgePreview: 'admin.nudgePreview',
  adminNudgeConfirm: 'admin.nudgeConfirm',
  adminCampaign: 'admin.campaign',
  adminCampaignCancel: 'admin.campaignCancel',
  nudgeSnooze: 'nudge.snooze',
  nudgeHelp: 'nudge.help',
} as const;

export type Verb = (typeof VERBS)[keyof typeof VERBS];
