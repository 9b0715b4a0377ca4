import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runReadinessCommand, type ReadinessCommandDeps } from '../../services/readiness/cli';
import { CHECK_IDS } from '../../services/readiness/report';
import { call } from '../graph-sim/helpers';
import { testEnv } from '../helpers/harness';
import { withReadiness } from './harness';

/** `mfa-bot readiness`: a readable table, --json for scripts, --fix for IT; exit codes that mean something. */

async function run(args: string[], deps: ReadinessCommandDeps) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await runReadinessCommand(args, { stdout, stderr }, deps);
  return {
    code,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  };
}

describe('mfa-bot readiness', () => {
  const h = withReadiness();
  // The sign-in monitor is on, so every check the report knows is there.
  const monitorOn = {
    status: async () => ({
      state: 'on' as const,
      issue: null,
      reason: null,
      checkedAt: '2026-03-02T09:10:00.000Z',
      readThrough: '2026-03-02T09:10:00.000Z',
      since: '2026-03-02T09:00:00.000Z',
    }),
  };
  const deps = () => ({ readiness: h().service({}, undefined, monitorOn) });

  it('--json gives the whole report, a summary, and exit code 1 while something blocks', async () => {
    const { code, stdout } = await run(['--json'], deps());
    assert.equal(code, 1);
    const json = JSON.parse(stdout) as {
      version: number;
      checks: Array<{
        id: string;
        status: string;
        fixUrl: string;
        fix?: { requests: Array<{ url: string }> };
      }>;
      summary: { ready: boolean; headline: string; blocking: string[] };
    };
    assert.equal(json.version, 1);
    assert.deepEqual(json.checks.map((c) => c.id).sort(), [...CHECK_IDS].sort());
    assert.deepEqual(json.summary, {
      ready: false,
      headline: 'Not ready to enforce: 1 item blocks it',
      blocking: ['registration-campaign'],
    });
    const campaign = json.checks.find((c) => c.id === 'registration-campaign')!;
    assert.equal(
      campaign.fix!.requests[0]!.url,
      'https://graph.microsoft.com/v1.0/policies/authenticationMethodsPolicy',
    );
  });

  it('prints a table with the blocking items first, and exits 0 once ready', async () => {
    const table = await run([], deps());
    assert.match(
      table.stdout,
      /Not ready to enforce: 1 item blocks it\n {2}1\. Registration campaign on: Off:/,
    );
    assert.match(table.stdout, /Staff on Microsoft Authenticator: 27 of 62 \(44%\)/);
    assert.match(
      table.stdout,
      /\nneeds attention {2}Temporary Access Pass one-time, short +Passes are on, but a pass can be set to last up to 8 hours\./,
    );
    const ready = {
      readiness: {
        run: async () => ({
          version: 1 as const,
          generatedAt: '2026-03-02T09:12:00.000Z',
          checks: [],
          coverage: null,
        }),
      },
    };
    const done = await run([], ready);
    assert.equal(done.code, 0);
    assert.match(done.stdout, /^Rollout readiness, 2026-03-02 09:12 UTC\n\nReady to enforce\n/);
  });

  it('--fix shows the portal steps and the exact Graph request for one check', async () => {
    const { code, stdout } = await run(['--fix', 'temporary-access-pass'], deps());
    assert.equal(code, 1);
    assert.match(
      stdout,
      /In the Entra admin center:\n {2}1\. Authentication methods → Policies → Temporary Access Pass/,
    );
    assert.match(
      stdout,
      /needs Policy\.ReadWrite\.AuthenticationMethod\):\n {2}PATCH https:\/\/graph\.microsoft\.com\/v1\.0\/policies\/authenticationMethodsPolicy\/authenticationMethodConfigurations\/TemporaryAccessPass\n {2}\{/,
    );
    assert.match(stdout, /"maximumLifetimeInMinutes": 60/);
  });

  it('refuses unknown options and checks (exit 2), and says when it could not run (exit 3)', async () => {
    assert.equal((await run(['--jsn'], deps())).code, 2);
    const unknown = await run(['--fix', 'mfa'], deps());
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown check "mfa"/);
    const elsewhere = await run(['--fix', 'signin-monitor'], { readiness: h().service() });
    assert.equal(elsewhere.code, 2);
    assert.match(elsewhere.stderr, /not part of this report: type "readiness" in Teams/);
    const broken = await run(['--json'], {
      readiness: { run: async () => Promise.reject(new Error('database is locked')) },
    });
    assert.equal(broken.code, 3);
    assert.equal(broken.stdout, '');
    assert.match(broken.stderr, /could not run: database is locked/);
  });
});

describe('mfa-bot readiness from the command line', () => {
  const h = withReadiness();
  const CLI = path.resolve(__dirname, '../../bot/cli.js');
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-readiness-cli-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The real command, configured as the bot would be, against the Graph stand-in. */
  const cli = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const env = { PATH: process.env.PATH ?? '', ...testEnv(dir, h().sim) };
      execFile(process.execPath, [CLI, 'readiness', ...args], { env }, (err, stdout, stderr) =>
        resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
      );
    });

  it('prints the report as JSON and exits 1 while something blocks enforcement', async () => {
    const { code, stdout } = await cli(['--json']);
    assert.equal(code, 1);
    const report = JSON.parse(stdout) as { summary: { ready: boolean; blocking: string[] } };
    assert.equal(report.summary.ready, false);
    assert.ok(report.summary.blocking.includes('registration-campaign'));
  });

  it('exits 3 and says why when Microsoft 365 is not answering', async () => {
    await call(h().sim, 'POST', '/_sim/faults', {
      token: null,
      body: { status: 503, paths: '/policies' },
    });
    const { code, stdout, stderr } = await cli([]);
    assert.equal(code, 3);
    assert.equal(stdout, '');
    assert.match(stderr, /The readiness check could not run: /);
  });
});
