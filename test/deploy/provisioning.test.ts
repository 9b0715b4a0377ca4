import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ENV_VARIABLES, PRODUCTION_REQUIRED_VARIABLES, loadConfig } from '../../bot/config';
import { parseEnvFile } from '../../manifest/env';
import { assetPath } from '../../services/paths';

/**
 * What can be checked without an Azure subscription: the toolkit project file, the Bicep
 * template's parameters and app settings, the Entra app manifest and the upload's contents.
 * (Compiling the Bicep and deploying it needs the Bicep CLI and Azure; see the README.)
 */

const read = (...parts: string[]) => fs.readFileSync(assetPath(...parts), 'utf8');
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const placeholders = (text: string) => [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);

const Action = z.object({
  uses: z.string(),
  name: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
  with: z.record(z.string(), z.unknown()).optional(),
  writeToEnvironmentFile: z.record(z.string(), z.string()).optional(),
});
type Action = z.infer<typeof Action>;
const ProjectFile = z.object({
  version: z.string(),
  environmentFolderPath: z.string(),
  provision: z.array(Action),
  deploy: z.array(Action),
  publish: z.array(Action),
});

let parsedProject: z.infer<typeof ProjectFile> | undefined;
/** m365agents.yml, parsed on first use so that a broken file fails tests rather than the run. */
const project = () => (parsedProject ??= ProjectFile.parse(parseYaml(read('m365agents.yml'))));
const uses = (stage: Action[]) => stage.map((a) => a.uses);
const action = (stage: Action[], name: string) => {
  const found = stage.find((a) => a.uses === name);
  assert.ok(found, `${name} is missing`);
  return found;
};

const Parameters = z.object({
  parameters: z.record(z.string(), z.object({ value: z.unknown() })),
});
const parameters = Parameters.parse(JSON.parse(read('infra', 'azure.parameters.json'))).parameters;
const practiceSettings = z.record(z.string(), z.string()).parse(parameters.practiceSettings?.value);
const platformSettings = z
  .record(z.string(), z.string())
  .parse(JSON.parse(read('infra', 'app-settings.json')));
const bicep = read('infra', 'azure.bicep');
const envTemplate = parseEnvFile(read('env', '.env.dev.TEMPLATE'));

/** Bicep `param` declarations: name, and whether they have a default. */
function bicepParams(): Map<string, { hasDefault: boolean }> {
  const params = new Map<string, { hasDefault: boolean }>();
  for (const m of bicep.matchAll(/^param\s+(\w+)\s+\w+(\s*=)?/gm))
    params.set(m[1], { hasDefault: Boolean(m[2]) });
  return params;
}

/**
 * The object literal that ends `var appSettings = union(practiceSettings, platformSettings, {...})`:
 * the settings the template sets itself, as NAME: expression.
 */
function bicepOwnSettings(): Map<string, string> {
  const block =
    /^var appSettings = union\(practiceSettings, platformSettings, \{\n([\s\S]*?)\n\}\)$/m.exec(
      bicep,
    );
  assert.ok(
    block,
    'azure.bicep builds appSettings as union(practiceSettings, platformSettings, {...})',
  );
  const settings = new Map<string, string>();
  for (const line of block[1].split('\n')) {
    const m = /^\s+(\w+):\s*(.+)$/.exec(line);
    assert.ok(m, `cannot read "${line}" in appSettings`);
    settings.set(m[1], m[2].trim());
  }
  return settings;
}

/** A value each toolkit variable could have in a real practice's env/.env.dev. */
function sampleValue(name: string, index: number): string {
  const guid = `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`;
  if (/(_ID|_GROUP_ID)$/.test(name)) return guid;
  if (name === 'IT_PHONE') return '555-0100';
  if (name === 'MAIL_SENDER') return 'it-helpdesk@practice.example';
  if (name.startsWith('SECRET_')) return 'client-secret-value';
  return '';
}

