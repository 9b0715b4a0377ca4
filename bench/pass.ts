/**
 * Pass benchmark: how long an IT member waits for a Temporary Access Pass after Graph created it,
 * with a slow Graph and a slow Teams connector. The answer must not wait for what follows (the
 * shared card, the thread, the requester's chat and email): those run after it.
 * `npm run bench -- pass [--tickets N] [--slow-ms MS] [--json]`
 */
import { performance } from 'node:perf_hooks';
import { botAddedToTeam } from '../test/helpers/activities';
import { cardText, startHarness, userOf } from '../test/helpers/harness';

function option(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(args[index + 1]);
  return value !== undefined && Number.isInteger(value) && value >= 0 ? value : fallback;
}

const STAFF = [
  'olivia.brandt',
  'hannah.ivers',
  'lucia.ferreira',
  'yuki.tanaka',
  'victor.almeida',
  'owen.hughes',
  'ingrid.sorensen',
  'simone.laurent',
];

export async function run(args: string[]): Promise<Record<string, number>> {
  const tickets = Math.min(option(args, 'tickets', 5), STAFF.length);
  const slowMs = option(args, 'slow-ms', 800);
  const h = await startHarness({ env: { TAP_MAX_PER_HOUR: '100', GRAPH_TIMEOUT_MS: '20000' } });
  try {
    const user = (upn: string) =>
      userOf(h.practice.users.find((u) => u.userPrincipalName.startsWith(`${upn}@`))!);
    const priya = user('priya.raman');
    const theo = user('theo.okafor');
    await h.post(botAddedToTeam(priya, h.config.groups.it, h.options));
    const ids: string[] = [];
    for (const upn of STAFF.slice(0, tickets)) {
      const res = await h.click(user(upn), 'lostDevice.submit', {
        happened: 'stolen',
        when: 'today',
        hadWorkApps: 'yes',
        verifyBy: 'callback',
      });
      const id = /request (MFA-\d{4})/.exec(cardText(res.body.value))![1]!;
      const v = (await h.app.parts.tickets.get(id))!.value.version;
      await h.click(theo, 'tickets.verify', { ticketId: id, v, method: 'callback' });
      ids.push(id);
    }
    await h.settle();
    // From here on every Graph answer and every connector answer is slow.
    h.sim.faults.set({ rate: 1, latencyMs: slowMs });
    h.connector.delayMs = slowMs;
    const afterCreation: number[] = [];
    const totals: number[] = [];
    for (const id of ids) {
      const v = (await h.app.parts.tickets.get(id))!.value.version;
      const started = performance.now();
      const res = await h.click(priya, 'tickets.issuePass', { ticketId: id, v });
      const answeredAt = Date.now();
      totals.push(performance.now() - started);
      if (!/Only you can see this/.test(cardText(res.body.value)))
        throw new Error(`no pass for ${id}: ${cardText(res.body.value)}`);
      const created = h.sim.requests
        .all()
        .filter((r) => r.method === 'POST' && r.path.endsWith('/temporaryAccessPassMethods'))
        .at(-1)!;
      afterCreation.push(answeredAt - Date.parse(created.at));
    }
    await h.settle();
    h.sim.faults.set(null);
    h.connector.delayMs = 0;
    const max = (xs: number[]) => Math.round(Math.max(...xs));
    const median = (xs: number[]) =>
      Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);
    return {
      pass_tickets: tickets,
      pass_slow_ms: slowMs,
      pass_after_creation_median_ms: median(afterCreation),
      pass_after_creation_max_ms: max(afterCreation),
      pass_click_to_answer_median_ms: median(totals),
    };
  } finally {
    await h.close();
  }
}
