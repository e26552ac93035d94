// IN-3: the API server's name grammars (apimachinery pkg/util/validation) and the port argument of a
// query, from their one home (server/src/model/core/names.ts). Expected values follow validation.go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain, isPortName, readPortArg } from '../../server/src/model/index';

test('DNS-1123 labels: lowercase alphanumerics and "-", alphanumeric at both ends, at most 63 (IN-3)', () => {
  for (const ok of ['a', 'web', 'web-1', '0abc', 'a'.repeat(63)]) assert.ok(isDns1123Label(ok), ok);
  for (const bad of ['', 'Web', '-web', 'web-', 'we_b', 'a.b', 'a'.repeat(64)]) assert.ok(!isDns1123Label(bad), bad);
});

test('DNS-1123 subdomains: dotted labels, at most 253 characters in all (IN-3)', () => {
  for (const ok of ['a.b', 'my-app.example.com', `${'a'.repeat(63)}.${'b'.repeat(63)}`]) assert.ok(isDns1123Subdomain(ok), ok);
  for (const bad of ['a..b', '.a', 'a.', 'A.b', `${'a.'.repeat(127)}a`]) assert.ok(!isDns1123Subdomain(bad), bad);
});

test('DNS-1035 labels (Service names) must start with a letter (IN-3, SVC-1)', () => {
  assert.ok(isDns1035Label('redis'));
  assert.ok(!isDns1035Label('1redis'));
  assert.ok(isDns1123Label('1redis'), 'a namespace may start with a digit');
});

test('port names are IANA_SVC_NAME: ≤15 characters, a letter, no "--", no "-" at an end (IN-3)', () => {
  for (const ok of ['http', 'http-metrics', 'h2c', 'a1', 'abcdefghijklmno']) assert.ok(isPortName(ok), ok);
  for (const bad of ['', '8080', 'HTTP', 'http--alt', '-http', 'http-', 'abcdefghijklmnop', 'ht_tp']) assert.ok(!isPortName(bad), bad);
});

test('a query port is PROTO/PORT, PORT (TCP) or a port name; the protocol is case-insensitive', () => {
  assert.deepEqual(readPortArg('TCP/80'), { protocol: 'TCP', port: 80 });
  assert.deepEqual(readPortArg('udp/53'), { protocol: 'UDP', port: 53 });
  assert.deepEqual(readPortArg('8080'), { protocol: 'TCP', port: 8080 });
  assert.deepEqual(readPortArg('sctp/http'), { protocol: 'SCTP', port: 'http' });
  assert.deepEqual(readPortArg('65536'), { problem: 'port out of range 1-65535' });
  assert.deepEqual(readPortArg('0'), { problem: 'port out of range 1-65535' });
  for (const bad of ['TCP/', 'icmp/80', 'tcp/80/1', 'TCP/Http', 'web--1']) assert.ok('problem' in readPortArg(bad), bad);
});
