// Unit tests (Node, child processes): must not import vscode, LSP or the model; node:* is fine here.
// The bundled `netpath` CLI as a black box, against the contract of docs/cli.md: exit codes, one-line
// errors, JSON keys, files named as given, large output through a pipe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { netpath, json, ROOT, type CliResult } from '../support/cli';

/** docs/cli.md: bad usage is exit 2 with a one-line message on stderr and never a stack trace. */
function assertUsageError(r: CliResult, mentions?: RegExp): void {
  assert.equal(r.code, 2, `exit code, stderr: ${r.stderr}`);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `one stderr line, got: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  assert.doesNotMatch(r.stderr, /internal error/, 'a user mistake is not an internal error');
  if (mentions) assert.match(lines[0] ?? '', mentions);
}

function tempDir(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'netpath-cli-'));
  for (const [name, content] of Object.entries(files)) {
    const full = join(dir, name);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}

const SERVICE = (name: string, ns = 'default') =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  ports:\n  - port: 80\n`;

test('--help prints the usage and exits 0', () => {
  const r = netpath(['--help']);
  assert.equal(r.code, 0);
  for (const c of ['check', 'resolve', 'dns', 'ingress', 'reach', 'trace', 'connectivity']) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
});

test('--version prints the package version', () => {
  const r = netpath(['--version']);
  assert.equal(r.code, 0);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(r.stdout.trim(), `netpath ${pkg.version}`);
});

test('bad usage: exit 2, one stderr line, no stack trace', () => {
  assertUsageError(netpath([]), /command/);
  assertUsageError(netpath(['frobnicate']), /unknown command 'frobnicate'/);
  assertUsageError(netpath(['check', '--bogus', 'examples']), /--bogus/);
  assertUsageError(netpath(['check', '--cluster']), /--cluster/);
  assertUsageError(netpath(['dns']), /NAME/);
  assertUsageError(netpath(['ingress']), /URL/);
  assertUsageError(netpath(['reach', '--from', 'pod:client/curl', 'examples']), /--to/);
  assertUsageError(netpath(['trace', '--to', 'svc:default/redis', 'examples']), /--from/);
  assertUsageError(netpath(['check', '--from', 'x', 'examples']), /--from/);
  assertUsageError(netpath(['trace', '--from', 'a', '--to', 'b', '--port', 'TCP/70000', 'examples']), /port/);
  assertUsageError(netpath(['dns', 'redis', '--type', 'MX', 'examples']), /MX/);
  assertUsageError(netpath(['ingress', 'ftp://test.com/', 'examples']), /http/);
});

test('a missing path, a missing --cluster file: exit 2 naming it', () => {
  assertUsageError(netpath(['check', 'no/such/dir']), /no\/such\/dir/);
  assertUsageError(netpath(['check', 'examples', '--cluster', 'nope.yaml']), /nope\.yaml/);
});

test('a binary file, named or found in a folder: a file-not-text warning at its start, the rest still read, as in the editor (IN-2)', () => {
  // The server and the CLI read files with one set of rules (readManifest.ts): a file that is not UTF-8
  // text is not read and says so; it no longer aborts the whole command (issue 8: never an abort in one
  // face and a diagnostic in the other).
  const bin = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
  const dir = tempDir({ 'ok.yaml': SERVICE('a'), 'sub/image.yaml': bin, 'latin1.yml': Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0xff, 0x0a]) });
  try {
    const named = netpath(['check', join(dir, 'sub', 'image.yaml')]);
    assert.equal(named.code, 0, named.stderr);
    assert.match(named.stdout, /image\.yaml:1:1 warning file-not-text .*NUL byte at offset 8/);
    const all = netpath(['check', dir, '--json']);
    assert.equal(all.code, 0, all.stderr);
    const diags = (JSON.parse(all.stdout) as { diagnostics: { file: string; code: string; range: { start: { line: number; character: number } } }[] })
      .diagnostics;
    const notText = diags.filter((d) => d.code === 'file-not-text').map((d) => [d.file.slice(dir.length + 1), d.range.start.line, d.range.start.character]);
    assert.deepEqual(notText.sort(), [
      ['latin1.yml', 0, 0],
      ['sub/image.yaml', 0, 0],
    ]);
    // ok.yaml's Service is still in the model.
    const resolved = netpath(['resolve', dir, '--json']);
    assert.ok((JSON.parse(resolved.stdout) as { services: { id: string }[] }).services.some((s) => s.id === 'default/a'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('check: exit 0 when clean, 1 on an error; text is file:line:col (1-based), JSON zero-based', () => {
  const dir = tempDir({
    'good/a.yaml': SERVICE('a'),
    // Line 3 (1-based) holds the broken flow mapping: a yaml-syntax error (IN-2).
    'bad/b.yaml': `${SERVICE('b')}---\napiVersion: v1\nkind: Service\nmetadata: {name: c\n`,
    'good/node_modules/junk.yaml': 'this: [is not: scanned',
  });
  try {
    const ok = netpath(['check', join(dir, 'good')]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.equal(ok.stderr, '');

    const bad = netpath(['check', join(dir, 'bad')]);
    assert.equal(bad.code, 1, bad.stdout + bad.stderr);
    const line = bad.stdout.split('\n').find((l) => l.includes(' yaml-syntax '));
    assert.ok(line, bad.stdout);
    // file:line:col severity code message, the file as given on the command line
    const m = /^(.+):(\d+):(\d+) (error|warning|info) ([a-z0-9-]+) (.+)$/.exec(line);
    assert.ok(m, line);
    assert.equal(m[1], join(dir, 'bad', 'b.yaml'));
    assert.equal(m[4], 'error');

    const j = json<{ diagnostics: { code: string; file: string; range: { start: { line: number; character: number } } }[] }>(
      netpath(['check', '--json', join(dir, 'bad')]),
    );
    const d = j.diagnostics.find((x) => x.code === 'yaml-syntax');
    assert.ok(d);
    // The same place, zero-based in JSON.
    assert.equal(d.range.start.line, Number(m[2]) - 1);
    assert.equal(d.range.start.character, Number(m[3]) - 1);
    assert.ok(d.range.start.line >= 10, 'the error is in the second document');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('files are named as given on the command line', () => {
  for (const given of ['examples', './examples/', 'examples/10-redis.yaml']) {
    const j = json<{ files: string[] }>(netpath(['check', '--json', given]));
    assert.ok(j.files.length > 0, given);
    for (const f of j.files) assert.ok(f.startsWith(given.replace(/\/$/, '')), `${f} starts with ${given}`);
  }
});

test('--cluster: default is netpath.cluster.yaml of the first folder given; a file alone gets the defaults', () => {
  type R = { cluster: { externalHosts: { name: string }[] } };
  const hosts = (args: string[]) => json<R>(netpath(['resolve', '--json', ...args])).cluster.externalHosts.map((h) => h.name);
  // examples/netpath.cluster.yaml names mysql-host beside the defaults' node3.
  assert.deepEqual(hosts(['examples']), ['node3', 'mysql-host']);
  assert.deepEqual(hosts(['examples/12-outside.yaml']), ['node3'], 'no folder given: built-in defaults');
  assert.deepEqual(hosts(['examples/12-outside.yaml', 'examples']), ['node3', 'mysql-host'], 'the first *folder* given');
  assert.deepEqual(hosts(['examples/12-outside.yaml', '--cluster', 'examples/netpath.cluster.yaml']), ['node3', 'mysql-host']);
});

test('a bad profile field is a diagnostic in the profile file, at its line (CL-1)', () => {
  const dir = tempDir({ 'netpath.cluster.yaml': 'clusterDomain: cluster.local\nserviceCIDR: banana\n', 'a.yaml': SERVICE('a') });
  try {
    const j = json<{ diagnostics: { file: string; range: { start: { line: number } } }[] }>(netpath(['check', '--json', dir]));
    const d = j.diagnostics.find((x) => x.file === join(dir, 'netpath.cluster.yaml'));
    assert.ok(d, JSON.stringify(j.diagnostics));
    assert.equal(d.range.start.line, 1, 'serviceCIDR is on the second line');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('resolve --json has the minimum keys of the contract', () => {
  const r = netpath(['resolve', '--json', 'examples']);
  assert.equal(r.code, 0, r.stderr);
  const j = json<Record<string, unknown>>(r);
  const keys = (o: unknown, expected: string[], what: string) => {
    assert.ok(o && typeof o === 'object', `${what} is an object`);
    for (const k of expected) assert.ok(k in o, `${what} has "${k}"`);
  };
  keys(j, ['cluster', 'pods', 'services', 'ingresses', 'networkPolicies', 'dns', 'diagnostics'], 'resolve');
  const cluster = j.cluster as { nodes: unknown[] };
  keys(cluster, ['serviceCIDR', 'podCIDR', 'clusterDomain', 'nodes'], 'cluster');
  keys(cluster.nodes[0], ['name', 'ip', 'podCIDR', 'clusterIP'], 'cluster.nodes[]');
  const pods = j.pods as { containers: unknown[] }[];
  assert.ok(pods.length > 0);
  keys(pods[0], ['id', 'owner', 'node', 'ip', 'ready', 'labels', 'containers'], 'pods[]');
  keys(pods[0]?.containers[0], ['name', 'env'], 'pods[].containers[]');
  const services = j.services as { id: string; ports: unknown[]; endpoints: unknown[]; endpointSlices: { endpoints: unknown[] }[] }[];
  keys(
    services[0],
    ['id', 'type', 'clusterIP', 'headless', 'dns', 'externalIPs', 'loadBalancerIP', 'ports', 'endpoints', 'endpointSlices', 'endpointsObject', 'env'],
    'services[]',
  );
  keys(services[0]?.ports[0], ['name', 'port', 'protocol', 'targetPort', 'nodePort'], 'services[].ports[]');
  const withEndpoints = services.find((s) => s.endpoints.length > 0 && s.endpointSlices.length > 0);
  if (withEndpoints) {
    keys(withEndpoints.endpoints[0], ['pod', 'ip', 'node', 'ready', 'ports'], 'services[].endpoints[]');
    keys(withEndpoints.endpointSlices[0], ['name', 'endpoints', 'ports'], 'services[].endpointSlices[]');
    keys(withEndpoints.endpointSlices[0]?.endpoints[0], ['addresses', 'ready'], 'services[].endpointSlices[].endpoints[]');
  }
  const ingresses = j.ingresses as { rules: unknown[] }[];
  keys(ingresses[0], ['id', 'rules', 'defaultBackend'], 'ingresses[]');
  keys(ingresses[0]?.rules[0], ['host', 'path', 'pathType', 'backend'], 'ingresses[].rules[]');
  keys((j.networkPolicies as unknown[])[0], ['id', 'selects', 'policyTypes'], 'networkPolicies[]');
  const diags = j.diagnostics as unknown[];
  assert.ok(diags.length > 0, 'examples keep one deliberate mistake');
  keys(diags[0], ['code', 'severity', 'message', 'subject', 'file', 'range'], 'diagnostics[]');
  keys((diags[0] as { range: unknown }).range, ['start', 'end'], 'diagnostics[].range');
});

test('JSON larger than 64 KiB arrives complete through a pipe', () => {
  // 800 Services: the resolved model is several hundred KiB, far past one pipe buffer.
  const docs = Array.from({ length: 800 }, (_, i) => SERVICE(`svc-${i}`)).join('---\n');
  const dir = tempDir({ 'many.yaml': docs });
  try {
    const r = netpath(['resolve', '--json', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.length > 64 * 1024, `${r.stdout.length} bytes`);
    const j = json<{ services: { id: string }[] }>(r);
    assert.ok(
      j.services.some((s) => s.id === 'default/svc-799'),
      'the last Service is there',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('dns: redis.default from another namespace resolves to the ClusterIP; redis is NXDOMAIN (DNS-4)', () => {
  const ok = netpath(['dns', 'redis.default', '--from', 'pod:client/curl', 'examples', '--json']);
  assert.equal(ok.code, 0, ok.stderr);
  const a = json<{ query: string; rcode: string; resolvedAs: string; from: string; type: string; answers: { name: string; type: string; data: string }[] }>(ok);
  assert.equal(a.query, 'redis.default');
  assert.equal(a.rcode, 'NOERROR');
  assert.equal(a.type, 'A');
  assert.equal(a.resolvedAs.replace(/\.$/, ''), 'redis.default.svc.cluster.local');
  // examples/10-redis.yaml gives default/redis clusterIP 10.43.0.11.
  assert.ok(
    a.answers.some((x) => x.type === 'A' && x.data === '10.43.0.11'),
    JSON.stringify(a.answers),
  );

  const nx = netpath(['dns', 'redis', '--from', 'pod:client/curl', 'examples', '--json']);
  assert.equal(nx.code, 1, nx.stderr);
  const b = json<{ rcode: string; answers: unknown[] }>(nx);
  assert.equal(b.rcode, 'NXDOMAIN');
  assert.deepEqual(b.answers, []);

  // The same in text form: exit codes do not depend on --json.
  const text = netpath(['dns', 'redis', '--from', 'pod:client/curl', 'examples']);
  assert.equal(text.code, 1);
  assert.match(text.stdout, /NXDOMAIN/);
  assert.match(netpath(['dns', 'redis.default', '--from', 'client', 'examples']).stdout, /10\.43\.0\.11/);
});

test('ingress: --json keys; no match is exit 1 with backend null', () => {
  const r = netpath(['ingress', 'http://test.com/get', 'examples', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = json(r);
  for (const k of ['url', 'ingress', 'rule', 'host', 'path', 'pathType', 'via', 'backend', 'servicePort', 'backendResolvable']) assert.ok(k in j, k);
  const none = netpath(['ingress', 'http://nothing.example/', 'examples', '--json']);
  assert.equal(none.code, 1);
  assert.equal(json(none).backend, null);
});

test('reach: --json keys; denied is exit 1', () => {
  const r = netpath(['reach', '--from', 'pod:client/curl', '--to', 'svc:secure/redis:6379', 'examples', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = json<{ egress: object; ingress: object; endpoints: object[] }>(r);
  for (const k of ['from', 'to', 'port', 'allowed', 'egress', 'ingress', 'endpoints']) assert.ok(k in j, k);
  for (const k of ['allowed', 'policies']) assert.ok(k in j.egress && k in j.ingress, k);
  const denied = netpath(['reach', '--from', 'pod:client/curl', '--to', 'pod:quarantine/suspect', '--port', 'TCP/80', 'examples']);
  assert.equal(denied.code, 1, denied.stdout + denied.stderr);
  assertUsageError(netpath(['reach', '--from', 'pod:nowhere/nobody', '--to', 'svc:default/redis', 'examples']), /^netpath: reach: .*nowhere\/nobody/);
  assertUsageError(netpath(['dns', 'redis', '--from', 'pod:client/nobody', 'examples']), /client\/nobody.*candidates.*client\/curl/);
});

test('trace: --json keys; text is a hop table within 80 columns', () => {
  const r = netpath(['trace', '--from', 'pod:client/curl', '--to', 'svc:default/redis:6379', 'examples', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = json<{ paths: { hops: object[] }[] }>(r);
  for (const k of ['from', 'to', 'verdict', 'reason', 'paths']) assert.ok(k in j, k);
  const p = j.paths[0];
  assert.ok(p);
  for (const k of ['endpoint', 'verdict', 'reason', 'hops']) assert.ok(k in p, k);
  for (const k of ['at', 'iface', 'action', 'src', 'dst', 'note', 'rule']) assert.ok(k in (p.hops[0] ?? {}), k);
  const text = netpath(['trace', '--from', 'pod:client/curl', '--to', 'svc:default/redis:6379', 'examples']);
  assert.equal(text.code, 0);
  for (const line of text.stdout.split('\n')) assert.ok(line.length <= 80, `too wide: ${line}`);
});

test('connectivity: `src => dst : ports` lines', () => {
  const r = netpath(['connectivity', 'examples']);
  assert.equal(r.code, 0, r.stderr);
  // src may be an ipBlock with spaces (`10.42.0.0/16 except 10.42.1.0/24`)
  for (const line of r.stdout.trim().split('\n')) assert.match(line, /^\S.* => \S.* : \S/);
});
