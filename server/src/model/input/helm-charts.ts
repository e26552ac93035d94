// Model layer (pure): Helm charts in the workspace, skipped as one unit each (IN-4). Must not import vscode, LSP, node:* or fs.
import type { ModelDiagnostic, ParsedFile } from '../types';

const CHART_FILE = 'Chart.yaml';

/** The folder part of a path or URI, with its trailing `/` (backslashes read as `/`). */
function folderOf(file: string): string {
  const f = file.replace(/\\/g, '/');
  return f.slice(0, f.lastIndexOf('/') + 1);
}

/**
 * IN-4: every file under a chart's `templates/` folder (a `Chart.yaml` beside that folder) is a Go
 * template, whatever it holds, and so is a file of the chart that parse-manifests.ts found to be one. They are
 * left out, and each chart gets one `template-skipped` on its Chart.yaml instead of one per file.
 * Other files of a chart (`crds/`, `values.yaml`) are read as usual. Files outside charts keep their own
 * diagnostic.
 */
export function withoutChartTemplates(files: readonly ParsedFile[]): { sorted: ParsedFile[]; charts: ModelDiagnostic[] } {
  const roots = new Map<string, { chart: ParsedFile; skipped: number }>();
  for (const f of files) {
    const name = f.file.replace(/\\/g, '/').split('/').pop();
    if (name === CHART_FILE) roots.set(folderOf(f.file), { chart: f, skipped: 0 });
  }
  if (roots.size === 0) return { sorted: [...files], charts: [] };
  const kept: ParsedFile[] = [];
  for (const f of files) {
    const path = f.file.replace(/\\/g, '/');
    // The nearest chart above the file (a subchart in charts/ is its own chart).
    let root: string | undefined;
    for (const r of roots.keys()) if (path.startsWith(r) && (!root || r.length > root.length)) root = r;
    const chart = root !== undefined ? roots.get(root) : undefined;
    if (chart && root !== undefined && (f.template || path.slice(root.length).startsWith('templates/'))) {
      chart.skipped++;
      continue;
    }
    kept.push(f);
  }
  const charts: ModelDiagnostic[] = [];
  for (const [root, { chart, skipped }] of roots) {
    if (skipped === 0) continue;
    const dir = root.slice(0, -1).split('/').pop() || root;
    charts.push({
      code: 'template-skipped',
      severity: 'info',
      rule: 'IN-4',
      message: `Helm chart ${dir}: ${skipped} template file${skipped === 1 ? '' : 's'} skipped (Go templates are not manifests); render the chart (helm template ${dir}) to see what the cluster would do.`,
      file: chart.file,
      span: { start: 0, end: 0 },
    });
  }
  return { sorted: kept, charts };
}
