import assert from 'node:assert/strict';
import { startHarness, userOf, cardOf, cardText, type Harness } from '../helpers/harness';
import type { TestUser } from '../helpers/activities';

describe('troubleshooting answers', () => {
  let h: Harness;
  let nora: TestUser;

  before(async () => {
    h = await startHarness();
    nora = userOf(
      h.practice.users.find((u) => u.userPrincipalName === 'nora.nguyen@riverbendfm.example')!,
    );
  });
  after(async () => {
    await h.close();
  });

  it('answers "i dont get the notification" with the right steps and fixed / still stuck', async () => {
    const [reply] = await h.say(nora, 'i dont get the notificaton on my phone');
    const card = cardOf(reply)!;
    const text = cardText(card);
    assert.match(text, /I don't get the sign-in notification/);
    assert.match(text, /1\. /);
    assert.match(text, /That fixed it/);
    assert.match(text, /Still stuck/);
  });

  it('sends a lost phone to the lost-device flow, not to an article', async () => {
    const [reply] = await h.say(nora, 'i lost my phone on the bus');
    assert.match(cardText(cardOf(reply)), /Lost or stolen phone\? Let's secure your account/);
  });

  it('starts the walkthrough for "how do i set up mfa"', async () => {
    const [reply] = await h.say(nora, 'how do i set up mfa');
    assert.match(cardText(cardOf(reply)), /Let's protect your account/);
  });

  it('offers the next match when the answer did not help, then IT with the question and what was tried', async () => {
    const [reply] = await h.say(nora, 'codes say wrong');
    const first = cardOf(reply)!;
    const primary = (first.actions as Array<{ verb: string; data: Record<string, unknown> }>).find(
      (a) => a.verb === 'troubleshoot.feedback' && a.data.fixed === false,
    )!;
    let res = await h.click(nora, 'troubleshoot.feedback', primary.data);
    let text = cardText(res.body.value);
    assert.match(text, /didn't help\. This might be it/);
    const second = (
      res.body.value.actions as Array<{ verb: string; data: Record<string, unknown> }>
    ).find((a) => a.data?.fixed === false)!;
    res = await h.click(nora, 'troubleshoot.feedback', second.data);
    const third = (
      res.body.value.actions as Array<{ verb: string; data: Record<string, unknown> }>
    ).find((a) => a.data?.fixed === false);
    if (third) res = await h.click(nora, 'troubleshoot.feedback', third.data);
    text = cardText(res.body.value);
    assert.match(text, /IT can take a look/);
    const ask = (
      res.body.value.actions as Array<{ verb: string; data: Record<string, unknown> }>
    ).find((a) => a.verb === 'troubleshoot.askIt')!;
    res = await h.click(nora, 'troubleshoot.askIt', ask.data);
    assert.match(cardText(res.body.value), /Request MFA-\d{4} sent to IT/);
    const [ticket] = await h.app.parts.tickets.listOpen();
    assert.equal(ticket.kind, 'help');
    assert.equal(ticket.details.question, 'codes say wrong');
    assert.ok((ticket.details.articlesTried as string[]).length >= 2);
    const summary = await h.app.parts.kbFeedback.summary();
    assert.ok(
      Object.values(summary).some((s) => s.stuck > 0),
      'still-stuck feedback stored',
    );
  });

  it('drops a forged question holding a code before it reaches IT', async () => {
    const res = await h.click(nora, 'troubleshoot.askIt', {
      tried: ['no-signal'],
      q: 'my code is 771234',
    });
    assert.match(cardText(res.body.value), /sent to IT/);
    const open = await h.app.parts.tickets.listOpen();
    assert.ok(open.every((t) => !JSON.stringify(t).includes('771234')));
  });

  it('refuses a forged article id with the menu', async () => {
    const res = await h.click(nora, 'troubleshoot.article', { id: 'rm -rf', tried: [] });
    assert.match(cardText(res.body.value), /out of date/);
  });

  it('offers the three best matches as buttons, common topics and IT when unsure, and queues the question', async () => {
    const [reply] = await h.say(nora, 'sign in trouble');
    const card = cardOf(reply)!;
    const text = cardText(card);
    assert.match(text, /Did you mean/);
    const sets = (
      card.body as Array<{ type: string; actions?: Array<{ verb: string }>; items?: unknown[] }>
    ).filter((b) => b.type === 'ActionSet');
    assert.equal(sets[0]?.actions?.length, 3, 'three best matches');
    assert.ok(sets[0]!.actions!.every((a) => a.verb === 'troubleshoot.article'));
    assert.match(text, /Or one of these common problems/);
    assert.match(text, /None of these: ask IT/);
    assert.match(text, /call IT on 555-0100/);
    const pending = await h.app.parts.kbFeedback.pending();
    assert.ok(pending.some((p) => p.question === 'sign in trouble' && p.kind === 'unsure'));
  });

  it('answers a question outside sign-in with common topics and a way to IT that opens a request', async () => {
    const [reply] = await h.say(nora, 'can you order more printer paper for reception');
    const card = cardOf(reply)!;
    assert.match(cardText(card), /not sure I understood/);
    assert.match(cardText(card), /Common sign-in problems/);
    const ask = (card.actions as Array<{ verb: string; data: Record<string, unknown> }>).find(
      (a) => a.verb === 'troubleshoot.askIt',
    )!;
    const res = await h.click(nora, 'troubleshoot.askIt', ask.data);
    assert.match(cardText(res.body.value), /Request MFA-\d{4} sent to IT/);
  });

  it('stores a question with no good match, for admins to review', async () => {
    await h.say(nora, 'the coffee machine upstairs is broken');
    const unmatched = await h.app.parts.kbFeedback.unmatchedQuestions();
    assert.ok(unmatched.some((u) => u.question.includes('coffee machine')));
  });

  it('replies politely to empty and binary-looking text, storing nothing', async () => {
    const before = (await h.app.parts.kbFeedback.unmatchedQuestions()).length;
    for (const text of ['   ', '\u0000\u0001\u0002\u0003\u0004binary']) {
      const replies = await h.say(nora, text);
      assert.equal(replies.length, 1);
    }
    assert.equal((await h.app.parts.kbFeedback.unmatchedQuestions()).length, before);
  });
});
