import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../bot/config';
import { ManualClock } from '../../services/clock';
import type { PracticeUser } from '../../services/directory/practice';
import { dateAndTime, timeOfDay } from '../../services/time';
import * as build from '../helpers/activities';
import { botAddedToTeam } from '../helpers/activities';
import { call } from '../graph-sim/helpers';
import { cardText, startHarness, userOf, type Harness } from '../helpers/harness';

const NORA = 'nora.nguyen@riverbendfm.example';
const DIANE = 'diane.whitaker@riverbendfm.example';
const PRIYA = 'priya.raman@riverbendfm.example';

function byUpn(h: Harness, upn: string): PracticeUser {
  const u = h.practice.users.find((x) => x.userPrincipalName === upn);
  if (!u) throw new Error(`no ${upn}`);
  return u;
}

describe('times in the reader’s own time zone', () => {
  let h: Harness;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock('2026-12-07T16:06:00Z');
    h = await startHarness({ clock, env: { PRACTICE_TIMEZONE: 'America/New_York' } });
  });
  afterEach(async () => {
    await h.close();
  });

  /** A click whose Teams client says the person's time zone, as Teams does with each activity. */
  async function clickIn(zone: string | undefined, upn: string, verb: string, data = {}) {
    const activity = build.execute(userOf(byUpn(h, upn)), verb, data, h.options);
    const res = await h.post(zone ? { ...activity, localTimezone: zone } : activity);
    return cardText((res.body as { value: unknown }).value);
  }

  async function toVerify(): Promise<void> {
    const nora = userOf(byUpn(h, NORA));
    await h.say(nora, 'set up');
    for (const step of ['why', 'install', 'register', 'approve'])
      await h.click(nora, 'onboarding.next', { step });
  }

  it('says when setup was checked in the time zone Teams sends', async () => {
    await toVerify();
    const text = await clickIn('America/Los_Angeles', NORA, 'onboarding.check', {
      step: 'verify',
    });
    assert.match(text, /I checked at 8:06 AM PST/);
    assert.doesNotMatch(text, /UTC/);
  });

  it("uses PRACTICE_TIMEZONE when Teams sends no time zone, or one it doesn't know", async () => {
    await toVerify();
    for (const zone of [undefined, 'Mars/Olympus_Mons']) {
      const text = await clickIn(zone, NORA, 'onboarding.check', { step: 'verify' });
      assert.match(text, /I checked at 11:06 AM EST/, String(zone));
    }
  });

  it('shows an admin "As of" in their own time zone', async () => {
    const text = await clickIn('America/Chicago', DIANE, 'admin.status');
    assert.match(text, /As of Dec 7, 10:06 AM CST/);
    assert.doesNotMatch(text, /UTC/);
  });

  it("shows when rollout readiness was read in the reader's own time zone", async () => {
    const text = await clickIn('America/Denver', DIANE, 'admin.readiness');
    assert.match(text, /As of Dec 7, 9:06 AM MST/);
    assert.doesNotMatch(text, /UTC/);
  });

  it('tells a requester when their pass expires in the practice time zone, in chat and by email', async () => {
    const priya = userOf(byUpn(h, PRIYA));
    await h.post(botAddedToTeam(priya, h.config.groups.it, h.options));
    const requester = h.practice.users.find(
      (u) =>
        u.memberOf.includes(h.config.groups.roles.Nursing) &&
        u.authenticatorDevices.length > 0 &&
        u.accountEnabled !== false &&
        !u.isAdmin,
    )!;
    const res = await h.click(userOf(requester), 'lostDevice.submit', {
      happened: 'lost',
      when: 'today',
      hadWorkApps: 'yes',
      verifyBy: 'callback',
    });
    const id = /request (MFA-\d{4})/.exec(cardText(res.body.value))![1]!;
    const v = async () => (await h.app.parts.tickets.get(id))!.value.version;
    await h.click(priya, 'tickets.verify', { ticketId: id, v: await v(), method: 'callback' });
    h.connector.clear();
    await h.click(priya, 'tickets.issuePass', { ticketId: id, v: await v() });
    await h.settle();
    const pass = (await h.app.parts.tickets.get(id))!.value.pass!;
    const expires = `It expires at ${timeOfDay(pass.expiresAt, 'America/New_York')}.`;
    assert.match(expires, /[AP]M E[SD]T\.$/);
    const chat = h.connector
      .activities()
      .map((a) => cardText(a.attachments?.[0]?.content))
      .find((t) => /one-time pass/.test(t));
    assert.ok(String(chat).includes(expires), String(chat));
    const mail = await call(h.sim, 'GET', '/_sim/mail', { token: null });
    assert.ok(mail.text.includes(expires), mail.text);
    assert.doesNotMatch(mail.text, /UTC/);
  });
});

describe('the time format', () => {
  it('names the zone, in the way people in it say the time', () => {
    assert.equal(timeOfDay('2026-12-07T22:12:00Z', 'America/New_York'), '5:12 PM EST');
    assert.equal(timeOfDay('2026-07-07T22:12:00Z', 'America/New_York'), '6:12 PM EDT');
    assert.equal(dateAndTime('2026-12-07T16:06:00Z', 'UTC'), 'Dec 7, 4:06 PM UTC');
  });

  it('refuses a PRACTICE_TIMEZONE it does not know, naming the variable', () => {
    assert.throws(
      () => loadConfig({ PRACTICE_TIMEZONE: 'Eastern' }),
      (err: unknown) =>
        err instanceof ConfigError &&
        /PRACTICE_TIMEZONE/.test(err.message) &&
        /America\/Chicago/.test(err.message),
    );
    assert.equal(loadConfig({}).practiceTimeZone, 'UTC');
  });
});
