import assert from 'node:assert/strict';
import { groupIdByName } from '../../services/directory/practice';
import { DEMO_TEAMS_APP } from '../../services/graph-sim';
import { call, demoPractice, errorOf, NORA, userByUpn, withSim } from './helpers';

describe('graph-sim users, groups and methods', () => {
  const practice = demoPractice();
  const nora = userByUpn(practice, NORA);
  const { sim } = withSim();
  const users = `/v1.0/users/${nora.id}`;
  const passes = `${users}/authentication/temporaryAccessPassMethods`;

  it('reads a user with $select, refusing unknown properties', async () => {
    const select = '$select=id,accountEnabled,department';
    const res = await call(sim(), 'GET', `/v1.0/users/${encodeURIComponent(NORA)}?${select}`);
    assert.deepEqual(res.json, {
      '@odata.context': `${sim().baseUrl}/v1.0/$metadata#users(${select.slice(8)})/$entity`,
      id: nora.id,
      accountEnabled: true,
      department: 'Nursing',
    });
    assert.equal((await call(sim(), 'GET', `${users}?$select=salary`)).status, 400);
  });

  it('checks groups transitively and refuses more than 20 ids', async () => {
    const clinical = groupIdByName(practice, 'Clinical Staff');
    const billing = groupIdByName(practice, 'Billing');
    const check = (body: unknown) => call(sim(), 'POST', `${users}/checkMemberGroups`, { body });
    assert.deepEqual((await check({ groupIds: [clinical, billing] })).json.value, [clinical]);
    const many = Array.from({ length: 21 }, () => clinical);
    assert.equal((await check({ groupIds: many })).status, 400);
    assert.equal((await check({})).status, 400);
  });

  it('lists methods polymorphically with @odata.type', async () => {
    const owen = userByUpn(practice, 'owen.hughes@riverbendfm.example');
    const res = await call(sim(), 'GET', `/v1.0/users/${owen.id}/authentication/methods`);
    assert.deepEqual(
      (res.json.value as Array<Record<string, string>>).map((m) => m['@odata.type']),
      [
        '#microsoft.graph.passwordAuthenticationMethod',
        '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
        '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
      ],
    );
    const samuel = userByUpn(practice, 'samuel.price@riverbendfm.example');
    const phone = await call(sim(), 'GET', `/v1.0/users/${samuel.id}/authentication/methods`);
    const entry = (phone.json.value as Array<Record<string, string>>)[1]!;
    assert.equal(entry.phoneNumber, samuel.phoneNumber);
    assert.equal(entry.phoneType, 'mobile');
  });

  it('returns the pass code only at creation; a new pass replaces the old', async () => {
    const first = await call(sim(), 'POST', passes, { body: {} });
    assert.equal(first.status, 201);
    assert.equal(first.json.lifetimeInMinutes, 60);
    assert.match(String(first.json.temporaryAccessPass), /^\S{8}$/);
    const second = await call(sim(), 'POST', passes, {
      body: { lifetimeInMinutes: 480, isUsableOnce: true },
    });
    const value = (await call(sim(), 'GET', passes)).json.value as Array<Record<string, unknown>>;
    assert.equal(value.length, 1);
    assert.equal(value[0]!.id, second.json.id);
    assert.equal(value[0]!.temporaryAccessPass, null);
    const methods = await call(sim(), 'GET', `${users}/authentication/methods`);
    assert.ok(!methods.text.includes(String(second.json.temporaryAccessPass)));
    const old = await call(sim(), 'POST', `/_sim/users/${nora.id}/use-tap`, {
      body: { code: first.json.temporaryAccessPass },
    });
    assert.deepEqual(old.json, { ok: false, reason: 'WrongCode' });
  });

  it('refuses passes outside the policy and unknown body properties', async () => {
    const bodies = [
      { lifetimeInMinutes: 59 },
      { lifetimeInMinutes: 481 },
      { lifetime: 60 },
      { startDateTime: 'soon' },
    ];
    for (const body of bodies) {
      assert.equal((await call(sim(), 'POST', passes, { body })).status, 400, JSON.stringify(body));
    }
  });

  it('revokes sessions with Graph’s answer and records when', async () => {
    const res = await call(sim(), 'POST', `${users}/revokeSignInSessions`);
    assert.equal(res.status, 200);
    assert.equal(res.json.value, true);
    assert.match(String(res.json['@odata.context']), /\$metadata#Edm\.Boolean$/);
    const record = await call(sim(), 'GET', `/_sim/users/${nora.id}`, { token: null });
    assert.ok(record.json.revokedSessionsAt);
  });

  it('installs an app (201, then 409) and answers the chat', async () => {
    const path = `${users}/teamwork/installedApps`;
    const app = DEMO_TEAMS_APP.id;
    const bind = `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${app}`;
    const body = { 'teamsApp@odata.bind': bind };
    assert.equal((await call(sim(), 'POST', path, { body })).status, 201);
    const again = await call(sim(), 'POST', path, { body });
    assert.equal(again.status, 409);
    assert.equal(errorOf(again).code, 'Conflict');
    const filter = encodeURIComponent(`teamsApp/id eq '${app}'`);
    const list = await call(sim(), 'GET', `${path}?$expand=teamsApp&$filter=${filter}`);
    const [install] = list.json.value as Array<{
      id: string;
      teamsApp: { id: string; externalId: string };
    }>;
    assert.deepEqual(
      [install!.teamsApp.id, install!.teamsApp.externalId],
      [app, DEMO_TEAMS_APP.externalId],
    );
    const chat = await call(sim(), 'GET', `${path}/${install!.id}/chat`);
    assert.match(String(chat.json.id), /^19:.+@unq\.gbl\.spaces$/);
    const bad = await call(sim(), 'POST', path, { body: { 'teamsApp@odata.bind': 'nope' } });
    assert.equal(bad.status, 400);
  });

  it('installs only apps in the catalog, which it lists by catalog id or manifest id', async () => {
    const path = `${users}/teamwork/installedApps`;
    const byManifestId = {
      'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${DEMO_TEAMS_APP.externalId}`,
    };
    assert.equal((await call(sim(), 'POST', path, { body: byManifestId })).status, 404);
    const filter = encodeURIComponent(
      `externalId eq '${DEMO_TEAMS_APP.externalId}' and distributionMethod eq 'organization'`,
    );
    const found = await call(sim(), 'GET', `/v1.0/appCatalogs/teamsApps?$filter=${filter}`);
    assert.deepEqual(
      (found.json.value as Array<{ id: string }>).map((a) => a.id),
      [DEMO_TEAMS_APP.id],
    );
    const none = await call(
      sim(),
      'GET',
      `/v1.0/appCatalogs/teamsApps?$filter=${encodeURIComponent(`id eq '${DEMO_TEAMS_APP.externalId}'`)}`,
    );
    assert.deepEqual(none.json.value, []);
    assert.equal(
      (
        await call(
          sim(),
          'GET',
          `/v1.0/appCatalogs/teamsApps?$filter=${encodeURIComponent('version eq 1')}`,
        )
      ).status,
      400,
    );
  });

  it('accepts mail (202) and keeps it for tests', async () => {
    const path = '/v1.0/users/it-helpdesk@riverbendfm.example/sendMail';
    const res = await call(sim(), 'POST', path, {
      body: {
        message: {
          subject: 'Hello',
          body: { contentType: 'Text', content: 'Body' },
          toRecipients: [{ emailAddress: { address: NORA } }],
        },
      },
    });
    assert.equal(res.status, 202);
    const mail = await call(sim(), 'GET', '/_sim/mail', { token: null });
    assert.equal((mail.json.value as unknown[]).length, 1);
    assert.equal((await call(sim(), 'POST', path, { body: {} })).status, 400);
  });
});
