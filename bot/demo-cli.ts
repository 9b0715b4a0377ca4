import type { AppConfig } from './config';
import { callDemo, report, type DemoIo } from './demo-control';
import { PHONE_USAGE, runPhoneCommand } from './demo-phone';

/**
 * `mfa-bot demo …`: controls for the running local demo, each in a module of its own. They talk
 * to the demo's Teams stand-in on 127.0.0.1, so they work from any terminal on this machine.
 */

/** What a control may use: the environment, and the configuration (read only when needed). */
interface DemoContext {
  env: NodeJS.ProcessEnv;
  config: () => AppConfig;
}

type Subcommand = (args: string[], io: DemoIo, context: DemoContext) => Promise<number>;

const LOST_PHONE_ANSWERS = {
  happened: 'lost',
  when: 'today',
  hadWorkApps: 'yes',
  verifyBy: 'callback',
};

const SUBCOMMANDS: Record<string, Subcommand> = {
  phone: (args, io, { env }) => runPhoneCommand(args, io, env),
  signins: async (args, io, { config }) => {
    const { runDemoSigninsCommand } = await import('../services/signins/cli');
    const { graph, mode } = config();
    return runDemoSigninsCommand(
      args,
      { stdout: io.out, stderr: io.err },
      { mode, graphBaseUrl: graph.baseUrl, caCertPath: graph.caCertPath },
    );
  },
  time: async (args, io, { env }) => {
    if (args.length > 1) return usage(io);
    const answer = args[0]
      ? await callDemo(env, 'POST', 'time', { advance: args[0] })
      : await callDemo(env, 'GET', 'time');
    return report(answer, io);
  },
  messages: async (args, io, { env }) => {
    if (args.length !== 1) return usage(io);
    const answer = await callDemo(env, 'GET', `people/${encodeURIComponent(args[0]!)}/messages`);
    if ('notRunning' in answer || answer.status >= 300) return report(answer, io);
    const value = (answer.body.value ?? []) as Array<{
      at: string;
      text: string;
      lines: string[];
      buttons: string[];
    }>;
    const person = answer.body.person as { name: string };
    if (!value.length) io.out.write(`${person.name} has no messages from the bot.\n`);
    for (const m of value.slice(-10)) {
      io.out.write(`${m.at.slice(0, 16).replace('T', ' ')}  ${m.text}\n`);
      for (const line of m.lines.slice(0, 6)) io.out.write(`                  ${line}\n`);
      if (m.buttons.length) io.out.write(`                  [${m.buttons.join('] [')}]\n`);
    }
    return 0;
  },
  say: async (args, io, { env }) => {
    if (args.length !== 2) return usage(io);
    return report(
      await callDemo(env, 'POST', `people/${encodeURIComponent(args[0]!)}/say`, { text: args[1] }),
      io,
    );
  },
  lost: async (args, io, { env }) => {
    if (args.length !== 1) return usage(io);
    const who = encodeURIComponent(args[0]!);
    const said = await callDemo(env, 'POST', `people/${who}/say`, { text: 'I lost my phone' });
    if ('notRunning' in said || said.status >= 300) return report(said, io);
    const sent = await callDemo(env, 'POST', `people/${who}/press`, {
      button: 'Send to IT',
      inputs: LOST_PHONE_ANSWERS,
    });
    if ('notRunning' in sent || sent.status >= 300) return report(sent, io);
    io.out.write(
      `${args[0]} reported a lost phone (lost today, work apps on it, IT calls back). The request is in the IT channel.\n`,
    );
    return 0;
  },
};

const USAGE = `Usage: mfa-bot demo <control> (while "npm start" runs)

  phone <person> register|approve|deny|lose
                            play someone's phone while they set up Authenticator
  time [+1d|+3h|+30m]       show the demo clock, or move it ahead (reminders, a nudge's
                            7-day count and people acting on a nudge follow it)
  messages <person>         what someone else in the practice got from the bot
  say <person> "<text>"     someone else types a message to the bot
  lost <person>             someone else reports a lost phone (a ticket for IT)
  signins <upn> fatigue|fraud|sms|success
                            play sign-ins into the Graph stand-in for the sign-in monitor
                            (run it without a story for its options)
  help                      show this help

${PHONE_USAGE}`;

function usage(io: DemoIo): number {
  io.err.write(`${USAGE}\n`);
  return 2;
}

export async function runDemoCommand(
  args: readonly string[],
  io: DemoIo,
  context: DemoContext,
): Promise<number> {
  const [name, ...rest] = args;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = SUBCOMMANDS[name];
  if (!command) {
    io.err.write(`Unknown demo control "${name}".\n\n`);
    return usage(io);
  }
  return command(rest, io, context);
}
