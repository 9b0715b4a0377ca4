import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { Activity } from 'botbuilder';
import { startHarness, userOf, type Harness } from '../helpers/harness';
import { startIdentity, type LocalIdentity, type SignOptions } from '../helpers/identity';
import * as build from '../helpers/activities';
import { DEMO_PRACTICE_PATH } from '../../bot/config';
import { loadPractice } from '../../services/directory/practice';
import { changesSoFar, postRaw, staffMember } from './probe';

type Claims = Record<string, unknown>;

interface Row {
  name: string;
  processed: boolean;
  /** Claims over those of a valid channel token for the activity (undefined leaves one out). */
  claims?: () => Claims;
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
  }),
  refuse('no audience', { claims: () => ({ aud: undefined }) }),
  refuse('another issuer', { claims: () => ({ iss: 'https://api.botframework.example' }) }),
  refuse('an expired token (beyond the skew)', {
    claims: () => ({ nbf: minutes(-70), exp: minutes(-10) }),
  }),
  refuse('a token not valid yet (beyond the skew)', {
    claims: () => ({ nbf: minutes(10), exp: minutes(70) }),
  }),
  refuse('a serviceurl claim other than the activity serviceUrl', {
    claims: () => ({ serviceurl: 'https://smba.trafficmanager.net/amer/' }),
  }),
  refuse('no serviceurl claim', { claims: () => ({ serviceurl: undefined }) }),
  refuse('a bad signature (another key under the published key id)', {
    sign: { signer: 'stranger' },
  }),
  refuse('an unknown key id', { sign: { signer: 'stranger', kid: 'not-published' } }),
  refuse('an unsigned token (alg none)', { sign: { alg: 'none' } }),
  refuse('a key not endorsed for the activity channel', {
    activity: (a) => ({ ...a, channelId: 'webchat' }),
  }),
];

function authorization(row: Row, identity: LocalIdentity, activity: Partial<Activity>) {
  if (row.header) return row.header(identity, activity);
  const claims = { serviceurl: String(activity.serviceUrl), ...row.claims?.() };
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
      sandbox.stub(console, 'error'); // botbuilder prints every refused token
      const run = sandbox.spy(h.app.bot, 'run');
      const base = build.message(userOf(staffMember(h)), 'help', h.options);
      const activity = row.activity ? row.activity(base) : base;
      const before = { calls: h.connector.calls.length, refused: h.connector.refused.length };
      const changes = changesSoFar(h);

      const res = await postRaw(h, activity, authorization(row, identity, activity));

      if (row.processed) {
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(run.callCount, 1);
        const replies = h.connector.calls
          .slice(before.calls)
          .filter((c) => c.activityId === activity.id);
        assert.equal(replies.length, 1, 'the bot replied through the connector');
        const token = replies[0]?.authorization;
        assert.equal(identity.checkBotToken(token), undefined, 'the reply carries a valid token');
        assert.ok(changesSoFar(h) > changes, 'the turn stored the conversation');
      } else {
        assert.equal(res.status, 401, JSON.stringify(res.body));
        assert.equal(run.callCount, 0, 'the bot never ran');
        assert.equal(h.connector.calls.length, before.calls, 'no connector call');
        assert.equal(h.connector.refused.length, before.refused, 'no attempted connector call');
        assert.equal(changesSoFar(h), changes, 'nothing stored');
      }
    });
  }

  it('takes the channel signing keys from the configured OpenID metadata, on this machine', () => {
    const metadataUrl = String(h.config.bot.authSettings.ToBotFromChannelOpenIdMetadataUrl);
    assert.equal(metadataUrl, identity.channelMetadataUrl);
    assert.match(metadataUrl, /^http:\/\/127\.0\.0\.1:/);
    const path = new URL(metadataUrl).pathname;
    assert.ok(identity.requests.includes(`GET ${path}`), 'the metadata was fetched');
    const keys = path.replace('.well-known/openid-configuration', 'keys');
    assert.ok(identity.requests.includes(`GET ${keys}`), 'the keys were fetched');
  });
});
