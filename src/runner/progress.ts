// Progress of a sweep on stderr. On a TTY: a cli-progress bar (runs done/total of this invocation,
// percentage, simulated events per second over all workers, elapsed time and ETA). Otherwise (a pipe,
// a log file, a CI job, a Slurm task): one plain line at most every `intervalMs` (default 2 s) while
// runs finish, and a last line at the end. Mode 'none' prints nothing (--quiet).
// Events per second = simulated events of the runs finished in this invocation / wall seconds since
// it started (all workers together).
import cliProgress from 'cli-progress';

export const ProgressMode = { auto: 'auto', bar: 'bar', plain: 'plain', none: 'none' } as const;
export type ProgressMode = (typeof ProgressMode)[keyof typeof ProgressMode];

export const DEFAULT_PROGRESS_INTERVAL_MS = 2000;

/** 1234567 → "1.23M". */
export function compactNumber(x: number): string {
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toPrecision(3)}G`;
  if (a >= 1e6) return `${(x / 1e6).toPrecision(3)}M`;
  if (a >= 1e3) return `${(x / 1e3).toPrecision(3)}k`;
  return `${Math.round(x)}`;
}

/** Seconds → "42 s", "3 min 20 s", "1 h 05 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

export interface ProgressOptions {
  readonly mode: ProgressMode;
  readonly label: string;
  /** Runs this invocation will execute. */
  readonly total: number;
  readonly stream?: NodeJS.WriteStream;
  readonly intervalMs?: number;
}

export class Progress {
  private readonly stream: NodeJS.WriteStream;
  private readonly mode: ProgressMode;
  private readonly intervalMs: number;
  private readonly startMs = Date.now();
  private done = 0;
  private events = 0;
  private lastLineMs = 0;
  private bar: cliProgress.SingleBar | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: ProgressOptions) {
    this.stream = opts.stream ?? process.stderr;
    this.mode = opts.mode === 'auto' ? (this.stream.isTTY ? 'bar' : 'plain') : opts.mode;
    this.intervalMs = opts.intervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  }

  start(): void {
    if (this.mode === 'bar') {
      this.bar = new cliProgress.SingleBar(
        {
          format: `${this.opts.label} [{bar}] {value}/{total} runs {percentage}% | {eps} events/s | {duration_formatted} | ETA {eta_formatted}`,
          stream: this.stream,
          hideCursor: true,
          etaBuffer: 20,
          fps: 5,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(this.opts.total, 0, { eps: '-' });
    } else if (this.mode === 'plain') {
      this.lastLineMs = Date.now();
      this.timer = setInterval(() => this.maybeLine(), this.intervalMs);
      this.timer.unref();
    }
  }

  private eventsPerSecond(): number {
    const sec = (Date.now() - this.startMs) / 1000;
    return sec > 0 ? this.events / sec : 0;
  }

  private line(): string {
    const elapsed = (Date.now() - this.startMs) / 1000;
    const pct = this.opts.total > 0 ? Math.floor((100 * this.done) / this.opts.total) : 100;
    const eta = this.done > 0 ? (elapsed / this.done) * (this.opts.total - this.done) : NaN;
    return `${this.opts.label}: ${this.done}/${this.opts.total} runs (${pct}%), ${compactNumber(this.eventsPerSecond())} events/s, elapsed ${formatDuration(elapsed)}, ETA ${formatDuration(eta)}`;
  }

  private maybeLine(): void {
    const now = Date.now();
    if (now - this.lastLineMs >= this.intervalMs && this.done < this.opts.total) {
      this.lastLineMs = now;
      this.stream.write(`${this.line()}\n`);
    }
  }

  runFinished(events: number): void {
    this.done++;
    this.events += events;
    if (this.bar) this.bar.update(this.done, { eps: compactNumber(this.eventsPerSecond()) });
    else if (this.mode === 'plain') this.maybeLine();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.bar) {
      this.bar.stop();
      this.bar = null;
    } else if (this.mode === 'plain' && this.opts.total > 0) {
      this.stream.write(`${this.line()}\n`);
    }
  }
}
