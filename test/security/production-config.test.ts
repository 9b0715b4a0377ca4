import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { ConfigError, loadConfig, type AppConfig } from '../../bot/config';
import { credentialsFactory, MsalCredentialsFactory, withCloudDefaults } from '../../bot/auth';
import { ServiceUrlPolicy } from '../../bot/service-urls';
import { buildApp } from '../../bot/app';
import { createLogger, silentLogger } from '../../services/logger';

const GUID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const CLI = path.resolve(__dirname, '../../bot/cli.js');
const PUBLIC = 'https://login.microsoftonline.com';

/** A complete production environment but for the bot's credentials. */
const WITHOUT_CREDENTIALS = {
  MicrosoftAppId: GUID(1),
  MicrosoftAppTenantId: GUID(2),
  IT_GROUP_ID: GUID(3),
  ADMIN_GROUP_ID: GUID(4),
  IT_PHONE: '555-0100',
  MAIL_SENDER: 'it@practice.example',
  AUDIT_KEY: 'an-audit-key-of-at-least-32-characters',
};
const COMPLETE = { ...WITHOUT_CREDENTIALS, MicrosoftAppPassword: 'secret-value' };

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
    return '';
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.message;
  }
}

describe('production mode refuses to start without credentials', () => {
  it('the CLI exits with status 2 before opening a port, naming what is missing', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-bot-cli-'));
    try {
      const run = spawnSync(process.execPath, [CLI, 'start'], {
        cwd: dataDir,
        env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, MicrosoftAppId: GUID(1) },
        encoding: 'utf8',
        timeout: 20_000,
      });
      assert.equal(run.status, 2, run.stderr);
      const named = [
        'MicrosoftAppPassword',
        'MicrosoftAppTenantId',
        'IT_GROUP_ID',
        'MAIL_SENDER',
        'AUDIT_KEY',
      ];
      for (const name of named) assert.match(run.stderr, new RegExp(name));
      assert.doesNotMatch(run.stdout, /listening/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  const rows: Array<[string, Record<string, string>, RegExp]> = [
    ['no secret and no certificate', {}, /MicrosoftAppPassword \(or CertificateThumbprint/],
    ['a thumbprint without its key', { CertificateThumbprint: 'ab'.repeat(20) }, /Certificate/],
    ['an empty secret', { MicrosoftAppPassword: '  ' }, /MicrosoftAppPassword/],
    [
      'a login URL that is not https',
      { MicrosoftAppPassword: 's', ToChannelFromBotLoginUrl: 'http://127.0.0.1:1/x' },
      /ToChannelFromBotLoginUrl/,
    ],
    [
      'OpenID metadata over http from another machine',
      { MicrosoftAppPassword: 's', ToBotFromChannelOpenIdMetadataUrl: 'http://login.example/m' },
      /ToBotFromChannelOpenIdMetadataUrl/,
    ],
  ];
  for (const [name, env, expected] of rows) {
    it(`loadConfig refuses ${name}`, () => {
      assert.match(problems({ ...WITHOUT_CREDENTIALS, ...env }), expected);
    });
  }

  it('accepts https endpoints, and http metadata only on this machine', () => {
    const urls = [
      'https://login.botframework.com/v1/.well-known/openidconfiguration',
      'http://127.0.0.1:9/m',
    ];
    for (const url of urls) {
      assert.equal(problems({ ...COMPLETE, ToBotFromChannelOpenIdMetadataUrl: url }), '');
    }
  });
});

describe('bot authentication settings', () => {
  const config = (env: Record<string, string>): AppConfig => loadConfig({ ...COMPLETE, ...env });

  it('keeps public-cloud values for the endpoints not set (botbuilder needs all of them)', () => {
    const metadata = 'http://127.0.0.1:9/m';
    const c = config({ ToBotFromChannelOpenIdMetadataUrl: metadata });
    const settings = withCloudDefaults(c.bot.authSettings);
    assert.equal(settings.ToBotFromChannelOpenIdMetadataUrl, metadata);
    assert.equal(settings.ToBotFromChannelTokenIssuer, 'https://api.botframework.com');
    assert.equal(settings.ToChannelFromBotOAuthScope, 'https://api.botframework.com');
    assert.equal(settings.ToChannelFromBotLoginUrl, `${PUBLIC}/botframework.com`);
  });

  it('signs a single-tenant bot in at its own tenant on the configured cloud', () => {
    const c = config({});
    const factory = credentialsFactory(c, withCloudDefaults(c.bot.authSettings), silentLogger());
    assert.ok(factory instanceof MsalCredentialsFactory);
    const tenant = GUID(2);
    const usGov = 'https://login.microsoftonline.us';
    const cases: Array<[string | undefined, string]> = [
      [undefined, `${PUBLIC}/${tenant}`],
      [`${PUBLIC}/botframework.com`, `${PUBLIC}/${tenant}`],
      [`${usGov}/MicrosoftServices.onmicrosoft.com`, `${usGov}/${tenant}`],
      ['https://localhost:8443/botframework.com', `https://localhost:8443/${tenant}`],
    ];
    for (const [loginUrl, authority] of cases) {
      assert.equal(factory.authorityFor(loginUrl), authority);
    }
  });

  it('keeps botbuilder’s own credentials for a user-assigned managed identity', () => {
    const c = loadConfig({
      ...WITHOUT_CREDENTIALS,
      MicrosoftAppType: 'UserAssignedMsi',
      AZURE_CLIENT_ID: GUID(9),
    });
    const factory = credentialsFactory(c, withCloudDefaults(c.bot.authSettings), silentLogger());
    assert.ok(factory instanceof ConfigurationServiceClientCredentialFactory);
  });

  it('never writes a secret when serialized', async () => {
    const c = config({});
    const factory = credentialsFactory(c, withCloudDefaults(c.bot.authSettings), silentLogger());
    const login = 'https://localhost:8443/x';
    const credentials = await factory.createCredentials(GUID(1), undefined, login, true);
    assert.doesNotMatch(JSON.stringify({ factory, credentials }), /secret-value/);
    const stranger = factory.createCredentials(GUID(7), undefined, login, true);
    await assert.rejects(stranger, /Invalid appId/);
    assert.equal(await factory.isValidAppId(GUID(7)), false);
  });
});

describe('serviceUrl hosts the bot sends its token to (SERVICE_URL_HOSTS)', () => {
  const hosts = (env: Record<string, string> = {}) =>
    loadConfig({ ...COMPLETE, ...env }).bot.serviceUrlHosts;
  const verdicts = (policy: ServiceUrlPolicy, urls: string[]) =>
    urls.map((url) => [url, policy.refusal(url) === undefined]);

  it('defaults to the Teams hosts of the public and US government clouds', () => {
    assert.deepEqual(hosts(), [
      'smba.trafficmanager.net',
      'smba.onyx.prod.teams.trafficmanager.net',
      'smba.infra.gcc.teams.microsoft.com',
      'smba.infra.gov.teams.microsoft.us',
      'smba.infra.dod.teams.microsoft.us',
    ]);
    const policy = new ServiceUrlPolicy(hosts());
    const allowed = [
      'https://smba.trafficmanager.net/amer/',
      'https://smba.trafficmanager.net/teams/',
      'https://SMBA.trafficmanager.net/emea/',
      'https://smba.infra.gcc.teams.microsoft.com/gcc/',
      'https://smba.infra.gov.teams.microsoft.us/gcch/',
      'https://smba.infra.dod.teams.microsoft.us/dod/',
    ];
    const refused = [
      'http://smba.trafficmanager.net/amer/',
      'https://attacker.trafficmanager.net/amer/',
      'https://smba.trafficmanager.net.attacker.example/amer/',
      'https://smba.trafficmanager.net@attacker.example/amer/',
      'https://attacker.example/smba.trafficmanager.net/',
      'https://127.0.0.1/',
      'not a url',
      '',
    ];
    assert.deepEqual(
      verdicts(policy, allowed),
      allowed.map((u) => [u, true]),
    );
    assert.deepEqual(
      verdicts(policy, refused),
      refused.map((u) => [u, false]),
    );
  });

  it('takes host names and *.suffix patterns, and plain http only to this machine', () => {
    const list = hosts({ SERVICE_URL_HOSTS: ' teams.example.org, *.bots.example.org ,127.0.0.1' });
    assert.deepEqual(list, ['teams.example.org', '*.bots.example.org', '127.0.0.1']);
    const policy = new ServiceUrlPolicy(list);
    const allowed = [
      'https://teams.example.org/x/',
      'https://a.bots.example.org/',
      'https://a.b.bots.example.org:8443/',
      'http://127.0.0.1:9/',
    ];
    const refused = [
      'https://bots.example.org/',
      'https://abots.example.org/',
      'http://teams.example.org/x/',
      'https://smba.trafficmanager.net/amer/',
    ];
    assert.deepEqual(
      verdicts(policy, allowed),
      allowed.map((u) => [u, true]),
    );
    assert.deepEqual(
      verdicts(policy, refused),
      refused.map((u) => [u, false]),
    );
  });

  for (const value of [
    '*',
    '*.org',
    'https://smba.trafficmanager.net',
    'smba.*.net',
    'a b',
    ' , ',
  ]) {
    it(`loadConfig refuses SERVICE_URL_HOSTS=${JSON.stringify(value)}`, () => {
      assert.match(problems({ ...COMPLETE, SERVICE_URL_HOSTS: value }), /SERVICE_URL_HOSTS/);
    });
  }
});

describe('Graph credential warning at start-up', () => {
  let dataDir: string;
  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-bot-graph-'));
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  async function warningsAtStart(env: Record<string, string>): Promise<string[]> {
    const lines: Array<{ level: number; msg: string }> = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          lines.push(JSON.parse(line) as { level: number; msg: string });
        }
        done();
      },
    });
    const config = loadConfig({ ...COMPLETE, DATA_DIR: dataDir, ...env });
    const app = buildApp(config, { logger: createLogger('info', sink) });
    await app.close();
    return lines.filter((l) => l.level === 40).map((l) => l.msg);
  }

  const rows: Array<[string, Record<string, string>, number]> = [
    ['the bot’s own app (GRAPH_CLIENT_ID unset)', {}, 1],
    [
      'the bot’s own app named again in GRAPH_CLIENT_ID',
      { GRAPH_CLIENT_ID: GUID(1), GRAPH_CLIENT_SECRET: 'secret-value' },
      1,
    ],
    ['a separate app', { GRAPH_CLIENT_ID: GUID(8), GRAPH_CLIENT_SECRET: 'graph-secret' }, 0],
  ];
  for (const [name, env, expected] of rows) {
    it(`${expected ? 'warns once' : 'says nothing'} when Graph uses ${name}`, async () => {
      const warnings = await warningsAtStart(env);
      assert.equal(warnings.length, expected, JSON.stringify(warnings));
      for (const warning of warnings) assert.match(warning, /GRAPH_CLIENT_ID/);
    });
  }
});
