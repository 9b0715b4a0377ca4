/**
 * Directory benchmark: generate a synthetic practice, serve it from the Graph stand-in, and read
 * it through GraphDirectory. `npm run bench -- directory [--users N] [--page-size N] [--json]`
 */
import { performance } from 'node:perf_hooks';
import { generatePractice } from '../services/directory/generate';
import { GraphDirectory, staticTokenProvider } from '../services/directory/graph';
import { STANDARD_GROUP_IDS } from '../services/directory/standard-groups';
import { startGraphSim } from '../services/graph-sim';

function option(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(args[index + 1]);
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

export async function run(args: string[]): Promise<Record<string, number>> {
  const users = option(args, 'users', 50_000);
  const pageSize = option(args, 'page-size', 999);
  const [practice, generateMs] = await timed(() => generatePractice({ users, seed: 1 }));
  const [sim, startMs] = await timed(() => startGraphSim({ practice, pageSize }));
  const directory = new GraphDirectory({
    baseUrl: sim.baseUrl,
    authProvider: staticTokenProvider('bench'),
    caPem: sim.caPem,
  });
  try {
    const [rows, reportMs] = await timed(async () => {
      let count = 0;
      for await (const page of directory.registrationPages()) count += page.length;
      return count;
    });
    const [unregistered, filteredMs] = await timed(async () => {
      let count = 0;
      for await (const page of directory.registrationPages({ authenticatorRegistered: false })) {
        count += page.length;
      }
      return count;
    });
    const checks = 200;
    const ids = practice.users.slice(0, checks).map((u) => u.id);
    const groups = [STANDARD_GROUP_IDS.itSupport, STANDARD_GROUP_IDS.practiceAdmins];
    const [, checksMs] = await timed(async () => {
      for (const id of ids) await directory.memberGroups(id, groups);
    });
    return {
      users,
      pageSize,
      generateMs: Math.round(generateMs),
      simStartMs: Math.round(startMs),
      reportRows: rows,
      reportMs: Math.round(reportMs),
      reportRowsPerSecond: Math.round((rows / reportMs) * 1000),
      unregisteredRows: unregistered,
      unregisteredMs: Math.round(filteredMs),
      memberGroupsMeanMs: Number((checksMs / checks).toFixed(2)),
    };
  } finally {
    await directory.close();
    await sim.close();
  }
}
