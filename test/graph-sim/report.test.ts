import assert from 'node:assert/strict';
import { call, demoPractice, errorOf, NORA, REPORT, userByUpn, withSim } from './helpers';

type Row = {
  id: string;
  userPrincipalName: string;
  userType: string;
  isMfaRegistered: boolean;
  methodsRegistered: string[];
};
const rowsOf = (json: Record<string, unknown>) => json.value as Row[];
const filtered = (filter: string) => `${REPORT}?$filter=${encodeURIComponent(filter)}`;

describe('graph-sim registration report', () => {
  const practice = demoPractice();
  const nora = userByUpn(practice, NORA);
  const { sim } = withSim();

  it('pages with absolute https next links and @odata.context', async () => {
    const seen: string[] = [];
    let next: string | undefined = `${REPORT}?$top=25`;
    let pages = 0;
    while (next) {
      const res = await call(sim(), 'GET', next);
      assert.equal(res.status, 200);
      assert.match(
        String(res.json['@odata.context']),
        /\$metadata#reports\/authenticationMethods\/userRegistrationDetails$/,
      );
      const value = rowsOf(res.json);
      assert.ok(value.length <= 25);
      seen.push(...value.map((r) => r.id));
      next = res.json['@odata.nextLink'] as string | undefined;
      if (next) {
        assert.ok(next.startsWith(`${sim().baseUrl}/v1.0/`), next);
        assert.ok(next.includes('$skiptoken='), next);
      }
      pages += 1;
    }
    const enabled = practice.users.filter((u) => u.accountEnabled);
    assert.equal(seen.length, enabled.length);
    assert.equal(new Set(seen).size, seen.length);
    assert.equal(pages, Math.ceil(enabled.length / 25));
  });

  it('leaves disabled accounts out, as Graph does', async () => {
    const gordon = userByUpn(practice, 'gordon.pike@riverbendfm.example');
    const res = await call(sim(), 'GET', `${REPORT}?$top=999`);
    assert.ok(!rowsOf(res.json).some((r) => r.id === gordon.id));
    assert.equal((await call(sim(), 'GET', `${REPORT}/${gordon.id}`)).status, 404);
  });

  it('filters, keeping the filter in the next link', async () => {
    const push = "methodsRegistered/any(x:x eq 'microsoftAuthenticatorPush')";
    const members = filtered(`${push} and isMfaRegistered eq true`);
    const first = await call(sim(), 'GET', `${members}&$top=5`);
    const rows = rowsOf(first.json);
    assert.equal(rows.length, 5);
    const next = await call(sim(), 'GET', first.json['@odata.nextLink'] as string);
    for (const row of [...rows, ...rowsOf(next.json)]) {
      assert.ok(row.methodsRegistered.includes('microsoftAuthenticatorPush'));
      assert.equal(row.isMfaRegistered, true);
    }
    // Graph documents no filter on userType or isAdmin: refused, as Graph would.
    for (const clause of ["userType eq 'guest'", 'isAdmin eq true']) {
      assert.equal((await call(sim(), 'GET', filtered(clause))).status, 400, clause);
    }
  });

  it('refuses unsupported filters and query options with 400', async () => {
    const bad = await call(sim(), 'GET', filtered('isAdmin ne true'));
    assert.equal(bad.status, 400);
    assert.equal(errorOf(bad).code, 'badRequest');
    assert.match(errorOf(bad).message, /^Invalid filter clause/);
    const queries = [
      '$orderby=userPrincipalName',
      '$top=0',
      '$top=1000',
      '$top=1&$top=2',
      '$skiptoken=garbage',
      '$count=true',
      '$select=nope',
    ];
    for (const query of queries) {
      assert.equal((await call(sim(), 'GET', `${REPORT}?${query}`)).status, 400, query);
    }
  });

  it('selects properties', async () => {
    const select = '$select=userPrincipalName,isMfaRegistered';
    const res = await call(sim(), 'GET', `${REPORT}/${nora.id}?${select}`);
    assert.deepEqual(Object.keys(res.json).sort(), [
      '@odata.context',
      'id',
      'isMfaRegistered',
      'userPrincipalName',
    ]);
  });
});
