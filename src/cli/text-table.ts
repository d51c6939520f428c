// Plain-text tables for the terminal: columns padded to their widest cell, two spaces apart,
// numbers-looking cells right-aligned, a rule under the header. No colours (output may be a pipe).

const NUMERIC = /^[+-]?[\d.]+(?:e[+-]?\d+)?(?:\s*±\s*[\d.]+(?:e[+-]?\d+)?)?$/i;

export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const pad = (cell: string, i: number, right: boolean): string => {
    const w = widths[i] ?? 0;
    const len = [...cell].length;
    return right ? ' '.repeat(w - len) + cell : cell + ' '.repeat(w - len);
  };
  const rightCols = header.map((_, i) => rows.length > 0 && rows.every((r) => NUMERIC.test(r[i] ?? '')));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => pad(c, i, rightCols[i] ?? false))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}
