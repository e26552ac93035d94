// CLI layer: `netpath check` — every diagnostic, exit 1 if any error. Must not import vscode or LSP.
import type { Args } from '../args';
import type { Loaded } from '../load';
import { diagnosticJson, sortedDiagnostics } from '../format-json';
import { write, writeJson } from '../output';
import { unsimulatedSummary } from '../../model/index';

/**
 * Text lines are `file:line:col severity code message` with 1-based line and column, the convention
 * of compilers and linters that terminals and editors turn into links; `--json` is zero-based like
 * LSP and `resolve --json` (docs/cli.md).
 */
export function runCheck(args: Args, loaded: Loaded): number {
  const diags = sortedDiagnostics(loaded.model.diagnostics);
  const errors = diags.filter((d) => d.severity === 'error').length;
  const warnings = diags.filter((d) => d.severity === 'warning').length;
  if (args.json) {
    writeJson({
      files: loaded.files,
      errors,
      warnings,
      infos: diags.length - errors - warnings,
      diagnostics: diags.map((d) => diagnosticJson(d, loaded.lineStarts)),
    });
  } else {
    const lines = diags.map((d) => {
      const { start } = diagnosticJson(d, loaded.lineStarts).range;
      return `${d.file}:${start.line + 1}:${start.character + 1} ${d.severity} ${d.code} ${d.message}`;
    });
    const n = loaded.files.length;
    const unsimulated = unsimulatedSummary(loaded.model.resources);
    if (unsimulated) lines.push(unsimulated);
    lines.push(`${errors} error(s), ${warnings} warning(s) in ${n} file${n === 1 ? '' : 's'}`);
    write(lines.join('\n'));
  }
  return errors > 0 ? 1 : 0;
}
