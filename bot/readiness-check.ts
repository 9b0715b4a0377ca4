import { systemClock } from '../services/clock';
import type { Logger } from '../services/logger';
import type { ReadinessSettings } from '../services/readiness/gather';
import { GraphPolicyReader } from '../services/readiness/policy-reader';
import type { ReadinessReport } from '../services/readiness/report';
import { ReadinessService } from '../services/readiness/service';
import type { AppConfig } from './config';
import { graphDirectory } from './graph';

/** What the readiness checks take from the bot's configuration. */
export function readinessSettings(config: AppConfig): ReadinessSettings {
  return {
    nudgeExcludeGroupId: config.groups.nudgeExclude,
    tapLifetimeMinutes: config.tapLifetimeMinutes,
  };
}

/**
 * The check `mfa-bot readiness` runs: the bot's own, against the tenant the configuration names.
 * It keeps no report (the running bot's "last check" and weekly summary stay its own).
 */
export function readinessCheck(
  config: AppConfig,
  logger: Logger,
): { run(): Promise<ReadinessReport>; close(): Promise<void> } {
  const graph = graphDirectory(config, logger.child({ component: 'directory' }));
  const service = new ReadinessService({
    policies: new GraphPolicyReader(graph.caller),
    directory: graph,
    settings: readinessSettings(config),
    clock: systemClock,
    logger: logger.child({ component: 'readiness' }),
  });
  return { run: () => service.run(), close: () => graph.close() };
}
