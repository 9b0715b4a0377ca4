import assert from 'node:assert/strict';
import { startHarness, userOf, type Harness } from '../helpers/harness';
import { UnreachableError } from '../../bot/proactive';

describe('proactive messages', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it('tells the caller when a message could not be delivered, and sends no apology to the person', async () => {
    const user = userOf(h.practice.users[3]);
    await h.say(user, 'hi');
    h.connector.clear();
    // Refuse the reminder only: anything sent after it (an apology) would be let through and seen.
    let refused = 0;
    h.connector.rule = () =>
      refused++ === 0
        ? {
            status: 403,
            body: { error: { code: 'BotDisabledByAdmin', message: 'MessageWritesBlocked' } },
          }
        : undefined;
    try {
      await assert.rejects(h.app.parts.proactive.toUser(user.aadObjectId, { text: 'Reminder' }));
    } finally {
      h.connector.rule = undefined;
    }
    assert.equal(h.connector.calls.length, 0, 'no "something went wrong" was sent afterwards');
  });

  it('says plainly when there is no conversation with the person yet', async () => {
    await assert.rejects(
      h.app.parts.proactive.toUser('00000000-0000-4000-8000-000000000000', { text: 'x' }),
      UnreachableError,
    );
  });

  it('makes a campaign send once when Teams answers 503, while other messages keep their retries', async () => {
    const user = userOf(h.practice.users[4]);
    await h.say(user, 'hi');
    h.connector.clear();
    let attempts = 0;
    let refuseFirstOnly = false;
    h.connector.rule = () => {
      attempts += 1;
      return !refuseFirstOnly || attempts === 1 ? { status: 503, body: {} } : undefined;
    };
    const nudge = () =>
      h.app.parts.proactive.toUser(
        user.aadObjectId,
        { text: 'Please set up Authenticator' },
        { paced: { ownRetries: true } },
      );
    try {
      // The campaign paces and retries on its own: a retry inside the client would go out
      // outside its pace. Twice, so the second goes through the client kept from the first.
      for (let i = 0; i < 2; i += 1) {
        attempts = 0;
        await assert.rejects(nudge());
        assert.equal(attempts, 1, 'one request per campaign attempt');
      }
      // The same chat's client still retries everything else.
      attempts = 0;
      refuseFirstOnly = true;
      await h.app.parts.proactive.toUser(user.aadObjectId, { text: 'IT will call you back.' });
      assert.equal(attempts, 2, 'refused once, then sent by the retry');
    } finally {
      h.connector.rule = undefined;
    }
  });

  it('addresses a campaign send exactly as any other message: from the bot, to the person, in their chat', async () => {
    const user = userOf(h.practice.users[5]);
    await h.say(user, 'hi');
    h.connector.clear();
    await h.app.parts.proactive.toUser(user.aadObjectId, { text: 'IT will call you back.' });
    const nudgeId = await h.app.parts.proactive.toUser(
      user.aadObjectId,
      { text: 'Please set up Authenticator' },
      { paced: { ownRetries: true } },
    );
    const [usual, nudge] = h.connector.activities();
    assert.ok(usual && nudge, 'both arrived');
    assert.ok(nudgeId, 'the new message id came back');
    const address = (a: typeof usual) => ({
      type: a.type,
      channelId: a.channelId,
      serviceUrl: a.serviceUrl,
      conversation: a.conversation?.id,
      from: a.from?.id,
      recipient: a.recipient?.aadObjectId,
      // botbuilder answers a made-up activity id (its continuation's); Teams reads both alike.
      chat: a._call.path.split('/').slice(0, 5).join('/'),
    });
    assert.deepEqual(address(nudge), address(usual));
    assert.equal(nudge.recipient?.aadObjectId, user.aadObjectId);
    assert.equal(nudge.text, 'Please set up Authenticator');
  });
});
