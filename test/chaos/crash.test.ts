import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_PRACTICE_PATH } from '../../bot/config';
import { loadPractice, type PracticeUser } from '../../services/directory/practice';
import { SqliteStore } from '../../services/storage/sqlite';
import { AuditLog } from '../../services/audit/log';
import { existingAuditKey } from '../../services/audit/key';
import { TicketStore } from '../../services/tickets/store';
import { CampaignStore } from '../../services/campaigns/store';
import { systemClock } from '../../services/clock';
import { silentLogger } from '../../services/logger';
import { assetPath } from '../../services/paths';
import { freePort } from '../helpers/ports';
import { postActivity } from '../helpers/harness';
import { LocalConnector } from '../helpers/connector';
import * as build from '../helpers/activities';

/** The real server process (`mfa-bot serve`), so it can be killed with SIGKILL. */
class BotProcess {
  child: ChildProcess | undefined;
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    readonly url: string,
  ) {}

  /** A demo-mode bot with its own data folder and free ports, started. */
  static async launch(dataDir: string, env: Record<string, string> = {}): Promise<BotProcess> {
    const port = await freePort();
    const bot = new BotProcess(
      {
        DATA_DIR: dataDir,
        PORT: String(port),
        GRAPH_SIM_PORT: String(await freePort()),
        LOG_LEVEL: 'warn',
        GRAPH_RETRY_BASE_MS: '20',
        USER_TURNS_PER_MINUTE: '10000',
        MicrosoftAppId: '',
        ...env,
      },
      `http://127.0.0.1:${port}`,
    );
    await bot.start();
    return bot;
  }

  async start(): Promise<void> {
    this.child = spawn(process.execPath, [assetPath('dist', 'bot', 'cli.js'), 'serve'], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (res.status === 200) return;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the bot did not start');
  }

  kill(): Promise<void> {
    const child = this.child!;
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}

describe('chaos: the server is killed (-9) in the middle of ticket actions', function () {
  this.timeout(300_000);
  const practice = loadPractice(DEMO_PRACTICE_PATH);
  const byUpn = (upn: string) => practice.users.find((u) => u.userPrincipalName === upn)!;
  const user = (u: PracticeUser) => ({ aadObjectId: u.id, name: u.displayName });
  let dataDir: string;
  let bot: BotProcess;
  let connector: LocalConnector;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-crash-'));
    connector = await new LocalConnector().start();
    bot = await BotProcess.launch(dataDir);
  });
  after(async () => {
    if (bot.child?.exitCode === null) await bot.kill();
    await connector.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const options = () => ({ serviceUrl: connector.url, tenantId: practice.tenantId });
  const post = (activity: unknown) => postActivity(bot.url, activity);
  const click = (u: PracticeUser, verb: string, data: unknown) =>
    post(build.execute(user(u), verb, data, options()));

  function openStore() {
    const store = new SqliteStore(path.join(dataDir, 'mfa-bot.db'));
    return {
      store,
      tickets: new TicketStore(store, systemClock),
      audit: new AuditLog(
        store,
        systemClock,
        silentLogger(),
        existingAuditKey(process.env, dataDir)!,
      ),
    };
  }

  it('loses no ticket, leaves none half-done, keeps the audit chain intact, and keeps working', async () => {
    const priya = byUpn('priya.raman@riverbendfm.example');
    const theo = byUpn('theo.okafor@riverbendfm.example');
    await post(
      build.botAddedToTeam(
        user(priya),
        practice.groups.find((g) => g.displayName === 'IT Support')!.id,
        options(),
      ),
    );
    const staff = practice.users
      .filter(
        (u) =>
          u.accountEnabled !== false &&
          u.userType !== 'Guest' &&
          !u.isAdmin &&
          u.memberOf.length > 0,
      )
      .filter(
        (u) =>
          ![priya.id, theo.id].includes(u.id) &&
          !u.memberOf.some(
            (g) => practice.groups.find((x) => x.id === g)?.displayName === 'Practice Admins',
          ),
      )
      .slice(0, 6);
    const ids: string[] = [];
    for (const s of staff) {
      const res = await click(s, 'lostDevice.submit', {
        happened: 'stolen',
        when: 'today',
        hadWorkApps: 'yes',
        verifyBy: 'in-person',
      });
      ids.push(/(MFA-\d{4})/.exec(JSON.stringify(res.body))![1]);
    }
    const version = async (id: string) => {
      const { store, tickets } = openStore();
      try {
        return (await tickets.get(id))!.value.version;
      } finally {
        await store.close();
      }
    };
    for (const [i, id] of ids.entries()) {
      const it = i % 2 ? theo : priya;
      await click(it, 'tickets.assign', { ticketId: id, v: await version(id) });
      await click(it, 'tickets.verify', {
        ticketId: id,
        v: await version(id),
        method: 'in-person',
      });
    }

    // Fire recovery actions on every ticket and kill the server while they run.
    const versions = await Promise.all(ids.map(version));
    const inFlight = ids.flatMap((id, i) => {
      const it = i % 2 ? theo : priya;
      return [
        click(it, 'tickets.issuePass', { ticketId: id, v: versions[i] }).catch(() => undefined),
        click(it, 'tickets.revokeSessions', { ticketId: id, v: versions[i] }).catch(
          () => undefined,
        ),
      ];
    });
    await new Promise((r) => setTimeout(r, 40));
    await bot.kill();
    await Promise.all(inFlight);

    await bot.start();
    // Released on start: wait for the sweep to finish.
    let tickets: Awaited<ReturnType<TicketStore['listOpen']>> = [];
    for (let i = 0; i < 50; i += 1) {
      const s = openStore();
      tickets = await s.tickets.listOpen();
      await s.store.close();
      if (tickets.every((t) => !t.pending)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(tickets.map((t) => t.id).sort(), [...ids].sort(), 'no ticket lost');
    assert.ok(
      tickets.every((t) => !t.pending),
      'no ticket left with an action half-done',
    );
    for (const t of tickets) {
      const interrupted = t.timeline.some((e) => /interrupted by a restart/.test(e.text));
      assert.ok(t.status === 'verified' || interrupted, `${t.id} is in a known state`);
    }
    const s = openStore();
    try {
      assert.equal((await s.audit.verify()).intact, true, 'audit chain intact');
    } finally {
      await s.store.close();
    }

    // And the bot still works on the same tickets.
    const res = await click(priya, 'tickets.resolve', {
      ticketId: ids[0],
      v: await version(ids[0]),
      reason: 'found',
    });
    assert.equal(res.status, 200);
    assert.match(JSON.stringify(res.body), /Phone found/);
  });
});

describe('chaos: the server is killed (-9) in the middle of a nudge campaign', function () {
  this.timeout(300_000);
  const practice = loadPractice(DEMO_PRACTICE_PATH);
  const user = (u: PracticeUser) => ({ aadObjectId: u.id, name: u.displayName });
  let dataDir: string;
  let bot: BotProcess;
  let connector: LocalConnector;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-crash-nudge-'));
    connector = await new LocalConnector().start();
    // Slow sending, so the kill lands in the middle of the campaign.
    bot = await BotProcess.launch(dataDir, { NUDGE_MAX_RPS: '4' });
  });
  after(async () => {
    if (bot.child?.exitCode === null) await bot.kill();
    await connector.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function click(u: PracticeUser, verb: string, data: unknown): Promise<string> {
    const activity = build.execute(user(u), verb, data, {
      serviceUrl: connector.url,
      tenantId: practice.tenantId,
    });
    const res = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    return res.text();
  }

  async function campaignState(id: string) {
    const store = new SqliteStore(path.join(dataDir, 'mfa-bot.db'));
    try {
      const campaigns = new CampaignStore(store, systemClock);
      return { campaign: await campaigns.campaign(id), rows: await campaigns.rows(id) };
    } finally {
      await store.close();
    }
  }

  it('resumes after a restart: everyone gets the nudge, nobody twice beyond what was in flight', async () => {
    const diane = practice.users.find(
      (u) => u.userPrincipalName === 'diane.whitaker@riverbendfm.example',
    )!;
    const preview = JSON.parse(
      await click(diane, 'admin.nudgePreview', {
        audience: 'no-authenticator',
        groups: '',
        kind: 'friendly',
      }),
    ) as {
      value: { actions?: Array<{ verb?: string; data?: { draftId?: string } }> } & Record<
        string,
        unknown
      >;
    };
    let draftId = preview.value.actions?.find((a) => a.verb === 'admin.nudgeConfirm')?.data
      ?.draftId;
    let confirmed = JSON.parse(await click(diane, 'admin.nudgeConfirm', { draftId })) as {
      value: Record<string, unknown> & {
        actions?: Array<{ verb?: string; data?: { draftId?: string } }>;
      };
    };
    // A large audience asks for a second confirmation.
    const second = confirmed.value.actions?.find((a) => a.verb === 'admin.nudgeConfirm')?.data
      ?.draftId;
    if (second) {
      draftId = second;
      confirmed = JSON.parse(
        await click(diane, 'admin.nudgeConfirm', {
          draftId,
          confirmAgain: 'yes',
          ...(confirmed.value.actions?.find((a) => a.verb === 'admin.nudgeConfirm')?.data ?? {}),
        }),
      );
    }
    const id = /(NUDGE-\d{4})/.exec(JSON.stringify(confirmed))?.[1];
    assert.ok(id, `a campaign started: ${JSON.stringify(confirmed).slice(0, 400)}`);
    const sentTo = () =>
      connector.calls.filter(
        (c) =>
          c.method === 'POST' &&
          c.path.includes('/activities') &&
          JSON.stringify(c.body).includes(id),
      );
    await connector
      .waitFor(() => sentTo().length >= 3, 20_000, 'the first nudges')
      .catch((e: Error) => {
        throw new Error(
          `${e.message}: ${connector.calls
            .slice(0, 6)
            .map((c) => `${c.method} ${c.path} ${JSON.stringify(c.body).slice(0, 300)}`)
            .join('\n')}`,
        );
      });
    await bot.kill();
    const beforeKill = sentTo().length;

    await bot.start();
    const deadline = Date.now() + 120_000;
    let state = await campaignState(id);
    while (
      Date.now() < deadline &&
      (state.campaign?.status === 'running' ||
        state.rows.some((r) => r.state === 'queued' || r.state === 'sending'))
    ) {
      await new Promise((r) => setTimeout(r, 500));
      state = await campaignState(id);
    }
    assert.ok(state.rows.length > beforeKill, 'the kill landed before the campaign finished');
    const states = state.rows.map((r) => r.state).join(',');
    assert.ok(
      state.rows.every((r) => r.state !== 'queued' && r.state !== 'sending'),
      `every row reached a final state: ${state.campaign?.status} ${states}`,
    );
    // A resent in-flight nudge opens a second new chat, so count messages against sent rows.
    const sentRows = state.rows.filter((r) => r.state === 'sent').length;
    assert.ok(
      sentRows >= state.rows.length - 2,
      `nearly everyone was reached (${sentRows}/${state.rows.length}: ${states})`,
    );
    const duplicates = sentTo().length - sentRows;
    assert.ok(duplicates >= 0, 'every sent row has its message');
    assert.ok(duplicates <= 4, `at most the in-flight messages were sent twice (${duplicates})`);
  });
});
