import assert from 'node:assert/strict';
import sinon from 'sinon';
import { generatePractice } from '../../services/directory/generate';
import type { GraphDirectory } from '../../services/directory/graph';
import { groupIdByName, type Practice } from '../../services/directory/practice';
import { AUTHENTICATOR_METHOD, isDirectoryError } from '../../services/directory/types';
import { DEMO_TEAMS_APP, type GraphSim } from '../../services/graph-sim';
import {
  call,
  collect,
  demoPractice,
  directoryFor,
  NORA,
  startSim,
  userByUpn,
} from '../graph-sim/helpers';

const PUSH_ONLY = { authenticatorRegistered: true } as const;
const NO_USER = '00000000-0000-4000-8000-000000000000';

async function rejectsWithKind(promise: Promise<unknown>, kind: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isDirectoryError(err), `not a DirectoryError: ${String(err)}`);
    assert.equal(err.kind, kind, err.message);
    return true;
  });
}

describe('GraphDirectory against the Graph stand-in', () => {
  describe('paging a large directory', () => {
    let sim: GraphSim;
    let directory: GraphDirectory;
    let practice: Practice;

    before(async () => {
      practice = generatePractice({ users: 2500, seed: 11 });
      sim = await startSim({ practice, pageSize: 100 });
      directory = directoryFor(sim);
    });
    after(async () => {
      await directory.close();
      await sim.close();
    });

    it('follows @odata.nextLink page by page without duplicates', async () => {
      const enabled = practice.users.filter((u) => u.accountEnabled);
      const { pages, items } = await collect(directory.registrationPages());
      assert.equal(items.length, enabled.length);
      assert.equal(pages, Math.ceil(enabled.length / 100));
      assert.equal(new Set(items.map((r) => r.id)).size, items.length);
      assert.equal(sim.requests.matching('/v1.0/reports').length, pages);
    });

    it('filters on Authenticator registration on the server', async () => {
      const expected = practice.users.filter(
        (u) => u.accountEnabled && u.methodsRegistered.includes(AUTHENTICATOR_METHOD),
      );
      sim.requests.clear();
      const { items } = await collect(directory.registrationPages(PUSH_ONLY));
      assert.equal(items.length, expected.length);
      assert.ok(items.every((r) => r.methodsRegistered.includes(AUTHENTICATOR_METHOD)));
      const first = sim.requests.all()[0]!;
      assert.match(
        decodeURIComponent(first.query),
        /methodsRegistered\/any\(x:x eq 'microsoftAuthenticatorPush'\)/,
      );
    });

    it('combines filters and keeps the not-registered part on its side', async () => {
      const { items } = await collect(
        directory.registrationPages({
          authenticatorRegistered: false,
          userType: 'member',
          isAdmin: false,
        }),
      );
      const expected = practice.users.filter(
        (u) =>
          u.accountEnabled &&
          !u.isAdmin &&
          u.userType === 'Member' &&
          !u.methodsRegistered.includes(AUTHENTICATOR_METHOD),
      );
      assert.deepEqual(items.map((r) => r.id).sort(), expected.map((u) => u.id).sort());
    });

    it('pages through transitive group members', async () => {
      const { pages, items } = await collect(directory.groupMemberPages(practice.groups[0]!.id));
      assert.ok(pages > 1);
      assert.equal(new Set(items.map((m) => m.id)).size, items.length);
    });
  });

  describe('the demo practice', () => {
    const sandbox = sinon.createSandbox();
    const practice = demoPractice();
    const nora = userByUpn(practice, NORA);
    let sim: GraphSim;
    let directory: GraphDirectory;

    beforeEach(async () => {
      sim = await startSim();
      directory = directoryFor(sim);
    });
    afterEach(async () => {
      sandbox.restore();
      await directory.close();
      await sim.close();
    });

    it('reads a user by UPN and by id', async () => {
      const byUpn = await directory.getUser(NORA);
      const byId = await directory.getUser(nora.id);
      assert.deepEqual(byUpn, byId);
      assert.equal(byUpn.displayName, 'Nora Nguyen');
      assert.equal(byUpn.accountEnabled, true);
      assert.equal(byUpn.userType, 'Member');
    });

    it('reports an unknown user as not-found', async () => {
      await rejectsWithKind(directory.getUser('nobody@riverbendfm.example'), 'not-found');
      await rejectsWithKind(directory.registrationFor(NO_USER), 'not-found');
      await rejectsWithKind(directory.authMethods('nobody@riverbendfm.example'), 'not-found');
    });

    it('shows the demo nurse as not registered', async () => {
      const row = await directory.registrationFor(nora.id);
      assert.equal(row.userPrincipalName, NORA);
      assert.equal(row.isMfaRegistered, false);
      assert.deepEqual(row.methodsRegistered, []);
    });

    it('checks group membership transitively through a nested group', async () => {
      const clinical = groupIdByName(practice, 'Clinical Staff');
      const nursing = groupIdByName(practice, 'Nursing');
      const physicians = groupIdByName(practice, 'Physicians');
      const matched = await directory.memberGroups(nora.id, [clinical, physicians, nursing]);
      assert.deepEqual(matched, [clinical, nursing]);
      const { items } = await collect(directory.groupMemberPages(clinical));
      assert.ok(items.some((m) => m.userPrincipalName === NORA));
      assert.ok(items.some((m) => m.userPrincipalName === 'amara.osei@riverbendfm.example'));
      assert.ok(!items.some((m) => m.userPrincipalName === 'marcus.bell@riverbendfm.example'));
      assert.equal((await directory.getGroup(clinical)).displayName, 'Clinical Staff');
    });

    it('asks about more than 20 groups in batches', async () => {
      const it = groupIdByName(practice, 'IT Support');
      const filler = Array.from(
        { length: 24 },
        (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      );
      const marcus = userByUpn(practice, 'marcus.bell@riverbendfm.example');
      assert.deepEqual(await directory.memberGroups(marcus.id, [...filler, it]), [it]);
      assert.equal(sim.requests.matching(`/v1.0/users/${marcus.id}/checkMemberGroups`).length, 2);
    });

    it('issues a Temporary Access Pass whose code only the creator sees, usable once', async () => {
      const tap = await directory.createTemporaryAccessPass(nora.id, {
        lifetimeInMinutes: 60,
        isUsableOnce: true,
      });
      assert.equal(tap.temporaryAccessPass.length, 8);
      assert.equal(tap.isUsable, true);
      assert.ok(tap.requestId);
      const path = `/v1.0/users/${nora.id}/authentication/temporaryAccessPassMethods`;
      const listed = await call(sim, 'GET', path);
      const [entry] = listed.json.value as Array<Record<string, unknown>>;
      assert.equal(entry!.temporaryAccessPass, null);
      assert.ok(!listed.text.includes(tap.temporaryAccessPass));
      const use = (code: string) =>
        call(sim, 'POST', `/_sim/users/${nora.id}/use-tap`, { body: { code } });
      assert.deepEqual((await use(tap.temporaryAccessPass)).json, { ok: true });
      const second = await use(tap.temporaryAccessPass);
      assert.deepEqual(second.json, { ok: false, reason: 'OneTimeUsed' });
    });

    it('refuses a pass outside the tenant policy as invalid-request', async () => {
      await rejectsWithKind(
        directory.createTemporaryAccessPass(nora.id, { lifetimeInMinutes: 30, isUsableOnce: true }),
        'invalid-request',
      );
      await rejectsWithKind(
        directory.createTemporaryAccessPass(nora.id, {
          lifetimeInMinutes: 481,
          isUsableOnce: false,
        }),
        'invalid-request',
      );
    });

    it('installs the app once and finds the chat either way', async () => {
      const first = await directory.installAppForUser(nora.id, DEMO_TEAMS_APP.id);
      const second = await directory.installAppForUser(nora.id, DEMO_TEAMS_APP.id);
      assert.equal(first.alreadyInstalled, false);
      assert.equal(second.alreadyInstalled, true);
      assert.ok(first.ready && second.ready);
      assert.match(first.chatId, /^19:.*@unq\.gbl\.spaces$/);
      assert.equal(second.chatId, first.chatId);
      const installs = sim.requests.matching(`/v1.0/users/${nora.id}/teamwork/installedApps`);
      assert.deepEqual(
        installs.filter((r) => r.method === 'POST').map((r) => r.status),
        [201, 409],
      );
    });

    it('says "not ready" while Teams settles a new installation, then finds its chat', async () => {
      await call(sim, 'PATCH', '/_sim/teamwork', {
        body: { unlistedReads: 1, forbiddenChatReads: 1 },
        token: null,
      });
      const first = await directory.installAppForUser(nora.id, DEMO_TEAMS_APP.id);
      assert.deepEqual([first.ready, first.ready ? '' : first.why], [false, 'not listed yet']);
      const second = await directory.installAppForUser(nora.id, DEMO_TEAMS_APP.id);
      assert.deepEqual(
        [second.ready, second.ready ? '' : second.why],
        [false, 'its chat answered 403'],
      );
      const third = await directory.installAppForUser(nora.id, DEMO_TEAMS_APP.id);
      assert.ok(third.ready && third.alreadyInstalled);
      assert.match(third.chatId, /^19:/);
    });

    it('finds the catalog id from the manifest id, and refuses to install a manifest id', async () => {
      const byManifest = await directory.teamsApps({ externalId: DEMO_TEAMS_APP.externalId! });
      assert.deepEqual(
        byManifest.map((a) => [a.id, a.distributionMethod]),
        [[DEMO_TEAMS_APP.id, 'organization']],
      );
      assert.deepEqual(await directory.teamsApps({ id: DEMO_TEAMS_APP.externalId! }), []);
      await rejectsWithKind(
        directory.installAppForUser(nora.id, DEMO_TEAMS_APP.externalId!),
        'not-found',
      );
    });

    it('revokes sessions, visible in the sim record', async () => {
      const receipt = await directory.revokeSessions(nora.id);
      assert.ok(receipt.requestId);
      const record = await call(sim, 'GET', `/_sim/users/${NORA}`, { token: null });
      assert.equal(typeof record.json.revokedSessionsAt, 'string');
    });

    it('removes an Authenticator so neither the report nor the method list shows it', async () => {
      const olivia = userByUpn(practice, 'olivia.brandt@riverbendfm.example');
      const [device] = await directory.authenticatorDevices(olivia.id);
      assert.ok(device);
      const hasPush = async () => {
        const row = await directory.registrationFor(olivia.id);
        return row.methodsRegistered.includes(AUTHENTICATOR_METHOD);
      };
      assert.equal(await hasPush(), true);
      const receipt = await directory.removeAuthenticator(olivia.id, device.id);
      assert.ok(receipt.requestId);
      assert.deepEqual(await directory.authenticatorDevices(olivia.id), []);
      const methods = await directory.authMethods(olivia.id);
      assert.ok(!methods.some((m) => m.kind === 'microsoftAuthenticatorAuthenticationMethod'));
      assert.equal(await hasPush(), false);
      const { items } = await collect(directory.registrationPages(PUSH_ONLY));
      assert.ok(!items.some((r) => r.id === olivia.id));
      await rejectsWithKind(directory.removeAuthenticator(olivia.id, device.id), 'not-found');
    });

    it('labels methods for people, masking phone numbers', async () => {
      const rachel = userByUpn(practice, 'rachel.stein@riverbendfm.example');
      const methods = await directory.authMethods(rachel.id);
      assert.deepEqual(
        methods.map((m) => m.kind),
        ['passwordAuthenticationMethod', 'phoneAuthenticationMethod', 'emailAuthenticationMethod'],
      );
      const phone = methods[1]!;
      assert.match(phone.label, /^Mobile phone ending \d\d$/);
      assert.ok(!phone.label.includes(rachel.phoneNumber!));
    });

    it('sends mail the sim keeps', async () => {
      const receipt = await directory.sendMail('it-helpdesk@riverbendfm.example', {
        to: NORA,
        subject: 'Your sign-in was reset',
        body: 'If this was not you, call IT.',
      });
      assert.ok(receipt.requestId);
      const mail = await call(sim, 'GET', '/_sim/mail', { token: null });
      const [sent] = mail.json.value as Array<Record<string, unknown>>;
      assert.deepEqual(sent!.to, [NORA]);
      assert.equal(sent!.subject, 'Your sign-in was reset');
    });

    it('asks its token provider on every attempt', async () => {
      const provider = { getAccessToken: async () => 'token-1' };
      const spy = sandbox.spy(provider, 'getAccessToken');
      const own = directoryFor(sim, { authProvider: provider });
      await call(sim, 'POST', '/_sim/faults', { token: null, body: { status: 503, count: 1 } });
      await own.getUser(NORA);
      assert.equal(spy.callCount, 2);
      await own.close();
    });
  });
});
