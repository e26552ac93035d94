// Server layer (LSP): when the workspace is analysed. Must not import vscode or the client; time comes from an
// injected Clock, so the policy is unit-tested without waiting (test/unit/analysis-scheduler.test.ts).
//
// - An edit after a quiet spell (no change for `debounceMs`) is analysed at once: a user who changes one value
//   and looks should not wait out a debounce. The analysis still starts on a 0 ms timer, so the rest of a batch
//   of notifications that arrived together lands before it.
// - Changes that follow within `debounceMs` of the previous one (typing, a checkout touching many files) are
//   coalesced into one analysis after the burst.
// - An analysis runs in time slices: its steps (a few files parsed, a few dozen pods or Services of a model stage,
//   see Stage in model/pipeline/build-model.ts) run back to back until TIME_SLICE_MS have passed, then the messages
//   that arrived meanwhile are handled, so a hover waits for at most about one slice and is answered from the last
//   snapshot; a change during an analysis makes it stale: it is dropped, and the change counts as a burst.

/**
 * How long an analysis works before it lets pending messages run (issue 13: a hover during an analysis within 2x
 * of an idle one). Steps are count-based and usually well under a millisecond, so a slice ends soon after this.
 * 1 ms rather than 2: with the turns between slices (nodeClock) a request waits for the rest of one slice. In
 * three LSP bench runs each (N=2000) 1 ms brought the hover during an analysis from p50 2.9-3.4 ms to 1.8-2.4 ms
 * and cost nothing in re-analysis time (edit -> diagnostics p50 0.25-0.35x of the floor at 1 ms, 0.24-0.34x at 2).
 */
export const TIME_SLICE_MS = 1;

