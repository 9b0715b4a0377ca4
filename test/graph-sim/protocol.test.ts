import assert from 'node:assert/strict';
import { call, demoPractice, errorOf, NORA, REPORT, userByUpn, withSim } from './helpers';

describe('graph-sim protocol', () => {
  const nora = userByUpn(demoPractice(), NORA);
  const { sim } = withSim();

  it('answers 401 in Graph format without a bearer token, with a request-id', async () => {
    const res = await call(sim(), 'GET', REPORT, {
      token: null,
      headers: { 'client-request-id': 'c-1' },
    });
    assert.equal(res.status, 401);
    const error = res.json.error as { code: string; innerError: Record<string, string> };
    assert.equal(error.code, 'InvalidAuthenticationToken');
    assert.equal(error.innerError['request-id'], res.headers.get('request-id'));
    assert.equal(error.innerError['client-request-id'], 'c-1');
    assert.ok(error.innerError.date);
  });

  it('puts a request-id header on every answer', async () => {
    for (const path of [REPORT, '/v1.0/users/nobody', '/v1.0/nothing/here', '/_sim/health']) {
      const res = await call(sim(), 'GET', path);
      assert.match(res.headers.get('request-id') ?? '', /^[0-9a-f-]{36}$/, path);
    }
  });

  it('answers 400 for an unknown segment or version and 405 for a wrong method', async () => {
    assert.equal((await call(sim(), 'GET', '/v1.0/nothing/here')).status, 400);
    assert.equal((await call(sim(), 'GET', '/beta/users')).status, 400);
    const wrong = await call(sim(), 'PUT', `/v1.0/users/${nora.id}`);
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET');
  });

  it('answers 404 Request_ResourceNotFound for unknown users, groups and methods', async () => {
    const methods = `/v1.0/users/${nora.id}/authentication/microsoftAuthenticatorMethods`;
    for (const path of [
      '/v1.0/users/nobody@riverbendfm.example',
      '/v1.0/groups/00000000-0000-4000-8000-000000000000',
      `${methods}/nope`,
      `${REPORT}/00000000-0000-4000-8000-000000000000`,
    ]) {
      const res = await call(sim(), 'GET', path);
      assert.equal(res.status, 404, path);
      assert.equal(errorOf(res).code, 'Request_ResourceNotFound');
    }
    assert.equal((await call(sim(), 'DELETE', `${methods}/nope`)).status, 404);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await call(sim(), 'POST', `/v1.0/users/${nora.id}/checkMemberGroups`, {
      headers: { 'content-type': 'application/json' },
      rawBody: '{"groupIds": [',
    });
    assert.equal(res.status, 400);
  });
});
