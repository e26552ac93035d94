// Extension-host test layer: bundles suite.ts (vscode external) to dist/test/exthost/suite.js. Must not import the extension, server or model.
import * as esbuild from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SUITE = join(REPO, 'dist/test/exthost/suite.js');

export async function buildSuite() {
  await esbuild.build({
    entryPoints: [join(REPO, 'test/exthost/suite.ts')],
    outfile: SUITE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: true,
    logLevel: 'warning',
  });
  return SUITE;
}
