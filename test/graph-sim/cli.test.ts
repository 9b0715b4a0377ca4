import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../../services/logger';
import { runGraphSimCli, type GraphSim } from '../../services/graph-sim';
import { call } from './helpers';

describe('graph-sim command line', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-sim-cli-'));
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the demo practice until stopped and logs where', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const stop = new AbortController();
    let sim: GraphSim | undefined;
    const running = runGraphSimCli(['--port', '0'], {
      env: { DATA_DIR: dataDir },
      logger: createLogger('info', sink),
      signal: stop.signal,
      onReady: (s) => {
        sim = s;
      },
    });
    while (!sim) await new Promise((resolve) => setTimeout(resolve, 10));
    const health = await call(sim, 'GET', '/_sim/health', { token: null });
    assert.equal(health.json.status, 'ok');
    assert.ok(fs.existsSync(path.join(dataDir, 'graph-sim', 'cert.pem')));
    assert.ok(lines.some((l) => l.includes(sim!.baseUrl)));
    stop.abort();
    await running;
  });

  it('serves a generated directory', async () => {
    const stop = new AbortController();
    let sim: GraphSim | undefined;
    const running = runGraphSimCli(['--port', '0', '--users', '500', '--data-dir', dataDir], {
      env: {},
      logger: createLogger('silent'),
      signal: stop.signal,
      onReady: (s) => {
        sim = s;
      },
    });
    while (!sim) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(sim.state.userCount, 500);
    stop.abort();
    await running;
  });

  it('names a bad port variable', async () => {
    await assert.rejects(
      runGraphSimCli([], {
        env: { GRAPH_SIM_PORT: 'abc', DATA_DIR: dataDir },
        logger: createLogger('silent'),
      }),
      /GRAPH_SIM_PORT/,
    );
  });
});
