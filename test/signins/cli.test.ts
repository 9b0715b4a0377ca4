import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { GraphSim } from '../../services/graph-sim';
import { runDemoSigninsCommand } from '../../services/signins/cli';
import { call, startSim } from '../graph-sim/helpers';

const THEO = 'theo.okafor@riverbendfm.example';

function capture() {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { stream, text: () => chunks.join('') };
}

describe('mfa-bot demo signins', () => {
  let sim: GraphSim;
  let dir: string;
  let caCertPath: string;

  beforeEach(async () => {
    sim = await startSim();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-signins-'));
    caCertPath = path.join(dir, 'cert.pem');
    fs.writeFileSync(caCertPath, sim.caPem);
  });
  afterEach(async () => {
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function run(args: string[], mode: 'demo' | 'production' = 'demo', baseUrl = sim.baseUrl) {
    const out = capture();
    const err = capture();
    const code = await runDemoSigninsCommand(
      args,
      { stdout: out.stream, stderr: err.stream },
      {
        mode,
        graphBaseUrl: baseUrl,
        caCertPath,
      },
    );
    return { code, out: out.text(), err: err.text() };
  }

  it('plays a push-bombing burst for a person into the running stand-in', async () => {
    const result = await run([THEO, 'fatigue']);
    assert.equal(result.code, 0, result.err);
    assert.match(
      result.out,
      /push-bombing burst for Theo Okafor: 5 denied or unanswered prompts from 203\.0\.113\.77/,
    );
    const log = await call(sim, 'GET', '/_sim/signins', { token: null });
    assert.equal((log.json.value as unknown[]).length, 5);

    assert.equal((await run([THEO, 'fatigue', '--prompts', '3', '--then-success'])).code, 0);
    assert.equal((await run([THEO, 'fraud'])).code, 0);
    assert.match((await run([THEO, 'sms', '--count', '2', '--voice'])).out, /2 text-code sign-ins/);
    const after = await call(sim, 'GET', '/_sim/signins', { token: null });
    assert.equal((after.json.value as unknown[]).length, 5 + 4 + 1 + 2);
    assert.equal((after.json.riskDetections as unknown[]).length, 1);
  });

  it('explains what went wrong instead of playing', async () => {
    assert.equal((await run([])).code, 2);
    assert.equal((await run([THEO, 'dance'])).code, 2);
    assert.equal((await run([THEO, 'fatigue', '--prompts', '0'])).code, 2);
    const prod = await run([THEO, 'fatigue'], 'production');
    assert.equal(prod.code, 2);
    assert.match(prod.err, /only plays sign-ins into the local demo/);
    const nobody = await run(['nobody@riverbendfm.example', 'fatigue']);
    assert.equal(nobody.code, 1);
    assert.match(nobody.err, /Nobody called nobody@riverbendfm\.example/);
    await sim.close();
    const down = await run([THEO, 'fatigue']);
    assert.equal(down.code, 1);
    assert.match(down.err, /Start the demo first/);
  });
});
