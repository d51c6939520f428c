// "Did you mean ...?" for misspelt names (studies, parameters): the known name closest to what was
// typed by Levenshtein edit distance (insertions, deletions, substitutions; case-insensitive), offered
// only when it is close enough to be a likely typo: distance at most max(1, floor(length / 3)), or the
// typed text is a prefix of exactly one known name. Ties go to the earlier name in the given order.

/** Levenshtein distance between a and b (counted in UTF-16 code units), two rows of memory. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, sub);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] ?? 0;
}

/** The known name a typo most likely meant, or undefined when none is close. */
export function closestName(typed: string, known: readonly string[]): string | undefined {
  const t = typed.toLowerCase();
  if (t === '') return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const d = editDistance(t, name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  if (best !== undefined && bestDistance <= Math.max(1, Math.floor(t.length / 3))) return best;
  const prefixed = known.filter((n) => n.toLowerCase().startsWith(t));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** " (did you mean 'x'?)" for a message, or '' when no known name is close. */
export function didYouMean(typed: string, known: readonly string[]): string {
  const name = closestName(typed, known);
  return name === undefined ? '' : ` (did you mean '${name}'?)`;
}
