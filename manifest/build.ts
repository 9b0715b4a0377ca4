import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { commandListProblems, commandLists } from './commands';
import { PackageError, parseEnvFile, readPackageValues, type EnvSource } from './env';
import { readIcon } from './png';
import { schemaProblems, type TeamsManifest } from './schema';
import { fillTemplate, readTemplate } from './template';
import { writeZip, type ZipEntry } from './zip';

export { PackageError } from './env';

const DEFAULT_OUT_FILE = path.join('build', 'appPackage.zip');

/** The icon file names the template's `icons` must use; the zip holds them at its root. */
const ICON_FILES = { color: 'color.png', outline: 'outline.png' } as const;

export interface BuildOptions {
  /** Where the values come from (process.env in the CLI). */
  env: EnvSource;
  /** The zip to write, relative to the working directory (default build/appPackage.zip). */
  outFile?: string;
  /** Also write manifest.json and the icons unzipped into this folder. */
  unpackedDir?: string;
}

export interface BuiltPackage {
  outFile: string;
  manifest: TeamsManifest;
}

/**
 * Builds the Teams app package: fills manifest.template.json from the environment, adds the
 * command lists from bot/commands.ts, validates the result offline against the bundled schema
 * and writes a zip with manifest.json, color.png and outline.png at its root. Any problem (a
 * missing or invalid value, a schema error, a bad icon) rejects with one PackageError that lists
 * them all.
 */
export async function buildPackage({
  env,
  outFile = DEFAULT_OUT_FILE,
  unpackedDir,
}: BuildOptions): Promise<BuiltPackage> {
  const values = readPackageValues(env);
  const lists = commandLists();
  const { manifest, unknown } = fillTemplate(readTemplate(), lists, values);
  const color = readIcon('color');
  const outline = readIcon('outline');
  const problems = [
    ...unknown.map((name) => `manifest.template.json uses \${{${name}}}, which has no value`),
    ...commandListProblems(lists),
    ...(await schemaProblems(manifest)),
    ...iconPathProblems(manifest.icons),
    ...color.problems,
    ...outline.problems,
  ];
  if (problems.length > 0) throw new PackageError(problems);

  const entries: ZipEntry[] = [
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
    { name: ICON_FILES.color, data: color.data },
    { name: ICON_FILES.outline, data: outline.data },
  ];
  const target = path.resolve(outFile);
  await writeZip(target, entries);
  if (unpackedDir) await writeUnpacked(path.resolve(unpackedDir), entries);
  // Checked against the manifest schema above, which is what this type describes.
  return { outFile: target, manifest: manifest as unknown as TeamsManifest };
}

const IconPaths = z.object({
  color: z.literal(ICON_FILES.color),
  outline: z.literal(ICON_FILES.outline),
});

function iconPathProblems(icons: unknown): string[] {
  return IconPaths.safeParse(icons).success
    ? []
    : [`manifest icons must be "${ICON_FILES.color}" and "${ICON_FILES.outline}"`];
}

async function writeUnpacked(dir: string, entries: readonly ZipEntry[]): Promise<void> {
  await fs.promises.mkdir(dir, { recursive: true });
  for (const { name, data } of entries) await fs.promises.writeFile(path.join(dir, name), data);
}

const USAGE = `Usage: package [--env-file PATH] [--out FILE] [--unpacked DIR]

Builds the Teams app package to upload in Teams (manifest.json, color.png, outline.png).
Values come from environment variables (see env/.env.dev.TEMPLATE).

  --env-file PATH   also read KEY=VALUE lines from PATH; variables set in the environment win
  --out FILE        the zip to write (default ${DEFAULT_OUT_FILE})
  --unpacked DIR    also write the three files, unzipped, into DIR
  --help            show this help`;

/** Where package values go, said after any list of missing ones. */
const WHERE_VALUES_GO = `Put the values in env/.env.dev (copy env/.env.dev.TEMPLATE, which explains each one) and run:
  npm run package -- --env-file env/.env.dev
or set them as environment variables.`;

/** An env file that is not there, said plainly (not as a file system error). */
function missingEnvFile(file: string): string {
  return `There is no file ${file}.
Copy env/.env.dev.TEMPLATE to ${file} and fill it in, or point --env-file at the file that has the values.`;
}

export interface CommandIo {
  out: Pick<NodeJS.WritableStream, 'write'>;
  err: Pick<NodeJS.WritableStream, 'write'>;
}

/**
 * The `package` command: builds the zip and prints its path. Exit codes: 0 written, 1 the
 * package is not valid (every problem printed), 2 wrong arguments or an unreadable env file.
 */
export async function runPackageCommand(
  argv: readonly string[],
  env: EnvSource,
  io: CommandIo = { out: process.stdout, err: process.stderr },
): Promise<number> {
  let options: { 'env-file'?: string; out?: string; unpacked?: string; help?: boolean };
  try {
    options = parseArgs({
      // npm's script passes "--" first, so Node leaves --env-file to this command (see package.json).
      args: argv[0] === '--' ? argv.slice(1) : [...argv],
      options: {
        'env-file': { type: 'string' },
        out: { type: 'string' },
        unpacked: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    io.err.write(`${messageOf(err)}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    io.out.write(`${USAGE}\n`);
    return 0;
  }
  let fromFile: Record<string, string> = {};
  const envFile = options['env-file'];
  if (envFile) {
    if (!fs.existsSync(envFile)) {
      io.err.write(`${missingEnvFile(envFile)}\n`);
      return 2;
    }
    try {
      fromFile = parseEnvFile(fs.readFileSync(envFile, 'utf8'));
    } catch (err) {
      io.err.write(`Cannot read --env-file ${envFile}: ${messageOf(err)}\n`);
      return 2;
    }
  }
  try {
    const built = await buildPackage({
      env: { ...fromFile, ...withoutBlanks(env) },
      outFile: options.out,
      unpackedDir: options.unpacked,
    });
    io.out.write(`Teams app package: ${built.outFile}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof PackageError)) throw err;
    const missing = err.problems.some((p) => p.endsWith(' is missing'));
    io.err.write(`${err.message}\n${missing ? `\n${WHERE_VALUES_GO}\n` : ''}`);
    return 1;
  }
}

function withoutBlanks(env: EnvSource): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => Boolean(entry[1]?.trim())),
  );
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
