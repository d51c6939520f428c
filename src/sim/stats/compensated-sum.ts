/**
 * CompensatedSum: a running sum with Neumaier's improved Kahan–Babuška compensation.
 *
 * Unitless (the sum has the unit of its terms). The error of the result is bounded by about one
 * rounding of the exact sum (plus O(n·eps²)·Σ|x|), independently of the number of terms, and it stays
 * exact where naive summation loses everything, e.g. 1 + 1e100 + 1 − 1e100 = 2.
 *
 * Sources: A. Neumaier, "Rundungsfehleranalyse einiger Verfahren zur Summation endlicher Summen",
 * ZAMM 54 (1974) 39–51; N. J. Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., §4.3.
 *
 * IEEE semantics are kept: adding ±Infinity or NaN makes the value ±Infinity or NaN (the
 * compensation term is then ignored instead of turning the result into NaN).
 */
export class CompensatedSum {
  private sum = 0;
  private compensation = 0;

  add(x: number): void {
    const s = this.sum;
    const t = s + x;
    // The low-order bits lost by the rounded addition, recovered from the larger operand.
    if (Math.abs(s) >= Math.abs(x)) this.compensation += s - t + x;
    else this.compensation += x - t + s;
    this.sum = t;
  }

  get value(): number {
    const s = this.sum;
    return Number.isFinite(s) ? s + this.compensation : s;
  }

  reset(): void {
    this.sum = 0;
    this.compensation = 0;
  }
}
