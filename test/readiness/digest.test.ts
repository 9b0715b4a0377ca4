import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { digestCard, readinessCard } from '../../cards/readiness';
import { cardProblems } from '../../cards/validate';
import { DAY } from '../../services/clock';
import { DigestService, DigestSubscriptions, weekOf } from '../../services/readiness/digest';
import { SqliteStore } from '../../services/storage/sqlite';
import { TicketStore } from '../../services/tickets/store';
import { call } from '../graph-sim/helpers';
import { withReadiness } from './harness';

/** The weekly digest: who asked for it, what changed since last week, and the cards it makes. */

describe('weekly readiness digest', () => {
  const h = withReadiness();
  let dir: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-digest-'));
    store = new SqliteStore(path.join(dir, 'mfa-bot.db'));
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const digests = () =>
    new DigestService({
      readiness: h().service({}, store),
      tickets: new TicketStore(store, h().clock),
      store,
      clock: h().clock,
    });
  const person = (n: number) => ({
    id: `00000000-0000-4000-8000-00000000000${n}`,
    name: `Admin ${n}`,
  });

  it('keeps each admin’s choice to get it', async () => {
    const subscriptions = new DigestSubscriptions(store, h().clock);
    await subscriptions.optIn(person(1));
    await subscriptions.optIn(person(2));
    assert.equal(await subscriptions.isOptedIn(person(1).id.toUpperCase()), true);
    assert.deepEqual((await subscriptions.list()).map((s) => s.name).sort(), [
      'Admin 1',
      'Admin 2',
    ]);
    assert.equal(await subscriptions.optOut(person(1).id), true);
    assert.equal(await subscriptions.optOut(person(1).id), false);
    assert.deepEqual(
      (await subscriptions.list()).map((s) => s.name),
      ['Admin 2'],
    );
  });

  it('says what changed since last week: more staff on the app, a check fixed, open requests', async () => {
    const first = await digests().assemble();
    assert.equal(first.weekOf, '2026-03-02');
    assert.equal(first.comparedWith, null);
    assert.deepEqual(first.readiness.changes, []);
    assert.equal(first.coverage.authenticatorChange, null);

    h().clock.advance(7 * DAY);
    for (const name of ['nora.nguyen', 'samuel.price']) {
      await call(h().sim, 'PATCH', `/_sim/users/${name}@riverbendfm.example`, {
        token: null,
        body: { methodsRegistered: ['microsoftAuthenticatorPush'] },
      });
    }
    await h().policies({ registrationCampaign: { state: 'enabled', excludeTargets: [] } });
    const tickets = new TicketStore(store, h().clock);
    const requester = { id: 'u-1', name: 'Nora Nguyen', upn: 'nora.nguyen@riverbendfm.example' };
    await tickets.create({ kind: 'lost-device', requester, details: {} });
    await tickets.create({
      kind: 'lost-device',
      requester: { ...requester, id: 'u-2' },
      details: {},
      privileged: true,
    });

    const second = await digests().assemble();
    assert.equal(second.weekOf, '2026-03-09');
    assert.equal(second.comparedWith, '2026-03-02');
    assert.equal(second.coverage.authenticatorChange, 2);
    assert.deepEqual(
      second.readiness.changes.map(({ id, from, to, better }) => ({ id, from, to, better })),
      [{ id: 'registration-campaign', from: 'fail', to: 'pass', better: true }],
    );
    assert.equal(second.readiness.headline, 'Ready to enforce');
    assert.deepEqual(second.tickets, { open: 2, privileged: 1 });

    // Assembled again the same week, it still compares with last week, not with itself.
    const again = await digests().assemble();
    assert.equal(again.comparedWith, '2026-03-02');
    assert.equal(again.readiness.changes.length, 1);
  });

  it('reports a check that got worse', async () => {
    await digests().assemble();
    h().clock.advance(7 * DAY);
    await h().policies({ methods: { TemporaryAccessPass: { state: 'disabled' } } });
    const digest = await digests().assemble();
    assert.deepEqual(
      digest.readiness.changes.map((c) => [c.id, c.from, c.to, c.better]),
      [['temporary-access-pass', 'attention', 'fail', false]],
    );
    assert.deepEqual(
      digest.readiness.blocking.map((c) => c.id),
      ['temporary-access-pass', 'registration-campaign'],
    );
  });

  it('starts weeks on Monday, UTC', () => {
    assert.equal(weekOf(new Date('2026-03-08T23:59:00Z')), '2026-03-02');
    assert.equal(weekOf(new Date('2026-03-09T00:00:00Z')), '2026-03-09');
  });

  it('renders the demo practice’s report and digest as valid cards small enough for Teams', async () => {
    const report = await h().service({}, store).run();
    const card = readinessCard(report);
    assert.deepEqual(cardProblems(card), []);
    const text = JSON.stringify(card);
    assert.ok(text.length < 28_000, `${text.length} characters`);
    assert.ok(
      text.includes('PATCH https://graph.microsoft.com/v1.0/policies/authenticationMethodsPolicy'),
    );
    assert.ok(text.includes('Not ready to enforce: 1 item blocks it'));
    // One request per admin with per-user MFA on: the card shows three and points to the CLI.
    const request = report.checks.find((c) => c.id === 'registration-campaign')!.fix!.requests[0]!;
    const fix = { steps: [], requests: Array<typeof request>(40).fill(request) };
    const many = {
      ...report,
      checks: report.checks.map((c) => (c.id === 'per-user-mfa' ? { ...c, fix } : c)),
    };
    const big = JSON.stringify(readinessCard(many));
    assert.ok(big.length < 28_000, `${big.length} characters`);
    assert.match(big, /And 37 more like these: run \\"mfa-bot readiness --fix per-user-mfa\\"/);
    const digest = digestCard(await digests().assemble());
    assert.deepEqual(cardProblems(digest), []);
    assert.ok(JSON.stringify(digest).includes('27 of 62 staff (44%)'));
  });
});
