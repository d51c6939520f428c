// Optional tracing of model activity, in the spirit of xentrace: records of (time ns, source, kind,
// fields). Off by default and then free: models write `sim.tracer?.record(sim.now, 'src', 'kind', {...})`,
// whose arguments are not even evaluated when the simulation has no tracer.
// Records keep insertion order and field order, so the same run gives the same JSON Lines bytes.

export type TraceFields = Readonly<Record<string, string | number | boolean | null>>;

export interface TraceRecord {
  readonly timeNs: number;
  readonly source: string;
  readonly kind: string;
  readonly fields?: TraceFields;
}

export interface TracerOptions {
  /** Receives each record as one JSON line (without newline) instead of keeping it in memory. */
  readonly sink?: (line: string) => void;
  /** Keeps only records for which this returns true. */
  readonly filter?: (source: string, kind: string) => boolean;
}

export class Tracer {
  readonly records: TraceRecord[] = [];
  private readonly sink: ((line: string) => void) | undefined;
  private readonly filter: ((source: string, kind: string) => boolean) | undefined;

  constructor(options: TracerOptions = {}) {
    this.sink = options.sink;
    this.filter = options.filter;
  }

  record(timeNs: number, source: string, kind: string, fields?: TraceFields): void {
    if (this.filter !== undefined && !this.filter(source, kind)) return;
    const rec: TraceRecord = fields === undefined ? { timeNs, source, kind } : { timeNs, source, kind, fields };
    if (this.sink !== undefined) this.sink(JSON.stringify(rec));
    else this.records.push(rec);
  }

  /** The kept records as JSON Lines (one record per line, trailing newline). */
  toJsonLines(): string {
    let out = '';
    for (const r of this.records) out += JSON.stringify(r) + '\n';
    return out;
  }
}
