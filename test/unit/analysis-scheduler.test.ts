// Issue 9 / issue 4: when the language server analyses (server/src/lsp/analysis-scheduler.ts), with a clock the
// test drives by hand: a quiet edit runs at once, a burst coalesces into one analysis, an edit drops a running
// analysis, a request flushes, a failing analysis keeps the last snapshot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnalysisScheduler, TIME_SLICE_MS, type Analysable, type Clock } from '../../server/src/lsp/analysis-scheduler';

/** Timers and "after pending messages" callbacks, run only when the test says so. */
class FakeClock implements Clock {
  time = 0;
  private timers: { at: number; run: () => void; id: number }[] = [];
  private soon: (() => void)[] = [];
  private nextId = 1;
  now(): number {
    return this.time;
  }
  setTimer(run: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, run, id });
    return id;
  }
  clearTimer(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  afterPendingMessages(run: () => void): void {
    this.soon.push(run);
  }
  /** Moves time on by `ms`, running the timers that come due (not the stage callbacks). */
  advance(ms: number): void {
    this.time += ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= this.time).sort((a, b) => a.at - b.at)[0];
      if (!due) return;
      this.timers = this.timers.filter((t) => t !== due);
      due.run();
    }
  }
  /** Runs one turn of stage callbacks. */
  turn(): void {
    const now = this.soon;
    this.soon = [];
    for (const run of now) run();
  }
  get pendingTimers(): number {
    return this.timers.length;
  }
}

/** A workspace whose analysis has `stages` steps; each finished analysis is a new numbered snapshot. */
class FakeWorkspace implements Analysable<number> {
  isDirty = false;
  snapshot = 0;
  started = 0;
  abandoned = 0;
  failNext = false;
  /** Steps run so far, over all analyses. */
  steps = 0;
  /** Each step's work, in ms of the clock (issue 13: the scheduler's time slices); none by default. */
  stepMs: (step: number) => number = () => 0;
  constructor(
    private readonly stages = 3,
    private readonly clock?: FakeClock,
  ) {}
  edit(): void {
    this.isDirty = true;
  }
  *analysisSteps(): Generator<void, number, void> {
    this.started++;
    for (let i = 0; i < this.stages; i++) {
      if (this.clock) this.clock.time += this.stepMs(i);
      this.steps++;
      yield;
    }
    if (this.failNext) {
      this.failNext = false;
      throw new Error('stage failed');
    }
    return this.finish();
  }
  analyze(): number {
    if (!this.isDirty) return this.snapshot;
    this.started++;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('stage failed');
    }
    return this.finish();
  }
  abandon(): void {
    this.abandoned++;
  }
  private finish(): number {
    this.isDirty = false;
    return ++this.snapshot;
  }
}

function setup(debounceMs = 100, stages = 3) {
  const clock = new FakeClock();
  const ws = new FakeWorkspace(stages, clock);
  const analysed: number[] = [];
  const failures: string[] = [];
  const s = new AnalysisScheduler(ws, clock, { debounceMs: () => debounceMs, analysed: (n) => analysed.push(n), failed: (what) => failures.push(what) });
  /** Runs stage callbacks until none is left. */
  const settle = () => {
    for (let i = 0; i < 100 && s.isRunning; i++) clock.turn();
  };
  return { clock, ws, s, analysed, failures, settle };
}

test('an edit after a quiet spell starts analysing at once (a 0 ms timer), not after the debounce', () => {
  const { clock, ws, s, analysed, settle } = setup();
  clock.advance(1000);
  ws.edit();
  s.schedule();
  clock.advance(0);
  assert.ok(s.isRunning, 'the analysis started without waiting');
  settle();
  assert.deepEqual(analysed, [1]);
});

test('edits within the debounce of each other coalesce into one analysis after the burst', () => {
  const { clock, ws, s, analysed, settle } = setup(100);
  clock.advance(1000);
  ws.edit();
  s.schedule(); // quiet: 0 ms timer
  for (let i = 0; i < 4; i++) {
    clock.time += 30; // typing: 30 ms apart, the timers not yet run for the later ones
    ws.edit();
    s.schedule();
  }
  assert.equal(clock.pendingTimers, 1, 'one timer for the whole burst');
  clock.advance(99);
  assert.equal(ws.started, 0, 'nothing runs before the burst has been quiet for debounceMs');
  clock.advance(1);
  settle();
  assert.equal(ws.started, 1);
  assert.deepEqual(analysed, [1]);
});

test('an edit during an analysis drops it; the next analysis includes the edit', () => {
  const { clock, ws, s, analysed, settle } = setup(100, 5);
  ws.stepMs = () => TIME_SLICE_MS; // a step per turn
  clock.advance(1000);
  ws.edit();
  s.schedule();
  clock.advance(0);
  clock.turn(); // two of five stages done
  assert.ok(s.isRunning);
  ws.edit();
  s.schedule();
  assert.equal(ws.abandoned, 1, 'the stale analysis is abandoned');
  assert.ok(!s.isRunning);
  clock.turn(); // a late stage callback of the dropped analysis does nothing
  assert.deepEqual(analysed, []);
  clock.advance(100); // the edit counts as part of a burst: it waits the debounce
  settle();
  assert.equal(ws.started, 2);
  assert.deepEqual(analysed, [1], 'only the second analysis reports a snapshot');
});

