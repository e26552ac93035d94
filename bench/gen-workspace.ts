// Bench layer (Node script, bundled to dist/bench/gen-workspace.js): writes the benchmark workspace to a folder.
//   node dist/bench/gen-workspace.js N OUTDIR [--seed S] [--force]
// N Services exactly; same N and seed, byte-identical files. Prints a JSON summary (files, bytes, sha256).
// `npm run bench` calls the same generator in-process (bench/gen/index.ts).
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateWorkspace, writeWorkspace } from './gen/index';

function main(argv: string[]): number {
  const seedAt = argv.indexOf('--seed');
  const seed = seedAt >= 0 ? argv[seedAt + 1] : '1';
  const force = argv.includes('--force');
  const positional = argv.filter((a, i) => !a.startsWith('--') && (seedAt < 0 || i !== seedAt + 1));
  const n = Number(positional[0]);
  if (positional.length !== 2 || !Number.isInteger(n) || n < 1 || seed === undefined) {
    process.stderr.write('usage: node dist/bench/gen-workspace.js N OUTDIR [--seed S] [--force]\n');
    return 2;
  }
  const out = resolve(positional[1] as string);
  if (existsSync(out) && readdirSync(out).length) {
    if (!force) {
      process.stderr.write(`${out} is not empty (--force replaces it)\n`);
      return 2;
    }
    rmSync(out, { recursive: true, force: true });
  }
  const summary = writeWorkspace(out, generateWorkspace(n, seed));
  process.stdout.write(`${JSON.stringify({ services: n, seed, dir: out, ...summary }, null, 2)}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
