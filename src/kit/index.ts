// The study kit: what studies (experiments/, or a user's own) are built from, so that a study file is
// mostly declarations. Scenario (host, scheduler by name, domains with jittered starts), measurement
// window, series labels and chart rows, queries on results, generic charts, and defineStudy.
export {
  defineStudy,
  type ParamsOf,
  type Study,
  type StudyData,
  type ChartSpec,
  type ConsoleTable,
} from '../runner/study.js';
export {
  SCHEDULERS,
  DEFAULT_SCHEDULER,
  createScheduler,
  isSchedulerName,
  type SchedulerName,
  type SchedulerTuning,
} from '../models/cpu/registry.js';
export {
  buildScenario,
  cpuBoundDomains,
  jitteredStartNs,
  ControlCosts,
  type Scenario,
  type ScenarioOptions,
  type CpuBoundGroup,
} from './scenario.js';
export { MeasurementWindow, logTimes, type WindowOptions } from './window.js';
export {
  intParam,
  floatParam,
  timeParam,
  boolParam,
  enumParam,
  workingSetParam,
  ctxAllowParam,
  windowParams,
  unusedWindowParams,
  ptBatchParam,
  type WindowParamOptions,
} from './params.js';
export { shareErrors, type ShareErrors } from './measures.js';
export {
  seriesLabeler,
  lineRows,
  scaleRows,
  relativeToReference,
  countAxis,
  varyingParams,
  formatParam,
  fmt,
  meanCi,
  type Formatter,
} from './series.js';
export { StudyQuery, pointEntries, pointsOf, distinct, most, type PointEntry } from './query.js';
export { summaryRowOf } from '../runner/summary.js';
export { measureVsParam } from '../charts/measureVsParam.js';
export { groupedBarsNormalised } from '../charts/groupedBarsNormalised.js';
export { groupedBarsCi } from '../charts/groupedBarsCi.js';
export { simulatedVsPublished } from '../charts/simulatedVsPublished.js';
export { cdf } from '../charts/cdf.js';
export { xyChart, type XYPoint } from '../charts/xy.js';
export { addSubtitle, setSubtitle, unzeroY } from '../charts/annotate.js';
