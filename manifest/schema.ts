import fs from 'node:fs';
import path from 'node:path';
import { AppManifestUtils, type TeamsManifestV1D30 } from '@microsoft/app-manifest';

const SCHEMA_BASE = 'https://developer.microsoft.com/json-schemas/teams';

/** The manifest schema the template targets: the newest generally available one bundled. */
export const MANIFEST_VERSION = '1.30';
export const SCHEMA_URL = schemaUrl(MANIFEST_VERSION);

/** The developer.microsoft.com address of a Teams manifest schema version. */
export function schemaUrl(manifestVersion: string): string {
  return `${SCHEMA_BASE}/v${manifestVersion}/MicrosoftTeams.schema.json`;
}

export type TeamsManifest = TeamsManifestV1D30.TeamsManifestV1D30;

/** Where @microsoft/app-manifest keeps its copy of a Teams manifest schema version. */
export function bundledSchemaPath(manifestVersion: string): string {
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
  if (!/^1\.\d+$/.test(version)) return [`manifestVersion must look like 1.30 (is ${version})`];
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
