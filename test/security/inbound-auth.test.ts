import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import sinon from 'sinon';
import type { Activity } from 'botbuilder';
import { startHarness, userOf, type Harness } from '../helpers/harness';
import {
  CONNECTOR_AUDIENCE,
  startIdentity,
  type LocalIdentity,
  type SignOptions,
} from '../helpers/identity';
import { LocalConnector } from '../helpers/connector';
import * as build from '../helpers/activities';
import { DEMO_PRACTICE_PATH } from '../../bot/config';
import { loadPractice } from '../../services/directory/practice';
import { createLogger } from '../../services/logger';
import { ManualClock, MINUTE } from '../../services/clock';
import { postRaw, staffMember, storedOutsideAudit } from './probe';

type Claims = Record<string, unknown>;
const TENANT = loadPractice(DEMO_PRACTICE_PATH).tenantId;
const OTHER_TENANT = '11111111-2222-4333-8444-555555555555';

interface Row {
  name: string;
  processed: boolean;
  /** The answer to a refused request (401 unless said). */
  status?: number;
  /** The reason the audit log gives for the refusal; undefined: nothing audited. */
  audit?: string;
  /** Claims over those of a valid channel token for the activity (undefined leaves one out). */
  claims?: (original: Partial<Activity>) => Claims;
  sign?: SignOptions;
  /** The whole Authorization header instead of a signed token; null sends none. */
  header?: (identity: LocalIdentity, activity: Partial<Activity>) => string | null;
  activity?: (activity: Partial<Activity>) => Partial<Activity>;
}

type Change = Omit<Row, 'name' | 'processed'>;
const accept = (name: string, change: Change = {}): Row => ({ name, processed: true, ...change });
const refuse = (name: string, change: Change): Row => ({ name, processed: false, ...change });
const minutes = (n: number) => Math.floor(Date.now() / 1000) + n * 60;

/** Every way an inbound request can be wrong, and the two ways it can be right. */
const ROWS: Row[] = [
  accept('a valid Bot Framework token'),
  accept('a token that expired 2 minutes ago (inside the 5-minute skew)', {
    claims: () => ({ exp: minutes(-2) }),
  }),
  refuse('no Authorization header', { header: () => null }),
  refuse('an empty Authorization header', { header: () => '' }),
  refuse('a valid token under another scheme', {
    header: (i, a) => `Basic ${i.channelToken({ serviceurl: String(a.serviceUrl) })}`,
  }),
  refuse('a header that is not a token at all', { header: () => 'Bearer not.a.jwt' }),
  refuse('another bot as the audience', {
    claims: () => ({ aud: '11111111-2222-4333-8444-555555555555' }),
    audit: 'wrong-audience',
  }),
  refuse('no audience', { claims: () => ({ aud: undefined }), audit: 'wrong-audience' }),
  refuse('another issuer', {
    claims: () => ({ iss: 'https://api.botframework.example' }),
    audit: 'not-channel-issuer',
  }),
  refuse('an expired token (beyond the skew)', {
    claims: () => ({ nbf: minutes(-70), exp: minutes(-10) }),
    audit: 'expired',
  }),
  refuse('a token not valid yet (beyond the skew)', {
    claims: () => ({ nbf: minutes(10), exp: minutes(70) }),
    audit: 'not-yet-valid',
  }),
  refuse('a serviceurl claim other than the activity serviceUrl', {
    claims: () => ({ serviceurl: 'https://smba.trafficmanager.net/amer/' }),
    audit: 'serviceurl-mismatch',
  }),
  refuse('no serviceurl claim', {
    claims: () => ({ serviceurl: undefined }),
    audit: 'serviceurl-mismatch',
  }),
  refuse('an activity without a serviceUrl (the claim names the real one)', {
    activity: (a) => ({ ...a, serviceUrl: undefined }),
    claims: (original) => ({ serviceurl: String(original.serviceUrl) }),
    audit: 'serviceurl-mismatch',
  }),
  refuse('a bad signature (another key under the published key id)', {
    sign: { signer: 'stranger' },
    audit: 'bad-signature',
  }),
  refuse('an unknown key id', {
    sign: { signer: 'stranger', kid: 'not-published' },
    audit: 'unknown-key',
  }),
  refuse('an unsigned token (alg none)', { sign: { alg: 'none' }, audit: 'algorithm' }),
  refuse('a key not endorsed for the activity channel', {
    activity: (a) => ({ ...a, channelId: 'webchat' }),
    audit: 'key-not-endorsed',
  }),
  // Tokens botbuilder would take as the Bot Framework Emulator's: an Entra tenant named in the
  // token becomes a trusted issuer, with no audience or serviceUrl binding.
  refuse('an Entra token for the bot’s own app (emulator form, v1)', {
    header: (i) => `Bearer ${i.entraToken()}`,
    audit: 'not-channel-issuer',
  }),
  refuse('an Entra token for the bot’s own app (emulator form, v2)', {
    header: (i) =>
      `Bearer ${i.entraToken({
        iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
        ver: '2.0',
        azp: i.appId,
        appid: undefined,
      })}`,
    audit: 'not-channel-issuer',
  }),
  refuse('the bot’s own Bot Connector token played back (emulator form)', {
    header: (i) => `Bearer ${i.entraToken({ aud: CONNECTOR_AUDIENCE })}`,
    audit: 'not-channel-issuer',
  }),
  refuse('an Entra token from another tenant (emulator form)', {
    header: (i) => `Bearer ${i.entraToken({ tid: OTHER_TENANT })}`,
    audit: 'not-channel-issuer',
  }),
  refuse('a valid token for a serviceUrl host outside SERVICE_URL_HOSTS', {
    activity: (a) => ({ ...a, serviceUrl: String(a.serviceUrl).replace('127.0.0.1', 'localhost') }),
    status: 403,
    audit: 'service-url-not-allowed',
  }),
];

