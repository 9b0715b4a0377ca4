import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Azurite's published development account (the same for every Azurite install; not a secret). */
const ACCOUNT = 'devstoreaccount1';
const ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface RunningAzurite {
  /** For AZURE_STORAGE_CONNECTION_STRING: table and blob endpoints on loopback. */
  connectionString: string;
  stop(): Promise<void>;
}

/**
 * Why a guard process: Azurite does not notice its parent dying, so a test runner killed with -9
 * would leave it running. The guard holds the only end of a pipe from this process and stops
 * Azurite when the pipe closes, whatever way this process ended.
 */
const GUARD = `
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, process.argv.slice(1), { stdio: ['ignore', 'inherit', 'inherit'] });
const stop = () => { try { child.kill('SIGKILL'); } catch {} process.exit(0); };
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
child.on('exit', (code) => process.exit(code ?? 1));
`;

/**
 * Azurite (the Azure Storage emulator from npm) on 127.0.0.1 with ports the system picks, data in
 * memory only and telemetry off, so a test reaches nothing but this machine.
 */
export async function startAzurite(
  options: { memoryLimitMb?: number } = {},
): Promise<RunningAzurite> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfa-azurite-'));
  const args = [
    require.resolve('azurite/dist/src/azurite.js'),
    '--silent',
    '--inMemoryPersistence',
    '--disableTelemetry',
    '--skipApiVersionCheck',
    '--extentMemoryLimit',
    String(options.memoryLimitMb ?? 512),
    ...['blob', 'queue', 'table'].flatMap((s) => [`--${s}Host`, '127.0.0.1', `--${s}Port`, '0']),
  ];
  const child: ChildProcess = spawn(process.execPath, ['-e', GUARD, ...args], {
    cwd: workDir,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const cleanUp = () => fs.rmSync(workDir, { recursive: true, force: true });
  // SIGTERM, not SIGKILL: the guard must live long enough to stop Azurite.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);

  const ports = await new Promise<Record<string, number>>((resolve, reject) => {
    const found: Record<string, number> = {};
    let output = '';
    const timer = setTimeout(() => reject(new Error(`Azurite did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const m of output.matchAll(
        /Azurite (Blob|Queue|Table) service is successfully listening at http:\/\/127\.0\.0\.1:(\d+)/g,
      )) {
        found[m[1]!.toLowerCase()] = Number(m[2]);
      }
      if (found.blob && found.table) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(found);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited (${code}) before it was ready:\n${output}`));
    });
  }).catch((err: unknown) => {
    child.kill('SIGTERM');
    process.off('exit', killOnExit);
    cleanUp();
    throw err;
  });

  const connectionString = [
    'DefaultEndpointsProtocol=http',
    `AccountName=${ACCOUNT}`,
    `AccountKey=${ACCOUNT_KEY}`,
    `BlobEndpoint=http://127.0.0.1:${ports.blob}/${ACCOUNT}`,
    `TableEndpoint=http://127.0.0.1:${ports.table}/${ACCOUNT}`,
  ].join(';');
  return {
    connectionString,
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.stdin?.end();
          child.kill('SIGTERM');
        });
      }
      cleanUp();
    },
  };
}
