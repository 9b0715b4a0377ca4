import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import sinon from 'sinon';
import { createLogger } from '../../services/logger';
import { startHarness, userOf, cardOf, cardText, type Harness } from '../helpers/harness';
import * as build from '../helpers/activities';
import type { PracticeUser } from '../../services/directory/practice';

function staffMember(h: Harness, predicate: (u: PracticeUser) => boolean): PracticeUser {
  const user = h.practice.users.find((u) => u.accountEnabled !== false && predicate(u));
  if (!user) throw new Error('the demo practice has no such user');
  return user;
}

describe('bot foundation over HTTP', () => {
  let h: Harness;
  const sandbox = sinon.createSandbox();

  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });
  afterEach(() => {
    sandbox.restore();
    h.connector.clear();
  });

  const nurse = () => staffMember(h, (u) => u.memberOf.includes(h.config.groups.roles.Nursing));

  it('greets a person by first name with the help card when they say hi', async () => {
    const user = nurse();
    const replies = await h.say(userOf(user), 'hi');
    assert.equal(replies.length, 1);
    const card = cardOf(replies[0]);
    assert.ok(card, 'a card was sent');
    const text = cardText(card);
    assert.match(text, new RegExp(`Hi ${user.givenName}!`));
    assert.match(text, /My status/);
    assert.doesNotMatch(
      text,
      /For IT|For practice admins|For the IT team/,
      'staff do not see IT or admin actions',
    );
  });

  it('greets when the bot is installed in a personal chat', async () => {
    const user = nurse();
    const activity = build.botAdded(userOf(user), h.options);
    const res = await h.post(activity);
    assert.equal(res.status, 200);
    const sent = await h.connector.waitFor(() =>
      h.connector
        .activities()
        .find((a) => a.replyToId === activity.id || a._call.activityId === activity.id),
    );
    assert.match(cardText(cardOf(sent)), new RegExp(`Hi ${user.givenName}`));
  });

  it('answers text it does not understand with common topics and a way to IT, never silence', async () => {
    const replies = await h.say(userOf(nurse()), 'purple elephants');
    assert.equal(replies.length, 1);
    const text = cardText(cardOf(replies[0]));
    assert.match(text, /not sure I understood/);
    assert.match(text, /call IT on 555-0100/);
    assert.match(text, /Ask IT/);
    assert.match(text, /Back to menu/);
  });

  it('in a team channel answers only when @mentioned', async () => {
    const user = userOf(nurse());
    const plain = build.message(user, 'hi', {
      ...h.options,
      conversationType: 'channel',
      conversationId: '19:chan@thread.tacv2',
    });
    assert.equal((await h.post(plain)).status, 200);
    const mentioned = build.mentionMessage(user, 'help', {
      ...h.options,
      conversationId: '19:chan@thread.tacv2',
    });
    assert.equal((await h.post(mentioned)).status, 200);
    const sent = h.connector.activities('19:chan@thread.tacv2');
    assert.equal(sent.length, 1, 'one reply, to the mention only');
    assert.equal(sent[0]._call.activityId, mentioned.id);
  });

  it('shows my status from the live directory', async () => {
    const user = staffMember(h, (u) => u.methodsRegistered.includes('microsoftAuthenticatorPush'));
    const replies = await h.say(userOf(user), 'my status');
    const text = cardText(cardOf(replies[0]));
    assert.match(text, /set up with Microsoft Authenticator/);
    assert.match(text, new RegExp(user.authenticatorDevices[0].displayName));
  });

  it('tells someone with nothing registered how to start', async () => {
    const user = staffMember(h, (u) => u.methodsRegistered.length === 0);
    const res = await h.click(userOf(user), 'status.mine');
    assert.equal(res.status, 200);
    assert.equal(res.body.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(cardText(res.body.value), /haven't set up a second sign-in method/);
  });

  it('answers a forged or unknown verb with the menu, not an error', async () => {
    const res = await h.click(userOf(nurse()), 'tickets.deleteEverything', {
      ticketId: 'MFA-0001',
    });
    assert.equal(res.status, 200);
    assert.match(cardText(res.body.value), /older card/);
  });

  it('warns about a one-time code and does not keep or echo it', async () => {
    const replies = await h.say(userOf(nurse()), 'my code is 482913');
    assert.equal(replies.length, 1);
    assert.match(String(replies[0].text), /Never share/i);
    assert.doesNotMatch(JSON.stringify(replies), /482913/);
  });

  it('refuses an over-long message politely', async () => {
    const replies = await h.say(userOf(nurse()), 'a'.repeat(5000));
    assert.match(String(replies[0].text), /too long/);
  });

  describe('bad requests', () => {
    it('answers malformed JSON with 400 and a short JSON error, and keeps serving', async () => {
      const res = await h.post('{"type": "message", ');
      assert.equal(res.status, 400);
      assert.equal(typeof res.body, 'object');
      const health = await fetch(`${h.server.url}/healthz`);
      assert.equal(health.status, 200);
    });

    it('answers a body that is not an activity with 400', async () => {
      for (const body of ['[1,2]', '"text"', '{"text":"no type"}', 'null']) {
        const res = await h.post(body);
        assert.equal(res.status, 400, body);
        assert.match(JSON.stringify(res.body), /activity/);
      }
    });

    it('refuses a body over 256 KB with 413', async () => {
      const res = await h.post(build.message(userOf(nurse()), 'x'.repeat(300 * 1024), h.options));
      assert.equal(res.status, 413);
    });

    it('answers anything but application/json with 415: a form on a web page cannot drive the demo', async () => {
      const run = sandbox.spy(h.app.bot, 'run');
      const user = nurse();
      const activity = build.message(userOf(user), 'my status', h.options);
      // What a page in the same browser can post without asking first (no CORS preflight).
      const form = new URLSearchParams({
        type: 'message',
        text: 'my status',
        channelId: 'msteams',
        serviceUrl: h.options.serviceUrl,
        'from[id]': `29:${user.id}`,
        'from[aadObjectId]': user.id,
        'conversation[id]': `a:personal-${user.id}`,
        'recipient[id]': build.BOT.id,
      }).toString();
      const bodies: Array<[string, string]> = [
        ['text/plain', JSON.stringify(activity)],
        ['text/plain;charset=UTF-8', JSON.stringify(activity)],
        ['application/x-www-form-urlencoded', form],
        [
          'multipart/form-data; boundary=x',
          `--x\r\nContent-Disposition: form-data; name="type"\r\n\r\nmessage\r\n--x--\r\n`,
        ],
        ['application/json-seq', JSON.stringify(activity)],
      ];
      for (const [type, body] of bodies) {
        const res = await fetch(`${h.server.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': type },
          body,
        });
        assert.equal(res.status, 415, type);
        assert.match(
          String(((await res.json()) as { error?: unknown }).error),
          /application\/json/,
          type,
        );
      }
      assert.equal(run.callCount, 0, 'the bot never ran');
      assert.equal(h.connector.calls.length, 0, 'nothing was sent');
    });

    it('takes application/json with a charset, in any case', async () => {
      const activity = build.message(userOf(nurse()), 'help', h.options);
      const res = await h.post(activity, { 'content-type': 'Application/JSON; charset=utf-8' });
      assert.equal(res.status, 200);
      assert.equal(h.connector.activities().length, 1);
    });

    it('answers GET /api/messages with 405', async () => {
      const res = await fetch(`${h.server.url}/api/messages`);
      assert.equal(res.status, 405);
    });
  });

  it('reports health as JSON: version, storage and directory', async () => {
    const res = await fetch(`${h.server.url}/healthz`);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(res.status, 200);
    assert.equal(body.status, 'ok');
    assert.equal(body.mode, 'demo');
    assert.equal(body.storage, true);
    assert.equal(body.directory, true);
    assert.match(String(body.version), /^\d+\.\d+\.\d+/);
  });
});

describe('a storage failure during a turn', () => {
  it('tells the user something went wrong and logs the error with the activity id', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const h = await startHarness({ logger: createLogger('error', sink) });
    try {
      const user = h.practice.users[0];
      sinon.stub(h.app.parts.store, 'put').rejects(new Error('disk I/O error'));
      const activity = build.message(userOf(user), 'hi', h.options);
      const res = await h.post(activity);
      assert.equal(res.status, 200);
      const replies = h.connector.activities().filter((a) => a._call.activityId === activity.id);
      assert.equal(replies.length, 1);
      assert.match(String(replies[0].text), /something went wrong/i);
      const logged = lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.msg === 'turn failed');
      assert.ok(logged, 'the failure was logged');
      assert.equal(logged.activityId, activity.id);
      assert.match(JSON.stringify(logged.err), /disk I\/O error/);
    } finally {
      sinon.restore();
      await h.close();
    }
  });
});

describe('the Teams tab pages', () => {
  it('serves the dashboard page and its bundle (teams-js inside), and nothing else from disk', async () => {
    const h = await startHarness();
    try {
      for (const path of ['/tab/', '/tab/index.html']) {
        const page = await fetch(`${h.server.url}${path}`);
        assert.equal(page.status, 200, path);
        assert.match(await page.text(), /<html/);
        assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors/);
        assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
      }
      const js = await fetch(`${h.server.url}/tab/app.js`);
      assert.equal(js.status, 200);
      assert.match(js.headers.get('content-type') ?? '', /javascript/);
      assert.match(await js.text(), /getAuthToken/, 'teams-js is in the bundle');
      const css = await fetch(`${h.server.url}/tab/app.css`);
      assert.match(css.headers.get('content-type') ?? '', /text\/css/);
      for (const probe of [
        '..%2Fpackage.json',
        '%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
        'nope.html',
        'src%2Fmain.ts',
        'build.mjs',
      ]) {
        assert.equal((await fetch(`${h.server.url}/tab/${probe}`)).status, 404, probe);
      }
    } finally {
      await h.close();
    }
  });
});

describe('"status" typed by staff', () => {
  it('shows their own registration, not a refusal', async () => {
    const h = await startHarness();
    try {
      const nurse = h.practice.users.find(
        (u) => u.userPrincipalName === 'nora.nguyen@riverbendfm.example',
      )!;
      const [reply] = await h.say(userOf(nurse), 'status');
      assert.match(cardText(cardOf(reply)), /Your sign-in security/);
      const admin = h.practice.users.find(
        (u) => u.userPrincipalName === 'diane.whitaker@riverbendfm.example',
      )!;
      const [adminReply] = await h.say(userOf(admin), 'status');
      assert.doesNotMatch(cardText(cardOf(adminReply)), /Your sign-in security/);
    } finally {
      await h.close();
    }
  });
});
