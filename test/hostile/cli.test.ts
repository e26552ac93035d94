// Hostile-input tests (Node): the bundled CLI (dist/cli.js) given what an attacker could commit to a repository.
// Each case asserts an answer within a time bound and a heap bound (the child runs with a capped old space, so
// runaway memory is a crash, i.e. a failure), a clear diagnostic, and that the rest of the workspace still counts.
// Must not import vscode or LSP. Issue 8; rules IN-1, IN-2, CL-1, TR-3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../support/cli';
import { aliasBomb, bigService, cyclicAlias, manyAliases, SERVICE, workspace } from './inputs';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The CLI with a 30 s limit and a 512 MB old space: a freeze or a memory blow-up fails the test instead of hanging it. */
function netpath(args: string[]): Run {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--max-old-space-size=512', CLI, ...args], { encoding: 'utf8', timeout: 30_000, maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  assert.equal(r.signal, null, `netpath ${args.join(' ')} was killed (${r.signal}) after ${Math.round(ms)} ms: it froze`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms };
}

function diagnostics(r: Run): { file: string; code: string; message: string; range: { start: { line: number; character: number } } }[] {
  return (JSON.parse(r.stdout) as { diagnostics: ReturnType<typeof diagnostics> }).diagnostics;
}

test('a self-containing anchor in the cluster profile is refused at once; the default profile is used (CL-1, IN-2)', () => {
  const dir = workspace({ 'netpath.cluster.yaml': cyclicAlias, 'svc.yaml': SERVICE('web') });
  try {
    const r = netpath(['check', dir, '--json']);
    assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
    const d = diagnostics(r).find((x) => x.file.endsWith('netpath.cluster.yaml'));
    assert.ok(d, r.stdout);
    assert.equal(d.code, 'yaml-syntax');
    assert.match(d.message, /contains it/);
    assert.equal(r.code, 1);
    // The manifests still count, with the default profile's serviceCIDR.
    const resolved = JSON.parse(netpath(['resolve', dir, '--json']).stdout) as { services: { id: string; clusterIP: string }[] };
    assert.match(resolved.services.find((s) => s.id === 'default/web')?.clusterIP ?? '', /^10\.43\./);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a "billion laughs" profile stops at the expansion budget (CL-1, IN-2)', () => {
  const dir = workspace({ 'netpath.cluster.yaml': aliasBomb('clusterDomain', 9), 'svc.yaml': SERVICE('web') });
  try {
    const r = netpath(['check', dir, '--json']);
    assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
    assert.match(diagnostics(r).find((x) => x.file.endsWith('netpath.cluster.yaml'))?.message ?? '', /alias bomb/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('100,000 aliases in a manifest are read in linear time; an alias bomb in another document is skipped with a diagnostic (IN-2)', () => {
  const dir = workspace({
    'many.yaml': manyAliases(100_000),
    'bomb.yaml': `${SERVICE('kept')}---\n${aliasBomb('data', 9, 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: bomb\n')}`,
  });
  try {
    const r = netpath(['check', dir, '--json']);
    assert.ok(r.ms < 15_000, `took ${r.ms} ms`);
    const d = diagnostics(r).filter((x) => x.code === 'yaml-syntax');
    assert.equal(d.length, 1, JSON.stringify(d));
    assert.ok(d[0]!.file.endsWith('bomb.yaml'));
    assert.match(d[0]!.message, /alias bomb/);
    const resolved = JSON.parse(netpath(['resolve', dir, '--json']).stdout) as { services: { id: string }[] };
    assert.ok(
      resolved.services.some((s) => s.id === 'default/kept'),
      'the Service before the bomb is kept',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('FIFOs, symbolic links and binary files found in a folder: one diagnostic each at 1:1, never a block or an abort (IN-1, IN-2)', () => {
  const dir = workspace({ 'ok.yaml': SERVICE('web'), 'bin.yaml': Buffer.from([0x61, 0, 0x62]) });
  try {
    const fifo = join(dir, 'pipe.yaml');
    const made = spawnSync('mkfifo', [fifo]);
    assert.equal(made.status, 0, 'mkfifo');
    symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
    const r = netpath(['check', dir, '--json']);
    const byFile = Object.fromEntries(
      diagnostics(r)
        .filter((d) => d.code.startsWith('file-'))
        .map((d) => [d.file.slice(dir.length + 1), [d.code, d.range.start.line, d.range.start.character]]),
    );
    assert.deepEqual(byFile, { 'bin.yaml': ['file-not-text', 0, 0], 'pipe.yaml': ['file-not-regular', 0, 0], 'zero.yaml': ['file-not-regular', 0, 0] });
    assert.equal(r.code, 0, r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a manifest over the size limit gets one clear line and no stack dump; --max-file-mb raises the limit (IN-1)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpath-hostile-'));
  try {
    // 5 MiB of documents: over the 4 MiB default.
    const doc = `${SERVICE('big')}---\n`;
    writeFileSync(join(dir, 'bundle.yaml'), doc.repeat(Math.ceil((5 * 1024 * 1024) / doc.length)));
    const r = netpath(['check', dir]);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /bundle\.yaml:1:1 info file-too-large .*--max-file-mb 6/);
    const raised = netpath(['check', dir, '--max-file-mb', '6', '--json']);
    assert.equal(raised.stderr, '');
    assert.ok(!diagnostics(raised).some((d) => d.code === 'file-too-large'));
    assert.ok(
      diagnostics(raised).some((d) => d.code === 'duplicate-resource'),
      'the bundle was read',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('terminal escapes in manifest names reach the terminal as visible \\u escapes, never as ESC/BEL (issue 8)', () => {
  // OSC 0 (window title) and OSC 52 (clipboard) sequences inside a quoted name.
  const name = 'a\\e]0;owned\\a\\e]52;c;ZXZpbA==\\ab';
  const dir = workspace({ 'svc.yaml': `apiVersion: v1\nkind: Service\nmetadata:\n  name: "${name}"\nspec:\n  ports:\n  - port: 80\n` });
  try {
    for (const cmd of [
      ['check', dir],
      ['resolve', dir],
    ]) {
      const r = netpath(cmd);
      assert.ok(!/[\x07\x1b]/.test(r.stdout), `${cmd[0]} printed a raw control character`);
      assert.match(r.stdout, /a\\u001b\]0;owned\\u0007/);
    }
    // --json escapes them itself (JSON strings cannot hold raw control characters).
    assert.ok(!/[\x07\x1b]/.test(netpath(['check', dir, '--json']).stdout));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a Service with 50,000 endpoints: the trace stays bounded and says how many paths it left out (TR-3, EP-3)', () => {
  // 500 slices of 100 endpoints on two nodes; no pods, so no labels tell them apart: one per node is representative.
  const dir = workspace({ 'big.yaml': bigService(50_000) });
  try {
    const r = netpath(['trace', '--from', 'pod:default/client', '--to', 'svc:default/big', dir, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.length < 1024 * 1024, `trace JSON is ${r.stdout.length} bytes`);
    const t = JSON.parse(r.stdout) as { verdict: string; paths: { hops: { dst: string; action: string }[] }[]; untracedPaths?: number };
    assert.equal(t.verdict, 'delivered');
    // Every endpoint is a candidate: listed + left out = 50,000.
    assert.equal(t.paths.length + (t.untracedPaths ?? 0), 50_000);
    // Both nodes' endpoints are among those listed (one per path shape first).
    const dnatTo = t.paths.map((p) => p.hops.find((h) => h.action === 'DNAT')?.dst ?? '');
    assert.ok(dnatTo.some((d) => /\.(\d*[13579]):8080$/.test(d)) && dnatTo.some((d) => /\.(\d*[02468]):8080$/.test(d)), dnatTo.join(' '));
    const text = netpath(['trace', '--from', 'pod:default/client', '--to', 'svc:default/big', dir]);
    assert.match(text.stdout, new RegExp(`${t.untracedPaths} more candidate paths not listed`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file of lone-CR line ends that starts with a comment is read, at the lines VS Code shows (IN-1)', () => {
  const dir = workspace({ 'mac.yaml': '# old Mac line ends\rapiVersion: v1\rkind: Service\rmetadata:\r  name: classic\rspec:\r  ports:\r  - port: 80\r' });
  try {
    const r = netpath(['check', dir, '--json']);
    const d = diagnostics(r).find((x) => x.code === 'service-no-endpoints');
    assert.ok(d, r.stdout);
    // `name: classic` is on the fifth line (zero-based 4); the diagnostic points at the value.
    assert.deepEqual(d.range.start, { line: 4, character: 8 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
