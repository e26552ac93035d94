// Types of tools/model-layers.mjs, for the unit test that runs it.
export declare const STAGES: readonly string[];
export declare function stageOf(path: string): number | undefined;
export declare function layerViolations(graph: Map<string, { to: string; line: number }[]>): string[];
export declare function readModelGraph(modelDir: string): Map<string, { to: string; line: number }[]>;
