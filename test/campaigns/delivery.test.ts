import assert from 'node:assert/strict';
import { FINAL_STATES } from '../../services/campaigns/model';
import { cardText } from '../helpers/harness';
import { userOfChat, type Refusal } from '../helpers/rate-limited-connector';
import { campaignPractice } from './fixtures';
import { FAST, startCampaignHarness, testUser, type CampaignHarness } from './harness';

/**
 * A 2,000-person campaign against a connector that enforces Teams-style limits and answers some
 * requests with 429 (Retry-After), 5xx and 403: every row ends in one final state, counts add up,
 * nobody gets the same nudge twice.
 */
describe('campaign delivery at scale', function () {
  this.timeout(300_000);
  const N = 2000;
  const { practice, recipients, admin } = campaignPractice(N, 21);
  const blocked = new Set(recipients.slice(0, 20).map((u) => u.id));
  const gone = new Set(recipients.slice(20, 30).map((u) => u.id));
  const broken = new Set(recipients.slice(30, 35).map((u) => u.id));
  const rule = (call: { conversationId: string }): Refusal | undefined => {
    const user = userOfChat(call.conversationId);
    if (!user) return undefined;
    if (blocked.has(user))
      return {
        status: 403,
        body: {
          error: {
            code: 'Forbidden',
            message: 'Thread is not allowed to send messages',
            subCode: 'MessageWritesBlocked',
          },
        },
      };
    if (gone.has(user))
      return {
        status: 404,
        body: { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } },
      };
    if (broken.has(user)) return { status: 503 };
    return undefined;
  };
  let h: CampaignHarness;

  before(async () => {
    h = await startCampaignHarness({
      practice,
      connectorOptions: {
        globalPerSecond: 500,
        throttleRate: 0.05,
        retryAfterSeconds: 1,
        serverErrorRate: 0.03,
        seed: 5,
        rule,
      },
      tuning: {
        ...FAST,
        maxRps: 480,
        leaseMs: 5000,
        backoffBaseMs: 20,
        backoffCapMs: 300,
        pollMs: 50,
        progressEveryMs: 500,
        concurrency: 64,
        maxAttempts: 6,
      },
    });
    // Most people have talked to the bot before; the rest need the app installed first.
    await h.seedChats(recipients.filter((_, i) => i % 10 < 7).map((u) => u.id));
  });
  after(async () => {
    await h.close();
  });

  it('ends every row in one final state, with no duplicates and Retry-After honoured', async () => {
    const user = testUser(admin);
    const preview = await h.click(user, 'admin.nudgePreview', {
      audience: 'no-authenticator',
      kind: 'friendly',
    });
    assert.match(cardText(preview.body.value), new RegExp(`Goes to ${N} people`));
    const draftId = (preview.body.value.actions as Array<{ data?: { draftId?: string } }>)[0]!.data!
      .draftId!;
    await h.click(user, 'admin.nudgeConfirm', { draftId });
    const res = await h.click(
      user,
      'admin.nudgeConfirm',
      { draftId, final: true },
      { replyToId: 'progress' },
    );
    assert.match(cardText(res.body.value), /Nudge NUDGE-0001: 2000 people/);
    await h.settled('NUDGE-0001', 240_000);

    const counts = await h.app.parts.campaigns.store.counts('NUDGE-0001');
    assert.equal(counts.queued + counts.sending, 0, 'nothing left in flight');
    assert.equal(
      FINAL_STATES.reduce((sum, s) => sum + counts[s], 0),
      N,
      'counts add up',
    );
    assert.equal(counts.blocked, blocked.size);
    assert.equal(counts['not-found'], gone.size);
    assert.equal(counts.failed, broken.size);
    assert.equal(counts.sent, N - blocked.size - gone.size - broken.size);

    const nudges = h.connector.nudgeCounts();
    const duplicates = [...nudges.values()].filter((n) => n > 1).length;
    assert.equal(duplicates, 0, 'nobody got the same nudge twice');
    const rows = await h.app.parts.campaigns.store.rows('NUDGE-0001');
    const reached = new Set([...nudges.keys()].map((k) => userOfChat(k.split('|')[0]!)));
    for (const row of rows) {
      assert.equal(
        reached.has(row.recipient.id),
        row.state === 'sent',
        `${row.recipient.upn}: ${row.state} matches what the connector saw`,
      );
    }
    const failed = rows.find((r) => r.state === 'failed');
    assert.match(failed?.reason ?? '', /gave up after 6 attempts \(503/);
    assert.equal(rows.find((r) => r.state === 'blocked')?.reason, 'MessageWritesBlocked');
    assert.ok(
      h.connector.stats.injected429 > 0 && h.connector.stats.injected5xx > 0,
      'failures were injected',
    );
    assert.equal(
      h.connector.stats.ignoredRetryAfter,
      0,
      'no request came back before its Retry-After',
    );
    // People without a saved chat got the app installed, and the nudge in the chat Graph gave.
    const installedChats = new Set(
      h.connector.accepted
        .filter((a) => a.kind === 'send' && a.conversationId.startsWith('19:'))
        .map((a) => a.conversationId),
    );
    assert.ok(
      installedChats.size >= (N * 3) / 10 - 20,
      `${installedChats.size} nudged through a chat Graph gave`,
    );
  });
});
