// Public API of the experiment runner: the study contract, grid expansion, planning (seeds, hashes,
// shards), the sweep executor, merging, result loading, CSV writers, charts and report.
export * from './study.js';
export { ExitCode, UsageError, RunError, messageOf } from './errors.js';
export {
  describeAllowed,
  allowedPhrase,
  checkValue,
  parseParamValue,
  paramSpecOf,
  baseParams,
  studyProblems,
} from './params.js';
export {
  cartesian,
  zip,
  gridPoints,
  dedupe,
  expandPoints,
  gridProblems,
  NO_OVERRIDES,
  type GridOverrides,
} from './grid.js';
export {
  buildPlan,
  runSeed,
  runKey,
  shardRuns,
  DEFAULT_MASTER_SEED,
  PLAN_LIMITS,
  type Plan,
  type PlannedRun,
  type PlannedPoint,
  type Shard,
} from './plan.js';
export { configureSweep, checkPoints, checkSweepSize, type SweepChoices, type ConfiguredSweep } from './configure.js';
export { runSweep, claimFolder, SweepStatus, WORKER_HEAP_MB, type SweepOptions, type SweepOutcome } from './sweep.js';
export { mergeResults, type MergeOutcome } from './merge.js';
export { loadResults, repairCsvs, type LoadedResults, type StudyLookup } from './results.js';
export { runsCsv, summaryCsv, tablesCsv, timingCsv, writeOutputs, OUTPUT_FILES } from './outputs.js';
export { readManifest, checkManifest, MANIFEST_FILE, type Manifest } from './manifest.js';
export { folderState, MARKER_FILE, type FolderState } from './out-dir.js';
export { writeStudyCharts, writeStudyReport } from './report.js';
export { executeRun, type RunTask, type RunOutcome } from './run-task.js';
export { formatNumber, csvNumber, csvText, csvValue } from './format.js';
export { ProgressMode } from './progress.js';
