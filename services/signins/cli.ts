import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { Agent, fetch } from 'undici';
import { z } from 'zod';
import { graphRoot } from '../directory/graph-transport';

/**
 * `mfa-bot demo signins <upn> <fatigue|fraud|sms|success> [options]`: plays a sign-in story into
 * the running demo's Graph stand-in (through its /_sim/ controls), for the monitor to find at its
 * next poll. Demo only: a real tenant's sign-in log cannot be written to.
 */

interface Io {
  stdout: Pick<NodeJS.WritableStream, 'write'>;
  stderr: Pick<NodeJS.WritableStream, 'write'>;
}

export interface DemoSignInsDeps {
  mode: 'demo' | 'production';
  /** The stand-in's address (the demo's Graph base URL). */
  graphBaseUrl: string;
  /** The stand-in's certificate, the only one this command trusts. */
  caCertPath?: string;
}

const USAGE = `Usage:
  mfa-bot demo signins <upn> fatigue [--prompts N] [--then-success]
      A push-bombing burst: N denied or unanswered prompts (default 5), 30 seconds apart;
      with --then-success the attacker gets in right after.
  mfa-bot demo signins <upn> fraud
      One prompt the person reports as fraud in Authenticator.
  mfa-bot demo signins <upn> sms [--count N] [--voice]
      Sign-ins with a text (or voice) code, an hour apart.
  mfa-bot demo signins <upn> success
      An ordinary approved push sign-in.`;

const PlayedSchema = z.object({
  value: z.array(
    z.object({
      createdDateTime: z.string(),
      userDisplayName: z.string().nullable(),
      ipAddress: z.string(),
      status: z.object({ errorCode: z.number() }),
      location: z.object({
        city: z.string().nullable(),
        state: z.string().nullable(),
        countryOrRegion: z.string().nullable(),
      }),
    }),
  ),
  riskDetections: z.array(z.unknown()),
});

const count = (name: string, text: string | undefined, fallback: number): number => {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new RangeError(`${name} must be a whole number from 1 to 100`);
  return n;
};

function scenarioBody(upn: string, scenario: string, rest: string[]): Record<string, unknown> {
  const { values } = parseArgs({
    args: rest,
    options: {
      prompts: { type: 'string' },
      'then-success': { type: 'boolean' },
      count: { type: 'string' },
      voice: { type: 'boolean' },
    },
    strict: true,
  });
  switch (scenario) {
    case 'fatigue':
      return {
        scenario,
        user: upn,
        prompts: count('--prompts', values.prompts, 5),
        thenSuccess: values['then-success'] ?? false,
      };
    case 'fraud':
    case 'success':
      return { scenario, user: upn };
    case 'sms':
      return {
        scenario,
        user: upn,
        count: count('--count', values.count, 1),
        method: values.voice ? 'voice' : 'sms',
      };
    default:
      throw new RangeError(`unknown story "${scenario}"`);
  }
}

function describe(scenario: string, played: z.infer<typeof PlayedSchema>): string {
  const events = played.value;
  const last = events[events.length - 1]!;
  const who = last.userDisplayName ?? 'the person';
  const where = [last.location.city, last.location.state, last.location.countryOrRegion]
    .filter(Boolean)
    .join(', ');
  const time = `${last.createdDateTime.slice(11, 16)} UTC`;
  const denied = events.filter((e) => e.status.errorCode !== 0).length;
  switch (scenario) {
    case 'fatigue': {
      const success = events.length > denied ? ', then a sign-in that succeeded' : '';
      return `Played a push-bombing burst for ${who}: ${denied} denied or unanswered prompts from ${last.ipAddress} (${where})${success}, ending ${time}.`;
    }
    case 'fraud':
      return `Played a prompt ${who} reported as fraud, from ${last.ipAddress} (${where}), at ${time}.`;
    case 'sms':
      return `Played ${events.length} text-code sign-in${events.length === 1 ? '' : 's'} for ${who}, the last at ${time}.`;
    default:
      return `Played an approved sign-in for ${who} at ${time}.`;
  }
}

export async function runDemoSigninsCommand(
  args: string[],
  io: Io,
  deps: DemoSignInsDeps,
): Promise<number> {
  const [upn, scenario, ...rest] = args;
  if (!upn || !scenario || upn.startsWith('-')) {
    io.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (deps.mode !== 'demo') {
    io.stderr.write(
      "This command only plays sign-ins into the local demo; a real tenant's sign-in log cannot be written to.\n",
    );
    return 2;
  }
  let body: Record<string, unknown>;
  try {
    body = scenarioBody(upn, scenario, rest);
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  let ca: string | undefined;
  if (deps.caCertPath) {
    try {
      ca = fs.readFileSync(deps.caCertPath, 'utf8');
    } catch {
      io.stderr.write(
        `No Graph stand-in certificate at ${deps.caCertPath}. Start the demo first: npx mfa-bot start\n`,
      );
      return 1;
    }
  }
  const root = graphRoot(deps.graphBaseUrl).href.replace(/\/$/, '');
  const agent = new Agent({ connect: ca ? { ca } : {} });
  try {
    const response = await fetch(`${root}/_sim/signins`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      dispatcher: agent,
    });
    const text = await response.text();
    if (response.status === 404) {
      io.stderr.write(`Nobody called ${upn} in the demo practice.\n`);
      return 1;
    }
    if (!response.ok) {
      io.stderr.write(`The Graph stand-in refused (${response.status}): ${text.slice(0, 300)}\n`);
      return 1;
    }
    const played = PlayedSchema.parse(JSON.parse(text));
    io.stdout.write(
      `${describe(scenario, played)}\nThe sign-in monitor sees it at its next poll.\n`,
    );
    return 0;
  } catch (err) {
    const reason = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    io.stderr.write(
      `Could not reach the Graph stand-in at ${root} (${reason}). Start the demo first: npx mfa-bot start\n`,
    );
    return 1;
  } finally {
    await agent.close();
  }
}
