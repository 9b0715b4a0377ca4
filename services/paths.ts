import fs from 'node:fs';
import path from 'node:path';

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (
      fs.existsSync(path.join(dir, 'package.json')) &&
      fs.existsSync(path.join(dir, 'services'))
    ) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the project root above ${start}`);
    dir = parent;
  }
}

/** The project root, whether running from sources or from the compiled dist/ tree. */
const PROJECT_ROOT = findRoot(__dirname);

/** Path of a file shipped with the sources (card templates, articles, the demo practice). */
export function assetPath(...parts: string[]): string {
  return path.join(PROJECT_ROOT, ...parts);
}
