// Builds the dashboard tab into tab/dist: one script (teams-js, Chart.js and the page code,
// bundled and minified by esbuild) and one stylesheet. `npm run build` (and so `npm start`
// and `npm test`) runs it; tab/dist is not committed.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));

await build({
  // main.ts imports styles.css, so esbuild writes app.css beside app.js.
  entryPoints: { app: path.join(here, 'src', 'main.ts') },
  outdir: path.join(here, 'dist'),
  entryNames: '[name]',
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'iife',
  target: ['chrome110', 'edge110', 'safari16', 'firefox115'],
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
});
