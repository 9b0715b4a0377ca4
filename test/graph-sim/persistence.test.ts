import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generatePractice } from '../../services/directory/generate';
import { readSimCaPem, simCaPath } from '../../services/graph-sim';
import { STATE_FILE } from '../../services/graph-sim/persist';
import { call, demoPractice, directoryFor, NORA, startSim, userByUpn } from './helpers';

describe('graph-sim persistence', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-sim-'));
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps registrations, revokes and passes across a restart, never the code', async () => {
    const nora = userByUpn(demoPractice(), NORA);
    const first = await startSim({ dataDir });
    await call(first, 'PATCH', `/_sim/users/${NORA}`, {
      token: null,
      body: { methodsRegistered: ['microsoftAuthenticatorPush'] },
    });
    const directory = directoryFor(first);
    await directory.revokeSessions(nora.id);
    const tap = await directory.createTemporaryAccessPass(nora.id, {
      lifetimeInMinutes: 120,
      isUsableOnce: false,
    });
    await directory.close();
    await first.close();

    const saved = fs.readFileSync(path.join(dataDir, STATE_FILE), 'utf8');
    assert.ok(!saved.includes(tap.temporaryAccessPass), 'the pass code was written to disk');
    assert.ok(saved.includes(tap.id));

    const second = await startSim({ dataDir });
    assert.equal(second.caPem, first.caPem);
    const record = await call(second, 'GET', `/_sim/users/${NORA}`, { token: null });
    assert.deepEqual(record.json.methodsRegistered, ['microsoftAuthenticatorPush']);
    assert.ok(record.json.revokedSessionsAt);
    assert.equal((record.json.tap as { id: string }).id, tap.id);
    const report = '/v1.0/reports/authenticationMethods/userRegistrationDetails';
    const row = await call(second, 'GET', `${report}/${nora.id}`);
    assert.ok((row.json.methodsRegistered as string[]).includes('microsoftAuthenticatorPush'));
    const use = await call(second, 'POST', `/_sim/users/${nora.id}/use-tap`, {
      token: null,
      body: { code: tap.temporaryAccessPass },
    });
    assert.deepEqual(use.json, { ok: true });

    await call(second, 'POST', '/_sim/reset', { token: null });
    await second.close();
    const third = await startSim({ dataDir });
    const reset = await call(third, 'GET', `/_sim/users/${NORA}`, { token: null });
    assert.deepEqual(reset.json.methodsRegistered, []);
    await third.close();
  });

  it('starts fresh when the practice file changed', async () => {
    const practice = generatePractice({ users: 50, seed: 1 });
    const target = practice.users[10]!;
    const first = await startSim({ dataDir, practice });
    await call(first, 'PATCH', `/_sim/users/${target.id}`, {
      token: null,
      body: { methodsRegistered: [] },
    });
    await first.close();
    const changed = { ...practice, organization: { displayName: 'Renamed Clinic' } };
    const second = await startSim({ dataDir, practice: changed });
    const record = await call(second, 'GET', `/_sim/users/${target.id}`, { token: null });
    assert.deepEqual(record.json.methodsRegistered, target.methodsRegistered);
    await second.close();
  });

  it('starts fresh from a corrupt state file', async () => {
    fs.writeFileSync(path.join(dataDir, STATE_FILE), '{"version": 1, "users": "oops"');
    const sim = await startSim({ dataDir });
    assert.equal((await call(sim, 'GET', '/_sim/health', { token: null })).status, 200);
    await sim.close();
  });

  it('keeps its certificate where a later client can read it, and replaces a bad one', async () => {
    const sim = await startSim({ dataDir });
    assert.equal(readSimCaPem(dataDir), sim.caPem);
    assert.equal(fs.statSync(path.join(dataDir, 'key.pem')).mode & 0o077, 0);
    await sim.close();
    fs.writeFileSync(simCaPath(dataDir), 'not a certificate');
    const again = await startSim({ dataDir });
    assert.notEqual(again.caPem, sim.caPem);
    assert.equal(readSimCaPem(dataDir), again.caPem);
    assert.equal((await call(again, 'GET', '/_sim/health', { token: null })).status, 200);
    await again.close();
  });
});
