import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock, MINUTE } from '../../services/clock';
import type { GraphSim } from '../../services/graph-sim';
import { call, demoPractice, errorOf, startSim, userByUpn } from './helpers';

const THEO = 'theo.okafor@riverbendfm.example';
const SIGN_INS = '/v1.0/auditLogs/signIns';
const BETA_SIGN_INS = '/beta/auditLogs/signIns';
const RISKS = '/v1.0/identityProtection/riskDetections';

type Row = Record<string, unknown> & {
  id: string;
  createdDateTime: string;
  userId: string;
  status: { errorCode: number };
  authenticationDetails?: Array<{ authenticationMethod: string; succeeded: boolean }>;
};

const play = (sim: GraphSim, body: Record<string, unknown>) =>
  call(sim, 'POST', '/_sim/signins', { token: null, body });
const tenant = (sim: GraphSim, body: Record<string, unknown>) =>
  call(sim, 'PATCH', '/_sim/tenant', { token: null, body });
const rows = (res: { json: Record<string, unknown> }) => res.json.value as Row[];
const query = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;

describe('graph-sim sign-in log', () => {
  const theo = userByUpn(demoPractice(), THEO);
  let clock: ManualClock;
  let sim: GraphSim;

  beforeEach(async () => {
    clock = new ManualClock('2026-03-02T09:00:00.000Z');
    sim = await startSim({ clock, pageSize: 4 });
  });
  afterEach(async () => {
    await sim.close();
  });

  it('plays a push-bombing burst: denied prompts newest first, MFA detail in beta only', async () => {
    const played = await play(sim, {
      scenario: 'fatigue',
      user: THEO,
      prompts: 3,
      thenSuccess: true,
    });
    assert.equal(played.status, 201);

    const beta = rows(await call(sim, 'GET', `${BETA_SIGN_INS}?$top=10`));
    assert.deepEqual(
      beta.map((r) => r.status.errorCode),
      [0, 500121, 500121, 500121],
    );
    assert.ok(beta.every((r) => r.userId === theo.id));
    assert.deepEqual(beta.map((r) => r.createdDateTime).slice(0, 2), [
      '2026-03-02T09:00:00Z',
      '2026-03-02T08:59:30Z',
    ]);
    const push = beta[1]!.authenticationDetails!.find(
      (d) => d.authenticationMethod !== 'Password',
    )!;
    assert.deepEqual([push.authenticationMethod, push.succeeded], ['Authenticator App', false]);
    assert.equal(beta[0]!.authenticationRequirement, 'multiFactorAuthentication');

    const v1 = rows(await call(sim, 'GET', `${SIGN_INS}?$top=10`));
    assert.deepEqual(
      v1.map((r) => r.id),
      beta.map((r) => r.id),
    );
    assert.ok(v1.every((r) => !('authenticationDetails' in r) && !('mfaDetail' in r)));
    const one = await call(sim, 'GET', `${SIGN_INS}/${beta[1]!.id}`);
    assert.equal(one.json.id, beta[1]!.id);
  });

  it('filters on createdDateTime and userId, and pages with next links that keep the filter', async () => {
    await play(sim, { scenario: 'success', user: 'nora.nguyen@riverbendfm.example', count: 3 });
    clock.advance(10 * MINUTE);
    await play(sim, { scenario: 'fatigue', user: THEO, prompts: 6, spacingSeconds: 60 });
    const filter = `createdDateTime ge 2026-03-02T09:05:00Z and createdDateTime le 2026-03-02T09:10:00Z and userId eq '${theo.id}'`;
    const first = await call(sim, 'GET', `${BETA_SIGN_INS}${query({ $filter: filter })}`);
    assert.equal(first.status, 200, first.text);
    assert.equal(rows(first).length, 4);
    const next = first.json['@odata.nextLink'] as string;
    assert.ok(next.startsWith(`${sim.baseUrl}/beta/auditLogs/signIns?`));
    const second = await call(sim, 'GET', next);
    assert.equal(rows(second).length, 2);
    assert.equal(second.json['@odata.nextLink'], undefined);
    const times = [...rows(first), ...rows(second)].map((r) => r.createdDateTime);
    assert.deepEqual(times, [...times].sort().reverse());
    assert.ok(times.every((t) => t >= '2026-03-02T09:05:00Z'));

    const oldest = await call(
      sim,
      'GET',
      `${SIGN_INS}${query({ $orderby: 'createdDateTime asc', $top: '1' })}`,
    );
    assert.equal(rows(oldest)[0]!.createdDateTime, '2026-03-02T07:00:00Z');
  });

  it('refuses filters and page sizes Graph does not document', async () => {
    const refused = async (params: Record<string, string>, pattern: RegExp) => {
      const res = await call(sim, 'GET', `${SIGN_INS}${query(params)}`);
      assert.equal(res.status, 400, `${JSON.stringify(params)} was accepted`);
      assert.match(errorOf(res).message, pattern);
    };
    await refused({ $filter: "createdDateTime ge '2026-03-02T09:00:00Z'" }, /unquoted date-time/);
    await refused({ $filter: 'createdDateTime gt 2026-03-02T09:00:00Z' }, /'gt' is not supported/);
    await refused(
      { $filter: "authenticationRequirement eq 'multiFactorAuthentication'" },
      /cannot be filtered/,
    );
    await refused({ $top: '1001' }, /between 1 and 1000/);
    assert.equal((await call(sim, 'GET', `${SIGN_INS}?$top=1000`)).status, 200);
    const beta = `${BETA_SIGN_INS}${query({ $filter: "authenticationRequirement eq 'multiFactorAuthentication' and status/errorCode eq 500121" })}`;
    assert.equal((await call(sim, 'GET', beta)).status, 200);
  });

  it('raises a userReportedSuspiciousActivity risk detection for a prompt reported as fraud', async () => {
    await play(sim, { scenario: 'fraud', user: THEO });
    const risks = rows(
      await call(
        sim,
        'GET',
        `${RISKS}${query({ $filter: 'detectedDateTime ge 2026-03-02T08:55:00Z' })}`,
      ),
    );
    assert.equal(risks.length, 1);
    assert.equal(risks[0]!.riskEventType, 'userReportedSuspiciousActivity');
    assert.equal(risks[0]!.userId, theo.id);
    const signIn = rows(await call(sim, 'GET', SIGN_INS))[0]!;
    assert.equal(risks[0]!.requestId, signIn.id);
    const later = await call(
      sim,
      'GET',
      `${RISKS}${query({ $filter: 'detectedDateTime ge 2026-03-02T09:01:00Z' })}`,
    );
    assert.deepEqual(rows(later), []);
  });

  it('answers 403 without Entra ID P1/P2 or without the read permission', async () => {
    await tenant(sim, { licence: 'free' });
    for (const p of [SIGN_INS, BETA_SIGN_INS, RISKS]) {
      const res = await call(sim, 'GET', p);
      assert.equal(res.status, 403);
      assert.equal(errorOf(res).code, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant');
    }
    await tenant(sim, { licence: 'p1', deniedScopes: ['AuditLog.Read.All'] });
    const denied = await call(sim, 'GET', BETA_SIGN_INS);
    assert.equal(denied.status, 403);
    assert.equal(errorOf(denied).code, 'Authentication_MSGraphPermissionMissing');
    assert.match(errorOf(denied).message, /AuditLog\.Read\.All/);
    assert.equal((await call(sim, 'GET', RISKS)).status, 200);
  });

  it('throttles reports and the audit log at 5 requests per 10 seconds when turned on', async () => {
    for (let i = 0; i < 8; i += 1) assert.equal((await call(sim, 'GET', SIGN_INS)).status, 200);
    await tenant(sim, { reportsThrottle: true });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      statuses.push((await call(sim, 'GET', i % 2 ? BETA_SIGN_INS : SIGN_INS)).status);
      clock.advance(1000);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
    const throttled = await call(sim, 'GET', SIGN_INS);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get('retry-after'), '4');
    assert.equal(
      (await call(sim, 'GET', `/v1.0/users/${theo.id}`)).status,
      200,
      'users are not reports',
    );
    clock.advance(4000);
    assert.equal((await call(sim, 'GET', SIGN_INS)).status, 200);
  });

  it('keeps injected events across a restart, and forgets them on reset', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-sim-signins-'));
    try {
      const first = await startSim({ dataDir, clock });
      await play(first, { scenario: 'fraud', user: THEO });
      await first.close();
      const second = await startSim({ dataDir, clock });
      assert.equal(rows(await call(second, 'GET', SIGN_INS)).length, 1);
      assert.equal(rows(await call(second, 'GET', RISKS)).length, 1);
      await call(second, 'POST', '/_sim/reset', { token: null });
      assert.deepEqual(rows(await call(second, 'GET', SIGN_INS)), []);
      await second.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('names an unknown person or scenario', async () => {
    assert.equal(
      (await play(sim, { scenario: 'fatigue', user: 'nobody@example.org' })).status,
      404,
    );
    assert.equal((await play(sim, { scenario: 'dance', user: THEO })).status, 400);
  });
});
