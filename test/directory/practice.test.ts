import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  GROUP_NAMES,
  groupIdByName,
  loadPractice,
  parsePractice,
  standardGroupIds,
} from '../../services/directory/practice';
import { STANDARD_GROUP_IDS } from '../../services/directory/standard-groups';
import { DEMO_PATH, NORA } from '../graph-sim/helpers';

type RawPractice = { users: Array<Record<string, unknown>> };
const readRaw = () => JSON.parse(fs.readFileSync(DEMO_PATH, 'utf8')) as RawPractice;
const ROLE_GROUPS = [
  'Physicians',
  'Nursing',
  'Front Desk',
  'Billing',
  'IT Support',
  'Practice Admins',
];

describe('practice files', () => {
  const demo = loadPractice(DEMO_PATH);
  const staff = demo.users.filter((u) => u.givenName !== null && u.userType === 'Member');

  it('ships a demo practice with at least 60 staff and the six role groups', () => {
    assert.equal(demo.organization.displayName, 'Riverbend Family Medicine');
    assert.ok(staff.length >= 60, `only ${staff.length} staff`);
    for (const name of ROLE_GROUPS) {
      assert.ok(groupIdByName(demo, name), name);
    }
    assert.deepEqual(standardGroupIds(demo), STANDARD_GROUP_IDS);
  });

  it('has the demo nurse unregistered, in Nursing', () => {
    const nora = demo.users.find((u) => u.userPrincipalName === NORA);
    assert.ok(nora);
    assert.deepEqual(nora.methodsRegistered, []);
    assert.deepEqual(nora.memberOf, [groupIdByName(demo, GROUP_NAMES.nursing)]);
  });

  it('has the realistic mix the demo relies on', () => {
    const withMethods = (fn: (m: string[]) => boolean) =>
      demo.users.filter((u) => fn(u.methodsRegistered));
    assert.ok(withMethods((m) => m.includes('microsoftAuthenticatorPush')).length >= 10);
    assert.ok(withMethods((m) => m.length === 1 && m[0] === 'mobilePhone').length >= 5);
    assert.ok(withMethods((m) => m.length === 0).length >= 5);
    assert.ok(withMethods((m) => m.includes('hardwareOneTimePasscode')).length >= 1);
    assert.ok(withMethods((m) => m.length >= 2).length >= 3);
    const inGroup = (name: string) =>
      demo.users.filter((u) => u.memberOf.includes(groupIdByName(demo, name)));
    assert.ok(inGroup('IT Support').length >= 2);
    assert.ok(inGroup('Practice Admins').length >= 2);
    assert.ok(inGroup('IT Support').some((u) => u.isAdmin));
    assert.ok(demo.users.some((u) => u.userType === 'Guest'));
    assert.ok(demo.users.some((u) => !u.accountEnabled));
    const exclusions = inGroup('MFA Exclusions').map((u) => u.userPrincipalName);
    assert.ok(exclusions.includes('breakglass.admin@riverbendfm.example'));
    assert.ok(exclusions.includes('frontdesk.shared@riverbendfm.example'));
  });

  it('nests Physicians and Nursing in Clinical Staff', () => {
    const clinical = groupIdByName(demo, 'Clinical Staff');
    for (const name of ['Physicians', 'Nursing']) {
      assert.deepEqual(demo.groups.find((g) => g.displayName === name)?.memberOf, [clinical]);
    }
  });

  it('names the field when a practice is invalid', () => {
    const bad = readRaw();
    bad.users[3]!.userPrincipalName = 'not-an-upn';
    assert.throws(
      () => parsePractice(bad, 'x.json'),
      /x\.json: users\[3\]\.userPrincipalName: must look like/,
    );
    bad.users[3]!.userPrincipalName = 'ok@riverbendfm.example';
    bad.users[5]!.memberOf = ['00000000-0000-4000-8000-000000000000'];
    assert.throws(() => parsePractice(bad), /users\[5\]\.memberOf\[0\]: unknown group/);
  });

  it('names the file when it is missing or not JSON', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'practice-'));
    const file = path.join(dir, 'p.json');
    assert.throws(() => loadPractice(file), /cannot read practice file .*p\.json/);
    fs.writeFileSync(file, '{ nope');
    assert.throws(() => loadPractice(file), /p\.json is not valid JSON/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a push registration without a device', () => {
    const bad = readRaw();
    bad.users[0]!.authenticatorDevices = [];
    assert.throws(
      () => parsePractice(bad),
      /users\[0\]\.authenticatorDevices: microsoftAuthenticatorPush/,
    );
  });
});
