import type { AppConfig } from './config';

/**
 * `mfa-bot demo <story> ...`: plays a story into the running local demo, one subcommand each
 * (`signins` plays sign-ins into the Graph stand-in). Stories load only when asked for.
 */

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

type Story = (args: string[], io: Io, config: AppConfig) => Promise<number>;

const STORIES: Record<string, Story> = {
  signins: async (args, io, config) => {
    const { runDemoSigninsCommand } = await import('../services/signins/cli');
    return runDemoSigninsCommand(args, io, {
      mode: config.mode,
      graphBaseUrl: config.graph.baseUrl,
      caCertPath: config.graph.caCertPath,
    });
  },
};

const USAGE = `Usage: mfa-bot demo <story> ...
Stories: ${Object.keys(STORIES).join(', ')} (each says its own usage when run without arguments)`;

/** `config` is read only once a story is chosen, so usage errors need no configuration. */
export async function runDemoCommand(
  args: string[],
  io: Io,
  config: () => AppConfig,
): Promise<number> {
  const [name, ...rest] = args;
  const story = name ? STORIES[name] : undefined;
  if (!story) {
    io.stderr.write(`${name ? `Unknown story "${name}".\n` : ''}${USAGE}\n`);
    return 2;
  }
  return story(rest, io, config());
}
