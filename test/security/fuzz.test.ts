import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startHarness, type Harness } from '../helpers/harness';
import { BOT } from '../helpers/activities';

/** Everything stored except what every turn may legitimately write (audit, conversation refs). */
function snapshot(h: Harness): string {
  const db = (
    h.app.parts.store as unknown as { database: { prepare(sql: string): { all(): unknown[] } } }
  ).database;
  return JSON.stringify(
    db
      .prepare(
        "SELECT collection, key, etag FROM docs WHERE collection NOT IN ('audit', 'audit-head', 'conversation-refs') ORDER BY collection, key",
      )
      .all(),
  );
}

describe('fuzzing /api/messages', function () {
  this.timeout(120_000);
  let h: Harness;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  before(async () => {
    h = await startHarness();
    process.on('unhandledRejection', onUnhandled);
  });
  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await h.close();
  });

  const people = () =>
    fc.constantFrom(...h.practice.users.slice(0, 10).map((u) => u.id), 'not-a-guid', '');
  const verbs = () =>
    fc.oneof(fc.constantFrom(...h.app.actions.verbs()), fc.string({ maxLength: 40 }));

  function activity() {
    return fc.record(
      {
        type: fc.oneof(
          fc.constantFrom(
            'message',
            'invoke',
            'conversationUpdate',
            'installationUpdate',
            'event',
            'messageReaction',
          ),
          fc.string({ maxLength: 20 }),
        ),
        id: fc.string({ maxLength: 40 }),
        channelId: fc.constantFrom('msteams', 'webchat', ''),
        serviceUrl: fc.constant(h.connector.url),
        text: fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.string({ unit: 'binary', maxLength: 100 }),
          fc.constant(undefined),
        ),
        name: fc.oneof(
          fc.constantFrom('adaptiveCard/action', 'task/fetch', 'signin/verifyState'),
          fc.string({ maxLength: 30 }),
        ),
        value: fc.oneof(
          fc.jsonValue(),
          fc.record({
            action: fc.record(
              { type: fc.constant('Action.Execute'), verb: verbs(), data: fc.jsonValue() },
              { requiredKeys: [] },
            ),
          }),
        ),
        from: fc.record(
          {
            id: fc.string({ maxLength: 30 }),
            name: fc.string({ maxLength: 30 }),
            aadObjectId: people(),
          },
          { requiredKeys: [] },
        ),
        recipient: fc.constant({ id: BOT.id, name: BOT.name }),
        conversation: fc.record(
          {
            id: fc.string({ minLength: 1, maxLength: 40 }),
            conversationType: fc.constantFrom('personal', 'channel', 'groupChat', 'weird'),
            tenantId: fc.constant(h.practice.tenantId),
          },
          { requiredKeys: ['id'] },
        ),
        channelData: fc.oneof(fc.jsonValue(), fc.constant({ tenant: { id: h.practice.tenantId } })),
        membersAdded: fc.array(
          fc.record({ id: fc.oneof(fc.constant(BOT.id), fc.string({ maxLength: 20 })) }),
          { maxLength: 3 },
        ),
        entities: fc.array(fc.jsonValue(), { maxLength: 2 }),
      },
      { requiredKeys: ['type'] },
    );
  }

  it('never answers 5xx to random activities, and nothing is left unhandled', async () => {
    await fc.assert(
      fc.asyncProperty(activity(), async (a) => {
        const res = await h.post(a);
        assert.ok(res.status < 500, `status ${res.status} for ${JSON.stringify(a).slice(0, 300)}`);
      }),
      { numRuns: 150, seed: 4242 },
    );
    assert.deepEqual(unhandled, []);
  });

  it('never answers 5xx to bodies that are not activities', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.string({ maxLength: 200 }),
        ),
        async (body) => {
          const res = await h.post(body);
          assert.ok(res.status < 500, `status ${res.status} for ${body.slice(0, 200)}`);
        },
      ),
      { numRuns: 200, seed: 99 },
    );
  });

  it('changes no stored state when a card payload fails its schema', async () => {
    const user = h.practice.users.find(
      (u) => u.userPrincipalName === 'priya.raman@riverbendfm.example',
    )!;
    const verbsWithSchemas = [...h.app.actions.verbs()];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...verbsWithSchemas), fc.jsonValue(), async (verb, data) => {
        const def = h.app.actions.definition(verb)!;
        fc.pre(!def.schema.safeParse(data ?? {}).success);
        const before = snapshot(h);
        const res = await h.click({ aadObjectId: user.id, name: user.displayName }, verb, data);
        assert.equal(res.status, 200);
        assert.equal(
          snapshot(h),
          before,
          `${verb} changed state with ${JSON.stringify(data).slice(0, 200)}`,
        );
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
