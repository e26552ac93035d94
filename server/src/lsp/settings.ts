// Server layer (LSP): the `netpath.*` settings and `files.exclude`, read from the client and checked. Must not
// import vscode or the client. A workspace's settings.json is untrusted: a wrong type falls back to its default.
import type { Connection } from 'vscode-languageserver/node';
import type { NetpathSettings } from '../../../shared/protocol';
import { excludeMatcher } from '../disk/find-manifests';

export const DEFAULT_SETTINGS: NetpathSettings = {
  hover: { enabled: true },
  codeLens: { enabled: true },
  diagnostics: { enabled: true },
  cluster: {},
  debounceMs: 100,
  kustomize: { roots: [] },
};

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const flag = (section: unknown, fallback: boolean): boolean => (isRecord(section) && typeof section.enabled === 'boolean' ? section.enabled : fallback);

/** The `netpath.*` settings, each of the wrong type replaced by its default. */
export function checkedSettings(raw: unknown): NetpathSettings {
  const s = isRecord(raw) ? raw : {};
  const debounce = typeof s.debounceMs === 'number' && Number.isFinite(s.debounceMs) ? Math.min(5000, Math.max(0, s.debounceMs)) : DEFAULT_SETTINGS.debounceMs;
  return {
    hover: { enabled: flag(s.hover, DEFAULT_SETTINGS.hover.enabled) },
    codeLens: { enabled: flag(s.codeLens, DEFAULT_SETTINGS.codeLens.enabled) },
    diagnostics: { enabled: flag(s.diagnostics, DEFAULT_SETTINGS.diagnostics.enabled) },
    cluster: isRecord(s.cluster) ? { ...s.cluster } : {},
    debounceMs: debounce,
    // IN-1: only strings count, and not too many.
    kustomize: {
      roots:
        isRecord(s.kustomize) && Array.isArray(s.kustomize.roots) ? s.kustomize.roots.filter((x): x is string => typeof x === 'string').slice(0, 1000) : [],
    },
  };
}

/** The settings' cluster fields that are set: the profile when the workspace has no netpath.cluster.yaml (CL-1). */
export function settingsProfile(settings: NetpathSettings): Record<string, unknown> | undefined {
  const fields = Object.fromEntries(
    Object.entries(settings.cluster).filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0)),
  );
  return Object.keys(fields).length ? fields : undefined;
}

export interface ReadSettings {
  settings: NetpathSettings;
  isExcluded: (rel: string) => boolean;
  /** `files.exclude` as JSON, to notice when it changes. */
  excludeKey: string;
}

/** Asks the client for `netpath` and `files.exclude`; a pattern that cannot be used is ignored and said in the output. */
export async function readSettings(connection: Connection): Promise<ReadSettings> {
  const [netpath, exclude] = (await connection.workspace.getConfiguration([{ section: 'netpath' }, { section: 'files.exclude' }])) as [unknown, unknown];
  const isExcluded = excludeMatcher(isRecord(exclude) ? exclude : {}, (pattern, why) =>
    connection.console.warn(`kube-netpath: files.exclude pattern ${JSON.stringify(pattern.slice(0, 200))} ignored: ${why}`),
  );
  return { settings: checkedSettings(netpath), isExcluded, excludeKey: JSON.stringify(exclude ?? {}) };
}
