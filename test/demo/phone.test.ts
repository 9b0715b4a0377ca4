import assert from 'node:assert/strict';
import fs from 'node:fs';
import { loadConfig } from '../../bot/config';
import { demoBanner } from '../../bot/demo';
import { runDemoCommand } from '../../bot/demo-cli';
import { freePort } from '../helpers/ports';
import { startDemo, type DemoRun } from './helpers';

const NORA = 'nora.nguyen@riverbendfm.example';

describe('demo: playing a phone from the command line', function () {
  this.timeout(60_000);
  let run: DemoRun;
  before(async () => {
    run = await startDemo();
  });
  after(async () => {
    await run?.stop();
    if (run) fs.rmSync(run.dataDir, { recursive: true, force: true });
  });

  const last = async () => (await run.messages(NORA)).at(-1)!;
  const press = async (button: string) => {
    const res = await run.post(NORA, 'press', { button });
    assert.equal(res.status, 200, res.text);
  };

  it('finishes Authenticator setup only after the phone scans the code and approves', async () => {
    await run.demo('say', NORA, 'set up');
    for (const button of ["Let's start", "It's installed", 'I scanned the code'])
      await press(button);

    const early = await run.demo('phone', 'nora', 'approve');
    assert.equal(early.code, 1);
    assert.match(early.err, /Nothing to approve on Nora's phone\. Scan the QR code first/);

    await press('I approved it');
    assert.match((await last()).lines.join('\n'), /don't see Authenticator on your account yet/);

    const scanned = await run.demo('phone', 'nora', 'register');
    assert.equal(scanned.code, 0, scanned.err);
    assert.match(scanned.out, /scanned the QR code/);
    const approved = await run.demo('phone', 'nora.nguyen', 'approve');
    assert.equal(approved.code, 0, approved.err);
    assert.match(approved.out, /Microsoft 365 now lists Authenticator/);

    await press('Check again');
    assert.match((await last()).text, /You're all set, Nora!/);
  });

  it('denying the test notification adds nothing', async () => {
    await run.demo('phone', 'kevin.park', 'register');
    const denied = await run.demo('phone', 'kevin.park', 'deny');
    assert.equal(denied.code, 0);
    assert.match(denied.out, /nothing was added to Kevin's account/);
    await run.demo('say', 'kevin.park', 'status');
    const status = (await run.messages('kevin.park')).at(-1)!;
    assert.match(
      [status.text, ...status.lines].join('\n'),
      /not with Authenticator yet|haven't set up a second sign-in method/,
    );
  });

  it('a lost phone keeps Authenticator on the account until IT removes it', async () => {
    const lost = await run.demo('phone', 'nora', 'lose');
    assert.equal(lost.code, 0);
    assert.match(lost.out, /Authenticator stays on the account until IT removes it/);
  });

  it('says how to use it, and plainly when the demo is not running', async () => {
    const usage = await run.demo('phone', 'nora');
    assert.equal(usage.code, 2);
    assert.match(usage.err, /register\|approve\|deny\|lose/);
    const nobody = await run.demo('phone', 'nobody.here', 'register');
    assert.equal(nobody.code, 1);
    assert.match(nobody.err, /Nobody called "nobody\.here" works at the demo practice/);

    let err = '';
    const code = await runDemoCommand(
      ['phone', 'nora', 'register'],
      { out: { write: () => true }, err: { write: (s: string) => ((err += s), true) } },
      { env: { TEAMS_SIM_PORT: String(await freePort()) }, config: () => loadConfig({}) },
    );
    assert.equal(code, 1);
    assert.match(err, /The demo is not running/);
  });

  it('the start banner tells the person at the keyboard how to play their phone', () => {
    const config = loadConfig({ ...run.env, DEMO_USER: 'luis.ortega@riverbendfm.example' });
    const banner = demoBanner(run.stack, config);
    assert.match(banner, /npx mfa-bot demo phone luis\.ortega register +scan the QR code/);
    assert.match(banner, /npx mfa-bot demo help/);
  });
});
