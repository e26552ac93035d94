// Model layer (pure): matches that never take a request because an identical one on the same listener and
// hostname comes first (GW-5). Must not import vscode, LSP, node:* or fs.
import type { ModelDiagnostic, RouteInfo, RouteMatchInfo, RouteRuleInfo } from '../../types';
import { Fields, nameSpan } from '../../core/typed-fields';
import { describeMatch } from './httproute-match';

interface Seat {
  route: RouteInfo;
  rule: RouteRuleInfo;
  match: RouteMatchInfo;
}

/**
 * GW-5: two identical matches (same path, method, headers, query parameters, or gRPC method) of Routes kept
 * on one listener with the same hostname have equal precedence. Inside one Route the first rule takes every
 * such request: the later match is dead (a warning). Across Routes the older Route does, which the files
 * cannot tell without both creation timestamps (a warning naming the tie); with them, the younger is dead.
 */
export function findShadowedMatches(routes: readonly RouteInfo[], out: ModelDiagnostic[]): void {
  const seats = new Map<string, Seat[]>();
  for (const route of routes) {
    const keys = new Set(route.parents.flatMap((p) => p.attached.flatMap((a) => a.hostnames.map((h) => `${p.gateway}\u0000${a.listener}\u0000${h}`))));
    for (const key of keys) {
      for (const rule of route.rules) {
        for (const match of rule.matches) {
          const k = `${key}\u0000${route.kind}\u0000${describeMatch(match)}`;
          seats.set(k, [...(seats.get(k) ?? []), { route, rule, match }]);
        }
      }
    }
  }
  const reported = new Set<RouteMatchInfo>();
  for (const list of seats.values()) {
    if (list.length < 2) continue;
    const first = list[0]!;
    for (const s of list.slice(1)) {
      if (reported.has(s.match)) continue;
      reported.add(s.match);
      const f = new Fields(s.route.source, out);
      const span =
        (s.match.source ? s.route.source.spans.whole(s.match.source) : undefined) ?? s.route.source.spans.whole(s.rule.source) ?? nameSpan(s.route.source);
      const text = describeMatch(s.match);
      if (s.route === first.route) {
        s.match.shadowedBy = `rule ${first.rule.index}`;
        f.report(
          'route-match-shadowed',
          'warning',
          `This match (${text}) never takes a request: rule ${first.rule.index} of this Route has the same match and comes first.`,
          span,
          'GW-5',
        );
        continue;
      }
      const [a, b] = [first.route.creationTimestamp, s.route.creationTimestamp];
      if (a && b && a !== b) {
        const older = a < b ? first : s;
        const younger = older === first ? s : first;
        younger.match.shadowedBy = `${older.route.kind} ${older.route.id} rule ${older.rule.index} (older)`;
        if (younger === s)
          f.report(
            'route-match-shadowed',
            'warning',
            `This match (${text}) never takes a request: ${older.route.kind} ${older.route.id} rule ${older.rule.index} has the same match on the same hostname and is older.`,
            span,
            'GW-5',
          );
        continue;
      }
      s.match.shadowedBy = `${first.route.kind} ${first.route.id} rule ${first.rule.index} (tie: creation order decides)`;
      f.report(
        'route-match-tie',
        'warning',
        `${first.route.kind} ${first.route.id} rule ${first.rule.index} has the same match (${text}) on the same hostname: the older Route takes these requests, and the files carry no creationTimestamp to tell which.`,
        span,
        'GW-5',
      );
    }
  }
}
