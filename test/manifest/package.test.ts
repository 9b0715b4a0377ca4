import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { buffer } from 'node:stream/consumers';
import { PNG } from 'pngjs';
import sinon from 'sinon';
import yauzl from 'yauzl';
import { z } from 'zod';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { COMMANDS, type Command } from '../../bot/commands';
import { buildPackage, PackageError, runPackageCommand } from '../../manifest/build';
import { commandListProblems, commandLists } from '../../manifest/commands';
import { PACKAGE_VARIABLES, parseEnvFile } from '../../manifest/env';
import { drawColorIcon, drawOutlineIcon } from '../../manifest/icons/draw';
import { ICONS } from '../../manifest/png';
import { MANIFEST_VERSION, SCHEMA_URL, schemaProblems } from '../../manifest/schema';
import { readTemplate } from '../../manifest/template';
import { assetPath } from '../../services/paths';

const COMPLETE_ENV = {
  TEAMS_APP_ID: '6d0e1f1a-4b2c-4c1d-9e8f-0a1b2c3d4e5f',
  MicrosoftAppId: 'a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  BOT_DOMAIN: 'mfa-bot.example.org',
  DEVELOPER_NAME: 'Riverbend Family Medicine',
  DEVELOPER_WEBSITE_URL: 'https://riverbendfm.example/it',
  PRIVACY_URL: 'https://riverbendfm.example/privacy',
  TERMS_URL: 'https://riverbendfm.example/terms',
};

async function readZip(file: string): Promise<Map<string, Buffer>> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true });
  const entries = new Map<string, Buffer>();
  try {
    for await (const entry of zip.eachEntry()) {
      entries.set(entry.fileName, await buffer(await zip.openReadStreamPromise(entry)));
    }
  } finally {
    zip.close();
  }
  return entries;
}

function commandsFor(...audiences: Array<Command['audience']>) {
  return audiences.flatMap((a) =>
    COMMANDS.filter((c) => c.audience === a).map(({ title, description }) => ({
      title,
      description,
    })),
  );
}

