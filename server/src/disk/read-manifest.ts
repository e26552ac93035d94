// Disk layer (Node side, shared by the language server and the CLI): reads one manifest file from disk with the same rules for the language
// server's scan, its file watcher and the CLI (IN-1, IN-2). May import node:fs; must not import vscode or LSP.
//
// Only regular files are read: a FIFO or a device named `x.yaml` would block the reader forever, and a
// symbolic link may lead anywhere on the machine (a cloned repository is untrusted input). A file over the
// size limit, or that is not UTF-8 text, is not read either; each case is said with a diagnostic at the
// start of the file, the same in the editor and the CLI.
import { lstatSync, readFileSync, statSync, type Stats } from 'node:fs';
import { lstat, readFile, stat } from 'node:fs/promises';

/** Manifests larger than this are generated dumps, not something a person edits; skipping protects memory. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

export interface SkippedFile {
  code: 'file-too-large' | 'file-not-text' | 'file-not-regular' | 'file-unreadable';
  severity: 'info' | 'warning';
  /** Says what happened and why; the face adds how to have it read (open it, a CLI flag). */
  message: string;
  bytes?: number;
}

/** A file's text, or why it was not read; undefined when it is gone (deleted since it was listed). */
export type ManifestRead = { text: string } | { skipped: SkippedFile } | undefined;

export interface ReadOptions {
  maxBytes?: number;
  /** Follow a symbolic link (a path the user named on the command line); the target must still be a regular file. */
  followLinks?: boolean;
}

function kindOf(st: Stats): string {
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function checkStats(st: Stats, maxBytes: number): SkippedFile | null {
  if (!st.isFile()) {
    return {
      code: 'file-not-regular',
      severity: 'info',
      message: `Not read: ${kindOf(st)}, not a regular file (kube-netpath follows no links and opens no special files in a workspace). (IN-1)`,
    };
  }
  if (st.size > maxBytes) {
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    const limit = Number.isInteger(maxBytes / 1024 / 1024) ? String(maxBytes / 1024 / 1024) : mb(maxBytes);
    return {
      code: 'file-too-large',
      severity: 'info',
      bytes: st.size,
      message: `Not read: ${mb(st.size)} MB is more than the ${limit} MB kube-netpath reads from disk (generated dumps are rarely edited); its objects are not in the model. (IN-1)`,
    };
  }
  return null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of a file's bytes, or why they are not a manifest (NUL bytes, invalid UTF-8). */
export function decodeManifest(buf: Uint8Array): { text: string } | { skipped: SkippedFile } {
  const nul = buf.indexOf(0);
  let why: string | null = nul >= 0 ? `a NUL byte at offset ${nul}` : null;
  let text = '';
  if (!why) {
    try {
      text = utf8.decode(buf);
    } catch {
      why = 'bytes that are not UTF-8';
    }
  }
  if (why)
    return {
      skipped: {
        code: 'file-not-text',
        severity: 'warning',
        message: `Not read: the file holds ${why}, so it is not YAML text; its objects are not in the model. (IN-2)`,
      },
    };
  // A byte order mark is allowed by YAML and kubectl; the readers want it gone (offsets then start after it).
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/** A file that vanished is simply gone; any other failure (permissions, I/O) is said, the same in both faces. */
function failure(e: unknown): ManifestRead {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
  const why =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : typeof code === 'string'
        ? code
        : e instanceof Error
          ? e.message.split('\n')[0]
          : 'unknown error';
  return { skipped: { code: 'file-unreadable', severity: 'warning', message: `Not read: ${why}; its objects are not in the model. (IN-1)` } };
}

export async function readManifestFile(path: string, options: ReadOptions = {}): Promise<ManifestRead> {
  try {
    const st = options.followLinks ? await stat(path) : await lstat(path);
    const skipped = checkStats(st, options.maxBytes ?? MAX_FILE_BYTES);
    if (skipped) return { skipped };
    return decodeManifest(await readFile(path));
  } catch (e) {
    return failure(e);
  }
}

export function readManifestFileSync(path: string, options: ReadOptions = {}): ManifestRead {
  try {
    const st = options.followLinks ? statSync(path) : lstatSync(path);
    const skipped = checkStats(st, options.maxBytes ?? MAX_FILE_BYTES);
    if (skipped) return { skipped };
    return decodeManifest(readFileSync(path));
  } catch (e) {
    return failure(e);
  }
}
