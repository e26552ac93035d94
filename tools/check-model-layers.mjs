// `npm run lint`: fails on an import between the model's stage folders that goes the wrong way, an
// import cycle, or a model file outside a stage folder (rules in tools/model-layers.mjs).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { layerViolations, readModelGraph, STAGES } from './model-layers.mjs';

const modelDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'server', 'src', 'model');
const problems = layerViolations(readModelGraph(modelDir));
for (const p of problems) console.error(p);
if (problems.length) {
  console.error(`${problems.length} model layer problem(s) in server/src/model/; the stage order is ${STAGES.join(' → ')} (tools/model-layers.mjs).`);
  process.exit(1);
}
