import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { DEMO_PRACTICE_PATH } from '../../bot/config';
import { loadPractice } from '../../services/directory/practice';
import { startGraphSim, type GraphSim } from '../../services/graph-sim';
import type { SendBudget } from '../../services/send-budget';
import { startHarness, type Harness } from '../helpers/harness';
import { openAzureStore, type OpenedStore } from '../helpers/stores';

const AUDIT_KEY = 'an-audit-key-shared-by-both-instances-0123';

/** Teams refuses most of a burst of sends: the whole app is being throttled. */
async function throttleAll(budget: SendBudget, retryAfterMs: number): Promise<void> {
  for (let i = 0; i < 6; i += 1) await budget.acquire(`conversation:user-${i}`, 'bulk');
  for (let i = 0; i < 6; i += 1) budget.throttled(`conversation:user-${i}`, retryAfterMs);
}

/** Two bot instances on one Azure store (Azurite), as App Service scale-out runs them. */
describe('the app-wide send pause, two bot instances on one Azure store', function () {
  this.timeout(120_000);
  const sandbox = sinon.createSandbox();
  let dir: string;
  let opened: OpenedStore;
  let sim: GraphSim;
  let instances: Harness[] = [];

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-pause-'));
    opened = await openAzureStore();
    const practice = loadPractice(DEMO_PRACTICE_PATH);
    sim = await startGraphSim({ port: 0, practice, dataDir: path.join(dir, 'graph-sim') });
    const env = { ...opened.env, AUDIT_KEY };
    instances = [
      await startHarness({ sim, env, store: opened.store }),
      await startHarness({ sim, env, store: opened.another() }),
    ];
  });

  afterEach(async () => {
    sandbox.restore();
    for (const h of instances) await h.close();
    instances = [];
    await sim?.close();
    await opened?.cleanUp();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("pauses the other instance's priority sends (IT cards, notices) until a pause one instance found is over", async () => {
    const [a, b] = instances.map((h) => h.app.parts);
    assert.ok(a!.sharedPause && b!.sharedPause, 'sharing is on with Azure storage');
    const publish = sandbox.spy(a!.sharedPause, 'publish');
    const retryAfterMs = 10_000;
    await throttleAll(a!.sendBudget, retryAfterMs);
    assert.equal(publish.callCount, 1, 'A shares the pause it found');
    await publish.returnValues[0];

    await b!.sharedPause.refresh(b!.sendBudget);
    assert.ok(
      b!.sendBudget.pausedUntil >= a!.sendBudget.pausedUntil,
      "B's next priority send waits until A's pause is over",
    );
    assert.ok(b!.sendBudget.currentRate <= a!.sendBudget.currentRate, 'and goes no faster');
  });
});

describe('the app-wide send pause on SQLite', () => {
  it('is not shared: one instance has nobody to tell', async () => {
    const h = await startHarness();
    try {
      assert.equal(h.app.parts.sharedPause, undefined);
      await throttleAll(h.app.parts.sendBudget, 2000);
      assert.equal(await h.app.parts.store.count('signals'), 0, 'nothing written');
    } finally {
      await h.close();
    }
  });
});