function authorization(
  row: Row,
  identity: LocalIdentity,
  activity: Partial<Activity>,
  original: Partial<Activity>,
) {
  if (row.header) return row.header(identity, activity);
  const claims = { serviceurl: String(activity.serviceUrl), ...row.claims?.(original) };
  return `Bearer ${identity.channelToken(claims as { serviceurl: string }, row.sign)}`;
}

describe('production inbound authentication (/api/messages)', () => {
  let identity: LocalIdentity;
  let h: Harness;
  const sandbox = sinon.createSandbox();

  before(async () => {
    identity = await startIdentity(loadPractice(DEMO_PRACTICE_PATH).tenantId);
    h = await startHarness({ identity });
    assert.equal(h.config.mode, 'production');
  });
  after(async () => {
    await h.close();
    await identity.close();
  });
  afterEach(() => sandbox.restore());

  for (const row of ROWS) {
    it(`${row.processed ? 'processes' : 'refuses'} a request with ${row.name}`, async () => {
      const run = sandbox.spy(h.app.bot, 'run');
      const base = build.message(userOf(staffMember(h)), 'help', h.options);
      const activity = row.activity ? row.activity(base) : base;
      const before = { calls: h.connector.calls.length, refused: h.connector.refused.length };
      const stored = storedOutsideAudit(h);
      const audited = (await h.app.parts.audit.all()).length;

      const res = await postRaw(h, activity, authorization(row, identity, activity, base));

      if (row.processed) {
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(run.callCount, 1);
        const replies = h.connector.calls
          .slice(before.calls)
          .filter((c) => c.activityId === activity.id);
        assert.equal(replies.length, 1, 'the bot replied through the connector');
        const token = replies[0]?.authorization;
        assert.equal(identity.checkBotToken(token), undefined, 'the reply carries a valid token');
        assert.notDeepEqual(storedOutsideAudit(h), stored, 'the turn stored the conversation');
      } else {
        assert.equal(res.status, row.status ?? 401, res.body);
        assert.match(res.body, /^\{"error":"[^"]+"\}$/, 'a short JSON error');
        assert.equal(run.callCount, 0, 'the bot never ran');
        assert.equal(h.connector.calls.length, before.calls, 'no connector call');
        assert.equal(h.connector.refused.length, before.refused, 'no attempted connector call');
        assert.deepEqual(storedOutsideAudit(h), stored, 'nothing stored but the audit record');
        const added = (await h.app.parts.audit.all()).slice(audited);
        if (!row.audit) {
          assert.deepEqual(added, [], 'a request with no token at all is not audited');
        } else {
          assert.equal(added.length, 1, 'one audit record');
          assert.equal(added[0]?.outcome, 'refused');
          assert.equal(added[0]?.reason, row.audit);
          assert.equal(added[0]?.activityId, activity.id);
          assert.equal(added[0]?.actor, 'unauthenticated');
        }
      }
    });
  }

  it('refuses a forged IT member with an Entra token, and sends nothing to the serviceUrl it names', async () => {
    const elsewhere = await new LocalConnector().start();
    try {
      const run = sandbox.spy(h.app.bot, 'run');
      const itMember = h.practice.users.find(
        (u) => u.accountEnabled !== false && u.memberOf.includes(h.config.groups.it),
      );
      assert.ok(itMember, 'the demo practice has an IT member');
      const options = { ...h.options, serviceUrl: elsewhere.url };
      const activity = build.message(userOf(itMember), 'help', options);

      const res = await postRaw(h, activity, `Bearer ${identity.entraToken()}`);

      assert.equal(res.status, 401, res.body);
      assert.equal(run.callCount, 0, 'the bot never ran');
      assert.deepEqual(elsewhere.calls, [], 'no reply, so no bot token, went to that serviceUrl');
      const record = (await h.app.parts.audit.all()).at(-1);
      assert.equal(record?.activityId, activity.id);
      assert.equal(record?.reason, 'not-channel-issuer');
      assert.equal(record?.details?.claimedUser, itMember.id);
    } finally {
      await elsewhere.stop();
    }
  });

  it('answers a signed activity sent as text/plain with 415, without checking its token', async () => {
    const run = sandbox.spy(h.app.bot, 'run');
    const activity = build.message(userOf(staffMember(h)), 'help', h.options);
    const serviceurl = String(activity.serviceUrl);
    const res = await fetch(`${h.server.url}/api/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        authorization: `Bearer ${identity.channelToken({ serviceurl })}`,
      },
      body: JSON.stringify(activity),
    });
    assert.equal(res.status, 415);
    assert.match(String(((await res.json()) as { error?: unknown }).error), /application\/json/);
    assert.equal(run.callCount, 0);
  });

  it('takes the channel signing keys from the configured OpenID metadata, on this machine', () => {
    const metadataUrl = String(h.config.bot.authSettings.ToBotFromChannelOpenIdMetadataUrl);
    assert.equal(metadataUrl, identity.channelMetadataUrl);
    assert.match(metadataUrl, /^http:\/\/127\.0\.0\.1:/);
    const path = new URL(metadataUrl).pathname;
    assert.ok(identity.requests.includes(`GET ${path}`), 'the metadata was fetched');
    const keys = path.replace('.well-known/openid-configuration', 'keys');
    assert.ok(identity.requests.includes(`GET ${keys}`), 'the keys were fetched');
    const common = new URL(identity.entraCommonMetadataUrl).pathname;
    assert.ok(!identity.requests.includes(`GET ${common}`), 'never Entra’s common keys');
  });
});

describe('a refused token in the log', () => {
  let identity: LocalIdentity;
  let h: Harness;
  const lines: Array<Record<string, unknown>> = [];
  const sandbox = sinon.createSandbox();

  before(async () => {
    identity = await startIdentity(TENANT);
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          lines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    h = await startHarness({ identity, logger: createLogger('debug', sink) });
  });
  after(async () => {
    await h.close();
    await identity.close();
  });
  afterEach(() => sandbox.restore());

  const tokens: Array<[string, (i: LocalIdentity, serviceurl: string) => string]> = [
    ['a bad signature', (i, serviceurl) => i.channelToken({ serviceurl }, { signer: 'stranger' })],
    ['an expired token', (i, serviceurl) => i.channelToken({ serviceurl, exp: minutes(-10) })],
    ['an Entra token in the emulator form', (i) => i.entraToken()],
    ['no token at all', () => ''],
  ];
  for (const [name, token] of tokens) {
    it(`writes one warning with the reason for ${name}, and no stack`, async () => {
      const printed = [
        sandbox.stub(console, 'error'),
        sandbox.stub(console, 'warn'),
        sandbox.stub(console, 'log'),
      ];
      const activity = build.message(userOf(staffMember(h)), 'help', h.options);
      const header = token(identity, String(activity.serviceUrl));
      const from = lines.length;

      const res = await postRaw(h, activity, header ? `Bearer ${header}` : null);

      assert.equal(res.status, 401);
      const written = lines.slice(from).filter((l) => Number(l.level) >= 30);
      assert.equal(written.length, 1, JSON.stringify(written));
      const [line] = written;
      assert.equal(line?.level, 40, 'a warning');
      assert.equal(line?.activityId, activity.id);
      assert.match(String(line?.reason), /\w/);
      assert.equal(line?.err, undefined);
      assert.doesNotMatch(JSON.stringify(line), /\n\s+at /, 'no stack trace');
      for (const print of printed) assert.equal(print.callCount, 0, 'nothing printed besides');
    });
  }
});

describe('a flood of forged tokens', () => {
  let identity: LocalIdentity;
  let h: Harness;
  const clock = new ManualClock();
  const warnings: Array<Record<string, unknown>> = [];

  before(async () => {
    identity = await startIdentity(TENANT);
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          if (parsed.level === 40 && parsed.component === 'auth') warnings.push(parsed);
        }
        done();
      },
    });
    h = await startHarness({ identity, clock, logger: createLogger('info', sink) });
  });
  after(async () => {
    await h.close();
    await identity.close();
  });

  const forge = () => {
    const activity = build.message(userOf(staffMember(h)), 'help', h.options);
    return postRaw(h, activity, `Bearer ${identity.entraToken()}`);
  };

  it('refuses and logs every one, but fills the audit log with at most 60 a minute', async () => {
    for (let i = 0; i < 65; i += 1) assert.equal((await forge()).status, 401);
    assert.equal(warnings.length, 65, 'one warning each');
    assert.equal((await h.app.parts.audit.all()).length, 60);
    assert.deepEqual(
      warnings.slice(60).map((w) => w.audited),
      [false, false, false, false, false],
      'the log says which were not audited',
    );

    clock.advance(MINUTE);
    assert.equal((await forge()).status, 401);
    assert.equal((await h.app.parts.audit.all()).length, 61, 'audited again a minute later');
  });
});
