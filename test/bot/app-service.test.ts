import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, storageSettings, ConfigError } from '../../bot/config';
import { SqliteStore } from '../../services/storage/sqlite';

const GUID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** What Azure App Service sets in every app it runs. */
const APP_SERVICE = { WEBSITE_SITE_NAME: 'mfa-bot-riverbend', WEBSITE_INSTANCE_ID: 'a1b2c3' };

const PRODUCTION = {
  MicrosoftAppId: GUID(1),
  MicrosoftAppPassword: 'secret-value',
  MicrosoftAppTenantId: GUID(2),
  IT_GROUP_ID: GUID(3),
  ADMIN_GROUP_ID: GUID(4),
  IT_PHONE: '555-0100',
  MAIL_SENDER: 'it@practice.example',
  AUDIT_KEY: 'k'.repeat(44),
};

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the configuration to be refused');
}

describe('configuration on Azure App Service', () => {
  it('refuses to start the demo there, naming every variable production needs', () => {
    const error = configError({ ...APP_SERVICE });
    for (const name of [
      'MicrosoftAppId',
      'MicrosoftAppTenantId',
      'IT_GROUP_ID',
      'ADMIN_GROUP_ID',
      'IT_PHONE',
      'MAIL_SENDER',
      'MicrosoftAppPassword',
    ]) {
      assert.match(error.message, new RegExp(`\\b${name}\\b`), `mentions ${name}`);
    }
    assert.match(error.message, /local demo never runs on Azure App Service/);
    assert.doesNotMatch(error.message, /when GRAPH_CLIENT_ID is set/, 'GRAPH_CLIENT_ID is not set');
  });

  it('recognises App Service by either of its variables', () => {
    assert.throws(() => loadConfig({ WEBSITE_SITE_NAME: 'mfa-bot' }), /MicrosoftAppId is required/);
    assert.throws(
      () => loadConfig({ WEBSITE_INSTANCE_ID: 'a1b2c3' }),
      /MicrosoftAppId is required/,
    );
    assert.equal(loadConfig({}).mode, 'demo');
  });

  it('keeps the database under /home, which survives restarts, with the DELETE journal', () => {
    const c = loadConfig({ ...APP_SERVICE, ...PRODUCTION });
    assert.equal(c.mode, 'production');
    assert.equal(c.dataDir, '/home/data/mfa-bot');
    assert.equal(c.sqliteJournalMode, 'delete');
  });

  it('warns once at start that SQLite supports a single instance there', () => {
    const c = loadConfig({ ...APP_SERVICE, ...PRODUCTION });
    assert.equal(c.startupWarnings.length, 1);
    assert.match(c.startupWarnings[0], /one instance only/);
    assert.deepEqual(loadConfig(PRODUCTION).startupWarnings, []);
  });

  it('refuses a data folder that a deployment replaces or a restart loses', () => {
    for (const DATA_DIR of ['./data', '/home/site/wwwroot/data', '/tmp/mfa-bot']) {
      const error = configError({ ...APP_SERVICE, ...PRODUCTION, DATA_DIR });
      assert.match(
        error.message,
        /DATA_DIR must be under \/home and outside \/home\/site/,
        DATA_DIR,
      );
    }
    assert.equal(
      loadConfig({ ...APP_SERVICE, ...PRODUCTION, DATA_DIR: '/home/mfa' }).dataDir,
      '/home/mfa',
    );
  });

  it('refuses WAL on the network share behind /home', () => {
    const error = configError({ ...APP_SERVICE, ...PRODUCTION, SQLITE_JOURNAL_MODE: 'wal' });
    assert.match(error.message, /SQLITE_JOURNAL_MODE=wal is not safe on Azure App Service/);
  });

  it('refuses a Key Vault reference App Service could not resolve, rather than use it as the password', () => {
    const error = configError({
      ...APP_SERVICE,
      ...PRODUCTION,
      MicrosoftAppPassword: '@Microsoft.KeyVault(VaultName=kvmfabot;SecretName=bot-app-password)',
    });
    assert.match(
      error.message,
      /MicrosoftAppPassword: App Service could not read it from Key Vault/,
    );
    assert.doesNotMatch(error.message, /kvmfabot/, 'the message does not repeat the reference');
  });

  it('treats an empty app setting as unset', () => {
    const blanks = {
      MicrosoftAppType: '',
      SECOND_VERIFIER_MAY_BE_ADMIN: '',
      LOG_LEVEL: '',
      TAP_LIFETIME_MINUTES: '',
      PRIVILEGED_GROUP_ID: '',
      DATA_DIR: '',
    };
    const c = loadConfig({ ...APP_SERVICE, ...PRODUCTION, ...blanks });
    assert.equal(c.bot.appType, 'SingleTenant');
    assert.equal(c.secondVerifierMayBeAdmin, false);
    assert.equal(c.logLevel, 'info');
    assert.equal(c.tapLifetimeMinutes, 60);
    assert.equal(c.groups.privileged, undefined);
    assert.equal(c.dataDir, '/home/data/mfa-bot');
  });

  it('lists storage problems with the missing variables, all at once', () => {
    const error = configError({ ...APP_SERVICE, DATA_DIR: '/home/site/wwwroot/data' });
    assert.match(error.message, /MicrosoftAppId is required/);
    assert.match(error.message, /DATA_DIR must be under/);
  });

  it('gives the command line the same database and journal mode as the bot', () => {
    assert.deepEqual(storageSettings({ ...APP_SERVICE }), {
      dataDir: '/home/data/mfa-bot',
      journalMode: 'delete',
      warnings: loadConfig({ ...APP_SERVICE, ...PRODUCTION }).startupWarnings,
    });
    assert.throws(
      () => storageSettings({ ...APP_SERVICE, DATA_DIR: '/home/site/wwwroot' }),
      /DATA_DIR/,
    );
  });
});

describe('configuration elsewhere', () => {
  it('keeps ./data and WAL by default, and takes SQLITE_JOURNAL_MODE for a network disk', () => {
    const c = loadConfig(PRODUCTION);
    assert.equal(c.dataDir, path.resolve('data'));
    assert.equal(c.sqliteJournalMode, 'wal');
    assert.equal(
      loadConfig({ ...PRODUCTION, SQLITE_JOURNAL_MODE: 'delete' }).sqliteJournalMode,
      'delete',
    );
    assert.throws(() => loadConfig({ SQLITE_JOURNAL_MODE: 'memory' }), /SQLITE_JOURNAL_MODE/);
  });
});

describe('SQLite journal mode', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-journal-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function journalOf(journalMode: 'wal' | 'delete' | undefined): Promise<unknown> {
    const store = new SqliteStore(path.join(dir, `${journalMode ?? 'default'}.db`), undefined, {
      journalMode,
    });
    try {
      return store.database.pragma('journal_mode', { simple: true });
    } finally {
      await store.close();
    }
  }

  it('opens the database in the journal mode the configuration chose', async () => {
    assert.equal(await journalOf('delete'), 'delete');
    assert.equal(await journalOf('wal'), 'wal');
    assert.equal(await journalOf(undefined), 'wal');
  });

  it('keeps no shared-memory or WAL file beside a DELETE-mode database while it is open', async () => {
    const store = new SqliteStore(path.join(dir, 'mfa-bot.db'), undefined, {
      journalMode: 'delete',
    });
    try {
      await store.put('docs', 'a', { n: 1 });
      assert.deepEqual(fs.readdirSync(dir).sort(), ['mfa-bot.db']);
    } finally {
      await store.close();
    }
  });
});
