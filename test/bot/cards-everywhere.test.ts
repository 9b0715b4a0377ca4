import assert from 'node:assert/strict';
import * as build from '../helpers/activities';
import { botAddedToTeam, IT_CHANNEL } from '../helpers/activities';
import { cardText, startHarness, userOf, type Harness, type InvokeBody } from '../helpers/harness';

/** A clicked card looks the same on the phone, the desktop and after a reload. */
describe('cards on every device', () => {
  let h: Harness;
  const user = (upn: string) =>
    userOf(h.practice.users.find((u) => u.userPrincipalName.startsWith(`${upn}@`))!);

  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  async function clickOn(
    messageId: string,
    who: ReturnType<typeof user>,
    verb: string,
    data: unknown,
    o = h.options,
  ) {
    const res = await h.post({ ...build.execute(who, verb, data, o), replyToId: messageId });
    return (res.body as InvokeBody).value;
  }

  const updatesOf = (messageId: string) =>
    h.connector.calls.filter((c) => c.method === 'PUT' && c.activityId === messageId);

  it('updates the message itself when a step moves on in a 1:1 chat', async () => {
    const nora = user('nora.nguyen');
    const answer = await clickOn('card-1', nora, 'onboarding.start', {});
    const [update] = updatesOf('card-1');
    assert.ok(update, 'the message was updated');
    const stored = (update.body.attachments as Array<{ content: unknown }>)[0]!.content;
    assert.equal(cardText(stored), cardText(answer));
  });

  it('never writes a card with a pass into the chat, and replaces it once it was given', async () => {
    const priya = user('priya.raman');
    const olivia = user('olivia.brandt');
    await h.post(botAddedToTeam(priya, h.config.groups.it, h.options));
    const res = await h.click(olivia, 'lostDevice.submit', {
      happened: 'lost',
      when: 'today',
      hadWorkApps: 'no',
      verifyBy: 'callback',
    });
    const id = /request (MFA-\d{4})/.exec(cardText(res.body.value))![1]!;
    const v = async () => (await h.app.parts.tickets.get(id))!.value.version;
    await clickOn('ticket-card', priya, 'tickets.verify', {
      ticketId: id,
      v: await v(),
      method: 'callback',
    });
    h.connector.clear();
    const pass = await clickOn('ticket-card', priya, 'tickets.issuePass', {
      ticketId: id,
      v: await v(),
    });
    assert.match(cardText(pass), /Only you can see this/);
    assert.equal(updatesOf('ticket-card').length, 0, 'the pass stays in the clicker’s view only');
    await clickOn('ticket-card', priya, 'tickets.passGiven', { ticketId: id });
    assert.equal(updatesOf('ticket-card').length, 1);
    assert.doesNotMatch(cardText(updatesOf('ticket-card')[0]!.body), /Only you can see this/);
  });

  it('leaves the shared card in a channel alone: each IT member has their own view', async () => {
    const priya = user('priya.raman');
    await h.post(botAddedToTeam(priya, h.config.groups.it, h.options));
    const olivia = user('olivia.brandt');
    const res = await h.click(olivia, 'lostDevice.submit', {
      happened: 'lost',
      when: 'today',
      hadWorkApps: 'no',
      verifyBy: 'callback',
    });
    const id = /request (MFA-\d{4})/.exec(cardText(res.body.value))![1]!;
    await h.settle();
    h.connector.clear();
    const inChannel = {
      ...h.options,
      conversationType: 'channel' as const,
      conversationId: `${IT_CHANNEL};messageid=root`,
    };
    await clickOn('root', priya, 'tickets.view', { ticketId: id }, inChannel);
    assert.equal(updatesOf('root').length, 0);
  });
});
