import assert from 'node:assert/strict';
import { loadConfig, ConfigError } from '../../bot/config';

const GUID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const COMPLETE_PRODUCTION = {
  MicrosoftAppId: GUID(1),
  MicrosoftAppPassword: 'secret-value',
  MicrosoftAppTenantId: GUID(2),
  IT_GROUP_ID: GUID(3),
  ADMIN_GROUP_ID: GUID(4),
  IT_PHONE: '555-0100',
  MAIL_SENDER: 'it@practice.example',
  AUDIT_KEY: 'an-audit-key-of-at-least-32-characters',
};

describe('configuration', () => {
  it('runs the demo when MicrosoftAppId is unset: loopback only, groups from the demo practice', () => {
    const c = loadConfig({});
    assert.equal(c.mode, 'demo');
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.port, 3978);
    assert.equal(c.graph.baseUrl, 'https://localhost:3979');
    assert.match(c.groups.it, /^[0-9a-f-]{36}$/);
    assert.notEqual(c.groups.it, c.groups.admin);
    assert.deepEqual(Object.keys(c.groups.roles).sort(), [
      'Billing',
      'Front Desk',
      'Nursing',
      'Physicians',
    ]);
    assert.equal(c.tapLifetimeMinutes, 60);
    assert.equal(c.ticketSlaMinutes, 15);
    assert.equal(c.nudgeMaxRps, 30);
  });

  it('refuses to start in production, naming every missing variable at once', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ MicrosoftAppId: GUID(1) });
    } catch (e) {
      error = e as ConfigError;
    }
    assert.ok(error instanceof ConfigError);
    for (const name of [
      'MicrosoftAppTenantId',
      'IT_GROUP_ID',
      'ADMIN_GROUP_ID',
      'IT_PHONE',
      'MAIL_SENDER',
      'MicrosoftAppPassword',
      'AUDIT_KEY',
    ]) {
      assert.match(error.message, new RegExp(name), `mentions ${name}`);
    }
  });

  it("takes the tab's Application ID URI, and refuses one that is not an api:// URI", () => {
    const uri = `api://mfa.practice.example/${GUID(1)}`;
    assert.equal(loadConfig({ ...COMPLETE_PRODUCTION, TAB_SSO_RESOURCE: uri }).tabSsoResource, uri);
    assert.equal(loadConfig(COMPLETE_PRODUCTION).tabSsoResource, undefined);
    assert.throws(
      () =>
        loadConfig({ ...COMPLETE_PRODUCTION, TAB_SSO_RESOURCE: `https://mfa.practice.example` }),
      /TAB_SSO_RESOURCE: must start with api:\/\//,
    );
  });

  it('names invalid values', () => {
    assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT/);
    assert.throws(() => loadConfig({ TAP_LIFETIME_MINUTES: '5' }), /TAP_LIFETIME_MINUTES/);
    assert.throws(() => loadConfig({ ROLE_GROUPS: '{nope' }), /ROLE_GROUPS: must be JSON/);
    assert.throws(() => loadConfig({ GRAPH_BASE_URL: 'http://graph.example' }), /GRAPH_BASE_URL/);
    assert.throws(
      () => loadConfig({ AUDIT_KEY: 'short-key' }),
      /AUDIT_KEY: must be at least 32 random characters/,
    );
  });

  it('asks for AUDIT_KEY in production with what it is for and how to make one, and never repeats a key it refuses', () => {
    const short = 'too-short-a-secret';
    assert.throws(
      () => loadConfig({ ...COMPLETE_PRODUCTION, AUDIT_KEY: short }),
      (err: Error) => !err.message.includes(short) && /AUDIT_KEY/.test(err.message),
    );
    const { AUDIT_KEY: _omitted, ...withoutKey } = COMPLETE_PRODUCTION;
    assert.throws(
      () => loadConfig(withoutKey),
      /AUDIT_KEY is required in production \(the secret that seals the audit log.*openssl rand -base64 32.*never in the database\)/,
    );
    assert.equal(loadConfig(COMPLETE_PRODUCTION).audit.key, COMPLETE_PRODUCTION.AUDIT_KEY);
    assert.equal(loadConfig({}).audit.key, undefined, 'the demo keeps its own key in DATA_DIR');
  });

  it('refuses the manifest id as the Teams app catalog id, in the demo and in production', () => {
    for (const base of [{}, COMPLETE_PRODUCTION]) {
      assert.throws(
        () =>
          loadConfig({
            ...base,
            TEAMS_APP_ID: GUID(7),
            TEAMS_APP_CATALOG_ID: GUID(7).toUpperCase(),
          }),
        /TEAMS_APP_CATALOG_ID: this is the manifest id \(TEAMS_APP_ID\).*Leave TEAMS_APP_CATALOG_ID empty to look it up/,
      );
    }
    const c = loadConfig({ ...COMPLETE_PRODUCTION, TEAMS_APP_ID: GUID(7) });
    assert.deepEqual([c.teamsAppId, c.teamsAppCatalogId], [GUID(7), undefined]);
  });

  it('refuses to install the bot for people when Graph signs in as another app than the manifest names', () => {
    // TeamsAppInstallation.ReadWriteSelfForUser.All installs only the app calling Graph, and the
    // manifest's webApplicationInfo.id is the bot's own app.
    const separate = {
      ...COMPLETE_PRODUCTION,
      GRAPH_CLIENT_ID: GUID(8),
      GRAPH_CLIENT_SECRET: 'graph-secret',
    };
    assert.throws(
      () => loadConfig({ ...separate, TEAMS_APP_ID: GUID(7) }),
      /GRAPH_CLIENT_ID: installing the bot for people \(TEAMS_APP_ID\) needs Microsoft Graph to sign in as the bot's own app/,
    );
    assert.throws(
      () => loadConfig({ ...separate, TEAMS_APP_CATALOG_ID: GUID(9) }),
      /webApplicationInfo\.id/,
    );
    assert.equal(
      loadConfig(separate).graph.clientId,
      GUID(8),
      'a separate Graph app is fine without installing',
    );
    const msi = {
      ...COMPLETE_PRODUCTION,
      MicrosoftAppType: 'UserAssignedMsi',
      MicrosoftAppPassword: '',
    };
    assert.throws(
      () => loadConfig({ ...msi, AZURE_CLIENT_ID: GUID(8), TEAMS_APP_ID: GUID(7) }),
      /AZURE_CLIENT_ID: installing the bot/,
    );
    assert.equal(
      loadConfig({ ...msi, AZURE_CLIENT_ID: GUID(1), TEAMS_APP_ID: GUID(7) }).teamsAppId,
      GUID(7),
    );
  });

  it('accepts a complete production configuration and reuses the bot app for Graph', () => {
    const c = loadConfig({
      ...COMPLETE_PRODUCTION,
      ROLE_GROUPS: JSON.stringify({ Nursing: GUID(5) }),
    });
    assert.equal(c.mode, 'production');
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.graph.clientId, GUID(1));
    assert.equal(c.graph.clientSecret, 'secret-value');
    assert.equal(c.graph.baseUrl, 'https://graph.microsoft.com');
    assert.deepEqual(c.groups.roles, { Nursing: GUID(5) });
  });
});

describe('documentation of the configuration', () => {
  it('lists every variable in env.TEMPLATE and in the README', async () => {
    const fs = await import('node:fs');
    const { ENV_VARIABLES } = await import('../../bot/config');
    const { assetPath } = await import('../../services/paths');
    const template = fs.readFileSync(assetPath('env.TEMPLATE'), 'utf8');
    const readme = fs.readFileSync(assetPath('README.md'), 'utf8');
    for (const name of ENV_VARIABLES) {
      assert.match(template, new RegExp(`^${name}=`, 'm'), `${name} missing from env.TEMPLATE`);
      assert.match(readme, new RegExp(`\`${name}\``), `${name} missing from the README`);
    }
  });
});
