import assert from 'node:assert/strict';
import {
  ChannelTokenVerifier,
  SigningKeysUnavailable,
  TokenRefusal,
} from '../../bot/channel-token';
import { BOT_FRAMEWORK_ISSUER, startIdentity, type LocalIdentity } from '../helpers/identity';

const TENANT = 'c926c688-26cb-4161-ba1a-1ba05fd2c024';
const SERVICE_URL = 'https://smba.trafficmanager.net/amer/';
const ACTIVITY = { channelId: 'msteams', serviceUrl: SERVICE_URL };

/** Where the channel's keys come from, as the identity stand-in counts its requests. */
function keyFetches(identity: LocalIdentity): number {
  const keys = new URL(identity.channelMetadataUrl).pathname.replace(
    '.well-known/openid-configuration',
    'keys',
  );
  return identity.requests.filter((r) => r === `GET ${keys}`).length;
}

async function reason(check: Promise<unknown>): Promise<string> {
  try {
    await check;
    return 'accepted';
  } catch (err) {
    return err instanceof TokenRefusal ? err.reason : (err as Error).name;
  }
}

describe('channel signing keys', () => {
  let identity: LocalIdentity;
  let now: number;
  let verifier: ChannelTokenVerifier;

  beforeEach(async () => {
    identity = await startIdentity(TENANT);
    now = Date.now();
    verifier = new ChannelTokenVerifier({
      appId: identity.appId,
      issuer: BOT_FRAMEWORK_ISSUER,
      metadataUrl: identity.channelMetadataUrl,
      now: () => now,
    });
  });
  afterEach(() => identity.close());

  const token = () => `Bearer ${identity.channelToken({ serviceurl: SERVICE_URL })}`;

  it('fetches the keys once and reuses them', async () => {
    assert.equal(await reason(verifier.verify(token(), ACTIVITY)), 'accepted');
    assert.equal(await reason(verifier.verify(token(), ACTIVITY)), 'accepted');
    assert.equal(keyFetches(identity), 1);
  });

  it('takes a rolled key after a few minutes, without a fetch for every unknown key id', async () => {
    assert.equal(await reason(verifier.verify(token(), ACTIVITY)), 'accepted');
    identity.rollChannelKey();
    // Forged tokens under made-up key ids must not make the bot fetch keys each time.
    assert.equal(await reason(verifier.verify(token(), ACTIVITY)), 'unknown-key');
    assert.equal(await reason(verifier.verify(token(), ACTIVITY)), 'unknown-key');
    assert.equal(keyFetches(identity), 1);
    now += 6 * 60_000;
    assert.equal(await reason(verifier.verify(token(), ACTIVITY)), 'accepted');
    assert.equal(keyFetches(identity), 2);
  });

  it('keeps the keys it has when the metadata cannot be reached, and says so when it has none', async () => {
    const stranded = new ChannelTokenVerifier({
      appId: identity.appId,
      issuer: BOT_FRAMEWORK_ISSUER,
      metadataUrl: 'http://127.0.0.1:9/.well-known/openid-configuration',
    });
    // Valid for longer than the keys are kept before they are fetched again.
    const exp = Math.floor(now / 1000) + 26 * 60 * 60;
    const first = `Bearer ${identity.channelToken({ serviceurl: SERVICE_URL, exp })}`;
    assert.equal(await reason(verifier.verify(first, ACTIVITY)), 'accepted');
    await identity.close();
    now += 25 * 60 * 60_000;
    assert.equal(await reason(verifier.verify(first, ACTIVITY)), 'accepted');
    await assert.rejects(stranded.verify(first, ACTIVITY), SigningKeysUnavailable);
  });
});
