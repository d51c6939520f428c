// Printing a study's console table (simulated vs analytic, …) after a run or a merge: its title and
// notes are prose, wrapped at TERMINAL_WIDTH (100) columns; the table's rows are not wrapped.
import type { Study, StudyData } from '../../runner/study.js';
import type { Io } from '../io.js';
import { wrapText } from '../../charts/notes.js';
import { TERMINAL_WIDTH } from '../describe.js';
import { textTable } from '../text-table.js';

export function printConsoleTable(study: Study, data: StudyData, io: Io): void {
  const t = study.consoleTable?.(data);
  if (!t) return;
  io.out('');
  for (const line of wrapText(t.title, TERMINAL_WIDTH, '  ', '')) io.out(line);
  for (const line of textTable(t.header, t.rows)) io.out(`  ${line}`);
  for (const note of t.notes ?? []) {
    const lead = /^\s*/.exec(note)?.[0] ?? '';
    const lines = wrapText(note, TERMINAL_WIDTH, `${lead}  `, lead);
    if (lines.length === 0) io.out(note);
    for (const line of lines) io.out(line);
  }
  io.out('');
}
