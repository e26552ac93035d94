// Bench layer (Node script, bundled to dist/bench/fastyaml-check.js): on a folder of manifests, checks that the
// fast YAML reader (model/fastyaml.ts) gives exactly what the YAML library gives, and says how many pieces it
// took and how much faster parsing is. Must not import vscode or LSP.
//
//   node dist/bench/fastyaml-check.js DIR
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { performance } from 'node:perf_hooks';
import { parseFile } from '../server/src/model/index';
import { fastParseDocument } from '../server/src/model/input/fast-yaml';
import { collectFiles } from '../server/src/cli/load';
import { parsedShape } from '../test/support/parsed-shape';

function main(): void {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: fastyaml-check.js DIR');
  const { files } = collectFiles([dir]);
  const texts = files.map((f) => ({ f, text: readFileSync(f, 'utf8') }));
  let mismatches = 0;
  let pieces = 0;
  let fast = 0;
  for (const { f, text } of texts) {
    const a = parseFile(f, text, undefined, false);
    const b = parseFile(f, text, undefined, true);
    if (!isDeepStrictEqual(parsedShape(a), parsedShape(b))) {
      mismatches++;
      if (mismatches <= 5) process.stdout.write(`MISMATCH ${f}\n`);
    }
    for (const c of a.chunks ?? []) {
      pieces++;
      if (fastParseDocument(c.text, () => undefined)) fast++;
    }
  }
  const time = (useFast: boolean): number => {
    for (const { f, text } of texts) parseFile(f, text, undefined, useFast);
    const t0 = performance.now();
    for (const { f, text } of texts) parseFile(f, text, undefined, useFast);
    return performance.now() - t0;
  };
  const slow = time(false);
  const quick = time(true);
  process.stdout.write(
    `${files.length} files, ${pieces} pieces, ${fast} read by fastyaml (${((100 * fast) / Math.max(1, pieces)).toFixed(1)}%), ${mismatches} mismatching files\n`,
  );
  process.stdout.write(`parseFile all: library ${slow.toFixed(0)} ms, with fastyaml ${quick.toFixed(0)} ms (${(slow / quick).toFixed(1)}x)\n`);
  if (mismatches) process.exitCode = 1;
}

main();