test('flush analyses now, cancels the pending timer, and reports only when something changed', () => {
  const { clock, ws, s, analysed } = setup();
  ws.edit();
  s.schedule();
  assert.equal(s.flush(), 1);
  assert.equal(clock.pendingTimers, 0);
  assert.deepEqual(analysed, [1]);
  assert.equal(s.flush(), 1, 'a clean workspace gives its snapshot again…');
  assert.deepEqual(analysed, [1], '…without a report');
});

test('a failing analysis is reported and the last good snapshot stays; the next edit tries again', () => {
  const { clock, ws, s, analysed, failures, settle } = setup();
  clock.advance(1000);
  ws.edit();
  ws.failNext = true;
  s.schedule();
  clock.advance(0);
  settle();
  assert.deepEqual(failures, ['background analysis']);
  assert.deepEqual(analysed, []);
  assert.equal(ws.abandoned, 1);
  ws.edit();
  ws.failNext = true;
  assert.equal(s.flush(), 0, 'flush falls back to the last snapshot');
  assert.deepEqual(failures, ['background analysis', 'analysis']);
  ws.edit();
  clock.advance(1000);
  s.schedule();
  clock.advance(0);
  settle();
  assert.deepEqual(analysed, [1]);
});

test('issue 13: settled() answers at once when nothing is due, else when the analysis ends, which it starts now instead of after the debounce; it never analyses synchronously', async () => {
  const { clock, ws, s, analysed, settle } = setup(100);
  assert.equal(await s.settled(), 0, 'nothing due: the last snapshot');
  clock.advance(1000);
  ws.edit();
  s.schedule(); // quiet: at once
  clock.advance(0);
  settle();
  ws.edit();
  s.schedule(); // within the debounce: due in 100 ms
  let answer: number | undefined;
  void s.settled().then((n) => (answer = n));
  assert.equal(ws.started, 1, 'settled() did not analyse synchronously');
  clock.advance(0); // the 0 ms timer settled() set in place of the 100 ms one
  assert.ok(s.isRunning, 'the due analysis started without waiting out the debounce');
  await Promise.resolve();
  assert.equal(answer, undefined, 'not answered while the analysis runs');
  settle();
  await Promise.resolve();
  assert.equal(answer, 2);
  assert.deepEqual(analysed, [1, 2]);
});

test('issue 13: settled() is answered with the last good snapshot when the analysis fails', async () => {
  const { clock, ws, s, failures, settle } = setup(100);
  ws.edit();
  ws.failNext = true;
  const answer = s.settled();
  clock.advance(0);
  settle();
  assert.equal(await answer, 0);
  assert.deepEqual(failures, ['background analysis']);
});

test('issue 13: an analysis runs its steps back to back for one time slice, then lets pending messages run', () => {
  const { clock, ws, s, analysed } = setup(100, 40);
  ws.stepMs = () => 1; // every step works 1 ms
  clock.advance(1000);
  ws.edit();
  s.schedule();
  clock.advance(0);
  assert.equal(ws.steps, 0, 'the first slice waits for the messages that arrived with the edit');
  const perTurn: number[] = [];
  while (s.isRunning) {
    const before = ws.steps;
    clock.turn();
    perTurn.push(ws.steps - before);
  }
  // Each turn runs steps until TIME_SLICE_MS of work have passed: 40 steps of 1 ms in turns of TIME_SLICE_MS; the
  // last turn only finishes the analysis (its return after the last yield).
  assert.deepEqual(perTurn, [...Array.from({ length: 40 / TIME_SLICE_MS }, () => TIME_SLICE_MS), 0]);
  assert.deepEqual(analysed, [1]);
});

test('issue 13: a step longer than the slice is one turn; short steps are batched, never mixed across a turn for messages', () => {
  const { clock, ws, s, analysed } = setup(100, 12);
  // Steps of a quarter slice, except step 3 (the fourth), which works ten slices.
  const quarter = TIME_SLICE_MS / 4;
  const long = TIME_SLICE_MS * 10;
  ws.stepMs = (i) => (i === 3 ? long : quarter);
  clock.advance(1000);
  ws.edit();
  s.schedule();
  clock.advance(0);
  const perTurn: number[] = [];
  const turnStart: number[] = [];
  while (s.isRunning) {
    const before = ws.steps;
    turnStart.push(clock.time);
    clock.turn();
    perTurn.push(ws.steps - before);
  }
  // Turn 1: three quarters of a slice, then the long step (which ends it); then the 8 quarter steps left, four per
  // turn; the last turn only finishes.
  assert.deepEqual(perTurn, [4, 4, 4, 0]);
  assert.deepEqual(analysed, [1]);
  // A message handled between two turns waited at most for one slice plus the step that crossed it.
  for (let i = 1; i < turnStart.length; i++) assert.ok(turnStart[i]! - turnStart[i - 1]! <= TIME_SLICE_MS + long);
});

test('issue 13: an edit between two slices drops the analysis: no further step of it runs', () => {
  const { clock, ws, s, analysed, settle } = setup(100, 40);
  ws.stepMs = () => 1;
  clock.advance(1000);
  ws.edit();
  s.schedule();
  clock.advance(0);
  clock.turn();
  assert.equal(ws.steps, TIME_SLICE_MS);
  ws.edit();
  s.schedule();
  clock.turn();
  assert.equal(ws.steps, TIME_SLICE_MS, 'the dropped analysis did not go on');
  clock.advance(100);
  settle();
  assert.equal(ws.steps, TIME_SLICE_MS + 40);
  assert.deepEqual(analysed, [1]);
});
