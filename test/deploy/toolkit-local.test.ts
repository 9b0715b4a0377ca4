import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ENV_VARIABLES, loadConfig } from '../../bot/config';
import { parseEnvFile } from '../../manifest/env';
import { assetPath } from '../../services/paths';

/**
 * The Microsoft 365 Agents Toolkit's local runs: the demo in its Playground
 * (m365agents.playground.yml) and debugging in real Teams (m365agents.local.yml). What can be
 * checked without the toolkit: the files parse, name npm scripts that exist, write only
 * variables the bot reads, and what they write starts the bot in the intended mode.
 */

const read = (...parts: string[]) => fs.readFileSync(assetPath(...parts), 'utf8');
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

const Action = z.object({
  uses: z.string(),
  name: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
  with: z.record(z.string(), z.unknown()).optional(),
  writeToEnvironmentFile: z.record(z.string(), z.string()).optional(),
});
const ProjectFile = z.object({
  version: z.string(),
  environmentFolderPath: z.literal('./env'),
  provision: z.array(Action).optional(),
  deploy: z.array(Action),
});
type Project = z.infer<typeof ProjectFile>;

const projectFile = (name: string) => ProjectFile.parse(parseYaml(read(name)));
const scripts = z
  .object({ scripts: z.record(z.string(), z.string()) })
  .parse(JSON.parse(read('package.json'))).scripts;

/** The runtime file a project writes for the bot, with placeholders filled from `values`. */
function runtimeEnv(project: Project, values: Record<string, string>): Record<string, string> {
  const step = project.deploy.find((a) => a.uses === 'file/createOrUpdateEnvironmentFile');
  assert.ok(step, 'writes the settings the bot starts with');
  const envs = z.record(z.string(), z.union([z.string(), z.number()])).parse(step.with?.envs);
  return Object.fromEntries(
    Object.entries(envs).map(([k, v]) => [
      k,
      String(v).replace(PLACEHOLDER, (_m, name: string) => values[name] ?? ''),
    ]),
  );
}

describe('Agents Toolkit local runs (m365agents.playground.yml, m365agents.local.yml)', () => {
  const main = ProjectFile.extend({ provision: z.array(Action) })
    .loose()
    .parse(parseYaml(read('m365agents.yml')));

  for (const name of ['m365agents.playground.yml', 'm365agents.local.yml']) {
    it(`${name}: same schema version as m365agents.yml, npm scripts that exist, bot variables only`, () => {
      const project = projectFile(name);
      assert.equal(project.version, main.version);
      for (const a of [...(project.provision ?? []), ...project.deploy]) {
        if (a.uses !== 'cli/runNpmCommand') continue;
        const [verb, script] = String(a.with?.args).split(/\s+/);
        assert.equal(verb, 'run');
        assert.ok(scripts[script!], `npm script ${script} exists`);
      }
      const known = new Set(ENV_VARIABLES);
      for (const variable of Object.keys(runtimeEnv(project, {})))
        assert.ok(known.has(variable), `${variable} is not a variable the bot reads`);
    });
  }

  it('starts the Playground demo in demo mode, on this machine only, from env/.env.playground', () => {
    const env = parseEnvFile(read('env', '.env.playground'));
    const placeholders = [...read('m365agents.playground.yml').matchAll(PLACEHOLDER)].map(
      (m) => m[1]!,
    );
    for (const name of placeholders) assert.ok(name in env, `env/.env.playground sets ${name}`);
    const config = loadConfig(runtimeEnv(projectFile('m365agents.playground.yml'), env));
    assert.equal(config.mode, 'demo');
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 3978);
  });

  it('starts local debugging in production mode once provisioning has filled in the values', () => {
    const values: Record<string, string> = {
      BOT_ID: '00000000-0000-4000-8000-000000000001',
      SECRET_BOT_PASSWORD: 'secret-value',
      BOT_TENANT_ID: '00000000-0000-4000-8000-000000000002',
      IT_GROUP_ID: '00000000-0000-4000-8000-000000000003',
      ADMIN_GROUP_ID: '00000000-0000-4000-8000-000000000004',
      IT_PHONE: '555-0100',
      MAIL_SENDER: 'it@practice.example',
      SECRET_AUDIT_KEY: 'an-audit-key-of-at-least-32-characters',
      TEAMS_APP_ID: '00000000-0000-4000-8000-000000000005',
      PRACTICE_TIMEZONE: 'America/Chicago',
    };
    const config = loadConfig(runtimeEnv(projectFile('m365agents.local.yml'), values));
    assert.equal(config.mode, 'production');
    assert.equal(config.practiceTimeZone, 'America/Chicago');
    const local = projectFile('m365agents.local.yml');
    const bot = local.provision?.find((a) => a.uses === 'botFramework/create');
    assert.equal(bot?.with?.messagingEndpoint, '${{BOT_ENDPOINT}}/api/messages');
  });

  it('keeps the files that hold the bot secret out of git and out of the upload', () => {
    for (const ignore of ['.gitignore', '.webappignore'])
      assert.match(read(ignore), /^\.localConfigs\*$/m, ignore);
  });
});
