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
import { cardText } from '../helpers/harness';
import { chatIdFor } from '../helpers/rate-limited-connector';

const DIANE = 'diane.whitaker@riverbendfm.example';
const NORA = 'nora.nguyen@riverbendfm.example';

type Card = Record<string, unknown> & {
  actions?: Array<{ verb?: string; data?: Record<string, unknown> }>;
};

function draftIdOf(card: Card): string {
  const id = card.actions?.find((a) => a.verb === 'admin.nudgeConfirm')?.data?.draftId;
  assert.equal(typeof id, 'string', `no confirm button on: ${cardText(card)}`);
  return id as string;
}

function eligible(u: PracticeUser): boolean {
  return (
    u.accountEnabled &&
    u.userType === 'Member' &&
    !u.memberOf.includes(STANDARD_GROUP_IDS.mfaExclusions)
  );
}

describe('admin nudge: choosing the audience', () => {
  let h: CampaignHarness;
  let diane: ReturnType<typeof testUser>;
  beforeEach(async () => {
    h = await startCampaignHarness();
    diane = testUser(byUpn(h.practice, DIANE));
  });
  afterEach(async () => {
    await h.close();
  });

  const preview = async (form: Record<string, string>) =>
    (
      await h.click(diane, 'admin.nudgePreview', {
        audience: 'no-authenticator',
        kind: 'friendly',
        ...form,
      })
    ).body.value as Card;

  it('picks everyone not on Authenticator, never guests, disabled accounts or the never-nudge group', async () => {
    const card = await preview({});
    const draft = await h.app.parts.campaigns.draft(draftIdOf(card), {
      id: byUpn(h.practice, DIANE).id,
      name: '',
    });
    assert.ok(typeof draft !== 'string');
    const expected = h.practice.users.filter(
      (u) => eligible(u) && !u.methodsRegistered.includes('microsoftAuthenticatorPush'),
    );
    assert.deepEqual(
      draft.recipients.map((r) => r.upn).sort(),
      expected.map((u) => u.userPrincipalName).sort(),
    );
    for (const never of [
      'frontdesk.shared',
      'breakglass.admin',
      'beth.harlow',
      'gordon.pike',
      'it-helpdesk',
    ]) {
      assert.ok(!draft.recipients.some((r) => r.upn.startsWith(never)), `${never} is never nudged`);
    }
    assert.match(
      cardText(card),
      new RegExp(`This goes to ${expected.length} people who are not on Authenticator yet\\.`),
    );
    assert.match(cardText(card), /Never nudged: 1 guest and 2 in the never-nudge group/);
  });

  it('narrows to role groups and "no method at all", and leaves out the people listed', async () => {
    const card = await preview({
      audience: 'no-mfa',
      groups: 'Nursing',
      exclude: 'peter.lund@riverbendfm.example\nnobody@riverbendfm.example',
    });
    const text = cardText(card);
    assert.match(text, /This goes to 3 people in Nursing who have no second sign-in method yet\./);
    assert.match(text, /Left out from your list: 1/);
    assert.match(text, /nobody@riverbendfm\.example/);
    assert.match(text, /What Fiona will see/);
    assert.match(text, /Let's set up Microsoft Authenticator/);
  });

  it('says plainly when nobody matches, and stores nothing', async () => {
    const card = await preview({
      audience: 'no-mfa',
      groups: 'Physicians',
      exclude: 'daniel.kowalski@riverbendfm.example',
    });
    assert.match(
      cardText(card),
      /Nobody to nudge: no one matches "No second sign-in method at all" in Physicians, after leaving out the 1 on your list\. Nothing was saved or sent\./,
    );
    assert.ok(!card.actions?.some((a) => a.verb === 'admin.nudgeConfirm'));
    assert.equal(await h.app.parts.store.count('campaign-drafts'), 0);
  });

  it('rejects a note with a code or patient details, says why, and does not echo it back', async () => {
    const card = await preview({ note: 'Use code 483920 to sign in' });
    const text = cardText(card);
    assert.match(text, /looks like a sign-in code/);
    assert.doesNotMatch(JSON.stringify(card), /483920/);
    const patient = cardText(await preview({ note: 'Patient MRN 12345678 is waiting' }));
    assert.match(patient, /patient/i);
    assert.equal(await h.app.parts.store.count('campaign-drafts'), 0);
  });

  it('says what is wrong with a deadline in the past, in the form and when previewing', async () => {
    const form = (await h.click(diane, 'admin.nudge', {})).body.value as Card;
    const date = (form.body as Array<Record<string, unknown>>).find((b) => b.type === 'Input.Date');
    assert.ok(date?.min, 'the calendar starts today');
    assert.match(String(date.errorMessage), /today or later/);
    const text = cardText(await preview({ kind: 'deadline', deadline: '2020-01-01' }));
    assert.match(text, /The deadline is in the past/);
    assert.equal(await h.app.parts.store.count('campaign-drafts'), 0);
  });

  it('needs a date for a deadline reminder, and both boxes for reminders', async () => {
    const text = cardText(await preview({ kind: 'deadline', everyDays: '3' }));
    assert.match(text, /A deadline reminder needs a date/);
    assert.match(text, /fill in both boxes/);
  });

  it('asks a second time for an audience over the threshold; a forged "final" click cannot skip it', async () => {
    const second = await startCampaignHarness({ env: { NUDGE_CONFIRM_THRESHOLD: '5' } });
    try {
      const admin = testUser(byUpn(second.practice, DIANE));
      const card = (
        await second.click(admin, 'admin.nudgePreview', {
          audience: 'no-authenticator',
          kind: 'friendly',
        })
      ).body.value as Card;
      const draftId = draftIdOf(card);
      const forged = (await second.click(admin, 'admin.nudgeConfirm', { draftId, final: true }))
        .body.value as Card;
      assert.match(cardText(forged), /Confirm a large send/);
      assert.equal(
        (await second.app.parts.campaigns.store.recent()).length,
        0,
        'nothing launched yet',
      );
      const again = (await second.click(admin, 'admin.nudgeConfirm', { draftId })).body
        .value as Card;
      assert.match(
        cardText(again),
        /Confirm a large send/,
        'the first button again does not launch',
      );
      const launched = (await second.click(admin, 'admin.nudgeConfirm', { draftId, final: true }))
        .body.value as Card;
      assert.match(cardText(launched), /Nudge NUDGE-0001/);
    } finally {
      await second.close();
    }
  });

  it('skips someone who registered between the preview and the send', async () => {
    const card = await preview({ audience: 'no-mfa', groups: 'Nursing' });
    const nora = byUpn(h.practice, NORA);
    await patchUser(h.sim, NORA, { methodsRegistered: ['microsoftAuthenticatorPush'] });
    await h.click(
      diane,
      'admin.nudgeConfirm',
      { draftId: draftIdOf(card) },
      { replyToId: 'progress-card' },
    );
    const campaign = await h.settled('NUDGE-0001');
    assert.equal(campaign.status, 'done');
    const row = await h.app.parts.campaigns.store.row('NUDGE-0001', nora.id);
    assert.equal(row?.value.state, 'skipped');
    assert.ok(row?.value.registeredAt);
    assert.ok(
      !h.connector.accepted.some(
        (a) => a.conversationId === chatIdFor(nora.id) && a.kind === 'send',
      ),
      'no nudge reached her',
    );
    assert.equal((await h.app.parts.campaigns.store.counts('NUDGE-0001')).sent, 3);
  });
});
