import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';
import { DEMO_PRACTICE_PATH } from '../../bot/config';
import { loadPractice } from '../../services/directory/practice';
import { startHarness, userOf, type Harness } from '../helpers/harness';
import * as build from '../helpers/activities';
import { CONNECTOR_AUDIENCE, startIdentity, type LocalIdentity } from '../helpers/identity';
import { LocalConnector } from '../helpers/connector';
import { staffMember } from './probe';

const TENANT = loadPractice(DEMO_PRACTICE_PATH).tenantId;

interface ProductionRun {
  env?: Record<string, string>;
  prepare?: (identity: LocalIdentity) => void;
}

/** Runs a test against production mode and a fresh identity stand-in, then closes both. */
async function inProduction(
  run: ProductionRun,
  test: (h: Harness, identity: LocalIdentity) => Promise<void>,
): Promise<void> {
  const identity = await startIdentity(TENANT);
  run.prepare?.(identity);
  const h = await startHarness({ identity, env: run.env });
  try {
    assert.equal(h.config.mode, 'production');
    await test(h, identity);
  } finally {
    await h.close();
    await identity.close();
  }
}

describe('production outbound authentication (the bot to the Bot Connector)', () => {
  it('signs replies and proactive messages with a token from its own authority', async () => {
    await inProduction({}, async (h, identity) => {
      const user = staffMember(h);
      assert.equal((await h.say(userOf(user), 'help')).length, 1);
      assert.ok((await h.say(userOf(user), 'my status')).length >= 1);
      await h.app.parts.proactive.toUser(user.id, { type: 'message', text: 'A reminder.' });
      // A campaign nudge goes out as one direct request, signed the same way.
      const before = h.connector.calls.length;
      await h.app.parts.proactive.toUser(
        user.id,
        { type: 'message', text: 'Please set up Authenticator.' },
        { paced: { ownRetries: true } },
      );
      assert.equal(h.connector.calls.length, before + 1, 'the nudge arrived');

      assert.deepEqual(
        h.connector.refused.map((c) => c.reason),
        [],
        'the connector refused nothing',
      );
      assert.ok(h.connector.calls.length >= 3);
      for (const call of h.connector.calls) {
        assert.equal(identity.checkBotToken(call.authorization), undefined);
      }
      const scope = `${CONNECTOR_AUDIENCE}/.default`;
      const expected = { clientId: identity.appId, tenantId: TENANT, scope, method: 'secret' };
      const forConnector = identity.issued.filter((t) => t.scope === scope);
      assert.deepEqual(forConnector, [expected], 'one token, reused from the cache');
      // Graph calls got their tokens from the same authority, through @azure/identity.
      const forGraph = identity.issued.filter(
        (t) => t.scope === `${new URL(h.config.graph.baseUrl).origin}/.default`,
      );
      assert.ok(forGraph.length >= 1, 'Graph tokens came from the configured authority');
      const discovery = `GET /${TENANT}/v2.0/.well-known/openid-configuration`;
      assert.ok(identity.requests.includes(discovery), 'MSAL asked the configured authority');
    });
  });

  it('sends its token only to serviceUrl hosts on SERVICE_URL_HOSTS', async () => {
    await inProduction({}, async (h) => {
      const user = staffMember(h);
      await h.say(userOf(user), 'help');
      const saved = await h.app.parts.conversations.user(user.id);
      assert.ok(saved, 'the conversation was saved');
      const elsewhere = await new LocalConnector().start();
      try {
        // The same machine under another name: a host the list does not name.
        const serviceUrl = elsewhere.url.replace('127.0.0.1', 'localhost');
        const reminder = { type: 'message', text: 'A reminder.' };
        await assert.rejects(
          h.app.parts.proactive.toConversation({ ...saved, serviceUrl }, reminder),
          /SERVICE_URL_HOSTS/,
        );
        // Nor a campaign nudge, which skips botbuilder's turn but not its credentials.
        await assert.rejects(
          h.app.parts.proactive.toConversation({ ...saved, serviceUrl }, reminder, {
            paced: { ownRetries: true },
          }),
          /SERVICE_URL_HOSTS/,
        );
        assert.deepEqual(elsewhere.calls, [], 'nothing, and so no token, went there');

        const before = h.connector.calls.length;
        await h.app.parts.proactive.toConversation(saved, reminder);
        assert.equal(h.connector.calls.length, before + 1, 'an allowed host still gets it');
      } finally {
        await elsewhere.stop();
      }
    });
  });

  it('follows no redirect with a campaign nudge: the token stays with the checked host', async () => {
    await inProduction({}, async (h) => {
      const user = staffMember(h);
      await h.say(userOf(user), 'help');
      const elsewhere = await new LocalConnector().start();
      h.connector.rule = () => ({
        status: 307,
        headers: { location: `${elsewhere.url}/v3/conversations/x/activities` },
        body: {},
      });
      try {
        await assert.rejects(
          h.app.parts.proactive.toUser(
            user.id,
            { type: 'message', text: 'Please set up Authenticator.' },
            { paced: { ownRetries: true } },
          ),
          /307/,
        );
        assert.deepEqual(elsewhere.calls, [], 'nothing, and so no token, went to the redirect');
      } finally {
        h.connector.rule = undefined;
        await elsewhere.stop();
      }
    });
  });

  it('sends nothing when its secret is wrong: no unsigned reply, no token', async () => {
    await inProduction({ env: { MicrosoftAppPassword: 'not-the-secret' } }, async (h, identity) => {
      const res = await h.post(build.message(userOf(staffMember(h)), 'help', h.options));
      assert.equal(res.status, 200, 'a failed reply is the bot’s problem, not the caller’s');
      assert.equal(h.connector.calls.length, 0);
      assert.equal(h.connector.refused.length, 0);
      assert.equal(identity.issued.length, 0);
    });
  });

  describe('with a certificate instead of a secret', () => {
    let dir: string;
    let cert: string;
    let key: string;

    before(async () => {
      const pems = await generate([{ name: 'commonName', value: 'mfa-bot' }], {
        keyType: 'rsa',
        keySize: 2048,
        algorithm: 'sha256',
      });
      cert = pems.cert;
      key = pems.private;
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-bot-cert-'));
      fs.writeFileSync(path.join(dir, 'bot.pem'), `${key}\n${cert}`);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const thumbprints: Array<[string, () => string]> = [
      ['a SHA-1 thumbprint', () => new X509Certificate(cert).fingerprint.replace(/:/g, '')],
      ['a SHA-256 thumbprint', () => new X509Certificate(cert).fingerprint256.replace(/:/g, '')],
      ['the certificate itself', () => cert],
    ];
    for (const [name, thumbprint] of thumbprints) {
      it(`signs in with a client assertion (${name})`, async () => {
        const env = {
          MicrosoftAppPassword: '',
          CertificateThumbprint: thumbprint(),
          CertificatePrivateKey: key,
          // Graph signs in with the same certificate.
          GRAPH_CERTIFICATE_PATH: path.join(dir, 'bot.pem'),
        };
        const prepare = (identity: LocalIdentity) => identity.registerCertificate(cert);
        await inProduction({ env, prepare }, async (h, identity) => {
          assert.equal((await h.say(userOf(staffMember(h)), 'help')).length, 1);
          const methods = new Set(identity.issued.map((t) => t.method));
          assert.deepEqual([...methods], ['certificate']);
          assert.equal(identity.checkBotToken(h.connector.calls[0]?.authorization), undefined);
        });
      });
    }
  });

  it('has a connector that refuses replies without a valid token', async () => {
    const identity = await startIdentity(TENANT);
    const h = await startHarness();
    try {
      assert.equal(h.config.mode, 'demo');
      h.connector.authorize = (authorization) => identity.checkBotToken(authorization);
      await h.say(userOf(staffMember(h)), 'help');
      assert.equal(h.connector.calls.length, 0);
      assert.ok(h.connector.refused.length >= 1);
      assert.equal(h.connector.refused[0]?.reason, 'no bearer token');
    } finally {
      await h.close();
      await identity.close();
    }
  });
});
