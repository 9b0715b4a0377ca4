import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { groupIdByName } from '../../services/directory/practice';
import { createLogger } from '../../services/logger';
import { patchSimUser, startHarness, type Harness } from '../helpers/harness';
import { startIdentity, type LocalIdentity } from '../helpers/identity';

/**
 * The dashboard tab's API in production mode, offline: Teams SSO tokens signed by the local
 * identity stand-in (the tenant's keys over HTTPS, as Entra publishes them) and checked by the
 * bot exactly as it checks them in Azure.
 */

const APP_ID_URI = 'api://mfa-bot.example.org/';
const ROUTES: Array<[method: 'GET' | 'POST', path: string]> = [
  ['GET', '/api/tab/me'],
  ['GET', '/api/tab/coverage'],
  ['POST', '/api/tab/coverage/refresh'],
  ['GET', '/api/tab/people'],
  ['GET', '/api/tab/people.csv'],
  ['GET', '/api/tab/trend'],
  ['GET', '/api/tab/campaigns'],
  ['GET', '/api/tab/tickets'],
  ['POST', '/api/tab/nudge/preview'],
  ['POST', '/api/tab/nudge/confirm'],
];

describe('dashboard tab API in production mode (Teams SSO)', function () {
  this.timeout(60_000);
  let identity: LocalIdentity;
  let h: Harness;
  let admin: { id: string; name: string; upn: string };
  let itMember: { id: string; name: string; upn: string };
  let nurse: { id: string; name: string; upn: string };

  const person = (upn: string) => {
    const u = h.practice.users.find((x) => x.userPrincipalName === upn)!;
    return { id: u.id, name: u.displayName, upn: u.userPrincipalName };
  };
  const call = async (
    path: string,
    authorization?: string,
    method: 'GET' | 'POST' = 'GET',
    body?: unknown,
  ) => {
    const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
    if (method === 'POST') headers['content-type'] = 'application/json';
    const res = await fetch(`${h.server.url}${path}`, {
      method,
      headers,
      body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
    });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
  };
  const bearer = (token: string) => `Bearer ${token}`;
  /** The bot's log lines, so each refusal can be checked for the reason it was refused. */
  const logged: Array<Record<string, unknown>> = [];
  const lastRefusal = () =>
    [...logged].reverse().find((l) => l.msg === 'tab request refused')?.reason;

  before(async () => {
    const practiceTenant = (await import('../../services/directory/practice')).loadPractice(
      (await import('../../bot/config')).DEMO_PRACTICE_PATH,
    ).tenantId;
    identity = await startIdentity(practiceTenant);
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean))
          logged.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    h = await startHarness({
      identity,
      env: { TAB_SSO_RESOURCE: `${APP_ID_URI}${identity.appId}` },
      logger: createLogger('warn', sink),
    });
    admin = person('diane.whitaker@riverbendfm.example');
    itMember = person('marcus.bell@riverbendfm.example');
    nurse = person('nora.nguyen@riverbendfm.example');
  });
  after(async () => {
    await h?.close();
    await identity?.close();
  });

  it('lets a practice admin in with the token Teams gives the tab (v2: audience the app id)', async () => {
    const res = await call('/api/tab/me', bearer(identity.tabToken(admin)));
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      { ...res.json(), confirmThreshold: undefined },
      {
        name: admin.name,
        upn: admin.upn,
        role: 'admin',
        canNudge: true,
        demo: false,
        confirmThreshold: undefined,
      },
    );
    const coverage = await call('/api/tab/coverage', bearer(identity.tabToken(admin)));
    assert.equal(coverage.status, 200);
    assert.equal(typeof coverage.json().overall, 'object');
  });

  it('accepts a v1 token whose audience is the Application ID URI', async () => {
    const res = await call(
      '/api/tab/me',
      bearer(
        identity.tabToken(
          admin,
          {},
          { version: '1.0', applicationIdUri: `${APP_ID_URI}${identity.appId}` },
        ),
      ),
    );
    assert.equal(res.status, 200, res.text);
  });

  it('answers 401, and nothing else, to a missing token on every route', async () => {
    for (const [method, path] of ROUTES) {
      const res = await call(path, undefined, method);
      assert.equal(res.status, 401, `${method} ${path}`);
      assert.deepEqual(Object.keys(res.json()), ['error'], `${method} ${path} says only why`);
    }
  });

  const refused: Array<[string, string, () => string]> = [
    ['the demo sign-in', 'malformed', () => 'Demo'],
    [
      'a token that is not a Bearer token',
      'malformed',
      () => `Basic ${Buffer.from('a:b').toString('base64')}`,
    ],
    [
      'an expired token',
      'expired',
      () =>
        bearer(
          identity.tabToken(admin, {
            exp: Math.floor(Date.now() / 1000) - 600,
            nbf: Math.floor(Date.now() / 1000) - 4000,
          }),
        ),
    ],
    [
      'a token not valid yet',
      'not-yet-valid',
      () => bearer(identity.tabToken(admin, { nbf: Math.floor(Date.now() / 1000) + 3600 })),
    ],
    [
      'a token without an expiry',
      'malformed',
      () => bearer(identity.tabToken(admin, { exp: undefined })),
    ],
    [
      'a token from another tenant (same Entra keys, its own issuer)',
      'tenant',
      () => {
        const other = randomUUID();
        return bearer(
          identity.tabToken(admin, { tid: other, iss: `${identity.loginOrigin}/${other}/v2.0` }),
        );
      },
    ],
    [
      'a token naming our tenant but issued by another',
      'issuer',
      () =>
        bearer(identity.tabToken(admin, { iss: `${identity.loginOrigin}/${randomUUID()}/v2.0` })),
    ],
    [
      'a v1 token from another tenant',
      'tenant',
      () =>
        bearer(
          identity.tabToken(
            admin,
            { tid: randomUUID() },
            { version: '1.0', applicationIdUri: `${APP_ID_URI}${identity.appId}` },
          ),
        ),
    ],
    [
      'a token for another app (audience its id)',
      'audience',
      () => bearer(identity.tabToken(admin, { aud: randomUUID() })),
    ],
    [
      'a token for another app (audience its URI)',
      'audience',
      () =>
        bearer(
          identity.tabToken(
            admin,
            {},
            { version: '1.0', applicationIdUri: `api://mfa-bot.example.org/${randomUUID()}` },
          ),
        ),
    ],
    [
      'a token for Microsoft Graph',
      'audience',
      () => bearer(identity.tabToken(admin, { aud: 'https://graph.microsoft.com' })),
    ],
    [
      'a token signed with a key the tenant does not publish',
      'signature',
      () => bearer(identity.tabToken(admin, {}, { signer: 'stranger' })),
    ],
    [
      'a token without the access_as_user scope',
      'scope',
      () => bearer(identity.tabToken(admin, { scp: 'User.Read' })),
    ],
    [
      'an app-only token (roles, no scope)',
      'scope',
      () =>
        bearer(
          identity.tabToken(admin, { scp: undefined, roles: ['Dashboard.Read'], idtyp: 'app' }),
        ),
    ],
    [
      'a token without a user (no oid)',
      'not-a-user',
      () => bearer(identity.tabToken(admin, { oid: undefined })),
    ],
    [
      'an unsigned token',
      'malformed',
      () => {
        const [header, payload] = identity.tabToken(admin).split('.');
        const none = Buffer.from(
          JSON.stringify({
            ...JSON.parse(Buffer.from(header!, 'base64url').toString()),
            alg: 'none',
          }),
        ).toString('base64url');
        return bearer(`${none}.${payload}.`);
      },
    ],
    [
      'a token whose claims were changed after signing',
      'signature',
      () => {
        const [header, payload, signature] = identity.tabToken(nurse).split('.');
        const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<
          string,
          unknown
        >;
        const forged = Buffer.from(JSON.stringify({ ...claims, oid: admin.id })).toString(
          'base64url',
        );
        return bearer(`${header}.${forged}.${signature}`);
      },
    ],
  ];
  for (const [what, reason, authorization] of refused) {
    it(`answers 401 to ${what}`, async () => {
      const res = await call('/api/tab/coverage', authorization());
      assert.equal(res.status, 401, res.text);
      assert.equal(lastRefusal(), reason, 'refused for that reason');
      assert.deepEqual(Object.keys(res.json()), ['error']);
      assert.doesNotMatch(res.text, /Authenticator|riverbend/i, 'no data in a refusal');
    });
  }

  it('does not fetch the tenant keys again for every unknown key id (at most every five minutes)', async () => {
    const keyFetches = () =>
      identity.requests.filter((r) => r.endsWith('/discovery/v2.0/keys')).length;
    assert.equal((await call('/api/tab/me', bearer(identity.tabToken(admin)))).status, 200);
    const before = keyFetches();
    for (let i = 0; i < 5; i += 1) {
      const res = await call(
        '/api/tab/me',
        bearer(identity.tabToken(admin, {}, { kid: `rolled-${i}` })),
      );
      assert.equal(res.status, 401);
      assert.equal(lastRefusal(), 'unknown-key');
    }
    assert.equal(keyFetches(), before);
  });

  it('answers 403 to a staff member with a valid token, on every route', async () => {
    for (const [method, path] of ROUTES) {
      const res = await call(path, bearer(identity.tabToken(nurse)), method);
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.deepEqual(Object.keys(res.json()), ['error']);
    }
  });

  it('lets IT look but not start a nudge', async () => {
    const token = bearer(identity.tabToken(itMember));
    const me = await call('/api/tab/me', token);
    assert.equal(me.status, 200);
    assert.equal(me.json().role, 'it');
    assert.equal(me.json().canNudge, false);
    assert.equal((await call('/api/tab/people', token)).status, 200);
    const preview = await call('/api/tab/nudge/preview', token, 'POST', {
      people: [nurse.id],
      kind: 'friendly',
    });
    assert.equal(preview.status, 403);
  });

  it('checks group membership live: an admin removed from the group is refused at once', async () => {
    const adminGroup = groupIdByName(h.practice, 'Practice Admins');
    const grace = person('grace.lindqvist@riverbendfm.example');
    const token = bearer(identity.tabToken(grace));
    assert.equal((await call('/api/tab/me', token)).status, 200);
    const user = h.practice.users.find((u) => u.id === grace.id)!;
    await patchSimUser(h, grace.id, { memberOf: user.memberOf.filter((g) => g !== adminGroup) });
    assert.equal((await call('/api/tab/me', token)).status, 403);
  });
});
