import assert from 'node:assert/strict';
import type { GraphDirectory } from '../../services/directory/graph';
import { groupIdByName, type Practice } from '../../services/directory/practice';
import type { GraphSim } from '../../services/graph-sim';
import {
  call,
  collect,
  demoPractice,
  directoryFor,
  startSim,
  userByUpn,
} from '../graph-sim/helpers';

/** What a real tenant's Graph does that a forgiving stand-in would let slide. */
describe('Graph as a real tenant answers it', () => {
  let sim: GraphSim;
  let directory: GraphDirectory;
  let practice: Practice;

  beforeEach(async () => {
    practice = demoPractice();
    sim = await startSim({ practice, pageSize: 10 });
    directory = directoryFor(sim);
  });
  afterEach(async () => {
    await directory.close();
    await sim.close();
  });

  it('refuses a cast to users on group members without ConsistencyLevel and $count, and the directory sends both', async () => {
    const group = groupIdByName(practice, 'Nursing');
    const bare = await call(
      sim,
      'GET',
      `/v1.0/groups/${group}/transitiveMembers/microsoft.graph.user`,
    );
    assert.equal(bare.status, 400);
    assert.match(bare.text, /ConsistencyLevel/);
    const members = (await collect(directory.groupMemberPages(group))).items;
    assert.ok(members.length > 10, 'every page, the advanced query headers kept on the next links');
  });

  it('applies the isAdmin and userType filters itself, as Graph does not document them on the report', async () => {
    const direct = await call(
      sim,
      'GET',
      `/v1.0/reports/authenticationMethods/userRegistrationDetails?$filter=${encodeURIComponent('isAdmin eq true')}`,
    );
    assert.equal(direct.status, 400);
    const admins = (await collect(directory.registrationPages({ isAdmin: true }))).items;
    assert.deepEqual(admins.map((r) => r.userPrincipalName.split('@')[0]).sort(), [
      'breakglass.admin',
      'marcus.bell',
    ]);
    const guests = (await collect(directory.registrationPages({ userType: 'guest' }))).items;
    assert.equal(guests.length, 1);
  });

  it('reads people whose display name Graph sends as null, naming them by their sign-in name', async () => {
    const nora = userByUpn(practice, 'nora.nguyen@riverbendfm.example');
    await call(sim, 'PATCH', `/_sim/users/${nora.id}`, {
      body: { displayName: null },
      token: null,
    });
    const rows = (await collect(directory.registrationPages())).items;
    assert.equal(rows.find((r) => r.id === nora.id)?.userDisplayName, nora.userPrincipalName);
    assert.equal((await directory.getUser(nora.id)).displayName, nora.userPrincipalName);
  });

  it('refuses to delete the default method while others exist, until the default changes', async () => {
    const hannah = userByUpn(practice, 'hannah.ivers@riverbendfm.example');
    const device = hannah.authenticatorDevices[0]!;
    await assert.rejects(
      directory.removeAuthenticator(hannah.id, device.id),
      (err: Error & { kind?: string }) => err.kind === 'default-method',
    );
    await directory.setDefaultMethod(hannah.id, 'sms');
    await directory.removeAuthenticator(hannah.id, device.id);
    assert.equal((await directory.authenticatorDevices(hannah.id)).length, 0);
  });

  it('says a pass is DisabledByPolicy for someone outside the pass policy', async () => {
    const nora = userByUpn(practice, 'nora.nguyen@riverbendfm.example');
    await call(sim, 'PATCH', '/_sim/tenant', {
      body: { tapPolicyGroups: [groupIdByName(practice, 'IT Support')] },
      token: null,
    });
    const pass = await directory.createTemporaryAccessPass(nora.id, {
      lifetimeInMinutes: 60,
      isUsableOnce: true,
    });
    assert.equal(pass.isUsable, false);
    assert.equal(pass.methodUsabilityReason, 'DisabledByPolicy');
  });
});
