// Unit test (compile time and run time): the model's trace (server/src/model/trace/trace-types.ts, the CLI's
// `trace --json`) and the editor's copy of its shape (shared/trace.ts, which the model may not import) stay one
// contract. `npm run typecheck` fails when a key is renamed or retyped on one side only; the run-time half
// checks that a real trace carries every key the panel reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as Model from '../../server/src/model/index';
import type * as Shared from '../../shared/trace';
import { trace } from '../../server/src/model/index';
import { modelOf } from '../support/model';
import { docs, pod, service } from '../support/manifests';

/** Compiles only when `A` and `B` are each assignable to the other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const expectTrue = <T extends true>(): T => true as T;

// Every model trace is a trace the editor can show (the server hands the model's result to the panel as is).
expectTrue<Model.TraceResult extends Shared.TraceResult ? true : false>();
expectTrue<Model.TraceHop extends Shared.TraceHop ? true : false>();
// The names the panel switches on are the model's, exactly.
expectTrue<Same<Model.TraceHop['action'], Shared.HopAction>>();
expectTrue<Same<Model.HopSubject['kind'], Shared.HopSubject['kind']>>();
expectTrue<Same<Model.TracePath['verdict'], Shared.TracePath['verdict']>>();

test('a real trace carries every key of the shared shape the panel reads (verdict, paths, hops with subject)', () => {
  const m = modelOf({
    'a.yaml': docs(
      pod('web', { labels: { app: 'web' }, ports: [80] }),
      pod('client', { labels: { app: 'client' } }),
      service('web', { selector: { app: 'web' }, ports: [80] }),
    ),
  });
  const t: Shared.TraceResult = trace(m, 'pod:default/client', 'svc:default/web:80');
  assert.equal(t.verdict, 'delivered');
  const hop = t.paths[0]!.hops.at(-1)!;
  assert.deepEqual(
    Object.keys(hop)
      .filter((k) => ['at', 'iface', 'action', 'src', 'dst', 'note', 'rule', 'subject'].includes(k))
      .sort(),
    ['action', 'at', 'dst', 'iface', 'note', 'rule', 'src', 'subject'],
  );
  const web = m.pods.find((p) => p.id === 'default/web')!;
  assert.deepEqual(hop.subject, { kind: 'pod', id: 'default/web', node: web.node });
  assert.equal(hop.action, 'deliver');
});
