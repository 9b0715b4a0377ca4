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
});
