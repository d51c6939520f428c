/**
 * Statistics of the engine: streaming tallies, time-weighted levels, counters, quantiles (exact or
 * DDSketch), warm-up deletion (StatsGroup, MSER-5), batch means and replication summaries with
 * Student-t confidence intervals. See each module's header for units and sources.
 */
export { CompensatedSum } from './compensated-sum.js';
export type { Resettable } from './resettable.js';
export { StatsGroup } from './resettable.js';
export { Tally } from './tally.js';
export { TimeWeighted } from './time-weighted.js';
export { Counter } from './counter.js';
export { Quantiles } from './quantiles.js';
export type { QuantilesOptions } from './quantiles.js';
export { normalQuantile } from './normal-quantile.js';
export { tQuantile } from './student-t.js';
export { summarize } from './replication.js';
export type { ReplicationSummary } from './replication.js';
export { BatchMeans } from './batch-means.js';
export { mser5 } from './mser.js';
