import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import * as build from '../helpers/activities';
import { BOT } from '../helpers/activities';
import { createLogger } from '../../services/logger';
import { cardOf, cardText, startHarness, userOf, type Harness } from '../helpers/harness';

const INTAKE = { happened: 'lost', when: 'today', hadWorkApps: 'no', verifyBy: 'callback' };
const GENERAL = '19:general@thread.tacv2';
const ESCALATIONS = '19:escalations@thread.tacv2';

/** Where tickets go in a real IT team, and what happens when nobody told the bot yet. */
describe('the IT channel', () => {
  let h: Harness;
  const lines: string[] = [];
  const user = (upn: string) =>
    userOf(h.practice.users.find((u) => u.userPrincipalName.startsWith(`${upn}@`))!);

  beforeEach(async () => {
    lines.length = 0;
    const sink = new Writable({
      write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()),
    });
    h = await startHarness({ logger: createLogger('info', sink) });
  });
  afterEach(() => h.close());

  const inTeam = (conversationId: string) => ({
    channelData: {
      tenant: { id: h.options.tenantId },
      team: { id: GENERAL, name: 'IT Support', aadGroupId: h.config.groups.it },
      channel: { id: conversationId },
    },
  });

  it('posts tickets in the channel where the app was added, not in General', async () => {
    const priya = user('priya.raman');
    const added = build.botAddedToTeam(priya, h.config.groups.it, {
      ...h.options,
      conversationId: ESCALATIONS,
    });
    await h.post({
      ...added,
      ...inTeam(ESCALATIONS),
      conversation: { ...added.conversation!, id: ESCALATIONS },
    });
    await h.click(user('olivia.brandt'), 'lostDevice.submit', INTAKE);
    const posted = await h.connector.waitFor(() =>
      h.connector.activities(ESCALATIONS).find((a) => /MFA-0001/.test(cardText(cardOf(a)))),
    );
    assert.ok(posted);
    assert.equal(h.connector.activities(GENERAL).length, 0);
  });

  it('posts open tickets again when it joins the IT team and their cards are gone, and no others twice', async () => {
    const priya = user('priya.raman');
    const join = async () => {
      const added = build.botAddedToTeam(priya, h.config.groups.it, {
        ...h.options,
        conversationId: ESCALATIONS,
      });
      await h.post({
        ...added,
        ...inTeam(ESCALATIONS),
        conversation: { ...added.conversation!, id: ESCALATIONS },
      });
    };
    const posts = (id: string) =>
      h.connector
        .activities(ESCALATIONS)
        .filter((a) => a._call.method === 'POST')
        .filter((a) => new RegExp(id).test(cardText(cardOf(a))));
    await join();
    await h.click(user('olivia.brandt'), 'lostDevice.submit', INTAKE);
    await h.click(user('kevin.park'), 'lostDevice.submit', INTAKE);
    await h.connector.waitFor(() => posts('MFA-0002').length === 1, 10_000, 'both tickets posted');
    const gone = (await h.app.parts.tickets.get('MFA-0001'))!.value.thread!.activityId;
    // Teams no longer has the first card (deleted, or the local demo's Teams started afresh).
    h.connector.rule = (call) =>
      call.method === 'PUT' && call.activityId === gone
        ? {
            status: 404,
            body: {
              error: {
                code: 'ActivityNotFoundInConversation',
                message: 'Message does not exist in the thread.',
              },
            },
          }
        : undefined;

    await join();
    await h.connector.waitFor(() => posts('MFA-0001').length === 2, 10_000, 'MFA-0001 again');
    assert.equal(posts('MFA-0002').length, 1, 'a card still in the channel is not posted twice');
    const hellos = h.connector
      .activities(ESCALATIONS)
      .filter((a) => /^Hello IT team/.test(a.text ?? ''));
    assert.equal(hellos.length, 1, 'hello once, not on every add event');
    const moved = (await h.app.parts.tickets.get('MFA-0001'))!.value.thread!.activityId;
    assert.notEqual(moved, gone, 'the ticket follows its new card');
    const updates = h.connector
      .activities()
      .filter((a) => a._call.method === 'PUT' && a._call.conversationId.startsWith(ESCALATIONS));
    assert.ok(updates.length > 0);
    assert.ok(
      updates.every((a) => a.type === 'message'),
      'card updates are whole messages (the playground refuses others)',
    );
  });

  it('warns at start when no IT channel is known, and learns it from an @mention in the IT team', async () => {
    h.app.start();
    await h.connector.waitFor(
      () => lines.some((l) => /NO IT CHANNEL YET/.test(l)) || undefined,
      5000,
      'the start-up warning',
    );
    await h.click(user('olivia.brandt'), 'lostDevice.submit', INTAKE);
    const priya = user('priya.raman');
    const mention = build.mentionMessage(priya, 'hello', {
      ...h.options,
      conversationId: `${ESCALATIONS};messageid=7`,
    });
    await h.post({ ...mention, ...inTeam(ESCALATIONS), recipient: BOT });
    const posted = await h.connector.waitFor(() =>
      h.connector.activities(ESCALATIONS).find((a) => /MFA-0001/.test(cardText(cardOf(a)))),
    );
    assert.ok(posted, 'the waiting ticket went to the channel where IT spoke to the bot');
  });

  it('lists at most 25 tickets a page, urgent and oldest first, with a way to the rest', async () => {
    const staff = h.practice.users
      .filter((u) => u.accountEnabled !== false && u.userType !== 'Guest' && !u.isAdmin)
      .slice(6, 36);
    for (const s of staff) await h.click(userOf(s), 'lostDevice.submit', INTAKE);
    const priya = user('priya.raman');
    const first = (await h.click(priya, 'tickets.list', {})).body.value;
    assert.match(cardText(first), /Open IT requests \(30\)/);
    assert.match(cardText(first), /Showing 1–25/);
    assert.ok(JSON.stringify(first).length < 80_000, 'well under the message size Teams accepts');
    const second = (await h.click(priya, 'tickets.list', { page: 2 })).body.value;
    assert.match(cardText(second), /Showing 26–30/);
  });
});
