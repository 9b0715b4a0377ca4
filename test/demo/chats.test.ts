import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoLayout, playgroundConversations } from '../../bot/demo-teams';
import { DEMO_PRACTICE_PATH } from '../../bot/config';
import { loadPractice } from '../../services/directory/practice';
import { DEMO_TEAMS_APP } from '../../services/graph-sim';
import { silentLogger } from '../../services/logger';
import { DemoTime } from '../../services/teams-sim/demo-time';
import { startTeamsSim, type TeamsSim } from '../../services/teams-sim';

const practice = loadPractice(DEMO_PRACTICE_PATH);
const IT = practice.groups.find((g) => g.displayName === 'IT Support')!.id;
const NORA = 'nora.nguyen@riverbendfm.example';
const PRIYA = 'priya.raman@riverbendfm.example';

/** A stand-in for the playground's connector: records what reaches the signed-in person. */
async function fakePlayground(): Promise<{ url: string; paths: string[]; close(): void }> {
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      paths.push(decodeURIComponent(req.url ?? ''));
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'played' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/_connector`, paths, close: () => server.close() };
}

describe('demo: one person per chat', () => {
  let sim: TeamsSim;
  let playground: Awaited<ReturnType<typeof fakePlayground>>;

  before(async () => {
    playground = await fakePlayground();
    // Priya is signed in to the playground now; Nora was before.
    const layout = demoLayout(practice, PRIYA, IT);
    sim = await startTeamsSim({
      port: 0,
      practice,
      time: DemoTime.open(),
      bot: { endpoint: 'http://127.0.0.1:9/api/messages', id: 'bot', name: 'MFA Helper' },
      appId: DEMO_TEAMS_APP.id,
      client: {
        connectorUrl: playground.url,
        userId: layout.me.id.toLowerCase(),
        conversations: playgroundConversations(layout),
      },
      accounts: { hasAuthenticator: () => true, addAuthenticator: () => undefined },
      nudge: { setUp: 'setup.start', later: 'nudge.snooze' },
      timeZone: 'America/Chicago',
      logger: silentLogger(),
    });
  });
  after(async () => {
    await sim?.close();
    playground?.close();
  });

  const post = (conversationId: string, text: string) =>
    fetch(`${sim.url}v3/conversations/${encodeURIComponent(conversationId)}/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text }),
    });

  it('gives each demo person a chat of their own', () => {
    const chats = practice.users
      .filter((u) => u.accountEnabled !== false && u.userType !== 'Guest')
      .map((u) => demoLayout(practice, u.userPrincipalName, IT).personalChatId);
    assert.equal(new Set(chats).size, chats.length);
  });

  it("keeps Nora's updates in Nora's chat after the playground switched to Priya", async () => {
    const noraChat = demoLayout(practice, NORA, IT).personalChatId;
    const priyaChat = demoLayout(practice, PRIYA, IT).personalChatId;

    const toNora = await post(noraChat, 'Priya Raman from IT is handling your request.');
    assert.equal(toNora.status, 201);
    assert.equal(playground.paths.length, 0, 'nothing of Nora’s reached the playground');
    const res = await fetch(`${sim.url}_sim/people/nora/messages`);
    const nora = (await res.json()) as { value: Array<{ text: string }> };
    assert.deepEqual(
      nora.value.map((m) => m.text),
      ['Priya Raman from IT is handling your request.'],
    );

    assert.equal((await post(priyaChat, 'Hi Priya!')).status, 201);
    assert.equal(playground.paths.length, 1);
    assert.ok(playground.paths[0]!.includes(priyaChat), "Priya's own chat is in the playground");
  });
});
