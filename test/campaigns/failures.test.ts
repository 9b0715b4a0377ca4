import assert from 'node:assert/strict';
import {
  backoffMs,
  describeSendError,
  judge,
  parseRetryAfter,
} from '../../services/campaigns/failures';

describe('send failures', () => {
  const restError = (statusCode: number, body: unknown, retryAfter?: string) =>
    Object.assign(new Error('refused'), {
      statusCode,
      details: body,
      response: { headers: { get: (h: string) => (h === 'retry-after' ? retryAfter : undefined) } },
    });

  it('reads 403 MessageWritesBlocked as blocked, 404 as a chat to recreate, 429 as throttled with its Retry-After', () => {
    assert.equal(
      judge(
        describeSendError(
          restError(403, { error: { code: 'Forbidden', subCode: 'MessageWritesBlocked' } }),
        ),
      ).kind,
      'blocked',
    );
    assert.equal(
      judge(describeSendError(restError(404, { error: { code: 'ConversationNotFound' } }))).kind,
      'not-installed',
    );
    assert.deepEqual(judge(describeSendError(restError(429, {}, '7'))), {
      kind: 'retry',
      throttled: true,
      retryAfterMs: 7000,
      reason: '429',
    });
    for (const status of [412, 502, 503, 504])
      assert.equal(judge(describeSendError(restError(status, {}))).kind, 'retry');
    assert.equal(
      judge(describeSendError(restError(400, { error: { code: 'BadArgument' } }))).kind,
      'failed',
    );
    assert.equal(
      judge(describeSendError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })))
        .kind,
      'retry',
    );
  });

  it('parses Retry-After as seconds or a date, and backs off with jitter within bounds', () => {
    assert.equal(parseRetryAfter('2'), 2000);
    assert.equal(
      parseRetryAfter(new Date(Date.now() + 10_000).toUTCString(), Date.now())! > 8000,
      true,
    );
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(
      backoffMs(1, 1000, 60_000, () => 0),
      500,
    );
    assert.equal(
      backoffMs(3, 1000, 60_000, () => 1),
      6000,
    );
    assert.equal(
      backoffMs(20, 1000, 60_000, () => 0.5),
      60_000,
    );
  });
});
