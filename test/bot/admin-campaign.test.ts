import assert from 'node:assert/strict';
import { DAY, ManualClock } from '../../services/clock';
import {
  byUpn,
  patchUser,
  startCampaignHarness,
  testUser,
  type CampaignHarness,
} from '../campaigns/harness';
import { cardOf, cardText } from '../helpers/harness';
import { userOfChat } from '../helpers/rate-limited-connector';

const DIANE = 'diane.whitaker@riverbendfm.example';
const NURSES = ['nora.nguyen', 'kwame.mensah', 'peter.lund', 'fiona.gallagher'].map(
  (n) => `${n}@riverbendfm.example`,
);

type Card = Record<string, unknown> & {
  actions?: Array<{ verb?: string; title?: string; data?: Record<string, unknown> }>;
};

describe('admin nudge: a campaign from confirm to report', () => {
  let h: CampaignHarness;
  let clock: ManualClock;
  const id = 'NUDGE-0001';

  beforeEach(async () => {
    clock = new ManualClock('2026-03-02T09:00:00Z');
    h = await startCampaignHarness({ clock, connectorOptions: { keepBodies: true } });
  });
  afterEach(async () => {
    await h.close();
  });

  const nurse = (i: number) => byUpn(h.practice, NURSES[i]!);
  const nudgesTo = (userId: string, round: number) =>
    h.connector.accepted.filter(
      (a) =>
        a.kind === 'send' && userOfChat(a.conversationId) === userId && a.tag === `${id}:${round}`,
    );

  async function launch(form: Record<string, string>): Promise<void> {
    const diane = testUser(byUpn(h.practice, DIANE));
    const preview = (
      await h.click(diane, 'admin.nudgePreview', {
        audience: 'no-mfa',
        groups: 'Nursing',
        kind: 'friendly',
        ...form,
      })
    ).body.value as Card;
    const draftId = preview.actions!.find((a) => a.verb === 'admin.nudgeConfirm')!.data!.draftId;
    const res = await h.click(
      diane,
      'admin.nudgeConfirm',
      { draftId },
      { replyToId: 'progress-card' },
    );
    assert.match(cardText(res.body.value), new RegExp(`Nudge ${id}: 4 people`));
    await h.settled(id);
  }

  it('sends the nudge card, records staff clicks, and keeps the admin card current to the report', async () => {
    await h.seedChats([nurse(0).id, nurse(1).id]);
    await launch({
      kind: 'deadline',
      deadline: '2026-03-13',
      note: 'Thanks for keeping patient records safe.',
    });
    for (let i = 0; i < 4; i += 1)
      assert.equal(nudgesTo(nurse(i).id, 1).length, 1, `${NURSES[i]} got one nudge`);
    const card = cardOf(nudgesTo(nurse(0).id, 1)[0]!.body!) as Card;
    const text = cardText(card);
    assert.match(text, /set up by Friday, March 13/);
    assert.match(text, /A note from Diane Whitaker/);
    assert.deepEqual(
      card.actions!.map((a) => [a.title, a.verb]),
      [
        ['Set up now', 'onboarding.start'],
        ['Remind me in 3 days', 'nudge.snooze'],
        ['I need help', 'nudge.help'],
      ],
    );

    const updates = h.connector.accepted.filter(
      (a) => a.kind === 'update' && a.activityId === 'progress-card',
    );
    assert.ok(updates.length >= 1, 'the admin card is updated in place');
    const last = cardText(cardOf(updates[updates.length - 1]!.body!));
    assert.match(last, /Finished: 4 sent, 0 already registered/);
    assert.match(last, /mfa-bot campaign export NUDGE-0001/);

    const nora = testUser(nurse(0));
    assert.match(
      cardText((await h.click(nora, 'nudge.snooze', { campaignId: id, round: 1 })).body.value),
      /remind you in 3 days/,
    );
    assert.match(
      cardText((await h.click(nora, 'onboarding.start', { campaignId: id, round: 1 })).body.value),
      /protect your account/i,
    );
    assert.match(
      cardText((await h.click(testUser(nurse(1)), 'nudge.help', { campaignId: id })).body.value),
      /Request MFA-\d+ sent to IT/,
    );
    const diane = testUser(byUpn(h.practice, DIANE));
    assert.match(
      cardText((await h.click(diane, 'nudge.snooze', { campaignId: id })).body.value),
      /wasn't sent to you/,
    );

    const noraRow = (await h.app.parts.campaigns.store.row(id, nurse(0).id))!.value;
    assert.deepEqual([noraRow.clicks.snooze, noraRow.clicks.setup, noraRow.clicks.help], [1, 1, 0]);
    assert.equal((await h.app.parts.campaigns.store.row(id, nurse(1).id))!.value.clicks.help, 1);
    const report = cardText(
      (await h.click(diane, 'admin.campaign', { campaignId: id })).body.value,
    );
    assert.match(
      report,
      /Buttons used by 2 people: "Set up now" 1, "Remind me in 3 days" 1, "I need help" 1/,
    );
  });

  it('repeats every N days to people still not registered, honours "remind me in 3 days", and counts who registered within 7 days', async () => {
    await launch({ everyDays: '2', maxTimes: '1' });
    assert.equal((await h.app.parts.campaigns.store.campaign(id))!.status, 'waiting');
    await h.click(testUser(nurse(0)), 'nudge.snooze', { campaignId: id, round: 1 });
    await patchUser(h.sim, NURSES[1]!, { methodsRegistered: ['microsoftAuthenticatorPush'] });

    clock.advance(2 * DAY);
    assert.equal(await h.app.parts.scheduler.runDue(), 1);
    await h.settled(id);
    assert.equal(nudgesTo(nurse(0).id, 2).length, 0, 'her reminder waits for her snooze');
    assert.equal(nudgesTo(nurse(1).id, 2).length, 0, 'registered people get no more nudges');
    assert.equal(nudgesTo(nurse(2).id, 2).length, 1);
    assert.equal(nudgesTo(nurse(3).id, 2).length, 1);
    assert.equal((await h.app.parts.campaigns.store.row(id, nurse(1).id))!.value.state, 'skipped');

    clock.advance(DAY);
    assert.equal(await h.app.parts.scheduler.runDue(), 1, 'the snoozed reminder comes due');
    await h.settled(id);
    assert.equal(nudgesTo(nurse(0).id, 2).length, 1);
    assert.equal((await h.app.parts.campaigns.store.campaign(id))!.status, 'done');

    clock.advance(4 * DAY);
    await h.app.parts.scheduler.runDue();
    const outcome = (await h.app.parts.campaigns.store.campaign(id))!.outcome;
    assert.deepEqual([outcome?.registered, outcome?.recipients, outcome?.final], [1, 4, true]);
    const updates = h.connector.accepted.filter(
      (a) => a.kind === 'update' && a.activityId === 'progress-card',
    );
    assert.match(
      cardText(cardOf(updates[updates.length - 1]!.body!)),
      /Registered since the nudge: 1 of 4 \(25%\) within 7 days/,
    );
  });

  it('cancels a campaign: nothing more is sent and the card says so', async () => {
    await launch({ everyDays: '1', maxTimes: '3' });
    const diane = testUser(byUpn(h.practice, DIANE));
    const res = await h.click(diane, 'admin.campaignCancel', { campaignId: id });
    assert.match(cardText(res.body.value), /Cancelled\. Nothing more will be sent/);
    clock.advance(DAY);
    await h.app.parts.scheduler.runDue();
    assert.equal(h.connector.accepted.filter((a) => a.tag === `${id}:2`).length, 0);
    const audit = (await h.app.parts.audit.all()).map((r) => r.action);
    assert.ok(audit.includes('campaign.launch') && audit.includes('campaign.cancel'));
  });
});
