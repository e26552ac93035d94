// Disk layer (pure helper, no I/O): `files.exclude` globs matched in linear time. Must not import vscode or LSP.
//
// Why not a RegExp: the globs come from the workspace's own `.vscode/settings.json`, i.e. from whoever
// wrote the repository. A pattern like `[z-a]` made `new RegExp` throw at start-up, and `**a**a**a…b`
// compiled to nested `.*` that backtrack exponentially. Here a glob becomes a small automaton that is
// run as a set of states (Thompson's construction): time is path length × pattern length, whatever
// the pattern. Supports what files.exclude patterns use: `**`, `**/`, `*`, `?`, `[...]`/`[!...]`, `{a,b}`.

/** One state of the automaton; `next` is the index it moves to when it consumes a character. */
type Step =
  | { t: 'char'; c: string }
  | { t: 'one' } // `?`: one character, not '/'
  | { t: 'class'; ranges: [string, string][]; negated: boolean }
  | { t: 'star' } // `*`: any run of characters without '/', stays in place
  | { t: 'any' } // `**` not followed by '/': any run of characters, stays in place
  | { t: 'dirs' }; // `**/`: zero or more whole folders (see run())

export interface CompiledGlob {
  matches(path: string): boolean;
}

/** Alternatives `{a,b}` expanded into whole patterns; more than this is not a real exclude pattern. */
const MAX_ALTERNATIVES = 64;
/** A longer pattern is not a real exclude pattern either, and bounds the matcher's work per path. */
const MAX_PATTERN_LENGTH = 1024;

/** The glob as a matcher over '/'-separated relative paths, or why it cannot be used. */
export function compileGlob(glob: string): CompiledGlob | { error: string } {
  if (glob.length > MAX_PATTERN_LENGTH) return { error: `longer than ${MAX_PATTERN_LENGTH} characters` };
  const expanded = expandBraces(glob);
  if ('error' in expanded) return expanded;
  const machines: Step[][] = [];
  for (const alt of expanded) {
    const steps = compileSteps(alt);
    if ('error' in steps) return steps;
    machines.push(steps);
  }
  return {
    // A match on a folder excludes everything below it, as in VS Code: try the path and each of its folders.
    matches(path: string): boolean {
      for (let end = path.length; end > 0; end = path.lastIndexOf('/', end - 1)) {
        const p = end === path.length ? path : path.slice(0, end);
        if (machines.some((m) => run(m, p))) return true;
      }
      return false;
    },
  };
}

function expandBraces(glob: string): string[] | { error: string } {
  const open = glob.indexOf('{');
  if (open < 0) return [glob];
  // The first '{' and its matching '}', splitting on top-level commas.
  let depth = 0;
  const parts: string[] = [];
  let from = open + 1;
  for (let i = open; i < glob.length; i++) {
    const c = glob[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      parts.push(glob.slice(from, i));
      const head = glob.slice(0, open);
      const tails = expandBraces(glob.slice(i + 1));
      if ('error' in tails) return tails;
      const out: string[] = [];
      for (const part of parts) {
        const inner = expandBraces(part);
        if ('error' in inner) return inner;
        for (const a of inner)
          for (const t of tails) {
            out.push(head + a + t);
            if (out.length > MAX_ALTERNATIVES) return { error: `expands to more than ${MAX_ALTERNATIVES} alternatives` };
          }
      }
      return out;
    } else if (c === ',' && depth === 1) {
      parts.push(glob.slice(from, i));
      from = i + 1;
    }
  }
  // An unclosed '{' is an ordinary character.
  const rest = expandBraces(glob.slice(open + 1));
  if ('error' in rest) return rest;
  return rest.map((r) => glob.slice(0, open + 1) + r);
}

function compileSteps(glob: string): Step[] | { error: string } {
  const steps: Step[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const dirs = glob[i + 2] === '/';
        steps.push(dirs ? { t: 'dirs' } : { t: 'any' });
        i += dirs ? 2 : 1;
        // `***` and `**/**/` say no more than one of them.
        while (glob[i + 1] === '*' && !dirs) i++;
      } else if (steps[steps.length - 1]?.t !== 'star') steps.push({ t: 'star' });
    } else if (c === '?') steps.push({ t: 'one' });
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        steps.push({ t: 'char', c });
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      const ranges: [string, string][] = [];
      for (let k = 0; k < body.length; k++) {
        const lo = body[k]!;
        if (body[k + 1] === '-' && k + 2 < body.length) {
          const hi = body[k + 2]!;
          if (hi < lo) return { error: `the range ${lo}-${hi} in [${body}] is out of order` };
          ranges.push([lo, hi]);
          k += 2;
        } else ranges.push([lo, lo]);
      }
      steps.push({ t: 'class', ranges, negated });
      i = close;
    } else steps.push({ t: 'char', c });
  }
  return steps;
}

/**
 * Runs the automaton over `path`. States are step indices; `steps.length` accepts. A `dirs` step
 * has a second state (index + steps.length + 1, "inside the folders") so that it can match either
 * nothing or any run that ends in '/', never a run that does not.
 */
function run(steps: Step[], path: string): boolean {
  const n = steps.length;
  const inside = (i: number): number => n + 1 + i;
  let current = new Uint8Array(2 * n + 2);
  let next = new Uint8Array(2 * n + 2);
  const add = (set: Uint8Array, i: number): void => {
    if (set[i]) return;
    set[i] = 1;
    // Steps that may match nothing let the next one start right here.
    if (i < n) {
      const t = steps[i]!.t;
      if (t === 'star' || t === 'any' || t === 'dirs') add(set, i + 1);
    }
  };
  add(current, 0);
  for (let p = 0; p < path.length; p++) {
    const c = path[p]!;
    next.fill(0);
    for (let i = 0; i < 2 * n + 1; i++) {
      if (!current[i]) continue;
      if (i > n) {
        // Inside a `dirs` run: go on, or end the run at a '/'.
        const at = i - n - 1;
        add(next, inside(at));
        if (c === '/') add(next, at + 1);
        continue;
      }
      if (i === n) continue;
      const s = steps[i]!;
      switch (s.t) {
        case 'char':
          if (c === s.c) add(next, i + 1);
          break;
        case 'one':
          if (c !== '/') add(next, i + 1);
          break;
        case 'class': {
          const within = s.ranges.some(([lo, hi]) => c >= lo && c <= hi);
          if (c !== '/' && within !== s.negated) add(next, i + 1);
          break;
        }
        case 'star':
          if (c !== '/') add(next, i);
          break;
        case 'any':
          add(next, i);
          break;
        case 'dirs':
          add(next, inside(i));
          if (c === '/') add(next, i + 1);
          break;
      }
    }
    if (!next.includes(1)) return false;
    [current, next] = [next, current];
  }
  return current[n] === 1;
}
