import assert from 'node:assert/strict';
import type { PracticeUser } from '../../services/directory/practice';
import { STANDARD_GROUP_IDS } from '../../services/directory/standard-groups';
import {
  byUpn,
  patchUser,
  startCampaignHarness,
  testUser,
  type CampaignHarness,
} from '../campaigns/harness';
import { cardOf, cardText } from '../helpers/harness';

const DIANE = 'diane.whitaker@riverbendfm.example';
const NORA = 'nora.nguyen@riverbendfm.example';

/** Who the report counts: enabled members outside the never-nudge group. */
function counted(u: PracticeUser): boolean {
  return (
    u.accountEnabled &&
    u.userType === 'Member' &&
    !u.memberOf.includes(STANDARD_GROUP_IDS.mfaExclusions)
  );
}

describe('admin registration status', () => {
  let h: CampaignHarness;
  beforeEach(async () => {
    h = await startCampaignHarness({ connectorOptions: { keepBodies: true } });
  });
  afterEach(async () => {
    await h.close();
  });

  it('answers "status" with coverage overall and per role group, leaving out guests and the never-nudge group', async () => {
    const diane = testUser(byUpn(h.practice, DIANE));
    assert.equal(await h.say(diane, 'status'), 200);
    const reply = h.connector.accepted.find((a) => a.kind === 'send' && a.body?.attachments);
    const text = cardText(cardOf(reply!.body!));
    const people = h.practice.users.filter(counted);
    const onApp = people.filter((u) => u.methodsRegistered.includes('microsoftAuthenticatorPush'));
    assert.match(
      text,
      new RegExp(
        `${onApp.length} of ${people.length} people \\(${Math.round((onApp.length / people.length) * 100)}%\\) use Microsoft Authenticator`,
      ),
    );
    const nursing = people.filter((u) => u.memberOf.includes(STANDARD_GROUP_IDS.nursing));
    assert.match(text, new RegExp(`Nursing \\(${nursing.length}\\)`));
    assert.match(text, /Not counted: 1 guest and 2 in the never-nudge group/);
    assert.match(
      text,
      new RegExp(
        `Not on Authenticator yet: ${people.length - onApp.length} people \\(page 1 of ${Math.ceil((people.length - onApp.length) / 10)}\\)`,
      ),
    );
    assert.doesNotMatch(
      text,
      /Beth Harlow|Front Desk Shared|Break/i,
      'guests and excluded accounts are not listed',
    );
  });

  it('pages through the people not registered, and Refresh picks up a new registration', async () => {
    const diane = testUser(byUpn(h.practice, DIANE));
    const first = cardText((await h.click(diane, 'admin.status')).body.value);
    const second = cardText((await h.click(diane, 'admin.status', { page: 1 })).body.value);
    assert.match(second, /page 2 of/);
    const names = (text: string) =>
      text.split('\n').filter((l, i, all) => / · /.test(all[i + 1] ?? '') && !/ · /.test(l));
    assert.equal(names(first).length, 10);
    assert.equal(
      names(first).filter((n) => names(second).includes(n)).length,
      0,
      'a different page of people',
    );

    await patchUser(h.sim, NORA, { methodsRegistered: ['microsoftAuthenticatorPush'] });
    const cached = cardText((await h.click(diane, 'admin.status')).body.value);
    assert.equal(
      cached.match(/Not on Authenticator yet: (\d+)/)![1],
      first.match(/Not on Authenticator yet: (\d+)/)![1],
      'the stored report is shown until Refresh',
    );
    const refreshed = cardText(
      (await h.click(diane, 'admin.status', { refresh: true })).body.value,
    );
    assert.equal(
      Number(refreshed.match(/Not on Authenticator yet: (\d+)/)![1]),
      Number(first.match(/Not on Authenticator yet: (\d+)/)![1]) - 1,
    );
  });

  it('refuses staff and audits it, including a forged confirm payload', async () => {
    const nora = byUpn(h.practice, NORA);
    const status = await h.click(testUser(nora), 'admin.status');
    assert.match(cardText(status.body.value), /only for practice admins/);
    const forged = await h.click(testUser(nora), 'admin.nudgeConfirm', {
      draftId: '00000000-0000-4000-8000-000000000001',
      final: true,
    });
    assert.match(cardText(forged.body.value), /only for practice admins/);
    const denied = (await h.app.parts.audit.all()).filter(
      (r) => r.actor === nora.id && r.outcome === 'denied',
    );
    assert.deepEqual(denied.map((r) => r.action).sort(), ['admin.nudgeConfirm', 'admin.status']);
    assert.equal(await h.app.parts.campaigns.store.recent().then((c) => c.length), 0);
  });

  it('checks the admin group again on every action, so someone just removed is refused', async () => {
    const diane = byUpn(h.practice, DIANE);
    assert.match(
      cardText((await h.click(testUser(diane), 'admin.status')).body.value),
      /Registration status/,
    );
    await patchUser(h.sim, DIANE, { memberOf: [] });
    const after = await h.click(testUser(diane), 'admin.nudge');
    assert.match(cardText(after.body.value), /only for practice admins/);
    const record = (await h.app.parts.audit.all()).find(
      (r) => r.actor === diane.id && r.outcome === 'denied',
    );
    assert.equal(record?.reason, 'not-in-admin-group');
  });
});
