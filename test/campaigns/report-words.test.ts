import assert from 'node:assert/strict';
import { campaignCardData, summarize } from '../../services/campaigns/report';
import {
  ROW_STATES,
  type Campaign,
  type OutboxRow,
  type RowState,
} from '../../services/campaigns/model';

const campaign: Campaign = {
  id: 'NUDGE-0001',
  draftId: 'd1',
  spec: { audience: 'no-authenticator', groups: ['Front Desk'], exclude: [], kind: 'friendly' },
  createdBy: { id: 'admin', name: 'Diane Whitaker' },
  createdAt: '2026-12-07T16:00:00.000Z',
  status: 'done',
  recipients: 8,
  round: 1,
  origin: {
    serviceUrl: 'https://smba.trafficmanager.net/amer/',
    tenantId: 't',
    bot: { id: 'b', name: 'MFA Helper' },
  },
};

function row(n: number, state: RowState, reason?: string): OutboxRow {
  return {
    campaignId: campaign.id,
    recipient: { id: `user-${n}`, upn: `user${n}@example.org`, name: `Person ${n}`, groups: [] },
    round: 1,
    state,
    reason,
    attempts: 6,
    totalAttempts: 6,
    dueAt: campaign.createdAt,
    history: [],
    clicks: { setup: 0, snooze: 0, help: 0 },
  } as OutboxRow;
}

function counts(rows: OutboxRow[]): Record<RowState, number> {
  const out = Object.fromEntries(ROW_STATES.map((s) => [s, 0])) as Record<RowState, number>;
  for (const r of rows) out[r.state] += 1;
  return out;
}

async function card(rows: OutboxRow[]) {
  return campaignCardData({
    campaign,
    counts: counts(rows),
    rate: 0,
    details: await summarize(rows),
    timeZone: 'UTC',
  });
}

describe('the admin campaign card when nudges fail', () => {
  it('never shows a campaign where nobody was reached in a success colour, and says so plainly', async () => {
    const rows = Array.from({ length: 8 }, (_, i) =>
      row(i, 'failed', 'gave up after 6 attempts (500 UserNotFound)'),
    );
    const data = await card(rows);
    assert.notEqual(data.statusColor, 'Good');
    assert.match(data.statusText, /none of the 8 could be reached/i);
    const words = [data.statusText, ...data.report, ...data.facts.map((f) => f.value)].join('\n');
    assert.doesNotMatch(words, /500|UserNotFound|attempts \(/);
    assert.ok(
      data.report.some((l) => /Teams could not find them \(8 people\)/.test(l)),
      data.report.join('\n'),
    );
  });

  it('marks a campaign with some failures as needing a look, and a clean one as done well', async () => {
    const some = await card([
      row(1, 'sent'),
      row(2, 'skipped'),
      row(3, 'blocked', 'MessageWritesBlocked'),
      row(4, 'failed', 'network: ECONNRESET'),
    ]);
    // Attention, not Warning: Warning text reads at about 2:1 on Teams' light theme.
    assert.equal(some.statusColor, 'Attention');
    assert.match(some.statusText, /1 sent, 1 already registered, 2 could not be reached/);
    assert.ok(some.report.some((l) => /turned off messages from the bot \(1 person\)/.test(l)));
    assert.ok(some.report.some((l) => /could not reach Teams \(1 person\)/i.test(l)));

    const clean = await card([row(1, 'sent'), row(2, 'skipped')]);
    // Said in words; no green text, which is as faint as Warning on white.
    assert.equal(clean.statusColor, 'Default');
    assert.match(clean.statusText, /^Finished: 1 sent, 1 already registered\.$/);
  });
});
