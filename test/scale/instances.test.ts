import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_PRACTICE_PATH } from '../../bot/config';
import { systemClock } from '../../services/clock';
import { loadPractice, type PracticeUser } from '../../services/directory/practice';
import { startGraphSim, type GraphSim } from '../../services/graph-sim';
import { silentLogger } from '../../services/logger';
import { Scheduler } from '../../services/scheduler';
import { AzureStore } from '../../services/storage/azure/store';
import { TicketStore } from '../../services/tickets/store';
import * as build from '../helpers/activities';
import { startAzurite, type RunningAzurite } from '../helpers/azurite';
import { BotProcess } from '../helpers/bot-process';
import { LocalConnector } from '../helpers/connector';
import { postActivity } from '../helpers/harness';

const AUDIT_KEY = 'an-audit-key-shared-by-every-instance-0123';
const PREFIX = 'scale';

/**
 * Several instances for real: two `mfa-bot serve` processes on one Azure storage account
 * (Azurite, started here on loopback), one Graph stand-in and one Teams connector, as App Service
 * scale-out runs them behind its load balancer.
 */
describe('scale: two bot processes on one Azure storage account', function () {
  this.timeout(300_000);
  const practice = loadPractice(DEMO_PRACTICE_PATH);
  const person = (upn: string): PracticeUser =>
    practice.users.find((u) => u.userPrincipalName.startsWith(`${upn}@`))!;
  const user = (u: PracticeUser) => ({ aadObjectId: u.id, name: u.displayName });
  let dir: string;
  let azurite: RunningAzurite;
  let sim: GraphSim;
  let connector: LocalConnector;
  let bots: BotProcess[] = [];
  let store: AzureStore;
  let tickets: TicketStore;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-scale-'));
    azurite = await startAzurite();
    sim = await startGraphSim({ port: 0, practice, dataDir: path.join(dir, 'graph-sim') });
    const caPath = path.join(dir, 'graph-ca.pem');
    fs.writeFileSync(caPath, sim.caPem);
    connector = await new LocalConnector().start();
    const env = (name: string) => ({
      STORAGE: 'azure',
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      AZURE_STORAGE_PREFIX: PREFIX,
      AUDIT_KEY,
      DATA_DIR: path.join(dir, name),
      GRAPH_BASE_URL: sim.baseUrl,
      GRAPH_CA_CERT_PATH: caPath,
    });
    // Started together, as scale-out does: both migrate the same account at once.
    bots = await Promise.all([BotProcess.launch(env('a')), BotProcess.launch(env('b'))]);
    store = new AzureStore({
      connection: { connectionString: azurite.connectionString },
      prefix: PREFIX,
    });
    tickets = new TicketStore(store, systemClock);
    const itGroup = practice.groups.find((g) => g.displayName === 'IT Support')!.id;
    const added = await postActivity(
      bots[0]!.url,
      build.botAddedToTeam(user(person('priya.raman')), itGroup, options()),
    );
    assert.equal(added.status, 200);
  });

  after(async () => {
    for (const bot of bots) await bot.kill();
    await connector?.stop();
    await sim?.close();
    await azurite?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const options = () => ({ serviceUrl: connector.url, tenantId: practice.tenantId });
  const click = (bot: BotProcess, u: PracticeUser, verb: string, data: unknown) =>
    postActivity(bot.url, build.execute(user(u), verb, data, options()));
  const version = async (id: string) => (await tickets.get(id))!.value.version;

  async function verifiedTicket(upn: string): Promise<string> {
    const res = await click(bots[0]!, person(upn), 'lostDevice.submit', {
      happened: 'stolen',
      when: 'today',
      hadWorkApps: 'yes',
      verifyBy: 'callback',
    });
    const id = /(MFA-\d{4})/.exec(JSON.stringify(res.body))?.[1];
    assert.ok(id, JSON.stringify(res.body).slice(0, 300));
    await click(bots[1]!, person('theo.okafor'), 'tickets.verify', {
      ticketId: id,
      v: await version(id),
      method: 'callback',
    });
    assert.equal((await tickets.get(id))!.value.status, 'verified');
    return id;
  }

  it('gives one pass when twenty clicks arrive at once, split across both instances', async () => {
    const id = await verifiedTicket('olivia.brandt');
    const v = await version(id);
    const priya = person('priya.raman');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        click(bots[i % 2]!, priya, 'tickets.issuePass', { ticketId: id, v }),
      ),
    );
    assert.ok(answers.every((a) => a.status === 200));
    assert.equal(
      answers.filter((a) => /Only you can see this/.test(JSON.stringify(a.body))).length,
      1,
    );
    const created = sim.requests
      .all()
      .filter((r) => r.method === 'POST' && r.path.includes('temporaryAccessPassMethods'));
    assert.equal(created.length, 1);
  });

  it('runs each scheduled job once, whichever instance claims it', async () => {
    const id = await verifiedTicket('hannah.ivers');
    for (let i = 0; i < 50 && !(await tickets.get(id))?.value.thread; i += 1)
      await new Promise((r) => setTimeout(r, 100));
    assert.ok((await tickets.get(id))?.value.thread, 'the ticket was posted to the IT channel');
    // Jobs stored here, run by the two processes' scheduler loops, which race for each.
    const scheduler = new Scheduler(store, systemClock, silentLogger());
    const texts = Array.from({ length: 40 }, (_, i) => `scale check ${i}`);
    await Promise.all(
      texts.map((text) =>
        scheduler.schedule('ticket.announce', new Date(), { ticketId: id, text }),
      ),
    );
    const sent = (text: string) => connector.activities().filter((a) => a.text === text).length;
    await connector.waitFor(() => texts.every((t) => sent(t) >= 1), 60_000, 'every announcement');
    for (let i = 0; i < 50 && (await scheduler.pending('ticket.announce')).length > 0; i += 1)
      await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await scheduler.pending('ticket.announce'), []);
    assert.deepEqual(await scheduler.failed(), []);
    assert.deepEqual(
      texts.filter((t) => sent(t) !== 1),
      [],
      'each announcement was sent exactly once',
    );
  });
});
