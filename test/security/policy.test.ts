import assert from 'node:assert/strict';
import { authorize, POLICY } from '../../services/authz/policy';
import type { Role } from '../../services/authz/roles';
import { startHarness, type Harness } from '../helpers/harness';

type Who = 'staff' | 'it' | 'admin' | 'requester';
type Row = Record<Who, boolean>;

const ANYONE: Row = { staff: true, it: true, admin: true, requester: true };
const IT_NOT_OWN: Row = { staff: false, it: true, admin: false, requester: false };
const ADMIN: Row = { staff: false, it: false, admin: true, requester: false };
const REQUESTER: Row = { staff: false, it: false, admin: false, requester: true };

/**
 * What each privileged verb must allow, written out by hand: a verb the router knows but this
 * table does not fails the test, so nobody adds a verb without deciding who may use it.
 * The requester column is an IT member acting on their own ticket (or a staff member's own).
 */
const EXPECTED: Record<string, Row> = {
  'menu.show': ANYONE,
  'status.mine': ANYONE,
  'onboarding.start': ANYONE,
  'onboarding.next': ANYONE,
  'onboarding.check': ANYONE,
  'onboarding.stuck': ANYONE,
  'onboarding.snooze': ANYONE,
  'onboarding.alternatives': ANYONE,
  'onboarding.requestToken': ANYONE,
  'onboarding.requestPass': ANYONE,
  'onboarding.askIt': ANYONE,
  'troubleshoot.start': ANYONE,
  'troubleshoot.article': ANYONE,
  'troubleshoot.feedback': ANYONE,
  'troubleshoot.askIt': ANYONE,
  'kb.review': { staff: false, it: true, admin: true, requester: true },
  'kb.reviewMap': { staff: false, it: true, admin: true, requester: true },
  'kb.reviewOutOfScope': { staff: false, it: true, admin: true, requester: true },
  'lostDevice.start': ANYONE,
  'lostDevice.submit': ANYONE,
  'lostDevice.status': REQUESTER,
  'lostDevice.withdraw': REQUESTER,
  'tickets.list': { staff: false, it: true, admin: false, requester: true },
  'tickets.view': { staff: false, it: true, admin: false, requester: true },
  'tickets.assign': IT_NOT_OWN,
  'tickets.verify': IT_NOT_OWN,
  'tickets.confirmVerification': IT_NOT_OWN,
  'tickets.revokeSessions': IT_NOT_OWN,
  'tickets.removeDevice': IT_NOT_OWN,
  'tickets.issuePass': IT_NOT_OWN,
  'tickets.passGiven': IT_NOT_OWN,
  'tickets.resolve': IT_NOT_OWN,
  'tickets.reopen': IT_NOT_OWN,
  'admin.status': ADMIN,
  'admin.nudge': ADMIN,
  'admin.nudgePreview': ADMIN,
  'admin.nudgeConfirm': ADMIN,
  'admin.campaign': ADMIN,
  'admin.campaignCancel': ADMIN,
  'admin.readiness': { staff: false, it: true, admin: true, requester: true },
  'admin.digestOn': ADMIN,
  'admin.digestOff': ADMIN,
  'nudge.snooze': ANYONE,
  'nudge.help': ANYONE,
  'signins.view': { staff: false, it: true, admin: false, requester: true },
  'signins.revokeSessions': IT_NOT_OWN,
  'signins.callBack': IT_NOT_OWN,
  'signins.openTicket': IT_NOT_OWN,
  'signins.markHandled': IT_NOT_OWN,
  'signins.itWasMe': REQUESTER,
  'signins.notMe': REQUESTER,
  'signins.holdouts': ADMIN,
};

const ROLES: Record<Who, Role[]> = {
  staff: ['staff'],
  it: ['staff', 'it'],
  admin: ['staff', 'admin'],
  // An IT member who is also the ticket's requester.
  requester: ['staff', 'it'],
};

describe('authorization policy', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it('has a policy entry and an expectation for every verb the router knows', () => {
    for (const verb of h.app.actions.verbs()) {
      assert.ok(POLICY[verb], `verb ${verb} has no entry in services/authz/policy.ts`);
      assert.ok(EXPECTED[verb], `verb ${verb} has no expected row in this test`);
    }
  });

  it('refuses a verb with no policy entry', () => {
    assert.deepEqual(
      authorize('tickets.deleteAll', { id: 'x', roles: new Set<Role>(['it', 'admin']) }),
      { allowed: false, reason: 'no-policy' },
    );
  });

  for (const [verb, row] of Object.entries(EXPECTED)) {
    for (const who of Object.keys(row) as Who[]) {
      it(`${verb} × ${who} → ${row[who] ? 'allow' : 'deny'}`, () => {
        const actorId = `${who}-id`;
        const requesterId = who === 'requester' ? actorId : 'someone-else';
        const decision = authorize(
          verb,
          { id: actorId, roles: new Set(ROLES[who]) },
          { requesterId },
        );
        assert.equal(decision.allowed, row[who]);
      });
    }
  }
});
