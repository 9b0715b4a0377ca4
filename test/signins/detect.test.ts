import assert from 'node:assert/strict';
import { mfaMethod } from '../../services/signins/graph-reader';
import {
  activityByUser,
  bursts,
  isDeniedPrompt,
  planForUser,
  textCodeMethod,
} from '../../services/signins/detect';
import { DEFAULT_MONITOR_SETTINGS, type SignInEvent } from '../../services/signins/model';

const settings = DEFAULT_MONITOR_SETTINGS;

let n = 0;
function event(
  at: string,
  errorCode: number,
  steps: SignInEvent['steps'] = [{ method: 'push', succeeded: errorCode === 0, fraud: false }],
): SignInEvent {
  n += 1;
  return {
    id: `e${n}`,
    at: `2026-03-02T${at}:00.000Z`,
    userId: 'u1',
    upn: 'theo@example.org',
    name: 'Theo',
    errorCode,
    ip: '203.0.113.77',
    place: null,
    app: 'OfficeHome',
    steps,
  };
}
const denied = (at: string) => event(at, 500121);

describe('sign-in monitor detection rules', () => {
  it('counts a burst only when enough prompts fall inside one window', () => {
    assert.equal(bursts([denied('09:00'), denied('09:04'), denied('09:09')], settings).length, 1);
    assert.equal(
      bursts([denied('09:00'), denied('09:09')], settings).length,
      0,
      'two are not enough',
    );
    const spread = [denied('09:00'), denied('09:08'), denied('09:16'), denied('09:24')];
    assert.equal(bursts(spread, settings).length, 0, 'every window of 10 minutes holds only two');
    const custom = { ...settings, fatiguePrompts: 5, windowMinutes: 30 };
    assert.equal(bursts([...spread, denied('09:26')], custom).length, 1);
  });

  it('counts denied or unanswered push prompts, not other failures', () => {
    assert.ok(isDeniedPrompt(denied('09:00')));
    assert.ok(
      isDeniedPrompt(event('09:00', 500121, [])),
      'without the MFA detail, a failed prompt counts',
    );
    assert.ok(
      !isDeniedPrompt(event('09:00', 500121, [{ method: 'sms', succeeded: false, fraud: false }])),
    );
    assert.ok(!isDeniedPrompt(event('09:00', 50126, [])), 'a wrong password is not a prompt');
    assert.ok(!isDeniedPrompt(event('09:00', 0)));
  });

  it('tells text and voice code sign-ins apart from push, by the names the log uses', () => {
    assert.deepEqual(
      [
        'Authenticator App',
        'Mobile app notification',
        'SMS',
        'Text message',
        'Voice',
        'Phone call',
        'Software OATH token',
        'Mobile app verification code',
        'Password',
      ].map(mfaMethod),
      ['push', 'push', 'sms', 'sms', 'voice', 'voice', 'oath', 'oath', 'other'],
    );
    assert.equal(
      textCodeMethod(event('09:00', 0, [{ method: 'sms', succeeded: true, fraud: false }])),
      'sms',
    );
    assert.equal(
      textCodeMethod(event('09:00', 500121, [{ method: 'sms', succeeded: false, fraud: false }])),
      null,
    );
  });

  it('keeps prompts too few for a burst with the fraud report they led to', () => {
    const prompt = denied('09:00');
    const activity = activityByUser(
      [prompt],
      [
        {
          id: 'r1',
          at: '2026-03-02T09:00:30.000Z',
          userId: 'u1',
          upn: 'theo@example.org',
          name: 'Theo',
          ip: null,
          place: null,
        },
      ],
    ).get('u1')!;
    const [change] = planForUser(activity, [], settings);
    assert.equal(change?.trigger, 'fraud-report');
    assert.deepEqual(
      change?.prompts.map((p) => p.id),
      [prompt.id],
    );
  });
});
