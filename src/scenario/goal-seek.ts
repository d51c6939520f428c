// Goal-seek over an integer: the largest value in [min, max] at which every SLO holds, when they get
// worse as the value grows (goal 'largest', e.g. the number of domains), or the smallest when they get
// better (goal 'smallest', e.g. CPUs). The search assumes that monotonicity: exponential steps from the
// passing end (1, 2, 4, … away from it) until a value fails or the far end is reached, then bisection
// between the last pass and the first fail. Every evaluated value is kept (memoised, in evaluation
// order), so a chart shows all of them and no value is run twice. At most about 2·log2(max − min) + 2
// evaluations. The evaluator decides a value with confidence intervals (evaluate.ts).

export type Goal = 'largest' | 'smallest';

export interface SeekResult<E> {
  /** The answer, or null when even the passing end fails. */
  readonly answer: number | null;
  /** True when the far end itself passes (the answer is a bound of the range, not a crossing). */
  readonly atRangeEnd: boolean;
  /** The value that failed next to the answer (null when none failed, or none passed). */
  readonly firstFail: number | null;
  /** Every evaluated value with its evaluation, in evaluation order. */
  readonly evaluated: readonly { readonly value: number; readonly holds: boolean; readonly evaluation: E }[];
}

export async function goalSeek<E>(
  range: { readonly min: number; readonly max: number; readonly goal: Goal },
  evaluate: (value: number) => Promise<{ holds: boolean; evaluation: E }>,
): Promise<SeekResult<E>> {
  const { min, max, goal } = range;
  if (!Number.isInteger(min) || !Number.isInteger(max) || max < min)
    throw new RangeError(`goalSeek: need integers min <= max, got ${min}, ${max}`);
  const evaluated: { value: number; holds: boolean; evaluation: E }[] = [];
  const memo = new Map<number, boolean>();
  // t = distance from the passing end; the passing set is assumed to be t in [0, answerT].
  const valueAt = (t: number): number => (goal === 'largest' ? min + t : max - t);
  const passes = async (t: number): Promise<boolean> => {
    const v = valueAt(t);
    const known = memo.get(v);
    if (known !== undefined) return known;
    const r = await evaluate(v);
    memo.set(v, r.holds);
    evaluated.push({ value: v, holds: r.holds, evaluation: r.evaluation });
    return r.holds;
  };
  const span = max - min;
  if (!(await passes(0))) return { answer: null, atRangeEnd: false, firstFail: valueAt(0), evaluated };
  let lo = 0; // passes
  let hi = -1; // fails (unknown yet)
  for (let step = 1; hi < 0; step *= 2) {
    const t = Math.min(step, span);
    if (t === lo) break;
    if (await passes(t)) lo = t;
    else hi = t;
    if (t === span) break;
  }
  if (hi < 0) return { answer: valueAt(lo), atRangeEnd: true, firstFail: null, evaluated };
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await passes(mid)) lo = mid;
    else hi = mid;
  }
  return { answer: valueAt(lo), atRangeEnd: false, firstFail: valueAt(hi), evaluated };
}
