import assert from 'node:assert/strict';
import {
  FilterError,
  parseInstalledAppFilter,
  parseRegistrationFilter,
} from '../../services/graph-sim/filters';

describe('graph-sim registration $filter', () => {
  const row = {
    id: 'u1',
    userPrincipalName: 'nora.nguyen@riverbendfm.example',
    userType: 'member',
    isAdmin: false,
    isMfaRegistered: true,
    methodsRegistered: ['microsoftAuthenticatorPush', 'mobilePhone'],
  };

  it('accepts eq on booleans and strings, any() on methods, joined with and', () => {
    assert.equal(parseRegistrationFilter('isMfaRegistered eq true')(row), true);
    assert.equal(parseRegistrationFilter('isMfaRegistered eq false')(row), false);
    const upn = "userPrincipalName eq 'NORA.nguyen@riverbendfm.example'";
    assert.equal(parseRegistrationFilter(upn)(row), true);
    const push = "methodsRegistered/any(x:x eq 'microsoftAuthenticatorPush')";
    assert.equal(parseRegistrationFilter(push)(row), true);
    const key = "methodsRegistered/any(m: m eq 'fido2SecurityKey')";
    assert.equal(parseRegistrationFilter(key)(row), false);
    const combined = `${push} and isMfaRegistered eq true AND userPrincipalName eq 'nora.nguyen@riverbendfm.example'`;
    assert.equal(parseRegistrationFilter(combined)(row), true);
    assert.equal(parseRegistrationFilter(`${push} and isMfaRegistered eq false`)(row), false);
  });

  it('refuses everything else instead of guessing', () => {
    const refused = [
      '',
      // In the rows, but Graph does not document filtering on them.
      'isAdmin eq true',
      "userType eq 'member'",
      'isMfaRegistered ne true',
      'isMfaRegistered eq 1',
      "isMfaRegistered eq 'true'",
      'isMfaCapable eq true or isMfaRegistered eq true',
      'not(isMfaRegistered eq true)',
      "startswith(userPrincipalName, 'n')",
      "userType eq 'alien'",
      "displayName eq 'x'",
      "methodsRegistered/any(x:y eq 'mobilePhone')",
      "methodsRegistered/all(x:x eq 'mobilePhone')",
      "isAdmin/any(x:x eq 'a')",
      "userType eq 'member",
      '(isAdmin eq true)',
      'isAdmin eq true and',
    ];
    for (const filter of refused) {
      assert.throws(() => parseRegistrationFilter(filter), FilterError, filter);
    }
  });

  it('reads teamsApp/id filters on installed apps', () => {
    const parsed = parseInstalledAppFilter("teamsApp/id eq 'abc'");
    assert.deepEqual(parsed, { field: 'id', value: 'abc' });
    assert.throws(() => parseInstalledAppFilter("teamsApp/displayName eq 'x'"), FilterError);
  });
});
