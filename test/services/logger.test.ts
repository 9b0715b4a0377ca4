import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { ManualClock, MINUTE } from '../../services/clock';
import {
  createLogger,
  ExpectedCondition,
  readableLine,
  readableLogStream,
} from '../../services/logger';
import { startHarness, userOf } from '../helpers/harness';

function sink(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
}

describe('logs a person reads', () => {
  it('writes an expected condition as one line, with no stack trace', () => {
    const json: string[] = [];
    createLogger('info', sink(json)).warn(
      { err: new ExpectedCondition('the bot has not been added to the IT team yet') },
      'IT channel post failed; will retry',
    );
    assert.equal(json.length, 1);
    assert.doesNotMatch(json[0]!, /"stack"/);
    const line = readableLine(json[0]!);
    assert.match(
      line,
      /WARN {2}IT channel post failed; will retry {2}err="the bot has not been added/,
    );
    assert.equal(line.split('\n').length, 1);
  });

  it('keeps the stack of an error nobody expected, indented under its line', () => {
    const json: string[] = [];
    createLogger('info', sink(json)).error({ err: new Error('boom') }, 'could not process');
    assert.match(json[0]!, /"stack"/);
    const [first, ...rest] = readableLine(json[0]!).split('\n');
    assert.match(first!, /ERROR could not process {2}err=boom/);
    assert.ok(rest.length > 0 && rest.every((l) => l.startsWith('    ')));
  });

  it('prints readable lines in the demo, and JSON lines otherwise', () => {
    const shown: string[] = [];
    const demo = createLogger('info', readableLogStream(sink(shown)));
    demo.info({ component: 'campaigns', catalogId: 'abc' }, 'the bot can be installed');
    assert.match(
      shown[0]!,
      /^\d\d:\d\d:\d\d info {2}the bot can be installed {2}component=campaigns catalogId=abc$/,
    );
    const json: string[] = [];
    createLogger('info', sink(json)).info({ component: 'campaigns' }, 'the bot can be installed');
    assert.deepEqual(Object.keys(JSON.parse(json[0]!) as object).sort(), [
      'component',
      'level',
      'msg',
      'time',
    ]);
  });
});

describe('quiet start of the demo', () => {
  it('answers a HEAD check of the endpoint without a warning', async () => {
    const lines: string[] = [];
    const h = await startHarness({ logger: createLogger('debug', sink(lines)) });
    try {
      const res = await fetch(`${h.server.url}/api/messages`, { method: 'HEAD' });
      assert.equal(res.status, 200);
      assert.ok(!lines.some((l) => /"level":(40|50)/.test(l)), lines.join('\n'));
    } finally {
      await h.close();
    }
  });

  it('logs "not in the IT team yet" as one line, without a stack, while it keeps retrying', async () => {
    const lines: string[] = [];
    const clock = new ManualClock();
    const h = await startHarness({ clock, logger: createLogger('debug', sink(lines)) });
    try {
      const nora = userOf(
        h.practice.users.find((u) => u.userPrincipalName === 'nora.nguyen@riverbendfm.example')!,
      );
      await h.click(nora, 'lostDevice.submit', {
        happened: 'lost',
        when: 'today',
        hadWorkApps: 'yes',
        verifyBy: 'callback',
      });
      clock.advance(2 * MINUTE);
      await h.app.parts.scheduler.runDue();
      const about = lines.filter((l) => /not been added to the IT team/.test(l));
      assert.ok(about.length >= 2, 'said when posting and when retrying');
      for (const l of about) assert.doesNotMatch(l, /"stack"|\\n\s+at /);
    } finally {
      await h.close();
    }
  });
});
