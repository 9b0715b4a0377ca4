import assert from 'node:assert/strict';
import { ManualClock, MINUTE } from '../../services/clock';
import { call, demoPractice, NORA, REPORT, startSim, userByUpn, withSim } from './helpers';

describe('graph-sim test controls', () => {
  const practice = demoPractice();
  const nora = userByUpn(practice, NORA);
  const { sim } = withSim();
  const devices = `/v1.0/users/${nora.id}/authentication/microsoftAuthenticatorMethods`;
  const patch = (body: Record<string, unknown>) =>
    call(sim(), 'PATCH', `/_sim/users/${NORA}`, { token: null, body });

  it('adds and removes Authenticator through PATCH, consistently everywhere', async () => {
    const added = await patch({
      methodsRegistered: ['microsoftAuthenticatorPush', 'mobilePhone'],
      deviceName: 'Pixel 9',
    });
    assert.equal(added.status, 200);
    assert.deepEqual(added.json.methodsRegistered, ['microsoftAuthenticatorPush', 'mobilePhone']);
    const listed = (await call(sim(), 'GET', devices)).json.value as Array<{ displayName: string }>;
    assert.deepEqual(
      listed.map((d) => d.displayName),
      ['Pixel 9'],
    );
    const row = await call(sim(), 'GET', `${REPORT}/${nora.id}`);
    assert.equal(row.json.isMfaRegistered, true);
    assert.equal(row.json.userPreferredMethodForSecondaryAuthentication, 'push');

    await patch({ methodsRegistered: [] });
    assert.deepEqual((await call(sim(), 'GET', devices)).json.value, []);
    assert.deepEqual((await call(sim(), 'GET', `${REPORT}/${nora.id}`)).json.methodsRegistered, []);
    assert.equal((await patch({ methodsRegistered: ['carrierPigeon'] })).status, 400);
    assert.equal((await patch({ memberOf: ['00000000-0000-4000-8000-000000000000'] })).status, 400);
  });

  it('injects faults for a share of requests, and clears them', async () => {
    const faults = (body: unknown) => call(sim(), 'POST', '/_sim/faults', { token: null, body });
    await faults({ rate: 0.5, status: 503, seed: 7 });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      statuses.push((await call(sim(), 'GET', `/v1.0/users/${nora.id}`)).status);
    }
    const failed = statuses.filter((s) => s === 503).length;
    assert.ok(failed > 0 && failed < 20, `${failed} of 20 failed`);
    await call(sim(), 'DELETE', '/_sim/faults', { token: null });
    assert.equal((await call(sim(), 'GET', `/v1.0/users/${nora.id}`)).status, 200);
    await faults({ status: 503, paths: '/groups' });
    assert.equal((await call(sim(), 'GET', `/v1.0/users/${nora.id}`)).status, 200);
    await faults({});
    assert.equal((await call(sim(), 'GET', '/_sim/faults', { token: null })).json.faults, null);
    assert.equal((await faults({ status: 500 })).status, 400);
  });

  it("enforces Graph's documented limits when asked: 429 with Retry-After, per service, off by default", async () => {
    const methods = `/v1.0/users/${nora.id}/authentication/methods`;
    for (let i = 0; i < 8; i += 1)
      assert.equal((await call(sim(), 'GET', methods)).status, 200, 'no limit unless asked');
    const set = await call(sim(), 'POST', '/_sim/limits', {
      token: null,
      body: { documented: true },
    });
    assert.deepEqual(set.json.limits, {
      reports: { requests: 5, perSeconds: 10 },
      teams: { requests: 30, perSeconds: 1 },
      identity: { requests: 3500, perSeconds: 10 },
    });
    // The registration report and a person's methods count in one window: 5 per 10 seconds.
    const paths = [REPORT, methods, `${REPORT}/${nora.id}`, devices, methods];
    for (const path of paths) assert.equal((await call(sim(), 'GET', path)).status, 200, path);
    const refused = await call(sim(), 'GET', REPORT);
    assert.equal(refused.status, 429);
    assert.equal((refused.json.error as { code: string }).code, 'TooManyRequests');
    const wait = Number(refused.headers.get('retry-after'));
    assert.ok(wait >= 1 && wait <= 10, `Retry-After ${wait}`);
    assert.equal(
      (await call(sim(), 'GET', `/v1.0/users/${nora.id}`)).status,
      200,
      'other services are counted apart',
    );
    const stats = (await call(sim(), 'GET', '/_sim/limits', { token: null })).json.stats as Record<
      string,
      { throttled: number }
    >;
    assert.equal(stats.reports!.throttled, 1);
    await call(sim(), 'DELETE', '/_sim/limits', { token: null });
    assert.equal((await call(sim(), 'GET', REPORT)).status, 200);
    assert.equal(
      (
        await call(sim(), 'POST', '/_sim/limits', {
          token: null,
          body: { reports: { requests: 0, perSeconds: 10 } },
        })
      ).status,
      400,
    );
  });

  it("freezes the registration report while the directory changes, as Microsoft's lags", async () => {
    await call(sim(), 'PATCH', '/_sim/report', { token: null, body: { frozen: true } });
    await patch({ methodsRegistered: ['microsoftAuthenticatorPush'] });
    assert.equal(
      ((await call(sim(), 'GET', devices)).json.value as unknown[]).length,
      1,
      'live: registered',
    );
    assert.deepEqual(
      (await call(sim(), 'GET', `${REPORT}/${nora.id}`)).json.methodsRegistered,
      [],
      'report: not yet',
    );
    const filter = encodeURIComponent("methodsRegistered/any(x:x eq 'microsoftAuthenticatorPush')");
    const registered = (await call(sim(), 'GET', `${REPORT}?$filter=${filter}`)).json
      .value as Array<{ id: string }>;
    assert.ok(!registered.some((r) => r.id === nora.id));
    await call(sim(), 'PATCH', '/_sim/report', { token: null, body: { frozen: false } });
    assert.deepEqual((await call(sim(), 'GET', `${REPORT}/${nora.id}`)).json.methodsRegistered, [
      'microsoftAuthenticatorPush',
    ]);
  });

  it('resets to the practice file', async () => {
    await patch({ methodsRegistered: ['mobilePhone'] });
    await call(sim(), 'POST', `/v1.0/users/${nora.id}/revokeSignInSessions`);
    const reset = await call(sim(), 'POST', '/_sim/reset', { token: null });
    assert.equal(reset.json.users, practice.users.length);
    const record = await call(sim(), 'GET', `/_sim/users/${NORA}`, { token: null });
    assert.deepEqual(record.json.methodsRegistered, []);
    assert.equal(record.json.revokedSessionsAt, null);
    assert.equal((await call(sim(), 'GET', '/_sim/health', { token: null })).json.status, 'ok');
  });

  it('honours a configured pass policy', async () => {
    const strict = await startSim({
      tapPolicy: {
        minLifetimeInMinutes: 10,
        maxLifetimeInMinutes: 30,
        defaultLifetimeInMinutes: 15,
      },
    });
    const path = `/v1.0/users/${nora.id}/authentication/temporaryAccessPassMethods`;
    const tooLong = await call(strict, 'POST', path, { body: { lifetimeInMinutes: 60 } });
    assert.equal(tooLong.status, 400);
    assert.equal((await call(strict, 'POST', path, { body: {} })).json.lifetimeInMinutes, 15);
    await strict.close();
    await assert.rejects(startSim({ tapPolicy: { minLifetimeInMinutes: 500 } }), RangeError);
  });

  it('lets a pass expire with the clock', async () => {
    const clock = new ManualClock('2026-01-05T09:00:00.000Z');
    const timed = await startSim({ clock });
    const path = `/v1.0/users/${nora.id}/authentication/temporaryAccessPassMethods`;
    const start = '2026-01-05T10:00:00.000Z';
    const created = await call(timed, 'POST', path, { body: { startDateTime: start } });
    assert.equal(created.json.methodUsabilityReason, 'NotYetValid');
    const use = () =>
      call(timed, 'POST', `/_sim/users/${nora.id}/use-tap`, {
        body: { code: created.json.temporaryAccessPass },
      });
    assert.deepEqual((await use()).json, { ok: false, reason: 'NotYetValid' });
    clock.advance(61 * MINUTE);
    const row = await call(timed, 'GET', `${REPORT}/${nora.id}`);
    assert.deepEqual(row.json.methodsRegistered, ['temporaryAccessPass']);
    assert.deepEqual((await use()).json, { ok: true });
    clock.advance(60 * MINUTE);
    const [pass] = (await call(timed, 'GET', path)).json.value as Array<Record<string, unknown>>;
    assert.equal(pass!.isUsable, false);
    assert.equal(pass!.methodUsabilityReason, 'Expired');
    assert.deepEqual((await call(timed, 'GET', `${REPORT}/${nora.id}`)).json.methodsRegistered, []);
    await timed.close();
  });
});