/**
 * The environment the bot would see on the App Service after `provision`: the parameters file
 * with every placeholder filled as the toolkit does, the platform settings, the template's own
 * settings, Key Vault references resolved by App Service, and the variables App Service adds.
 */
/** The web app's host name in the environments below (the template's defaultHostName). */
const SAMPLE_HOST = 'mfabot.azurewebsites.net';

function deployedEnvironment(fill: (name: string) => string): Record<string, string> {
  const paramValue = (param: string): string => {
    const raw = parameters[param]?.value;
    assert.equal(typeof raw, 'string', `${param} is set from the parameters file`);
    return String(raw).replace(PLACEHOLDER, (_m, name: string) => fill(name));
  };
  const env: Record<string, string> = {
    WEBSITE_SITE_NAME: 'mfabot',
    WEBSITE_INSTANCE_ID: 'a1',
    PORT: '8080',
  };
  for (const [name, value] of Object.entries(practiceSettings)) {
    env[name] = value.replace(PLACEHOLDER, (_m, v: string) => fill(v));
  }
  Object.assign(env, platformSettings);
  for (const [name, expression] of bicepOwnSettings()) {
    if (/^'@Microsoft\.KeyVault\(/.test(expression))
      env[name] = 'a-secret-value-that-app-service-read-from-key-vault';
    else if (/^'[^']*'$/.test(expression))
      env[name] = expression
        .slice(1, -1)
        .replace(/\$\{([\w.]+)\}/g, (_m, ref: string) =>
          ref === 'webApp.properties.defaultHostName' ? SAMPLE_HOST : paramValue(ref),
        );
    else env[name] = paramValue(expression);
  }
  return env;
}

describe('provisioning (m365agents.yml, infra/)', () => {
  describe('the toolkit project file', () => {
    it('has provision, deploy and publish stages with the actions a first deployment needs', () => {
      assert.equal(project().version, 'v1.11');
      assert.deepEqual(uses(project().provision), [
        'teamsApp/create',
        'aadApp/create',
        'arm/deploy',
        'aadApp/update',
        'cli/runNpmCommand',
        'teamsApp/validateManifest',
        'teamsApp/zipAppPackage',
        'teamsApp/validateAppPackage',
        'teamsApp/update',
      ]);
      assert.deepEqual(uses(project().deploy), ['cli/runNpmCommand', 'azureAppService/zipDeploy']);
      assert.ok(uses(project().publish).includes('teamsApp/validateAppPackage'));
      assert.equal(project().publish.at(-1)?.uses, 'teamsApp/publishAppPackage');
    });

    it('names the files it uses, and they exist', () => {
      const arm = action(project().provision, 'arm/deploy').with as {
        templates: Array<{ path: string; parameters: string }>;
      };
      const files = [
        ...arm.templates.flatMap((t) => [t.path, t.parameters]),
        String(action(project().provision, 'aadApp/update').with?.manifestPath),
        String(action(project().deploy, 'azureAppService/zipDeploy').with?.ignoreFile),
      ];
      for (const file of files) assert.ok(fs.existsSync(assetPath(file)), `${file} exists`);
    });

    it('writes only names the toolkit accepts: upper case, secrets as SECRET_*', () => {
      for (const stage of [project().provision, project().deploy, project().publish]) {
        for (const a of stage) {
          for (const [output, name] of Object.entries(a.writeToEnvironmentFile ?? {})) {
            const pattern = output === 'clientSecret' ? /^SECRET_[A-Z0-9_]+$/ : /^[A-Z][A-Z0-9_]*$/;
            assert.match(name, pattern, `${a.uses} writes ${output} to ${name}`);
          }
        }
      }
    });

    it('deploys the Azure resources before it needs their host name, and the Entra app before both', () => {
      const order = uses(project().provision);
      assert.ok(order.indexOf('aadApp/create') < order.indexOf('arm/deploy'));
      assert.ok(
        order.indexOf('arm/deploy') < order.indexOf('aadApp/update'),
        'aad.manifest.json uses BOT_DOMAIN',
      );
      const written = project().provision.flatMap((a) =>
        Object.values(a.writeToEnvironmentFile ?? {}),
      );
      assert.ok(written.includes('BOT_ID') && written.includes('SECRET_BOT_PASSWORD'));
      assert.match(bicep, /^output BOT_DOMAIN string/m);
      assert.match(bicep, /^output BOT_AZURE_APP_SERVICE_RESOURCE_ID string/m);
    });

    it('builds the app package with the bot id the toolkit created', () => {
      for (const stage of [project().provision, project().publish]) {
        const build = action(stage, 'cli/runNpmCommand');
        assert.equal(build.env?.MicrosoftAppId, '${{BOT_ID}}');
        assert.match(String(build.with?.args), /^run package /);
      }
    });

    it('lists every value it reads in env/.env.dev.TEMPLATE (secrets excepted)', () => {
      const used = new Set([
        ...placeholders(read('m365agents.yml')),
        ...placeholders(read('infra', 'azure.parameters.json')),
        ...placeholders(read('infra', 'aad.manifest.json')),
      ]);
      const missing = [...used].filter(
        (name) => !name.startsWith('SECRET_') && !(name in envTemplate),
      );
      assert.deepEqual(missing, []);
    });
  });

  describe('the Bicep template', () => {
    it('is given a value for every parameter without a default, and only for declared ones', () => {
      const declared = bicepParams();
      assert.deepEqual(
        Object.keys(parameters).filter((name) => !declared.has(name)),
        [],
        'undeclared parameters',
      );
      const unset = [...declared]
        .filter(([name, p]) => !p.hasDefault && !(name in parameters))
        .map(([name]) => name);
      assert.deepEqual(unset, [], 'parameters without a value');
      assert.match(bicep, /@secure\(\)\nparam botAppPassword string/);
    });

    it('loads the platform settings file it is shipped with', () => {
      assert.match(bicep, /loadJsonContent\('app-settings\.json'\)/);
    });

    it('sets every variable production requires, so the deployed bot starts in production mode', () => {
      const names = [...new Set([...placeholders(read('infra', 'azure.parameters.json'))])];
      const env = deployedEnvironment((name) => sampleValue(name, names.indexOf(name)));
      for (const name of PRODUCTION_REQUIRED_VARIABLES)
        assert.ok(env[name], `${name} is set by the deployment`);
      const config = loadConfig(env);
      assert.equal(config.mode, 'production');
      assert.equal(config.bot.appType, 'SingleTenant');
      assert.equal(config.dataDir, '/home/data/mfa-bot');
      assert.equal(config.sqliteJournalMode, 'delete');
    });

    it("sets only variables the bot reads, besides App Service's own", () => {
      const env = deployedEnvironment(() => '');
      const platform = Object.keys(platformSettings).filter((n) =>
        /^(SCM_|WEBSITE|CUSTOM_BUILD_COMMAND$)/.test(n),
      );
      const unknown = Object.keys(env).filter(
        (name) =>
          !ENV_VARIABLES.includes(name) && !platform.includes(name) && !/^WEBSITE_/.test(name),
      );
      assert.deepEqual(unknown, []);
    });

    it('decides for every variable whether the deployment sets it', () => {
      // Set elsewhere, or not needed on App Service, and why.
      const notSet: Record<string, string> = {
        CertificateThumbprint: 'the template uses a client secret in Key Vault',
        CertificatePrivateKey: 'the template uses a client secret in Key Vault',
        ToBotFromChannelOpenIdMetadataUrl: 'national clouds and tests only',
        ToChannelFromBotLoginUrl: 'national clouds and tests only',
        ToChannelFromBotOAuthScope: 'national clouds and tests only',
        LOGIN_CA_CERT_PATH: 'tests only',
        GRAPH_CLIENT_ID: 'Graph uses the bot app',
        GRAPH_CLIENT_SECRET: 'Graph uses the bot app',
        GRAPH_CERTIFICATE_PATH: 'Graph uses the bot app',
        AZURE_CLIENT_ID: 'managed identity for Graph is not this template',
        GRAPH_BASE_URL: 'national clouds and the demo only',
        GRAPH_CA_CERT_PATH: 'the demo only',
        AZURE_AUTHORITY_HOST: 'national clouds only',
        PORT: 'App Service sets it',
        HOST: 'production listens on 0.0.0.0',
        GRAPH_SIM_PORT: 'the demo only',
        PLAYGROUND_PORT: 'the demo only',
        TEAMS_SIM_PORT: 'the demo only',
        DEMO_USER: 'the demo only',
        SQLITE_JOURNAL_MODE: 'decided from the host (delete on App Service)',
        STORAGE: "set by the template's storage parameter, with the account it makes",
        AZURE_STORAGE_CONNECTION_STRING: 'the template signs in with the managed identity',
        AZURE_STORAGE_ACCOUNT_URL:
          "set by the template's storage parameter, with the account it makes",
        AZURE_STORAGE_PREFIX: 'one practice per account: the default prefix',
        MONITOR_ENABLED: 'on by default; the defaults suit a practice',
        MONITOR_POLL_MINUTES: 'the defaults suit a practice',
        MONITOR_FATIGUE_PROMPTS: 'the defaults suit a practice',
        MONITOR_WINDOW_MINUTES: 'the defaults suit a practice',
        MONITOR_DANGER_MINUTES: 'the defaults suit a practice',
        MONITOR_ALERTS_PER_HOUR: 'the defaults suit a practice',
      };
      const env = deployedEnvironment(() => '');
      const undecided = ENV_VARIABLES.filter((name) => !(name in env) && !(name in notSet));
      assert.deepEqual(
        undecided,
        [],
        'set these in infra/azure.parameters.json (or say here why not)',
      );
    });

    it('keeps secrets out of app settings: the bot password is a Key Vault reference', () => {
      const own = bicepOwnSettings();
      assert.match(
        own.get('MicrosoftAppPassword') ?? '',
        /^'@Microsoft\.KeyVault\(VaultName=\$\{vault\.name\};SecretName=\$\{botPasswordSecret\.name\}\)'$/,
      );
      const secretLike = /PASSWORD|SECRET|PRIVATE_?KEY/i;
      for (const [name, value] of [
        ...Object.entries(practiceSettings),
        ...Object.entries(platformSettings),
      ]) {
        assert.doesNotMatch(
          name,
          secretLike,
          `${name} must come from Key Vault, not a plain setting`,
        );
        assert.doesNotMatch(value, /SECRET_/, `${name} must not carry a secret`);
      }
      assert.match(
        bicep,
        /resource botPasswordSecret 'Microsoft\.KeyVault\/vaults\/secrets@[\d-]+' = \{\n\s+parent: vault\n\s+name: 'bot-app-password'\n\s+properties: \{\n\s+value: botAppPassword/,
      );
      assert.match(bicep, /principalId: webApp\.identity\.principalId/);
    });

    it('builds on the service, outside a read-only package, and keeps data under /home', () => {
      assert.equal(platformSettings.SCM_DO_BUILD_DURING_DEPLOYMENT, 'true');
      assert.equal(platformSettings.WEBSITE_RUN_FROM_PACKAGE, '0');
      assert.match(
        platformSettings.CUSTOM_BUILD_COMMAND,
        /^npm ci\b.*&& npm run build && npm prune --omit=dev/,
      );
      assert.equal(platformSettings.DATA_DIR, '/home/data/mfa-bot');
      assert.equal(platformSettings.WEBSITES_ENABLE_APP_SERVICE_STORAGE, 'true');
      assert.match(bicep, /appCommandLine: 'npm start'/);
      assert.match(bicep, /numberOfWorkers: instances/);
      assert.match(bicep, /var instances = onAzureStorage \? instanceCount : 1/);
    });

    it('runs several instances only on a storage account the web app reaches by its identity', () => {
      assert.match(bicep, /^param storage string = 'sqlite'$/m);
      assert.match(bicep, /capacity: instances/);
      const account =
        /resource storageAccount '([^']+)' = if \(onAzureStorage\) \{([\s\S]*?)\n\}/.exec(bicep);
      assert.ok(account, 'a storage account, made only for storage = azure');
      assert.match(account[1]!, /^Microsoft\.Storage\/storageAccounts@/);
      assert.match(account[2]!, /allowSharedKeyAccess: false/);
      assert.match(account[2]!, /allowBlobPublicAccess: false/);
      // Storage Table Data Contributor and Storage Blob Data Contributor, for the web app.
      for (const role of [
        '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
        'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
      ]) {
        const name = new RegExp(
          `var (\\w+) = subscriptionResourceId\\('Microsoft\\.Authorization/roleDefinitions', '${role}'\\)`,
        ).exec(bicep)?.[1];
        assert.ok(name, `role ${role} is named`);
        assert.match(
          bicep,
          new RegExp(
            `scope: storageAccount\\n\\s+name: guid\\([^)]*\\)\\n\\s+properties: \\{\\n\\s+roleDefinitionId: ${name}\\n\\s+principalId: webApp\\.identity\\.principalId`,
          ),
        );
      }
      assert.match(
        bicep,
        /STORAGE: 'azure'\n\s+AZURE_STORAGE_ACCOUNT_URL: 'https:\/\/\$\{storageAccountName\}\.table\./,
      );
    });

    it("registers a single-tenant Azure Bot for the toolkit's Entra app with the Teams channel", () => {
      assert.match(bicep, /msaAppType: 'SingleTenant'/);
      assert.match(bicep, /msaAppId: botAppId/);
      assert.match(
        bicep,
        /endpoint: 'https:\/\/\$\{webApp\.properties\.defaultHostName\}\/api\/messages'/,
      );
      assert.match(bicep, /channelName: 'MsTeamsChannel'/);
    });

    it('has balanced braces, brackets and parentheses', () => {
      const code = bicep.replace(/(^|[ \t])\/\/.*$/gm, '$1').replace(/'(?:[^'\\]|\\.)*'/g, "''");
      for (const [open, close] of [
        ['{', '}'],
        ['[', ']'],
        ['(', ')'],
      ]) {
        assert.equal(code.split(open).length, code.split(close).length, `${open}${close} balanced`);
      }
    });
  });

  describe('the Entra app manifest', () => {
    /** Microsoft Graph application permissions (app role ids) the bot uses. */
    const GRAPH_ROLES: Record<string, string> = {
      'AuditLog.Read.All': 'b0afded3-3588-46d8-8b3d-9842eff778da',
      'UserAuthenticationMethod.Read.All': '38d9df27-64da-44fd-b7c5-a6fbac20248f',
      'UserAuthenticationMethod.ReadWrite.All': '50483e42-d915-4231-9639-7fdb7fd190e5',
      'User.RevokeSessions.All': '77f3a031-c388-4f99-b373-dc68676a979e',
      'GroupMember.Read.All': '98830695-27a2-44f7-8c18-0c3ebc9698f6',
      'User.Read.All': 'df021288-bdef-4463-88db-98f22de89214',
      'TeamsAppInstallation.ReadWriteSelfForUser.All': '908de74d-f8b2-4d6b-a9ed-2a17b3b78179',
      'Mail.Send': 'b633e1c5-b582-4048-a93e-9f11b44c7e96',
      'RoleManagement.Read.Directory': '483bed4a-2ad3-4361-a73b-c83ccdbdc53c',
      'Policy.Read.All': '246dd0d5-5bd0-4def-940b-0421030a5b68',
      'AppCatalog.Read.All': 'e12dae10-5a57-4817-b79d-dfbec5348930',
      'IdentityRiskEvent.Read.All': '6e472fd1-ad78-48da-a0f0-97ab2c6b769e',
    };
    const Manifest = z.object({
      appId: z.string(),
      signInAudience: z.string(),
      identifierUris: z.array(z.string()),
      requiredResourceAccess: z.array(
        z.object({
          resourceAppId: z.string(),
          resourceAccess: z.array(z.object({ id: z.string(), type: z.string() })),
        }),
      ),
    });
    const manifest = Manifest.parse(JSON.parse(read('infra', 'aad.manifest.json')));

    it('asks for the Graph application permissions SECURITY.md lists, and no others', () => {
      const graph = manifest.requiredResourceAccess.filter(
        (r) => r.resourceAppId === '00000003-0000-0000-c000-000000000000',
      );
      assert.equal(graph.length, 1);
      assert.ok(
        graph[0].resourceAccess.every((a) => a.type === 'Role'),
        'application permissions only',
      );
      const byId = Object.fromEntries(Object.entries(GRAPH_ROLES).map(([name, id]) => [id, name]));
      const asked = graph[0].resourceAccess.map((a) => byId[a.id] ?? `unknown ${a.id}`).sort();
      const security = read('SECURITY.md');
      const section = security.slice(security.indexOf('## Least-privilege Graph permissions'));
      const table = section.slice(0, section.indexOf('\n\n', section.indexOf('|---')));
      const listed = new Set(
        [...table.matchAll(/`([A-Za-z]+(?:\.[A-Za-z]+)+)`/g)].map((m) => m[1]),
      );
      listed.add('RoleManagement.Read.Directory');
      assert.deepEqual(asked, [...listed].sort());
    });

    it("is the single-tenant bot app, with the tab's sign-in address the Teams manifest declares", () => {
      assert.equal(manifest.appId, '${{BOT_ID}}');
      assert.equal(manifest.signInAudience, 'AzureADMyOrg');
      assert.deepEqual(manifest.identifierUris, ['api://${{BOT_DOMAIN}}/${{BOT_ID}}']);
    });

    it('gives the deployed bot the same address for checking tab tokens, from the first provision on', () => {
      const names = placeholders(read('infra', 'azure.parameters.json'));
      const botId = '00000000-0000-4000-8000-000000000042';
      // BOT_DOMAIN is written by arm/deploy itself: empty while the template first runs.
      const env = deployedEnvironment((name) =>
        name === 'BOT_ID'
          ? botId
          : name === 'BOT_DOMAIN'
            ? ''
            : sampleValue(name, names.indexOf(name)),
      );
      const declared = manifest.identifierUris[0]!.replace('${{BOT_DOMAIN}}', SAMPLE_HOST).replace(
        '${{BOT_ID}}',
        botId,
      );
      assert.equal(loadConfig(env).tabSsoResource, declared);
    });
  });

  describe('the upload (.webappignore)', () => {
    const rules = read('.webappignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const ignored = (name: string) =>
      rules.some((rule) => {
        const pattern = rule.replace(/\/$/, '');
        const regex = new RegExp(
          `^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`,
        );
        return regex.test(name);
      });

    it('leaves out what the App Service must build for itself, and local data', () => {
      for (const name of ['node_modules', 'dist', 'data', 'env', '.env', '.git', 'test', 'infra']) {
        assert.ok(ignored(name), `${name} is not uploaded`);
      }
    });

    it('sends everything the build and the running bot read', () => {
      const tsconfig = z
        .object({ include: z.array(z.string()) })
        .parse(JSON.parse(read('tsconfig.json')));
      const runtimeFolders = tsconfig.include
        .map((glob) => glob.split('/')[0])
        .filter((top) => !['test', 'bench'].includes(top));
      for (const name of [
        'package.json',
        'package-lock.json',
        'tsconfig.json',
        'content',
        'tab',
        ...runtimeFolders,
      ]) {
        assert.ok(fs.existsSync(assetPath(name)), `${name} exists`);
        assert.ok(!ignored(name), `${name} is uploaded`);
      }
    });
  });
});
