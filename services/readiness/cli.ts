import {
  CHECK_IDS,
  summarize,
  type CheckResult,
  type CheckStatus,
  type ReadinessReport,
} from './report';

/**
 * `mfa-bot readiness [--json] [--fix <check>]`: the rollout readiness check for scripts and IT.
 * Exit code 0 when ready to enforce, 1 when something blocks it, 2 for a usage (or, from
 * bot/cli.ts, configuration) error, 3 when the check could not run at all.
 */

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface ReadinessCommandDeps {
  readiness: { run(): Promise<ReadinessReport> };
}

const USAGE = `Usage:
  mfa-bot readiness [--json] [--fix <check>]
  Reads the tenant's MFA settings (never changes them) and checks them against the rollout plan.
  --json         the whole report as JSON, fixes included
  --fix <check>  the portal steps and the Graph requests for one check: ${CHECK_IDS.join(', ')}
  Exit code: 0 ready to enforce, 1 not ready, 2 usage or configuration error,
  3 the check could not run (Microsoft 365 not answering, say).`;

const LABEL: Record<CheckStatus, string> = {
  pass: 'pass',
  attention: 'needs attention',
  fail: 'FAIL',
  unknown: "can't see",
};

const pad = (s: string, n: number) => (s.length >= n ? `${s} ` : s.padEnd(n));

function table(report: ReadinessReport): string {
  const summary = summarize(report);
  const lines = [
    `Rollout readiness, ${report.generatedAt.replace('T', ' ').slice(0, 16)} UTC`,
    '',
    summary.headline,
  ];
  summary.blocking.forEach((c, i) =>
    lines.push(`  ${i + 1}. ${c.title}: ${c.reason}`, `     Fix: ${c.fixUrl}`),
  );
  if (report.coverage) {
    const { authenticator, total } = report.coverage;
    const share = total ? Math.round((authenticator / total) * 100) : 0;
    lines.push('', `Staff on Microsoft Authenticator: ${authenticator} of ${total} (${share}%)`);
  }
  const width = Math.max(...report.checks.map((c) => c.title.length)) + 2;
  lines.push('', `${pad('STATUS', 17)}${pad('CHECK', width)}WHY`);
  for (const c of report.checks)
    lines.push(`${pad(LABEL[c.status], 17)}${pad(c.title, width)}${c.reason}`);
  lines.push('', 'For the change to make: mfa-bot readiness --fix <check>  (checks: see --help)');
  return `${lines.join('\n')}\n`;
}

function fixText(check: CheckResult): string {
  const lines = [
    `${check.title}: ${LABEL[check.status]}`,
    check.reason,
    '',
    `Where: ${check.fixUrl}`,
  ];
  if (!check.fix) return `${[...lines, '', 'Nothing to change.'].join('\n')}\n`;
  lines.push(
    '',
    'In the Entra admin center:',
    ...check.fix.steps.map((s, i) => `  ${i + 1}. ${s}`),
  );
  for (const r of check.fix.requests) {
    lines.push(
      '',
      `Or with Microsoft Graph (${r.summary}; needs ${r.permission}):`,
      `  ${r.method} ${r.url}`,
    );
    lines.push(
      ...JSON.stringify(r.body, null, 2)
        .split('\n')
        .map((l) => `  ${l}`),
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function runReadinessCommand(
  args: string[],
  io: Io,
  deps: ReadinessCommandDeps,
): Promise<number> {
  let json = false;
  let fix: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--fix' && args[i + 1]) fix = args[++i];
    else {
      io.stderr.write(`${USAGE}\n`);
      return arg === '--help' || arg === '-h' ? 0 : 2;
    }
  }
  if (fix !== undefined && !(CHECK_IDS as readonly string[]).includes(fix)) {
    io.stderr.write(`Unknown check "${fix}".\n${USAGE}\n`);
    return 2;
  }
  let report: ReadinessReport;
  try {
    report = await deps.readiness.run();
  } catch (err) {
    io.stderr.write(`The readiness check could not run: ${(err as Error).message}\n`);
    return 3;
  }
  const summary = summarize(report);
  if (json) {
    io.stdout.write(
      `${JSON.stringify({ ...report, summary: { ready: summary.ready, headline: summary.headline, blocking: summary.blocking.map((c) => c.id) } }, null, 2)}\n`,
    );
  } else if (fix) {
    const check = report.checks.find((c) => c.id === fix);
    if (!check) {
      // The sign-in monitor's state lives in the running bot: this command does not see it.
      io.stderr.write(
        `The "${fix}" check is not part of this report: type "readiness" in Teams.\n`,
      );
      return 2;
    }
    io.stdout.write(fixText(check));
  } else {
    io.stdout.write(table(report));
  }
  return summary.ready ? 0 : 1;
}
