import assert from 'node:assert/strict';
import fs from 'node:fs';
import { expandCard, templateNames } from '../cards/render';
import { cardProblems } from '../cards/validate';
import { VERBS } from '../cards/verbs';
import { assetPath } from '../services/paths';

/**
 * Proposed verbs for the sign-in monitor's cards, passed as data until they join cards/verbs.ts
 * (the verb check below only sees verbs written into a template).
 */
const SIGNIN_VERBS = {
  view: 'signins.view',
  revokeSessions: 'signins.revokeSessions',
  callBack: 'signins.callBack',
  openTicket: 'signins.openTicket',
  markHandled: 'signins.markHandled',
  itWasMe: 'signins.itWasMe',
  notMe: 'signins.notMe',
};

/** Sample data for each template: every template must have an entry. */
const SAMPLES: Record<string, object> = {
  help: {
    firstName: 'Nora',
    notice: 'That card is out of date.',
    staffActions: [{ label: 'Set up Authenticator', verb: VERBS.setupStart, style: 'positive' }],
    roleActions: [{ label: 'Open tickets', verb: VERBS.itTickets, style: 'default' }],
    roleHeading: 'the IT team',
  },
  message: { title: 'Please try again soon', text: "I can't reach Microsoft 365 right now." },
  'onboarding-step': {
    notice: 'Welcome back!',
    title: 'Step 2 of 4: Connect the app to your work account',
    paragraphs: ['On a computer, open **aka.ms/mysecurityinfo**.'],
    fixesHeading: 'Most likely fixes:',
    fixes: ['Wait a minute, then check again.'],
    notes: ['On a shared computer, sign out when you finish.'],
    links: [{ title: 'Open My Security Info', url: 'https://aka.ms/mysecurityinfo' }],
    primary: { title: 'I scanned the code', verb: VERBS.setupNext },
    step: 'register',
    canSnooze: true,
    showAlternatives: true,
    offerIt: true,
  },
  'onboarding-done': {
    title: "You're all set, Nora!",
    text: 'Microsoft Authenticator is registered.',
    methods: [{ kind: 'Microsoft Authenticator', label: 'Pixel 8' }],
    backupTip: 'Add a backup method.',
  },
  'onboarding-stuck': {
    step: 'approve',
    articles: [
      { title: 'No notification', steps: ['1. Open the app.', '2. Pull down to refresh.'] },
    ],
  },
  'onboarding-alternatives': { step: 'install' },
  ticket: {
    notice: 'This card was out of date.',
    id: 'MFA-0001',
    v: 3,
    kindLabel: 'Lost or stolen phone',
    urgent: true,
    urgentText: 'Privileged account: two people must confirm the identity check.',
    statusText: 'Assigned',
    ageText: 'opened 5 min ago',
    requesterName: 'Nora Nguyen',
    requesterRole: 'Registered Nurse, Nursing',
    assigneeText: 'Ivan Ortiz',
    facts: [{ title: 'What happened', value: 'Stolen' }],
    theirWords: ['Note: Left it on the bus'],
    methods: [{ name: 'Microsoft Authenticator', detail: 'iPhone 14' }],
    identityText: 'Priya Raman called back the number on file at 09:05 UTC.',
    identityColor: 'Good',
    verifyTitle: 'Record identity check',
    guidance: 'Record how you confirmed their identity first.',
    timeline: ['09:00 UTC Nora Nguyen: Request opened'],
    canAssign: true,
    canVerify: true,
    canConfirm: true,
    canRevoke: true,
    canRemove: true,
    devices: [{ title: 'iPhone 14', value: 'dev-1' }],
    canIssuePass: true,
    canResolve: true,
    canReopen: true,
  },
  'ticket-pass': {
    id: 'MFA-0001',
    requesterName: 'Nora Nguyen',
    requesterFirstName: 'Nora',
    code: 'Example-Pass',
    expires: '10:00 UTC',
    lifetime: 60,
    callback: '555-0101',
    replaced: 'The pass issued at 09:00 UTC no longer works.',
  },
  'tickets-list': {
    count: 1,
    range: 'Showing 1–25, urgent and oldest first.',
    hasMore: true,
    nextPage: 2,
    hasPrev: false,
    prevPage: 0,
    tickets: [
      {
        id: 'MFA-0001',
        urgent: false,
        title: 'MFA-0001 · Lost or stolen phone',
        subtitle: 'Nora Nguyen · open',
      },
    ],
  },
  'lost-intake': { notice: '' },
  'lost-status': {
    notice: 'Sent to IT as request MFA-0001.',
    id: 'MFA-0001',
    statusText: 'waiting for IT',
    explain: 'IT has your request.',
    itPhone: '555-0100',
    active: true,
    showSetup: false,
  },
  'kb-answer': {
    notice: "Sorry that didn't help. This might be it:",
    id: 'no-push-notification',
    title: "I don't get the sign-in notification",
    summary: 'Here is what to check when nothing arrives.',
    steps: ['1. Open the Authenticator app.', '2. Allow notifications.'],
    contactIT: 'Contact IT if you still get nothing.',
    others: [{ id: 'android-battery', title: 'Android battery settings' }],
    tried: ['codes-not-accepted'],
    q: 'no notif',
  },
  'kb-start': {
    heading: "Let's fix it",
    text: 'Tell me what is happening.',
    picks: [{ id: 'new-phone', title: 'I got a new phone' }],
    tried: [],
    q: '',
    offerIt: true,
  },
  'kb-suggest': {
    heading: 'Did you mean…',
    text: 'I am not sure which of these fits. Pick the closest:',
    matches: [{ id: 'frequent-prompts', title: "I'm asked to approve too often" }],
    topicsHeading: 'Or one of these common problems:',
    topics: [{ id: 'new-phone', title: 'Moving Authenticator to a new phone' }],
    itLine: 'For anything else, call IT on 555-0100 or send them your question.',
    askItTitle: 'None of these: ask IT',
    tried: [],
    q: 'approve every hour',
  },
  'kb-review': {
    notice: 'Done: I will answer that with "Authenticator is empty after a phone reset".',
    waiting: '3 waiting, oldest first.',
    hasItem: true,
    key: '2026-03-02T09:00:00.000Z|0f7c',
    question: 'my son wiped my phone and the app is blank',
    why: 'Nobody could answer it · 2026-03-02',
    guess: 'phone-reset',
    articles: [{ id: 'phone-reset', title: 'Authenticator is empty after a phone reset' }],
  },
  'admin-status': {
    notice: '',
    asOf: 'As of Mar 2, 09:12 UTC (3 minutes ago)',
    headline: '35 of 62 people (56%) use Microsoft Authenticator.',
    rows: [{ name: 'Nursing', total: 19, auth: '9 (47%)', other: '6 (32%)', none: '4 (21%)' }],
    leftOut: 'Not counted: 1 guest. Disabled accounts are not in the report.',
    listTitle: 'Not on Authenticator yet: 27 people (page 1 of 3)',
    people: [{ name: 'Nora Nguyen', detail: 'Nursing · nothing yet' }],
    hasPrev: false,
    hasNext: true,
    prevPage: -1,
    nextPage: 1,
    page: 0,
  },
  'admin-nudge': {
    notice: 'A deadline reminder needs a date.',
    audience: 'no-authenticator',
    groups: 'Nursing',
    groupChoices: [{ name: 'Nursing' }, { name: 'Front Desk' }],
    exclude: '',
    kind: 'deadline',
    deadline: '',
    note: '',
    everyDays: '3',
    maxTimes: '2',
    today: '2026-03-02',
  },
  'admin-nudge-preview': {
    notice: 'This goes to 312 people, more than 50. Please check and confirm once more.',
    title: 'Confirm a large send',
    lines: ['Goes to 312 people: not on authenticator yet.', 'Message: Friendly first reminder.'],
    firstName: 'Nora',
    preview: [{ type: 'TextBlock', text: "Let's set up Microsoft Authenticator", wrap: true }],
    buttons: 'Set up now · Remind me in 3 days · I need help',
    confirmTitle: 'Yes, send to 312 people',
    draftId: '00000000-0000-4000-8000-000000000001',
    final: true,
  },
  'admin-campaign': {
    notice: '',
    id: 'NUDGE-0001',
    title: 'Nudge NUDGE-0001: 312 people',
    subtitle:
      'Deadline reminder · Not on Authenticator yet · started by Diane Whitaker, Mar 2, 09:12 UTC',
    statusText: 'sending, 120 of 312 done',
    statusColor: 'Accent',
    rateText: 'About 28 a second, about 7 seconds left.',
    facts: [{ title: 'Sent', value: '118 (38%)' }],
    report: ['Registered since the nudge: 14 of 312 (4%) so far.'],
    exportHint:
      "For a list per person, run on the bot's server: mfa-bot campaign export NUDGE-0001 --out NUDGE-0001.csv",
    canCancel: true,
    cancelTitle: 'Cancel sending',
  },
  nudge: {
    title: 'Please set up Microsoft Authenticator by Friday, March 13',
    lines: ['Hi Nora, a reminder: Microsoft Authenticator needs to be set up by Friday, March 13.'],
    note: 'Thanks for helping keep patient records safe.',
    noteFrom: 'Diane Whitaker',
    campaignId: 'NUDGE-0001',
    round: 1,
  },
  status: {
    headline: "You're set up with Microsoft Authenticator.",
    advice: 'Add a backup method.',
    hasAuthenticator: true,
    methods: [{ kind: 'Microsoft Authenticator', label: 'iPhone 15' }],
    passNote: 'You also have a Temporary Access Pass from IT.',
  },
  readiness: {
    asOf: 'As of Mar 2, 09:12 UTC',
    headline: 'Not ready to enforce: 1 item blocks it',
    headlineColor: 'Attention',
    blocking: [
      {
        n: 1,
        title: 'Registration campaign on',
        reason: 'Off: nobody is asked to set up the app when they sign in.',
      },
    ],
    coverage: 'Staff on Microsoft Authenticator: 27 of 62 (44%).',
    checks: [
      {
        title: 'Registration campaign on',
        statusLabel: 'fail',
        icon: '❌',
        color: 'Attention',
        reason: 'Off: nobody is asked to set up the app when they sign in.',
        risk: 'Without the nudge, the rollout stalls.',
        fixUrl:
          'https://entra.microsoft.com/#view/Microsoft_AAD_IAM/AuthenticationMethodsMenuBlade/~/RegistrationCampaign',
        hasFix: true,
        steps: [{ text: '1. Authentication methods → Registration campaign → Edit.' }],
        requests: [
          {
            summary: 'Turns the nudge on',
            permission: 'Policy.ReadWrite.AuthenticationMethod',
            line: 'PATCH https://graph.microsoft.com/v1.0/policies/authenticationMethodsPolicy',
            body: '{"registrationEnforcement":{}}',
          },
        ],
        more: 'And 2 more like these: run "mfa-bot readiness --fix per-user-mfa" for all of them.',
      },
      {
        title: 'MFA required for everyone',
        statusLabel: 'pass',
        icon: '✅',
        color: 'Good',
        reason: '"Require MFA for all users" is on.',
        risk: 'A stolen password is enough.',
        fixUrl:
          'https://entra.microsoft.com/#view/Microsoft_AAD_ConditionalAccess/ConditionalAccessBlade/~/Policies',
        hasFix: false,
        steps: [],
        requests: [],
        more: '',
      },
    ],
  },
  'readiness-digest': {
    weekText: 'Week of Mar 9 (compared with the week of Mar 2)',
    coverageLine: '29 of 62 staff (47%), 2 more than last week',
    headline: 'Ready to enforce',
    ticketsLine: '3 open (1 for admin or privileged accounts)',
    changes: [{ text: '⬆️ Registration campaign on: fail → pass', color: 'Good' }],
    noChanges: 'No readiness changes since last week.',
    blocking: [],
  },
  'signin-alert': {
    notice: '',
    id: 'ALERT-0001',
    v: 2,
    title: 'Someone may have got in after push-bombing',
    statusText: 'Open since 09:02 UTC',
    urgent: true,
    dangerText:
      'A sign-in succeeded at 09:01 UTC from 203.0.113.77 (Rotterdam, NL), right after the prompts.',
    who: 'Theo Okafor (theo.okafor@riverbendfm.example)',
    when: '2026-03-02 08:58–09:00 UTC',
    prompts: '5 denied or not answered',
    sources: ['203.0.113.77 · Rotterdam, South Holland, NL'],
    apps: 'OfficeHome',
    fraudText: 'Theo Okafor reported a sign-in request as fraud in Authenticator.',
    answerText: "Theo Okafor says: it wasn't me.",
    ticketText: 'Ticket MFA-0012 is open for this.',
    timeline: [
      '09:02 UTC MFA Helper: 5 sign-in prompts were denied or not answered from 08:58 UTC',
    ],
    canAct: true,
    canOpenTicket: true,
    verbs: SIGNIN_VERBS,
  },
  'signin-alert-summary': {
    id: 'ALERT-0001',
    title: 'Push-bombing (MFA fatigue)',
    statusText: 'Open since 09:02 UTC',
    urgent: false,
    name: 'Theo Okafor',
    prompts: '5 denied or not answered',
    verbs: SIGNIN_VERBS,
  },
  'signin-check': {
    incidentId: 'ALERT-0001',
    v: 1,
    lead: 'Hi Theo, your phone got 5 Microsoft sign-in requests (2026-03-02 08:58–09:00 UTC).',
    answered: false,
    answerText: '',
    canSayItWasMe: true,
    canSayNotMe: true,
    itPhone: '555-0100 ext. 200',
    verbs: SIGNIN_VERBS,
  },
  'signin-summary': {
    title: 'Sign-in alerts 09:00–09:59 UTC: 2 more',
    intro:
      'The hourly limit of alerts was reached, so these 2 were held back to keep the channel readable.',
    lines: [
      {
        id: 'ALERT-0006',
        name: 'Amara Osei',
        detail: '3 prompts denied or not answered',
        urgent: false,
      },
      {
        id: 'ALERT-0007',
        name: 'Grace Lindqvist',
        detail: '1 prompts · reported as fraud',
        urgent: true,
      },
    ],
    footer: 'Open one to see where the sign-ins came from and to act.',
    verbs: SIGNIN_VERBS,
  },
  'kb-review-notice': {
    title: '3 staff questions are waiting for review',
    text: 'I could not answer these, or my answer did not help.',
  },
  'ticket-summary': {
    notice: '',
    id: 'MFA-0001',
    kindLabel: 'Lost or stolen phone',
    urgent: false,
    statusText: 'Open',
    ageText: 'opened just now',
    requesterName: 'Nora Nguyen',
    assigneeText: 'nobody yet',
  },
};

