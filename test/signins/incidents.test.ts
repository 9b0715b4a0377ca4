import assert from 'node:assert/strict';
import { MINUTE } from '../../services/clock';
import type { Incident } from '../../services/signins/model';
import { TicketStore } from '../../services/tickets/store';
import { demoPractice, userByUpn } from '../graph-sim/helpers';
import { startRig, THEO, type Rig } from './rig';

const theo = userByUpn(demoPractice(), THEO);
const IVAN = { id: 'it-ivan', name: 'Ivan Ortiz' };
const PRIYA = { id: 'it-priya', name: 'Priya Raman' };

describe('sign-in incidents: what IT and the person can do', () => {
  let rig: Rig;
  let incident: Incident;

  beforeEach(async () => {
    rig = await startRig();
    await rig.play({ scenario: 'fatigue', user: THEO, prompts: 4 });
    incident = (await rig.monitor.poll()).opened[0]!;
  });
  afterEach(async () => {
    await rig.close();
  });

  it('"It wasn\'t me" makes the incident urgent and asks for one ticket, which is linked once opened', async () => {
    const answered = await rig.actions.answer(incident.id, theo.id, 'not-me');
    assert.equal(answered.kind, 'recorded');
    assert.ok(answered.kind === 'recorded' && answered.openTicket);
    assert.equal(answered.incident.urgent, true);

    // What the bot does next: an urgent ticket for the person, linked to the incident.
    const tickets = new TicketStore(rig.store, rig.clock);
    const ticket = await tickets.create({
      kind: 'help',
      requester: { id: theo.id, name: theo.displayName, upn: THEO },
      details: { reason: 'suspicious-sign-in', incident: incident.id },
      privileged: true,
    });
    const linked = await rig.actions.linkTicket(incident.id, ticket.id);
    assert.equal(linked?.ticketId, ticket.id);

    const again = await rig.actions.answer(incident.id, theo.id, 'not-me');
    assert.equal(again.kind, 'unchanged', 'a second click opens nothing more');
    const calmed = await rig.actions.answer(incident.id, theo.id, 'it-was-me');
    assert.equal(calmed.kind, 'unchanged', '"it was me" cannot undo "it wasn\'t me"');
    const audit = (await rig.audit.all()).filter((r) => r.action === 'signins.incident.answered');
    assert.deepEqual(
      audit.map((r) => [r.actor, r.details?.answer]),
      [[theo.id, 'not-me']],
    );
  });

  it('lets the person think again from "it was me" to "it wasn\'t me", and nobody else answer', async () => {
    assert.equal(
      (await rig.actions.answer(incident.id, 'someone-else', 'it-was-me')).kind,
      'not-yours',
    );
    const mine = await rig.actions.answer(incident.id, theo.id, 'it-was-me');
    assert.ok(mine.kind === 'recorded' && !mine.openTicket);
    assert.equal(mine.incident.urgent, false);
    assert.equal(mine.incident.status, 'open', 'IT still decides: a chat click proves nothing');
    const changed = await rig.actions.answer(incident.id, theo.id, 'not-me');
    assert.ok(changed.kind === 'recorded' && changed.openTicket);
  });

  it('claims an action before Graph is called, so a second click or a stale card has no effect', async () => {
    const claimed = await rig.actions.claim(incident.id, 'revoke-sessions', IVAN, incident.version);
    assert.equal(claimed.kind, 'ok');
    assert.equal(
      (await rig.actions.claim(incident.id, 'revoke-sessions', PRIYA, incident.version)).kind,
      'busy',
    );
    assert.equal(
      await rig.actions.finish(incident.id, 'revoke-sessions', PRIYA, { ok: true }),
      undefined,
      'only the one who claimed it records how it ended',
    );

    const done = await rig.actions.finish(incident.id, 'revoke-sessions', IVAN, {
      ok: true,
      graphRequestId: 'req-1',
    });
    assert.ok(done?.sessionsRevokedAt);
    assert.equal(done?.pending, undefined);
    assert.equal(
      (await rig.actions.claim(incident.id, 'revoke-sessions', PRIYA, incident.version)).kind,
      'stale',
    );

    const handled = await rig.actions.markHandled(incident.id, PRIYA, done!.version);
    assert.equal(handled.kind, 'ok');
    assert.equal((await rig.actions.markHandled(incident.id, IVAN, done!.version)).kind, 'stale');
    const latest = (await rig.incidents.get(incident.id))!.value;
    assert.equal(
      (await rig.actions.claim(incident.id, 'call-back', IVAN, latest.version)).kind,
      'handled',
    );
    assert.equal((await rig.actions.claim('ALERT-9999', 'call-back', IVAN, 1)).kind, 'not-found');

    const audit = (await rig.audit.all()).filter((r) => r.actor.startsWith('it-'));
    assert.deepEqual(
      audit.map((r) => [r.actor, r.action, r.outcome, r.graphRequestId ?? null]),
      [
        [IVAN.id, 'signins.incident.revokeSessions', 'success', 'req-1'],
        [PRIYA.id, 'signins.incident.handled', 'success', null],
      ],
    );
  });

  it('releases a claim left by a restart, with a note to check the account', async () => {
    await rig.actions.claim(incident.id, 'revoke-sessions', IVAN, incident.version);
    await rig.restart();
    assert.equal(await rig.actions.releaseInterrupted(), 1);
    const after = (await rig.incidents.get(incident.id))!.value;
    assert.equal(after.pending, undefined);
    assert.match(after.timeline[after.timeline.length - 1]!.text, /interrupted by a restart/);
  });

  it('lets a claim whose instance stopped run out after two minutes, then one other click take it, with a note', async () => {
    await rig.actions.claim(incident.id, 'revoke-sessions', IVAN, incident.version);
    rig.clock.advance(2 * MINUTE - 1000);
    assert.equal(
      (await rig.actions.claim(incident.id, 'revoke-sessions', PRIYA, incident.version)).kind,
      'busy',
      'still running as far as anyone can tell',
    );
    rig.clock.advance(1000);
    const clicks = await Promise.all(
      [PRIYA, IVAN, PRIYA].map((by) =>
        rig.actions.claim(incident.id, 'revoke-sessions', by, incident.version),
      ),
    );
    assert.deepEqual(clicks.map((c) => c.kind).sort(), ['busy', 'busy', 'ok']);
    const after = (await rig.incidents.get(incident.id))!.value;
    assert.match(
      after.timeline.at(-1)!.text,
      /Ivan Ortiz's action \(revoke-sessions\) did not finish/,
    );
  });

  it('opens a new incident when the prompts start again after IT handled the last one', async () => {
    await rig.actions.markHandled(incident.id, IVAN, incident.version);
    rig.clock.advance(3 * MINUTE);
    assert.equal(
      (await rig.monitor.poll()).opened.length,
      0,
      'the handled prompts are not counted again',
    );
    // Within the window of the handled burst: the attack resumed, and IT hears of it again.
    rig.clock.advance(2 * MINUTE);
    await rig.play({ scenario: 'fatigue', user: THEO, prompts: 3 });
    const result = await rig.monitor.poll();
    assert.equal(result.opened.length, 1);
    assert.notEqual(result.opened[0]!.id, incident.id);
  });
});
