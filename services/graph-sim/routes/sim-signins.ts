import { notFound, parseBody, sendJson } from '../http';
import type { Router } from '../router';
import { playScenario, SignInScenarioSchema } from '../signin-scenarios';

/**
 * Test and demo controls for the sign-in log: play a scenario for one person (a push-bombing
 * burst, a fraud report, text-code sign-ins, an approved push), list what is there, clear it.
 */

export function registerSimSignIns(router: Router): void {
  router.on('POST', '/_sim/signins', (ctx) => {
    const scenario = parseBody(ctx, SignInScenarioSchema);
    const user = ctx.state.user(scenario.user);
    if (!user) throw notFound(scenario.user);
    const played = playScenario(user, scenario, ctx.state.now());
    ctx.state.recordSignIns(played.signIns, played.riskDetections);
    sendJson(ctx, 201, { value: played.signIns, riskDetections: played.riskDetections });
  });

  router.on('GET', '/_sim/signins', (ctx) => {
    const log = ctx.state.signInLog;
    sendJson(ctx, 200, {
      value: log.signInsNewestFirst(),
      riskDetections: log.riskDetectionsNewestFirst(),
    });
  });

  router.on('DELETE', '/_sim/signins', (ctx) => {
    ctx.state.clearSignIns();
    sendJson(ctx, 200, { value: [], riskDetections: [] });
  });
}
