import assert from 'node:assert/strict';
import { MINUTE } from '../../services/clock';
import { silentLogger } from '../../services/logger';
import { GraphPolicyReader } from '../../services/readiness/policy-reader';
import { summarize, type CheckResult } from '../../services/readiness/report';
import { ReadinessService } from '../../services/readiness/service';
import { directoryFor } from '../graph-sim/helpers';
import { startRig, type Rig } from '../signins/rig';
import { EXCLUSIONS } from './harness';

/** "Sign-in monitor on": the monitor's own state, in the readiness report, never a false pass. */
describe('readiness: sign-in monitor on', () => {
  let rig: Rig;
  let check: () => Promise<{ monitor: CheckResult; blocking: string[] }>;

  beforeEach(async () => {
    rig = await startRig();
    const directory = directoryFor(rig.sim);
    const service = new ReadinessService({
      policies: new GraphPolicyReader(directory.caller),
      directory,
      settings: { nudgeExcludeGroupId: EXCLUSIONS, tapLifetimeMinutes: 60 },
      clock: rig.clock,
      logger: silentLogger(),
      monitor: { status: () => rig.monitor.status() },
    });
    check = async () => {
      const report = await service.run();
      return {
        monitor: report.checks.find((c) => c.id === 'signin-monitor')!,
        blocking: summarize(report).blocking.map((c) => c.id),
      };
    };
  });
  afterEach(async () => {
    await rig.close();
  });

  it('passes only once the monitor has read the log', async () => {
    const before = await check();
    assert.equal(before.monitor.status, 'attention');
    assert.match(before.monitor.reason, /has not run yet, so nothing is being watched/);

    await rig.monitor.poll();
    const on = await check();
    assert.equal(on.monitor.status, 'pass');
    assert.match(
      on.monitor.reason,
      /is on: bursts of denied prompts and fraud reports are watched/,
    );
  });

  it('says it is off and why without Entra ID P1/P2 or AuditLog.Read.All, with the fix, without blocking enforcement', async () => {
    await rig.tenant({ licence: 'free' });
    await rig.monitor.poll();
    const free = await check();
    assert.equal(free.monitor.status, 'attention');
    assert.match(
      free.monitor.reason,
      /off: reading the sign-in log needs Microsoft Entra ID P1 or P2/,
    );
    assert.match(free.monitor.fix!.steps.join(' '), /P1/);
    assert.ok(!free.blocking.includes('signin-monitor'), 'MFA can be enforced without it');

    await rig.tenant({ licence: 'p1', deniedScopes: ['AuditLog.Read.All'] });
    rig.clock.advance(5 * MINUTE);
    await rig.monitor.poll();
    const denied = await check();
    assert.equal(denied.monitor.status, 'attention');
    assert.match(denied.monitor.reason, /AuditLog\.Read\.All/);
    assert.match(denied.monitor.fix!.steps.join(' '), /AuditLog\.Read\.All[\s\S]*admin consent/);
  });
});
