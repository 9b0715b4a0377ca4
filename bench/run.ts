/**
 * Benchmark runner: `npm run bench -- <name> [--json]`.
 * Each benchmark is a module in this folder exporting `run(args): Promise<Record<string, number>>`.
 * With --json the last stdout line is one JSON object of figures.
 */
import path from 'node:path';
import fs from 'node:fs';

interface Benchmark {
  run(args: string[]): Promise<Record<string, number | string>>;
}

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  const available = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.js') && f !== 'run.js')
    .map((f) => f.replace(/\.js$/, ''));
  if (!name || !available.includes(name)) {
    console.error(`usage: npm run bench -- <${available.join('|')}> [--json]`);
    process.exit(2);
  }
  const bench = (await import(path.join(__dirname, `${name}.js`))) as Benchmark;
  const json = rest.includes('--json');
  const figures = await bench.run(rest.filter((a) => a !== '--json'));
  if (json) {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } else {
    for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(28)} ${v}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
