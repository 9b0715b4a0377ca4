import assert from 'node:assert/strict';
import { startHarness, userOf, type Harness } from '../helpers/harness';
import { startIdentity, type LocalIdentity } from '../helpers/identity';
import * as build from '../helpers/activities';
import { staffMember } from './probe';

const OTHER_TENANT = '11111111-2222-4333-8444-555555555555';

describe('tenant lock (production)', () => {
  let identity: LocalIdentity;
  let h: Harness;

  before(async () => {
    identity = await startIdentity('c926c688-26cb-4161-ba1a-1ba05fd2c024');
    h = await startHarness({ identity });
  });
  after(async () => {
    await h.close();
    await identity.close();
  });

  it('processes an activity from the practice tenant', async () => {
    const replies = await h.say(userOf(staffMember(h)), 'help');
    assert.equal(replies.length, 1);
  });

  it('refuses and audits a message from another tenant, with no reply', async () => {
    const user = userOf(staffMember(h));
    const activity = build.message(user, 'help', { ...h.options, tenantId: OTHER_TENANT });
    const before = h.connector.calls.length;
    const res = await h.post(activity);
    assert.equal(res.status, 200);
    assert.equal(h.connector.calls.length, before, 'nothing was sent to another tenant');
    const refused = (await h.app.parts.audit.all()).filter((r) => r.reason === 'wrong-tenant');
    assert.equal(refused.at(-1)?.target, OTHER_TENANT);
    assert.equal(refused.at(-1)?.activityId, activity.id);
  });

  it('answers a card click from another tenant with 403', async () => {
    const user = userOf(staffMember(h));
    const res = await h.post(
      build.execute(user, 'status.mine', {}, { ...h.options, tenantId: OTHER_TENANT }),
    );
    assert.equal(res.status, 403);
  });
});