/** The scheduler's view of time: Node's timers in the server, a hand-driven fake in tests. */
export interface Clock {
  now(): number;
  setTimer(run: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** Runs `run` once the messages that arrived meanwhile have been handled. */
  afterPendingMessages(run: () => void): void;
}

/**
 * Node's timers and event loop. `traffic` counts what went through the connection so far: input read from the
 * client's channel and requests answered; `inputCounted` says every input is in it (the transport lets main.ts count
 * it as it is read).
 *
 * Between two slices the loop must get as far as writing the answer to a request that arrived during the first:
 * vscode-jsonrpc reads a message in the poll phase but decodes it on a setImmediate and dispatches it on another,
 * and writes an answer on one more. Immediates queued while immediates run wait for the next turn of the loop, so
 * the next slice waits three turns (a message read in the first is dispatched in the second), and three more
 * whenever input came in or a request was answered during them. With two turns, a request waited a whole extra
 * slice; with its answer queued behind the next slice, another one (issue 13: a hover during an analysis within
 * 2x of an idle one).
 */
export function nodeClock(traffic: () => number, inputCounted = false): Clock {
  const turns = (n: number, run: () => void): void => void setImmediate(n <= 1 ? run : () => turns(n - 1, run));
  /** Waits again while traffic goes on, but not forever: a client that never stops sending must not stop the analysis. */
  const wait = (run: () => void, again: number): void => {
    const before = traffic();
    turns(3, () => (traffic() === before || again === 0 ? run() : wait(run, again - 1)));
  };
  /**
   * Where every input is counted as it is read: one turn, whose poll phase reads what came in during the slice. With
   * nothing read and nothing answered, no message waits to be decoded, dispatched or answered, and the next slice
   * starts; else the three turns above. Most boundaries have no traffic: at 10,000 Services an analysis has ~550 of
   * them, and their three turns came to ~130 ms of its wall time.
   */
  const quick = (run: () => void): void => {
    const before = traffic();
    turns(1, () => (traffic() === before ? run() : wait(run, MAX_WAITS_AGAIN)));
  };
  return {
    now: () => performance.now(),
    setTimer: (run, ms) => setTimeout(run, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    afterPendingMessages: (run) => (inputCounted ? quick(run) : wait(run, MAX_WAITS_AGAIN)),
  };
}

/** How many times the next slice waits three more turns for traffic that keeps coming (see nodeClock). */
export const MAX_WAITS_AGAIN = 4;

/** What the scheduler analyses (the Workspace): a snapshot `S` per analysis. */
export interface Analysable<S> {
  readonly isDirty: boolean;
  readonly snapshot: S;
  /** An analysis a few units of work per step; `return()` drops it. */
  analysisSteps(): Generator<void, S, void>;
  /** An analysis to the end, now. */
  analyze(): S;
  /** Forgets a dropped or failed analysis (the last snapshot stays). */
  abandon(): void;
}

export interface SchedulerHooks<S> {
  debounceMs(): number;
  /** An analysis finished with a new snapshot. */
  analysed(snapshot: S): void;
  /** An analysis threw: the last good snapshot stays, the next change tries again. */
  failed(what: string, error: unknown): void;
}

export class AnalysisScheduler<S> {
  private timer: unknown;
  private running: Generator<void, S, void> | undefined;
  private lastChange = Number.NEGATIVE_INFINITY;
  /** Requests waiting for a snapshot that covers every change so far (see settled). */
  private waiting: ((snapshot: S) => void)[] = [];

  constructor(
    private readonly target: Analysable<S>,
    private readonly clock: Clock,
    private readonly hooks: SchedulerHooks<S>,
  ) {}

  /** Whether an analysis is under way (between two of its time slices). */
  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Whether an analysis waits on its timer. */
  get isPending(): boolean {
    return this.timer !== undefined;
  }

  /** Something changed: analyse soon (at once after a quiet spell, after the burst otherwise). */
  schedule(): void {
    const now = this.clock.now();
    const wasRunning = this.stopBackground();
    const quiet = !wasRunning && this.timer === undefined && now - this.lastChange >= this.hooks.debounceMs();
    this.lastChange = now;
    this.clearTimer();
    this.timer = this.clock.setTimer(() => this.analyseInBackground(), quiet ? 0 : this.hooks.debounceMs());
  }

  /**
   * The snapshot that covers every change made so far: at once when none is due, else when the analysis that
   * is scheduled or under way ends (or fails: the last good snapshot then). Never analyses synchronously, so a
   * request that waits on it lets every other request be answered meanwhile (issue 13).
   */
  settled(restart = false): Promise<S> {
    // restart: an analysis under way may have started from texts that changed since without stopping it (the
    // first index adds files without scheduling); drop it and start again.
    if (restart) this.stopBackground();
    if (!this.target.isDirty && !this.running) return Promise.resolve(this.target.snapshot);
    // A request needs it: what waits out a debounce (or was never scheduled, as during the first index) starts
    // now, on a 0 ms timer so that the rest of a batch of notifications lands first.
    if (!this.running) {
      this.clearTimer();
      this.timer = this.clock.setTimer(() => this.analyseInBackground(), 0);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Answers the requests waiting in settled(). */
  private settle(snapshot: S): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve(snapshot);
  }

  /**
   * Analyses now, to the end: for a request that must see the latest text, and the end of indexing. Reports
   * `analysed` only when something had changed; a failure keeps the last snapshot.
   */
  flush(): S {
    this.clearTimer();
    this.stopBackground();
    const changed = this.target.isDirty;
    let snapshot: S;
    try {
      snapshot = this.target.analyze();
    } catch (e) {
      this.hooks.failed('analysis', e);
      this.target.abandon();
      this.settle(this.target.snapshot);
      return this.target.snapshot;
    }
    if (changed) this.hooks.analysed(snapshot);
    this.settle(snapshot);
    return snapshot;
  }

  /** Drops the background analysis, if any; true when there was one. */
  private stopBackground(): boolean {
    if (!this.running) return false;
    this.running.return(this.target.snapshot);
    this.running = undefined;
    this.target.abandon();
    return true;
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  private analyseInBackground(): void {
    this.timer = undefined;
    if (!this.target.isDirty) return this.settle(this.target.snapshot);
    const steps = this.target.analysisSteps();
    this.running = steps;
    const step = (): void => {
      if (this.running !== steps) return; // dropped
      const start = this.clock.now();
      let r: IteratorResult<void, S>;
      try {
        // Steps back to back until the slice is used up, then a turn for the messages that arrived meanwhile.
        do r = steps.next();
        while (!r.done && this.clock.now() - start < TIME_SLICE_MS);
      } catch (e) {
        this.hooks.failed('background analysis', e);
        this.running = undefined;
        this.target.abandon();
        this.settle(this.target.snapshot);
        return;
      }
      if (!r.done) {
        this.clock.afterPendingMessages(step);
        return;
      }
      this.running = undefined;
      this.hooks.analysed(r.value);
      this.settle(r.value);
    };
    // The first step too waits for the messages that arrived meanwhile: a hover sent right behind the edit that
    // started this analysis is answered (from the last snapshot) before any of its work.
    this.clock.afterPendingMessages(step);
  }
}
