import fs from 'node:fs';
import { z } from 'zod';
import { assetPath } from '../services/paths';

/**
 * The values the Teams app package takes from the environment. Everything else in the manifest
 * is fixed in manifest.template.json.
 */

export type EnvSource = Readonly<Record<string, string | undefined>>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOST_NAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`, 'i');
const SEMVER = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const required = z.preprocess(blankToUndefined, z.string({ error: 'is missing' }).trim());
const optional = z.preprocess(blankToUndefined, z.string().trim().optional());

const guid = required.refine((v) => GUID.test(v), {
  error: (i) => `must be a GUID like 00000000-0000-0000-0000-000000000000 (got "${i.input}")`,
});

const hostName = required.refine((v) => HOST_NAME.test(v), {
  error: (i) =>
    'must be a host name like mfa-bot.example.org, without https://, a port or a path ' +
    `(got "${i.input}")`,
});

const httpsUrl = required.refine(isHttpsUrl, {
  error: (i) => `must be an https:// address (got "${i.input}")`,
});

const maxChars = (max: number) =>
  z.string().max(max, {
    error: (i) => `must be at most ${max} characters (got ${String(i.input).length})`,
  });

const EnvSchema = z.object({
  TEAMS_APP_ID: guid,
  MicrosoftAppId: guid,
  BOT_DOMAIN: hostName.transform((v) => v.toLowerCase()),
  TAB_SSO_RESOURCE: optional.pipe(
    z
      .string()
      .max(2048)
      .refine((v) => v.startsWith('api://'), {
        error: (i) => `must start with api:// (got "${i.input}")`,
      })
      .optional(),
  ),
  APP_NAME_SHORT: optional.pipe(maxChars(30).optional()),
  APP_NAME_FULL: optional.pipe(maxChars(100).optional()),
  DEVELOPER_NAME: required.pipe(maxChars(32)),
  DEVELOPER_WEBSITE_URL: httpsUrl,
  PRIVACY_URL: httpsUrl,
  TERMS_URL: httpsUrl,
  APP_VERSION: optional.pipe(
    z
      .string()
      .refine((v) => SEMVER.test(v), {
        error: (i) => `must be a version like 1.0.0 (got "${i.input}")`,
      })
      .optional(),
  ),
});

/** Every value the template's ${{NAME}} placeholders can name, defaults applied. */
export type PackageValues = Record<keyof z.infer<typeof EnvSchema>, string>;

export const PACKAGE_VARIABLES = Object.keys(EnvSchema.shape) as ReadonlyArray<keyof PackageValues>;

const DEFAULT_APP_NAME_SHORT = 'MFA Helper';
const DEFAULT_APP_NAME_FULL_SUFFIX = 'Microsoft Authenticator set-up and sign-in help';

/** Thrown when the package cannot be built; lists every problem at once. */
export class PackageError extends Error {
  constructor(readonly problems: string[]) {
    super(`Cannot build the Teams app package:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PackageError';
  }
}

/** Reads and checks the package's values; throws one PackageError naming every bad variable. */
export function readPackageValues(env: EnvSource): PackageValues {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new PackageError(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`));
  }
  const v = parsed.data;
  const shortName = v.APP_NAME_SHORT ?? DEFAULT_APP_NAME_SHORT;
  return {
    ...v,
    TAB_SSO_RESOURCE: v.TAB_SSO_RESOURCE ?? `api://${v.BOT_DOMAIN}/${v.MicrosoftAppId}`,
    APP_NAME_SHORT: shortName,
    APP_NAME_FULL: v.APP_NAME_FULL ?? `${shortName}: ${DEFAULT_APP_NAME_FULL_SUFFIX}`,
    APP_VERSION: v.APP_VERSION ?? packageVersion(),
  };
}

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '' && value.length <= 2048;
  } catch {
    return false;
  }
}

function packageVersion(): string {
  const pkg = z
    .object({ version: z.string().regex(SEMVER) })
    .parse(JSON.parse(fs.readFileSync(assetPath('package.json'), 'utf8')));
  return pkg.version;
}

/**
 * KEY=VALUE lines as in a .env file: blank lines and # comments skipped, `export ` allowed,
 * values optionally quoted. Throws on a line it cannot read, naming the line number.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) throw new Error(`line ${index + 1} is not KEY=VALUE`);
    const [, key, rest] = match;
    const quoted = /^(['"])(.*)\1$/.exec(rest);
    values[key] = quoted ? quoted[2] : rest.replace(/\s+#.*$/, '').trim();
  });
  return values;
}
