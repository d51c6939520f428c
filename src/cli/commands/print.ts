// Printing a study's console table (simulated vs analytic, …) after a run or a merge.
import type { Study, StudyData } from '../../runner/study.js';
import type { Io } from '../io.js';
import { textTable } from '../text-table.js';

export function printConsoleTable(study: Study, data: StudyData, io: Io): void {
  const t = study.consoleTable?.(data);
  if (!t) return;
  io.out('');
  io.out(t.title);
  for (const line of textTable(t.header, t.rows)) io.out(`  ${line}`);
  for (const note of t.notes ?? []) io.out(note);
  io.out('');
}
