import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { DEMO_PRACTICE_PATH } from '../../bot/config';
import { ManualClock } from '../../services/clock';
import { loadPractice, type PracticeUser } from '../../services/directory/practice';
import { startGraphSim, type GraphSim } from '../../services/graph-sim';
import type { Incident } from '../../services/signins/model';
import * as build from '../helpers/activities';
import { botAddedToTeam, IT_CHANNEL, type TestUser } from '../helpers/activities';
import { LocalConnector } from '../helpers/connector';
import { cardOf, cardText, startHarness, userOf, type Harness } from '../helpers/harness';
import { call } from '../graph-sim/helpers';

/**
 * The whole bot with its sign-in monitor, a Graph stand-in and a connector on one manual clock.
 * `restart()` builds a new bot on the same database, stand-in and connector, as a process
 * restart would. Polls run the job's own work; nothing waits for the timer.
 */

export const UPN = {
  theo: 'theo.okafor@riverbendfm.example',
  priya: 'priya.raman@riverbendfm.example',
  marcus: 'marcus.bell@riverbendfm.example',
  amara: 'amara.osei@riverbendfm.example',
  luis: 'luis.ortega@riverbendfm.example',
  grace: 'grace.lindqvist@riverbendfm.example',
} as const;

export interface SignInRig {
  h: Harness;
  clock: ManualClock;
  sim: GraphSim;
  connector: LocalConnector;
  person(upn: string): PracticeUser;
  user(upn: string): TestUser;
  play(body: Record<string, unknown>): Promise<void>;
  /** Changes the tenant (licence, permissions not granted) as an admin would. */
  tenant(body: Record<string, unknown>): Promise<void>;
  /** One poll and what follows it (posts, messages, follow-ups), as the scheduled job runs it. */
  poll(): Promise<void>;
  incident(id?: string): Promise<Incident>;
  /** Cards posted in the IT channel that start a thread (not replies, not updates). */
  channelPosts(): Array<Partial<Activity>>;
  /** Lines posted in the thread of the channel post with this activity id. */
  threadLines(rootId: string): string[];
  /** What the bot sent to a person's 1:1 chat. */
  toPerson(upn: string): Array<Partial<Activity>>;
  /** A click from the IT channel, in the thread of the given post. */
  clickInChannel(
    user: TestUser,
    verb: string,
    data: unknown,
    rootId: string,
  ): Promise<{ status: number; card: unknown }>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startSignInRig(env: Record<string, string> = {}): Promise<SignInRig> {
  const practice = loadPractice(DEMO_PRACTICE_PATH);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-bot-signins-'));
  const clock = new ManualClock(new Date());
  const sim = await startGraphSim({
    port: 0,
    practice,
    dataDir: path.join(dataDir, 'graph-sim'),
    clock,
  });
  const connector = await new LocalConnector().start();
  const person = (upn: string) => practice.users.find((u) => u.userPrincipalName === upn)!;
  const open = async () => {
    const h = await startHarness({
      clock,
      sim,
      connector,
      dataDir,
      env,
      // The stand-in answers as fast as asked: the monitor's share of Graph is not the point here.
      monitorReads: { requests: 100, perMs: 1000 },
    });
    await h.post(botAddedToTeam(userOf(person(UPN.priya)), h.config.groups.it, h.options));
    return h;
  };
  const rig: SignInRig = {
    h: await open(),
    clock,
    sim,
    connector,
    person,
    user: (upn) => userOf(person(upn)),
    async play(body) {
      const res = await call(sim, 'POST', '/_sim/signins', { token: null, body });
      if (res.status !== 201) throw new Error(`could not play: ${res.status} ${res.text}`);
    },
    async tenant(body) {
      const res = await call(sim, 'PATCH', '/_sim/tenant', { token: null, body });
      if (res.status !== 200) throw new Error(`could not change the tenant: ${res.text}`);
    },
    async poll() {
      await rig.h.app.parts.signins.watch.pollOnce();
      await rig.h.settle();
    },
    async incident(id = 'ALERT-0001') {
      const doc = await rig.h.app.parts.signins.incidents.get(id);
      if (!doc) throw new Error(`no ${id}`);
      return doc.value;
    },
    channelPosts: () =>
      connector.calls
        // Thread replies go to the thread's own conversation (`…;messageid=…`), not this one.
        .filter((c) => c.method === 'POST' && c.conversationId === IT_CHANNEL)
        .map((c) => c.body as Partial<Activity>),
    threadLines: (rootId) =>
      connector
        .activities(`${IT_CHANNEL};messageid=${rootId}`)
        .filter((a) => a._call.method === 'POST')
        .map((a) => a.text ?? ''),
    toPerson: (upn) => connector.activities(`a:personal-${person(upn).id}`),
    async clickInChannel(user, verb, data, rootId) {
      const activity = build.execute(user, verb, data, {
        ...rig.h.options,
        conversationId: `${IT_CHANNEL};messageid=${rootId}`,
        conversationType: 'channel',
      });
      const res = await rig.h.post(activity);
      return { status: res.status, card: (res.body as { value: unknown }).value };
    },
    async restart() {
      await rig.h.close();
      rig.h = await open();
    },
    async close() {
      await rig.h.close();
      await connector.stop();
      await sim.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return rig;
}

/** The alert's thread in the IT channel: the activity id of its post. */
export async function threadOf(rig: SignInRig, id = 'ALERT-0001'): Promise<string> {
  const thread = (await rig.incident(id)).it.thread;
  if (!thread) throw new Error(`${id} was not posted`);
  return thread.activityId;
}

/** Posts in the IT channel whose card names this text. */
export function postsNaming(rig: SignInRig, text: string): Array<Partial<Activity>> {
  return rig.channelPosts().filter((a) => cardText(cardOf(a)).includes(text));
}
