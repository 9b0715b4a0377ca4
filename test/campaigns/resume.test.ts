import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FINAL_STATES } from '../../services/campaigns/model';
import { startGraphSim } from '../../services/graph-sim';
import { SqliteStore } from '../../services/storage/sqlite';
import { RateLimitedConnector, userOfChat } from '../helpers/rate-limited-connector';
import { campaignPractice } from './fixtures';
import { FAST, startCampaignHarness, testUser } from './harness';
import { KillableStore } from './killable-store';

describe('campaign after a crash', function () {
  this.timeout(60_000);

  it('resumes where it stopped; only messages in flight at the crash may go twice', async () => {
    const N = 500;
    const { practice, recipients, admin } = campaignPractice(N, 31);
    const sim = await startGraphSim({ port: 0, practice, pageSize: 500 });
    const connector = await new RateLimitedConnector({
      globalPerSecond: 400,
      throttleRate: 0.03,
      seed: 3,
    }).start();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-bot-crash-'));
    const tuning = { ...FAST, maxRps: 300, leaseMs: 1000, concurrency: 24 };
    const store = new KillableStore(new SqliteStore(path.join(dataDir, 'mfa-bot.db')));
    const id = 'NUDGE-0001';
    try {
      const first = await startCampaignHarness({
        practice,
        sim,
        connector,
        dataDir,
        store,
        tuning,
      });
      await first.seedChats(recipients.filter((_, i) => i % 2 === 0).map((u) => u.id));
      const user = testUser(admin);
      const preview = await first.click(user, 'admin.nudgePreview', {
        audience: 'no-authenticator',
        kind: 'final',
      });
      const draftId = (preview.body.value.actions as Array<{ data?: { draftId?: string } }>)[0]!
        .data!.draftId!;
      await first.click(user, 'admin.nudgeConfirm', { draftId });
      await first.click(
        user,
        'admin.nudgeConfirm',
        { draftId, final: true },
        { replyToId: 'progress' },
      );

      const sent = () => connector.accepted.filter((a) => a.kind === 'send' && a.tag).length;
      for (let waited = 0; sent() < 120; waited += 20) {
        if (waited > 20_000) throw new Error('the campaign never got going');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await store.kill();
      await first.close({ sim: true, connector: true });
      const beforeRestart = sent();
      assert.ok(beforeRestart < N, 'the crash came mid-campaign');

      const second = await startCampaignHarness({ practice, sim, connector, dataDir, tuning });
      try {
        second.app.parts.campaigns.resume();
        await second.settled(id);
        const counts = await second.app.parts.campaigns.store.counts(id);
        assert.equal(
          FINAL_STATES.reduce((sum, s) => sum + counts[s], 0),
          N,
          'every row is final',
        );
        assert.equal(counts.sent, N);

        const nudges = connector.nudgeCounts();
        const reached = new Set([...nudges.keys()].map((k) => userOfChat(k.split('|')[0]!)));
        assert.equal(recipients.filter((u) => !reached.has(u.id)).length, 0, 'nobody was missed');
        const duplicates = [...nudges.values()].reduce((sum, n) => sum + n - 1, 0);
        assert.ok(
          duplicates <= tuning.concurrency,
          `${duplicates} sent twice: no more than were in flight at the crash`,
        );
        assert.ok(
          sent() - beforeRestart <= N - beforeRestart + tuning.concurrency,
          'the restart carried on, it did not start over',
        );
      } finally {
        await second.close();
      }
    } finally {
      await connector.stop();
      await sim.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
