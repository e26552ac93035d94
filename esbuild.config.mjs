// Bundles every entry point. Type checking is `tsc` (npm run typecheck); esbuild only bundles.
import * as esbuild from 'esbuild';
import { readdirSync, existsSync, chmodSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  target: 'node20',
};
const node = { ...common, platform: 'node', format: 'cjs', external: ['vscode'] };

/** Every `*.test.ts` (or .ts) file directly in a folder, as entry points. */
function entriesIn(dir, suffix) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .map((f) => join(dir, f));
}

const builds = [
  { ...node, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js' },
  { ...node, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' },
  { ...node, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['media/src/panel.ts'], outfile: 'media/dist/panel.js' },
];
if (!production) {
  const tests = [...entriesIn('test/unit', '.test.ts'), ...entriesIn('test/protocol', '.test.ts'), ...entriesIn('test/hostile', '.test.ts')];
  if (tests.length) builds.push({ ...node, entryPoints: tests, outdir: 'dist/test', outbase: 'test' });
  const bench = entriesIn('bench', '.ts');
  if (bench.length) builds.push({ ...node, entryPoints: bench, outdir: 'dist/bench' });
}

await Promise.all(builds.filter((b) => !b.entryPoints || b.entryPoints.every((e) => existsSync(e))).map((b) => esbuild.build(b)));
if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
