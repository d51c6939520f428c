// The piscina worker: runs one task in a worker thread. It loads the study by name from the study
// registry (experiments/index.ts, compiled to dist/experiments/index.js), so only plain data crosses
// the thread boundary. Module state (the registry) is shared by the runs a thread executes; studies
// must keep no mutable state between runs (see study.ts).
import { findStudy } from '../../experiments/index.js';
import { executeRun, type RunOutcome, type RunTask } from './run-task.js';

export default function runInWorker(task: RunTask): RunOutcome {
  const study = findStudy(task.study);
  if (study === undefined) throw new Error(`worker: unknown study '${task.study}'`);
  return executeRun(study, task);
}
