import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { DEMO_PRACTICE_PATH } from '../../bot/config';
import { ManualClock, MINUTE, type Clock } from '../../services/clock';
import { loadPractice, type PracticeUser } from '../../services/directory/practice';
import { startGraphSim, type GraphSim } from '../../services/graph-sim';
import { botAddedToTeam, type TestUser } from '../helpers/activities';
import { cardText, startHarness, userOf, type Harness } from '../helpers/harness';
import { openAzureStore, type OpenedStore } from '../helpers/stores';

const INTAKE = { happened: 'stolen', when: 'today', hadWorkApps: 'yes', verifyBy: 'callback' };
const AUDIT_KEY = 'an-audit-key-shared-by-both-instances-0123';

/**
 * Two bot instances, as App Service scale-out runs them: one Azure store (on Azurite), one Graph,
 * and IT's clicks landing on either instance. Each recovery effect happens once.
 */
describe('two bot instances over one Azure store', function () {
  this.timeout(120_000);
  const practice = loadPractice(DEMO_PRACTICE_PATH);
  let dir: string;
  let opened: OpenedStore;
  let sim: GraphSim;
  let instances: Harness[] = [];

  const person = (upn: string): PracticeUser =>
    practice.users.find((u) => u.userPrincipalName.startsWith(`${upn}@`))!;
  const priya = () => userOf(person('priya.raman'));
  const theo = () => userOf(person('theo.okafor'));
  const passesCreated = () =>
    sim.requests
      .all()
      .filter((r) => r.method === 'POST' && r.path.includes('temporaryAccessPassMethods')).length;

  async function start(env: Record<string, string> = {}, clock?: Clock) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-two-'));
    opened = await openAzureStore();
    sim = await startGraphSim({ port: 0, practice, dataDir: path.join(dir, 'graph-sim') });
    // Configured for Azure storage, as each instance is under scale-out.
    const shared = { sim, ...(clock ? { clock } : {}), env: { ...opened.env, AUDIT_KEY, ...env } };
    instances = [
      await startHarness({ ...shared, store: opened.store }),
      await startHarness({ ...shared, store: opened.another() }),
    ];
    const [a] = instances;
    assert.equal(
      (await a!.post(botAddedToTeam(priya(), a!.config.groups.it, a!.options))).status,
      200,
    );
  }

  afterEach(async () => {
    sinon.restore();
    // Follow-ups post through the first instance's connector: let them finish before it stops.
    for (const h of instances) await h.settle();
    for (const h of instances) await h.close();
    instances = [];
    await sim?.close();
    await opened?.cleanUp();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function report(h: Harness, u: TestUser): Promise<string> {
    const res = await h.click(u, 'lostDevice.submit', INTAKE);
    const match = /request (MFA-\d{4})/.exec(cardText(res.body.value));
    assert.ok(match, cardText(res.body.value));
    return match[1]!;
  }

  const version = async (id: string) =>
    (await instances[0]!.app.parts.tickets.get(id))!.value.version;

  async function verified(h: Harness, upn: string): Promise<string> {
    const id = await report(h, userOf(person(upn)));
    await h.click(theo(), 'tickets.verify', {
      ticketId: id,
      v: await version(id),
      method: 'callback',
    });
    return id;
  }

  /** Starts an instance and waits until its start-up sweep is over: its scheduler starts after. */
  async function startUp(h: Harness): Promise<void> {
    const { scheduler } = h.app.parts;
    const startScheduler = scheduler.start.bind(scheduler);
    const started = new Promise<void>((resolve) =>
      sinon.stub(scheduler, 'start').callsFake(() => {
        startScheduler();
        resolve();
      }),
    );
    h.app.start();
    await started;
  }

  it('gives exactly one pass when twenty clicks arrive at once, split across both instances', async () => {
    await start();
    const id = await verified(instances[1]!, 'olivia.brandt');
    const v = await version(id);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        instances[i % 2]!.click(priya(), 'tickets.issuePass', { ticketId: id, v }),
      ),
    );
    assert.ok(answers.every((r) => r.status === 200));
    assert.equal(
      answers.filter((r) => /Only you can see this/.test(cardText(r.body.value))).length,
      1,
    );
    assert.equal(passesCreated(), 1);
  });

  it('leaves an action another instance is doing alone when an instance starts, and lets it be done once its claim runs out', async () => {
    const clock = new ManualClock(new Date());
    await start({}, clock);
    const [a, b] = instances as [Harness, Harness];
    const id = await verified(a, 'olivia.brandt');
    // Instance A is issuing Priya's pass: the ticket is claimed, Graph has not answered yet.
    const doc = (await a.app.parts.tickets.get(id))!;
    const by = { id: priya().aadObjectId, name: priya().name };
    await a.app.parts.tickets.update(
      {
        ...doc.value,
        pending: { action: 'createTemporaryAccessPass', by, at: clock.now().toISOString() },
      },
      doc.etag,
      by,
    );

    await startUp(b);
    const secondClick = await b.click(theo(), 'tickets.issuePass', {
      ticketId: id,
      v: await version(id),
    });
    assert.match(
      cardText(secondClick.body.value),
      /Priya Raman is doing something on this ticket right now\. Nothing was changed\./,
    );
    const ticket = (await b.app.parts.tickets.get(id))!.value;
    assert.equal(ticket.pending?.by.name, 'Priya Raman', 'the claim is still held');
    assert.ok(
      ticket.timeline.every((e) => !/interrupted/.test(e.text)),
      'nobody is told to check an action that is still running',
    );
    assert.equal(passesCreated(), 0);

    // A never finished (it went away): after the claim's two minutes, the pass can be issued, once.
    clock.advance(2 * MINUTE + 1000);
    const v = await version(id);
    const answers = await Promise.all(
      [b, a, b, a].map((h) => h.click(priya(), 'tickets.issuePass', { ticketId: id, v })),
    );
    assert.equal(
      answers.filter((r) => /Only you can see this/.test(cardText(r.body.value))).length,
      1,
    );
    assert.equal(passesCreated(), 1);
  });

  it("holds the hourly pass limit when one IT member's passes land on both instances", async () => {
    await start({ TAP_MAX_PER_HOUR: '5' });
    const staff = [
      'olivia.brandt',
      'hannah.ivers',
      'lucia.ferreira',
      'yuki.tanaka',
      'victor.almeida',
      'owen.hughes',
      'ingrid.sorensen',
      'simone.laurent',
    ];
    const ids: string[] = [];
    for (const [i, upn] of staff.entries()) ids.push(await verified(instances[i % 2]!, upn));
    const versions = await Promise.all(ids.map(version));
    const answers = await Promise.all(
      ids.map((id, i) =>
        instances[i % 2]!.click(priya(), 'tickets.issuePass', { ticketId: id, v: versions[i] }),
      ),
    );
    assert.equal(
      answers.filter((a) => /Only you can see this/.test(cardText(a.body.value))).length,
      5,
    );
    assert.equal(passesCreated(), 5);
    assert.equal(
      answers.filter((a) => /issued 5 passes in the last hour/.test(cardText(a.body.value))).length,
      3,
    );
    assert.equal(
      (await instances[1]!.app.parts.audit.verify()).intact,
      true,
      'one audit chain from both instances',
    );
  });
});
