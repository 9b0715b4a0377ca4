import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startHarness, userOf, cardOf, cardText, type Harness } from '../helpers/harness';
import { botAddedToTeam, IT_CHANNEL, type TestUser } from '../helpers/activities';
import { DAY, ManualClock } from '../../services/clock';

/** A question in staff's own words that no article or phrasing covers. */
const ODD = 'the blue shield app is sulking again';

describe('reviewing questions the bot could not answer', () => {
  let h: Harness;
  let nora: TestUser;
  let diane: TestUser;
  let priya: TestUser;
  const person = (upn: string) =>
    userOf(h.practice.users.find((u) => u.userPrincipalName === upn)!);

  beforeEach(async () => {
    h = await startHarness();
    nora = person('nora.nguyen@riverbendfm.example');
    diane = person('diane.whitaker@riverbendfm.example');
    priya = person('priya.raman@riverbendfm.example');
  });
  afterEach(async () => {
    await h.close();
    fs.rmSync(h.dataDir, { recursive: true, force: true });
  });

  type Action = { verb: string; data?: Record<string, unknown> };
  const actionsOf = (card: unknown): Action[] => (card as { actions?: Action[] }).actions ?? [];

  async function openQueue(user: TestUser) {
    const [reply] = await h.say(user, 'review questions');
    return cardOf(reply)!;
  }

  it('keeps staff out of the queue and audits the refusal', async () => {
    const res = await h.click(nora, 'kb.review', {});
    assert.match(cardText(res.body.value), /only for IT and practice admins/);
    const denied = (await h.app.parts.audit.all()).filter((r) => r.action === 'kb.review');
    assert.equal(denied.at(-1)?.outcome, 'denied');
  });

  it('lets an admin map an unanswered question to an article in one click; the bot answers it from then on', async () => {
    const [first] = await h.say(nora, ODD);
    assert.match(cardText(cardOf(first)), /Did you mean/);

    const queue = await openQueue(diane);
    assert.match(cardText(queue), new RegExp(ODD));
    assert.match(cardText(queue), /I was not sure/);
    const map = actionsOf(queue).find((a) => a.verb === 'kb.reviewMap')!;
    const res = await h.click(diane, 'kb.reviewMap', {
      ...map.data,
      articleId: 'no-push-notification',
    });
    assert.match(
      cardText(res.body.value),
      /Done: I will answer that with "I don't get the sign-in notification"/,
    );
    assert.match(cardText(res.body.value), /Nothing to review/);

    const [again] = await h.say(nora, ODD);
    const answer = cardText(cardOf(again));
    assert.match(answer, /^I don't get the sign-in notification/);
    assert.match(answer, /Still stuck/);

    const record = (await h.app.parts.audit.all()).find((r) => r.action === 'kb.reviewMap')!;
    assert.equal(record.outcome, 'success');
    assert.equal(record.actor, diane.aadObjectId);
    assert.equal(record.details?.article, 'no-push-notification');
    assert.ok(
      !JSON.stringify(record).includes('sulking'),
      'the audit never holds the question text',
    );
  });

  it('lets IT mark a question as not about sign-in; it is answered with a way to IT and not queued again', async () => {
    await h.say(nora, 'can you order lunch for the staff meeting');
    const queue = await openQueue(priya);
    const off = actionsOf(queue).find((a) => a.verb === 'kb.reviewOutOfScope')!;
    const res = await h.click(priya, 'kb.reviewOutOfScope', off.data);
    assert.match(cardText(res.body.value), /marked as not about sign-in/);

    const [reply] = await h.say(nora, 'can you order lunch for the staff meeting');
    assert.match(cardText(cardOf(reply)), /call IT on/);
    assert.equal((await h.app.parts.kbFeedback.pending()).length, 0);
    const record = (await h.app.parts.audit.all()).find((r) => r.action === 'kb.reviewOutOfScope')!;
    assert.equal(record.details?.article, 'out-of-scope');
  });

  it('queues "still stuck" with the question and the article that did not help', async () => {
    const [reply] = await h.say(nora, 'codes say wrong');
    const stuck = actionsOf(cardOf(reply)).find(
      (a) => a.verb === 'troubleshoot.feedback' && a.data?.fixed === false,
    )!;
    await h.click(nora, 'troubleshoot.feedback', stuck.data);
    const queue = await openQueue(diane);
    assert.match(cardText(queue), /codes say wrong/);
    assert.match(cardText(queue), /Still stuck after "The 6-digit code is not accepted"/);
  });

  it('takes one decision when two reviewers click the same question', async () => {
    await h.say(nora, ODD);
    const queue = await openQueue(diane);
    const map = actionsOf(queue).find((a) => a.verb === 'kb.reviewMap')!;
    await h.click(diane, 'kb.reviewMap', { ...map.data, articleId: 'no-push-notification' });
    const late = await h.click(priya, 'kb.reviewOutOfScope', map.data);
    assert.match(cardText(late.body.value), /already reviewed/);
    const [reply] = await h.say(nora, ODD);
    const answer = cardText(cardOf(reply));
    assert.match(
      answer,
      /^I don't get the sign-in notification/,
      'answered with the article, not the topic list',
    );
    assert.match(answer, /Still stuck/);
  });

  it('refuses an article id that does not exist', async () => {
    await h.say(nora, ODD);
    const map = actionsOf(await openQueue(diane)).find((a) => a.verb === 'kb.reviewMap')!;
    const res = await h.click(diane, 'kb.reviewMap', { ...map.data, articleId: 'rm -rf' });
    assert.match(cardText(res.body.value), /out of date/);
    assert.equal((await h.app.parts.kbFeedback.pending()).length, 1);
  });

  it('remembers mapped questions after a restart', async () => {
    await h.say(nora, ODD);
    const map = actionsOf(await openQueue(diane)).find((a) => a.verb === 'kb.reviewMap')!;
    await h.click(diane, 'kb.reviewMap', { ...map.data, articleId: 'android-battery' });
    const dataDir = h.dataDir;
    const sim = h.sim;
    await h.server.close();
    await h.app.close();
    await h.connector.stop();

    const restarted = await startHarness({ dataDir, sim });
    try {
      let text = '';
      // The examples load while the app starts; give it a moment rather than racing it.
      for (let i = 0; i < 50 && !/Android battery/.test(text); i++) {
        await new Promise((r) => setTimeout(r, 20));
        text = cardText(cardOf((await restarted.say(nora, ODD))[0]));
      }
      assert.match(text, /Android battery settings block notifications/);
    } finally {
      await restarted.close();
      h = { ...h, close: async () => sim.close() };
    }
  });
});

describe('questions waiting for review reach IT and admins', () => {
  it('tells the IT channel once a day when the number waiting changed, with a button to the queue', async () => {
    const clock = new ManualClock(new Date('2026-12-07T09:00:00Z'));
    const h = await startHarness({ clock });
    try {
      const person = (upn: string) =>
        userOf(h.practice.users.find((u) => u.userPrincipalName === upn)!);
      await h.post(
        botAddedToTeam(person('priya.raman@riverbendfm.example'), h.config.groups.it, h.options),
      );
      h.app.start();
      await h.settle();
      const notices = () =>
        h.connector
          .activities(IT_CHANNEL)
          .filter((a) => /waiting for review/.test(cardText(cardOf(a))));
      const day = async () => {
        clock.advance(DAY + 1000);
        await h.app.parts.scheduler.runDue();
        await h.settle();
      };
      await day();
      assert.equal(notices().length, 0, 'nothing waits: nothing said');
      await h.say(
        person('nora.nguyen@riverbendfm.example'),
        'the blue shield app is sulking again',
      );
      await day();
      assert.equal(notices().length, 1);
      const notice = cardOf(notices()[0]!)!;
      assert.match(cardText(notice), /1 staff question is waiting for review/);
      assert.equal((notice.actions as Array<{ verb: string }>)[0]!.verb, 'kb.review');
      await day();
      assert.equal(notices().length, 1, 'the same number is not said again');
    } finally {
      await h.close();
    }
  });
});
