import assert from 'node:assert/strict';
import { generatePractice } from '../../services/directory/generate';
import { parsePractice, standardGroupIds } from '../../services/directory/practice';
import { STANDARD_GROUP_IDS } from '../../services/directory/standard-groups';

describe('generatePractice', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = generatePractice({ users: 300, seed: 7 });
    const b = generatePractice({ users: 300, seed: 7 });
    const c = generatePractice({ users: 300, seed: 8 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(
      a.users.map((u) => u.id),
      c.users.map((u) => u.id),
    );
  });

  it('produces a valid practice with the standard groups and a realistic mix', () => {
    const practice = parsePractice(generatePractice({ users: 2000, seed: 3 }));
    assert.equal(practice.users.length, 2000);
    assert.deepEqual(standardGroupIds(practice), STANDARD_GROUP_IDS);
    const share = (fn: (u: (typeof practice.users)[number]) => boolean) =>
      practice.users.filter(fn).length / practice.users.length;
    const push = share((u) => u.methodsRegistered.includes('microsoftAuthenticatorPush'));
    const none = share((u) => u.methodsRegistered.length === 0);
    const smsOnly = share((u) => u.methodsRegistered.join() === 'mobilePhone');
    assert.ok(push > 0.4 && push < 0.7, `push ${push}`);
    assert.ok(none > 0.1 && none < 0.3, `none ${none}`);
    assert.ok(smsOnly > 0.1 && smsOnly < 0.3, `sms ${smsOnly}`);
    assert.ok(practice.users.some((u) => u.userType === 'Guest'));
    assert.ok(practice.users.some((u) => !u.accountEnabled));
    const inGroup = (id: string) => practice.users.filter((u) => u.memberOf.includes(id));
    assert.ok(inGroup(STANDARD_GROUP_IDS.itSupport).some((u) => u.isAdmin));
    assert.ok(inGroup(STANDARD_GROUP_IDS.practiceAdmins).length >= 2);
  });

  it('scales to 50,000 unique users', () => {
    const practice = generatePractice({ users: 50_000, seed: 1 });
    assert.equal(practice.users.length, 50_000);
    assert.equal(new Set(practice.users.map((u) => u.id)).size, 50_000);
    const upns = new Set(practice.users.map((u) => u.userPrincipalName.toLowerCase()));
    assert.equal(upns.size, 50_000);
  });

  it('refuses sizes out of range', () => {
    assert.throws(() => generatePractice({ users: 0 }), RangeError);
    assert.throws(() => generatePractice({ users: 50_001 }), RangeError);
  });
});
