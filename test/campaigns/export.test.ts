import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { runCampaignCommand } from '../../services/campaigns/cli';
import { CSV_COLUMNS, toCsv } from '../../services/campaigns/export';
import type { OutboxRow } from '../../services/campaigns/model';
import { byUpn, startCampaignHarness, testUser } from './harness';

function sink(): Writable & { text: string } {
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      out.text += chunk.toString();
      done();
    },
  }) as Writable & { text: string };
  out.text = '';
  return out;
}

describe('campaign export', () => {
  it('writes one CSV line per recipient with state, reason, attempts and last attempt', async () => {
    const h = await startCampaignHarness();
    try {
      const diane = testUser(byUpn(h.practice, 'diane.whitaker@riverbendfm.example'));
      const preview = await h.click(diane, 'admin.nudgePreview', {
        audience: 'no-mfa',
        groups: 'Front Desk',
        kind: 'friendly',
      });
      const draftId = (preview.body.value.actions as Array<{ data?: { draftId?: string } }>)[0]!
        .data!.draftId!;
      await h.click(diane, 'admin.nudgeConfirm', { draftId });
      await h.settled('NUDGE-0001');
      const file = path.join(h.dataDir, 'export.csv');
      const io = { stdout: sink(), stderr: sink() };
      assert.equal(
        await runCampaignCommand(['export', 'NUDGE-0001', '--out', file], h.dataDir, io),
        0,
      );
      const lines = fs.readFileSync(file, 'utf8').trim().split('\r\n');
      assert.equal(lines[0], CSV_COLUMNS.join(','));
      const rows = await h.app.parts.campaigns.store.rows('NUDGE-0001');
      assert.equal(lines.length - 1, rows.length);
      const kevin = lines.find((l) => l.includes('kevin.park@riverbendfm.example'))!.split(',');
      assert.deepEqual(
        [kevin[2], kevin[3], kevin[4], kevin[6]],
        ['Kevin Park', 'Front Desk', 'sent', '1'],
      );
      assert.match(kevin[7]!, /^\d{4}-\d{2}-\d{2}T/);
      assert.equal(
        await runCampaignCommand(['export', 'NUDGE-0042'], h.dataDir, {
          stdout: sink(),
          stderr: sink(),
        }),
        1,
      );
      assert.equal(
        await runCampaignCommand(['export', 'not-an-id'], h.dataDir, {
          stdout: sink(),
          stderr: sink(),
        }),
        2,
      );
    } finally {
      await h.close();
    }
  });

  it('quotes commas and keeps spreadsheet formulas from running', () => {
    const row = {
      recipient: {
        id: 'id-1',
        upn: 'a@b.example',
        name: '=HYPERLINK("x")',
        groups: ['Billing', 'Front Desk'],
      },
      state: 'failed',
      reason: 'gave up after 6 attempts (503, again)',
      totalAttempts: 6,
      round: 1,
      clicks: { setup: 0, snooze: 0, help: 0 },
    } as unknown as OutboxRow;
    const line = toCsv([row]).split('\r\n')[1]!;
    assert.ok(
      line.startsWith(
        `id-1,a@b.example,"'=HYPERLINK(""x"")",Billing; Front Desk,failed,"gave up after 6 attempts (503, again)",6,`,
      ),
    );
  });
});
