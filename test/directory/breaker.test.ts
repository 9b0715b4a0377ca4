import assert from 'node:assert/strict';
import sinon from 'sinon';
import { ManualClock } from '../../services/clock';
import { silentLogger } from '../../services/logger';
import { DirectoryCircuitBreaker } from '../../services/directory/breaker';
import { DirectoryError, type Directory } from '../../services/directory/types';

function fakeDirectory(): Directory & { getUser: sinon.SinonStub } {
  return { getUser: sinon.stub() } as unknown as Directory & { getUser: sinon.SinonStub };
}

describe('directory circuit breaker', () => {
  it('fails fast after three outages in a row, then lets one call through after the pause', async () => {
    const clock = new ManualClock();
    const inner = fakeDirectory();
    const onOpen = sinon.spy();
    const onClose = sinon.spy();
    const breaker = new DirectoryCircuitBreaker(inner, {
      clock,
      logger: silentLogger(),
      openMs: 30_000,
      onOpen,
      onClose,
    });
    inner.getUser.rejects(new DirectoryError('unavailable', 'Graph 503'));
    for (let i = 0; i < 3; i += 1)
      await assert.rejects(breaker.directory.getUser('x'), /Graph 503/);
    assert.equal(onOpen.callCount, 1);
    await assert.rejects(breaker.directory.getUser('x'), /failing fast/);
    assert.equal(inner.getUser.callCount, 3, 'no call reached the directory while open');
    clock.advance(20_000);
    await assert.rejects(
      breaker.directory.getUser('x'),
      (err: DirectoryError) => err.details.retryAfterSeconds === 10,
      'says when it tries again',
    );

    clock.advance(10_000);
    inner.getUser.resolves({ id: 'x' });
    assert.deepEqual(await breaker.directory.getUser('x'), { id: 'x' });
    assert.equal(onClose.callCount, 1);
    assert.equal(breaker.isOpen, false);
  });

  it('does not count answers like "not found" as an outage', async () => {
    const inner = fakeDirectory();
    const breaker = new DirectoryCircuitBreaker(inner, {
      clock: new ManualClock(),
      logger: silentLogger(),
    });
    inner.getUser.rejects(new DirectoryError('not-found', 'no such user'));
    for (let i = 0; i < 5; i += 1)
      await assert.rejects(breaker.directory.getUser('x'), /no such user/);
    assert.equal(breaker.isOpen, false);
  });

  it('reopens at once when the trial call fails', async () => {
    const clock = new ManualClock();
    const inner = fakeDirectory();
    const breaker = new DirectoryCircuitBreaker(inner, {
      clock,
      logger: silentLogger(),
      openMs: 1000,
    });
    inner.getUser.rejects(new DirectoryError('unavailable', 'down'));
    for (let i = 0; i < 3; i += 1) await assert.rejects(breaker.directory.getUser('x'));
    clock.advance(1000);
    await assert.rejects(breaker.directory.getUser('x'), /down/);
    await assert.rejects(breaker.directory.getUser('x'), /failing fast/);
    assert.equal(inner.getUser.callCount, 4);
  });

  it('puts another reader of the same Graph behind the same circuit', async () => {
    const clock = new ManualClock();
    const inner = fakeDirectory();
    const onOpen = sinon.spy();
    const breaker = new DirectoryCircuitBreaker(inner, { clock, logger: silentLogger(), onOpen });
    const reader = {
      securityDefaults: sinon.stub().rejects(new DirectoryError('unavailable', 'Graph 504')),
    };
    const policies = breaker.wrap(reader);
    for (let i = 0; i < 3; i += 1) await assert.rejects(policies.securityDefaults(), /Graph 504/);
    assert.equal(onOpen.callCount, 1, 'the outage is announced once');
    await assert.rejects(breaker.directory.getUser('x'), /failing fast/);
    await assert.rejects(policies.securityDefaults(), /failing fast/);
    assert.equal(inner.getUser.callCount, 0);
    assert.equal(reader.securityDefaults.callCount, 3, 'no call reached Graph while open');
  });
});