async function rejection(promise: Promise<unknown>): Promise<PackageError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof PackageError, `expected a PackageError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the build to be rejected');
}

function sink() {
  let written = '';
  return {
    stream: { write: (chunk: string | Uint8Array) => ((written += String(chunk)), true) },
    text: () => written,
  };
}

describe('Teams app package', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-package-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const build = (env: Record<string, string> = COMPLETE_ENV) =>
    buildPackage({ env, outFile: path.join(dir, 'a.zip') });

  describe('buildPackage', () => {
    it('zips exactly manifest.json, color.png and outline.png at the root', async () => {
      const outFile = path.join(dir, 'nested', 'appPackage.zip');
      const built = await buildPackage({ env: COMPLETE_ENV, outFile });
      assert.equal(built.outFile, outFile);
      const entries = await readZip(outFile);
      assert.deepEqual([...entries.keys()].sort(), ['color.png', 'manifest.json', 'outline.png']);
      const manifestJson: unknown = JSON.parse(String(entries.get('manifest.json')));
      assert.deepEqual(manifestJson, built.manifest);
      assert.deepEqual(entries.get('color.png'), fs.readFileSync(ICONS.color.file));
      assert.deepEqual(entries.get('outline.png'), fs.readFileSync(ICONS.outline.file));
    });

    it('produces a manifest that validates against the bundled schema', async () => {
      const { manifest } = await build();
      assert.equal(manifest.$schema, SCHEMA_URL);
      assert.equal(manifest.manifestVersion, MANIFEST_VERSION);
      assert.deepEqual(await schemaProblems({ ...manifest }), []);
    });

    it('fills the environment values and the defaults', async () => {
      const { manifest } = await build();
      const pkg = z
        .object({ version: z.string() })
        .parse(JSON.parse(fs.readFileSync(assetPath('package.json'), 'utf8')));
      assert.equal(manifest.id, COMPLETE_ENV.TEAMS_APP_ID);
      assert.equal(manifest.version, pkg.version);
      assert.equal(manifest.name.short, 'MFA Helper');
      assert.equal(manifest.developer.privacyUrl, COMPLETE_ENV.PRIVACY_URL);
      const [bot] = manifest.bots ?? [];
      assert.equal(bot?.botId, COMPLETE_ENV.MicrosoftAppId);
      assert.deepEqual(bot?.scopes, ['personal', 'team']);
      assert.deepEqual(manifest.validDomains, ['mfa-bot.example.org']);
      const [tab] = manifest.staticTabs ?? [];
      assert.equal(tab?.contentUrl, 'https://mfa-bot.example.org/tab/index.html');
      assert.deepEqual(tab?.scopes, ['personal']);
      assert.deepEqual(manifest.webApplicationInfo, {
        id: COMPLETE_ENV.MicrosoftAppId,
        resource: `api://mfa-bot.example.org/${COMPLETE_ENV.MicrosoftAppId}`,
      });
      assert.doesNotMatch(JSON.stringify(manifest), /\$\{\{/);
    });

    it('declares that the bot works in shared and private channels (the IT team may use one)', async () => {
      const { manifest } = await build();
      assert.equal(manifest.supportsChannelFeatures, 'tier1');
    });

    it('generates the command lists from COMMANDS by audience', async () => {
      const { manifest } = await build();
      const lists = manifest.bots?.[0]?.commandLists ?? [];
      const byScope = new Map(lists.map((l) => [l.scopes.join(','), l.commands]));
      assert.deepEqual([...byScope.keys()], ['personal', 'team']);
      assert.deepEqual(byScope.get('personal'), commandsFor('staff', 'admin'));
      assert.deepEqual(byScope.get('team'), commandsFor('it'));
      const listed = new Set(lists.flatMap((l) => l.commands.map((c) => c.title)));
      assert.deepEqual(
        COMMANDS.filter((c) => !listed.has(c.title)).map((c) => c.title),
        [],
        'every command appears in a menu',
      );
    });

    it('rejects with one error naming every missing value', async () => {
      const env: Record<string, string> = { ...COMPLETE_ENV, PRIVACY_URL: '  ' };
      delete env.MicrosoftAppId;
      const err = await rejection(build(env));
      assert.match(err.message, /MicrosoftAppId is missing/);
      assert.match(err.message, /PRIVACY_URL is missing/);
      assert.equal(err.problems.length, 2);
      assert.equal(fs.existsSync(path.join(dir, 'a.zip')), false);
    });

    it('names a bot domain given with a scheme', async () => {
      const env = { ...COMPLETE_ENV, BOT_DOMAIN: 'https://mfa-bot.example.org' };
      const err = await rejection(build(env));
      assert.deepEqual(err.problems.length, 1);
      assert.match(err.message, /BOT_DOMAIN must be a host name .*without https:\/\//);
    });

    it('names ids that are not GUIDs and addresses that are not https', async () => {
      const env = { ...COMPLETE_ENV, TEAMS_APP_ID: 'my-app', TERMS_URL: 'http://example.org/t' };
      const err = await rejection(build(env));
      assert.match(err.message, /TEAMS_APP_ID must be a GUID/);
      assert.match(err.message, /TERMS_URL must be an https:\/\/ address/);
    });

    it('names a value longer than Teams allows', async () => {
      const env = { ...COMPLETE_ENV, APP_NAME_SHORT: 'A name far longer than thirty characters' };
      const err = await rejection(build(env));
      assert.match(err.message, /APP_NAME_SHORT must be at most 30 characters/);
    });
  });

  describe('command lists', () => {
    it('reports titles, descriptions and list sizes Teams would refuse', () => {
      const [first] = COMMANDS;
      const long: Command = { ...first, title: 't'.repeat(33), description: 'd'.repeat(129) };
      const more = Array.from({ length: 10 }, (_, i) => ({ ...first, title: `command ${i}` }));
      const problems = commandListProblems(commandLists([long, ...more])).join('\n');
      assert.match(problems, /personal command list has 11 commands/);
      assert.match(problems, /title "t{33}" is longer than 32 characters/);
      assert.match(problems, /description of "t{33}" is longer than 128 characters/);
      assert.match(problems, /team command list is empty/);
    });

    it('keeps the real commands within those limits', () => {
      assert.deepEqual(commandListProblems(commandLists()), []);
    });
  });

  describe('template', () => {
    it('targets the generally available schema version Teams accepts, which the validator bundles', () => {
      const template = readTemplate();
      assert.equal(template.$schema, SCHEMA_URL);
      assert.equal(template.manifestVersion, MANIFEST_VERSION);
    });

    it('lists every package variable in env/.env.dev.TEMPLATE', () => {
      const listed = parseEnvFile(fs.readFileSync(assetPath('env', '.env.dev.TEMPLATE'), 'utf8'));
      assert.deepEqual(
        PACKAGE_VARIABLES.filter((name) => !(name in listed)),
        [],
      );
    });
  });

  describe('icons', () => {
    const color = PNG.sync.read(fs.readFileSync(ICONS.color.file));
    const outline = PNG.sync.read(fs.readFileSync(ICONS.outline.file));

    it('has a 192x192 colour icon and a 32x32 outline icon', () => {
      assert.deepEqual([color.width, color.height], [192, 192]);
      assert.deepEqual([outline.width, outline.height], [32, 32]);
    });

    it('draws the outline icon in white on a transparent background only', () => {
      let transparent = 0;
      for (let i = 0; i < outline.data.length; i += 4) {
        const [r, g, b, a] = outline.data.subarray(i, i + 4);
        if (a === 0) transparent++;
        else assert.deepEqual([r, g, b], [255, 255, 255], `pixel ${i / 4} is not white`);
      }
      assert.ok(transparent > outline.width * outline.height * 0.25, 'mostly transparent');
      assert.equal(outline.data[3], 0, 'the corner is transparent');
    });

    it('fills the colour icon edge to edge', () => {
      for (let i = 3; i < color.data.length; i += 4) assert.equal(color.data[i], 255);
    });

    it('commits the icons the generator draws', () => {
      assert.ok(drawColorIcon().data.equals(color.data), 'run manifest/icons/draw.ts again');
      assert.ok(drawOutlineIcon().data.equals(outline.data), 'run manifest/icons/draw.ts again');
    });
  });

  describe('package command', () => {
    it('reads an env file, writes the zip and prints its path', async () => {
      const envFile = path.join(dir, '.env.dev');
      const lines = Object.entries(COMPLETE_ENV).map(([k, v]) => `${k}="${v}"`);
      lines.push('export APP_NAME_SHORT=MFA Desk # short');
      fs.writeFileSync(envFile, `# dev\n${lines.join('\n')}\n`);
      const out = sink();
      const err = sink();
      const outFile = path.join(dir, 'pkg.zip');
      const unpacked = path.join(dir, 'unpacked');
      const code = await runPackageCommand(
        ['--env-file', envFile, '--out', outFile, '--unpacked', unpacked],
        { BOT_DOMAIN: 'teams.riverbendfm.example', PATH: '/usr/bin' },
        { out: out.stream, err: err.stream },
      );
      assert.equal(code, 0, err.text());
      assert.match(out.text(), new RegExp(outFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      const manifest = z
        .object({ validDomains: z.array(z.string()), name: z.object({ short: z.string() }) })
        .parse(JSON.parse(fs.readFileSync(path.join(unpacked, 'manifest.json'), 'utf8')));
      assert.deepEqual(manifest.validDomains, ['teams.riverbendfm.example'], 'environment wins');
      assert.equal(manifest.name.short, 'MFA Desk');
      const files = fs.readdirSync(unpacked).sort();
      assert.deepEqual(files, ['color.png', 'manifest.json', 'outline.png']);
      assert.ok(fs.existsSync(outFile));
    });

    it('exits 1 and lists the problems when values are missing', async () => {
      const err = sink();
      const code = await runPackageCommand(
        ['--out', path.join(dir, 'x.zip')],
        {},
        {
          out: sink().stream,
          err: err.stream,
        },
      );
      assert.equal(code, 1);
      for (const name of ['TEAMS_APP_ID', 'MicrosoftAppId', 'BOT_DOMAIN', 'DEVELOPER_NAME']) {
        assert.match(err.text(), new RegExp(`${name} is missing`));
      }
      // Where the values go: the template that explains them, and the flag that reads them.
      assert.match(err.text(), /env\/\.env\.dev\.TEMPLATE/);
      assert.match(err.text(), /npm run package -- --env-file env\/\.env\.dev/);
    });

    it('says plainly that an env file is missing, and what to do', async () => {
      const err = sink();
      const missing = path.join(dir, '.env.dev');
      const code = await runPackageCommand(
        ['--env-file', missing],
        {},
        {
          out: sink().stream,
          err: err.stream,
        },
      );
      assert.equal(code, 2);
      assert.match(
        err.text(),
        new RegExp(`There is no file ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
      );
      assert.match(err.text(), /Copy env\/\.env\.dev\.TEMPLATE/);
      assert.doesNotMatch(err.text(), /ENOENT/);
    });

    it('reaches the command through "npm run package -- --env-file" even when the file is missing', () => {
      // Node 20 reads --env-file anywhere on its command line and stops with exit 9 when the
      // file is missing, before the bot's code runs; the npm script must keep it for the command.
      const script = (
        JSON.parse(fs.readFileSync(assetPath('package.json'), 'utf8')) as {
          scripts: Record<string, string>;
        }
      ).scripts.package!;
      const command = script
        .split('&&')
        .pop()!
        .trim()
        .replace(/^node /, '');
      const args = [...command.split(/\s+/), '--env-file', path.join(dir, 'missing.env')];
      const run = spawnSync(process.execPath, args, { cwd: assetPath(), encoding: 'utf8' });
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, /There is no file .*missing\.env/);
      assert.doesNotMatch(run.stderr, /^node: /m);
    });

    it('exits 2 on an unknown option or an unreadable env file', async () => {
      const io = { out: sink().stream, err: sink().stream };
      assert.equal(await runPackageCommand(['--bogus'], {}, io), 2);
      assert.equal(await runPackageCommand(['--env-file', path.join(dir, 'none')], {}, io), 2);
    });
  });

  describe('parseEnvFile', () => {
    it('reads KEY=VALUE lines, quotes, comments and export', () => {
      const values = parseEnvFile('# c\n\nA=1\nexport B = two words # note\nC="x # y"\nD=\n');
      assert.deepEqual(values, { A: '1', B: 'two words', C: 'x # y', D: '' });
    });

    it('names a line it cannot read', () => {
      assert.throws(() => parseEnvFile('A=1\nnot a pair\n'), /line 2/);
    });
  });

  describe('schema check', () => {
    const sandbox = sinon.createSandbox();
    afterEach(() => sandbox.restore());

    it('reads the bundled schema and never fetches one', async () => {
      const fetchSchema = sandbox.stub(AppManifestUtils, 'fetchSchema').rejects(new Error('net'));
      const { manifest } = await build();
      assert.deepEqual(await schemaProblems({ ...manifest }), []);
      assert.equal(fetchSchema.called, false);
    });

    it('reports each schema error with the path it concerns', async () => {
      const { manifest } = await build();
      const problems = await schemaProblems({ ...manifest, id: 'nope', accentColor: 'teal' });
      assert.equal(problems.length, 2);
      assert.ok(problems.some((p) => p.startsWith('manifest/id must match pattern')));
      assert.ok(problems.some((p) => p.startsWith('manifest/accentColor must match pattern')));
    });

    it('refuses a schema version the validator does not bundle', async () => {
      const problems = await schemaProblems({
        $schema: SCHEMA_URL.replace(MANIFEST_VERSION, '1.99'),
        manifestVersion: '1.99',
      });
      assert.match(problems.join('\n'), /no bundled schema/);
    });
  });
});
