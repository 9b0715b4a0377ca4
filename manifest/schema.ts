import fs from 'node:fs';
import path from 'node:path';
import { AppManifestUtils, type TeamsManifestV1D29 } from '@microsoft/app-manifest';

const SCHEMA_BASE = 'https://developer.microsoft.com/json-schemas/teams';

/**
 * The manifest schema the template targets. 1.29 is the newest version Microsoft's manifest
 * reference lists under "All generally available versions" (1.30 is announced as new and only
 * adds Outlook add-in fields), and the one the Agents Toolkit's own bot templates use. Nothing
 * here needs a newer or preview schema; `supportsChannelFeatures` (shared and private channel
 * support) is left out: escalations go to a standard channel of the IT team (General by default).
 */
export const MANIFEST_VERSION = '1.29';
export const SCHEMA_URL = schemaUrl(MANIFEST_VERSION);

/** The developer.microsoft.com address of a Teams manifest schema version. */
function schemaUrl(manifestVersion: string): string {
  return `${SCHEMA_BASE}/v${manifestVersion}/MicrosoftTeams.schema.json`;
}

export type TeamsManifest = TeamsManifestV1D29.TeamsManifestV1D29;

/** Where @microsoft/app-manifest keeps its copy of a Teams manifest schema version. */
function bundledSchemaPath(manifestVersion: string): string {
  const build = path.dirname(require.resolve('@microsoft/app-manifest'));
  const file = 'MicrosoftTeams.schema.json';
  return path.join(build, 'json-schemas', 'teams', `v${manifestVersion}`, file);
}

/**
 * Checks a manifest against the bundled schema, never the network: the schema is read from
 * the package and handed to the validator. Returns one line per schema error, empty when valid.
 */
export async function schemaProblems(manifest: Record<string, unknown>): Promise<string[]> {
  const version = String(manifest.manifestVersion);
  if (!/^1\.\d+$/.test(version)) return [`manifestVersion must look like 1.29 (is ${version})`];
  const expectedUrl = schemaUrl(version);
  if (manifest.$schema !== expectedUrl) {
    return [`$schema must be ${expectedUrl} to match manifestVersion ${version}`];
  }
  const file = bundledSchemaPath(version);
  if (!fs.existsSync(file)) {
    return [`manifestVersion ${version} has no bundled schema in @microsoft/app-manifest`];
  }
  // Some published schemas contain \a and \v escapes, which JSON does not allow.
  const schema: unknown = JSON.parse(
    fs.readFileSync(file, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b'),
  );
  // The validator's parameter types describe a valid manifest and schema; checking that is its job.
  type Args = Parameters<typeof AppManifestUtils.validateAgainstSchema>;
  const errors = await AppManifestUtils.validateAgainstSchema(
    manifest as unknown as Args[0],
    schema as Args[1],
  );
  return errors.map((e) => `manifest${e.trim().startsWith('/') ? '' : ' '}${e.trim()}`);
}
