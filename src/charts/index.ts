// Public API of the chart layer: builders that turn study results into Vega-Lite specs
// (measureVsParam, groupedBarsNormalised, simulatedVsPublished, groupedBarsCi, cdf, timeSeries), schema
// validation, rendering to SVG/PNG without a browser, writing chart files, and the self-contained HTML
// report.

export { measureVsParam, type MeasureVsParamOptions, type TheoryCurve } from './measureVsParam.js';
export {
  groupedBarsNormalised,
  type GroupedBarRow,
  type GroupedBarsNormalisedOptions,
} from './groupedBarsNormalised.js';
export { simulatedVsPublished, type SimulatedVsPublishedRow } from './simulatedVsPublished.js';
export { groupedBarsCi, type GroupedBarsCiOptions, type GroupedBarsCiRow } from './groupedBarsCi.js';
export { cdf, empiricalCdf, MAX_CDF_POINTS, type CdfOptions } from './cdf.js';
export { timeSeries, type TimeSeriesOptions } from './timeSeries.js';
export { validateSpec } from './validate.js';
export { renderPng, renderSvg, PNG_SCALE } from './render.js';
export { writeCharts, CHARTS_SUBDIR } from './write.js';
export { writeReport, REPORT_FILE, type ReportInput, type ReportParam } from './report.js';
export { VEGA_LITE_SCHEMA_URL, FONT_FAMILY } from './theme.js';
