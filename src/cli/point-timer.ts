// Timing one run for `hvsim run … --dry-run` within a wall-clock budget: the run goes to a worker
// thread (point-timer-worker.ts, which loads the study from the registry module, as a sweep's workers
// do); if it has not finished when its budget (ms, counted from the moment the run starts, after the
// study is loaded) is spent, the thread is terminated and the answer is "over budget". One thread
// serves several timings in turn (a suite's members); a terminated thread is replaced on the next.
// DryRunBudget shares one overall budget between the studies of a suite: each gets at most its own
// budget (2 s by default) and at most an equal part of what is left of the overall budget (10 s of
// timing runs; a fresh thread's loading of the study registry, under 1 s here, comes on top).
// Wall-clock time here is CLI bookkeeping only; no model code sees it.
import { Worker } from 'node:worker_threads';
import { messageOf } from '../runner/errors.js';
import type { RunTask } from '../runner/run-task.js';
import { WORKER_HEAP_MB } from '../runner/sweep.js';

/** Budget of one study's timing run, ms. */
export const STUDY_BUDGET_MS = 2000;
/** Budget of all the timing runs of a suite's dry run together, ms. */
export const SUITE_BUDGET_MS = 10_000;
/** Longest wait for a worker thread to load the study registry, ms (it takes under 1 s here). */
const LOAD_LIMIT_MS = 10_000;

/** What the worker thread sends back. */
export type TimerReply =
  | { readonly kind: 'started' }
  | { readonly kind: 'done'; readonly wallMs: number }
  | { readonly kind: 'error'; readonly message: string };

/** The outcome of one timing. */
export type Timing =
  | { readonly kind: 'finished'; readonly wallMs: number }
  | { readonly kind: 'overBudget'; readonly budgetMs: number }
  | { readonly kind: 'failed'; readonly message: string };

function defaultWorkerFile(): URL {
  return new URL('./point-timer-worker.js', import.meta.url);
}

export class PointTimer {
  private worker: Worker | undefined;

  /** `workerFile`: the compiled worker module (default: point-timer-worker.js next to this module). */
  constructor(private readonly workerFile: URL | string = defaultWorkerFile()) {}

  /** Runs `task` in the worker thread; stops it after `budgetMs` of running. */
  time(task: RunTask, budgetMs: number): Promise<Timing> {
    const worker =
      this.worker ?? new Worker(this.workerFile, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    if (this.worker === undefined) {
      // unref: an idle thread does not keep the process alive (a timing in progress holds a timer that does).
      worker.unref();
      worker.once('exit', () => {
        if (this.worker === worker) this.worker = undefined;
      });
    }
    this.worker = worker;
    return new Promise<Timing>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (t: Timing, terminate: boolean): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (terminate) {
          this.worker = undefined;
          void worker.terminate().then(() => resolve(t));
        } else resolve(t);
      };
      const onMessage = (r: TimerReply): void => {
        if (r.kind === 'started') {
          clearTimeout(timer);
          timer = setTimeout(() => finish({ kind: 'overBudget', budgetMs }, true), budgetMs);
        } else if (r.kind === 'done') finish({ kind: 'finished', wallMs: r.wallMs }, false);
        else finish({ kind: 'failed', message: r.message }, false);
      };
      const onError = (err: unknown): void => finish({ kind: 'failed', message: messageOf(err) }, true);
      const onExit = (code: number): void =>
        finish({ kind: 'failed', message: `the timing thread exited (code ${code})` }, true);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      timer = setTimeout(
        () => finish({ kind: 'failed', message: `the study did not load in ${LOAD_LIMIT_MS / 1000} s` }, true),
        LOAD_LIMIT_MS,
      );
      worker.postMessage(task);
    });
  }

  /** Ends the worker thread (call when done, so the process can exit). */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w !== undefined) await w.terminate();
  }
}

/**
 * The budgets of a dry run's timing runs: each at most `perStudyMs`, and at most an equal part of what
 * is left of `totalMs` among the studies not yet timed. What is spent is the timing runs' own time
 * (spend): loading the study registry in a fresh thread (under 1 s here) is not counted.
 */
export class DryRunBudget {
  private left: number;
  private spentMs = 0;

  constructor(
    studies: number,
    private readonly perStudyMs = STUDY_BUDGET_MS,
    private readonly totalMs = Infinity,
  ) {
    this.left = Math.max(1, studies);
  }

  /** The budget of the next study's timing run, ms. */
  next(): number {
    const share = Math.max(0, this.totalMs - this.spentMs) / this.left;
    this.left = Math.max(1, this.left - 1);
    return Math.floor(Math.min(this.perStudyMs, share));
  }

  /** Counts a timing run's time against the overall budget. */
  spend(t: Timing): void {
    if (t.kind === 'finished') this.spentMs += t.wallMs;
    else if (t.kind === 'overBudget') this.spentMs += t.budgetMs;
  }

  /** Time counted so far, ms. */
  get spent(): number {
    return this.spentMs;
  }
}
