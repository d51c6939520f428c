// Parameter declarations that studies repeat: one call per parameter instead of a seven-line object,
// and the measurement window's two conventional parameters (warmupNs, runLengthNs) with the ranges
// every study uses. Each helper returns a plain ParamSpec whose literal types (kind, enum values)
// defineStudy infers from, so `p.name` keeps its type in `run`. Units: as named (ns, bytes); the
// default ranges are conventions of this project (assumptions, not sources):
//   warmupNs    in [0, 1000 s];  runLengthNs in [1 ms, 10 000 s] (a study whose runs are costly per
//               simulated second, or cheap ones, narrows or widens them: warmupMaxNs, runLengthMinNs,
//               runLengthMaxNs); a study that times iterations instead of a window pins both at 0
//               (unusedWindowParams);
//   working sets in [0, 1 GB];   BVT ctx_allow in [100 µs, 1 s] (Xen 1.0 and 2.0 default 5 ms).

/** An integer parameter: `int(16, 1, 64, 'domains', 'guest domains')`. */
export function intParam(defaultValue: number, min: number, max: number, unit: string, doc: string) {
  return { kind: 'int', default: defaultValue, min, max, unit, doc } as const;
}

/** A float parameter in [min, max]. */
export function floatParam(defaultValue: number, min: number, max: number, unit: string, doc: string) {
  return { kind: 'float', default: defaultValue, min, max, unit, doc } as const;
}

/** A time in integer ns (accepts 500us, 2ms, 10s on the command line). */
export function timeParam(defaultNs: number, minNs: number, maxNs: number, doc: string) {
  return intParam(defaultNs, minNs, maxNs, 'ns', doc);
}

/** A boolean parameter. */
export function boolParam(defaultValue: boolean, doc: string) {
  return { kind: 'bool', default: defaultValue, unit: '', doc } as const;
}

/** One of `values` (the study's closed set, declared `as const`). */
export function enumParam<const V extends readonly (string | number)[]>(
  values: V,
  defaultValue: V[number],
  doc: string,
  unit = '',
) {
  return { kind: 'enum', default: defaultValue, values, unit, doc } as const;
}

/** A domain's working set, bytes, in [0, 1 GB] (the footprint context-switch model reads it). */
export function workingSetParam(defaultBytes: number, doc: string) {
  return intParam(defaultBytes, 0, 1 << 30, 'bytes', doc);
}

/** BVT's context-switch allowance ctx_allow, ns, in [100 µs, 1 s]. */
export function ctxAllowParam(doc = 'BVT context-switch allowance (Xen 1.0: 5 ms)', defaultNs = 5_000_000) {
  return timeParam(defaultNs, 100_000, 1_000_000_000, doc);
}

export interface WindowParamOptions {
  readonly warmupNs: number;
  readonly runLengthNs: number;
  /** Default 1000 s. */
  readonly warmupMaxNs?: number;
  /** Default 1 ms. */
  readonly runLengthMinNs?: number;
  /** Default 10 000 s. */
  readonly runLengthMaxNs?: number;
  readonly warmupDoc?: string;
  readonly runLengthDoc?: string;
}

/** warmupNs and runLengthNs, the parameters the runner requires and MeasurementWindow reads. */
export function windowParams(o: WindowParamOptions) {
  return {
    warmupNs: timeParam(o.warmupNs, 0, o.warmupMaxNs ?? 1_000_000_000_000, o.warmupDoc ?? 'warm-up before measuring'),
    runLengthNs: timeParam(
      o.runLengthNs,
      o.runLengthMinNs ?? 1_000_000,
      o.runLengthMaxNs ?? 10_000_000_000_000,
      o.runLengthDoc ?? 'measured window',
    ),
  } as const;
}

/**
 * warmupNs and runLengthNs pinned at 0 for a study that times a number of iterations or runs its
 * workloads to completion instead of measuring a window (the runner requires both parameters).
 * `why` completes the doc "not used: …".
 */
export function unusedWindowParams(why: string) {
  const doc = `not used: ${why} (the runner requires the parameter)`;
  return windowParams({
    warmupNs: 0,
    runLengthNs: 0,
    warmupMaxNs: 0,
    runLengthMinNs: 0,
    runLengthMaxNs: 0,
    warmupDoc: doc,
    runLengthDoc: doc,
  });
}

/** Page-table updates per flush hypercall in the xen profile, in [1, 2048] (XenoLinux batches 2048). */
export function ptBatchParam(doc = 'page-table updates per flush hypercall in the xen profile (XenoLinux: 2048)') {
  return intParam(2048, 1, 2048, 'updates', doc);
}