describe('card templates', () => {
  for (const name of templateNames()) {
    it(`${name} renders with sample data as an Adaptive Card 1.5 without warnings`, () => {
      const sample = SAMPLES[name];
      assert.ok(sample, `add sample data for the ${name} template to this test`);
      const card = expandCard(name, sample);
      assert.equal(card.version, '1.5');
      assert.deepEqual(cardProblems(card), []);
      assert.ok(JSON.stringify(card).length < 28_000, 'small enough for a Teams message');
    });
  }

  it('uses only verbs from the shared verb list', () => {
    const known = new Set<string>(Object.values(VERBS));
    for (const name of templateNames()) {
      const raw = fs.readFileSync(assetPath('cards', 'templates', `${name}.json`), 'utf8');
      for (const [, verb] of raw.matchAll(/"verb":\s*"([^"$]+)"/g)) {
        assert.ok(known.has(verb), `${name} uses verb ${verb} that is not in cards/verbs.ts`);
      }
    }
  });

  it('reports problems in a broken card', () => {
    const problems = cardProblems({
      type: 'AdaptiveCard',
      version: '1.6',
      body: [{ type: 'Nope' }],
    });
    assert.ok(problems.some((p) => /1\.5/.test(p)));
    assert.ok(problems.some((p) => /Nope/.test(p)));
  });
});
