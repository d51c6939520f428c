// The study registry: every study the CLI (`hvsim list`, `hvsim run <study>`) and the worker threads
// know, by name. A new study is one file (or folder) in experiments/ plus one line here.
import type { Study } from '../src/runner/study.js';
import { mm1Validation } from './mm1-validation/index.js';
import { bvtWeights } from './bvt-weights/index.js';
import { bvtWarp } from './bvt-warp/index.js';
import { sliceLength } from './slice-length/index.js';
import { eventBatching } from './event-batching/index.js';
import { diskScheduling } from './disk-scheduling/index.js';
import { barriers } from './barriers/index.js';
import { lmbench } from './lmbench/index.js';
import { ptBatching } from './pt-batching/index.js';
import { relativeCpu } from './relative-cpu/index.js';
import { relativePerformance } from './relative-performance/index.js';
import { balloonOvercommit } from './balloon-overcommit/index.js';
import { balloonFootprint } from './balloon-footprint/index.js';
import { vifFairness } from './vif-fairness/index.js';
import { rxBuffers } from './rx-buffers/index.js';
import { scalability } from './scalability/index.js';
import { ttcp } from './ttcp/index.js';
import { databaseDomains } from './database-domains/index.js';
import { webBatching } from './web-batching/index.js';
import { backendPlacement } from './backend-placement/index.js';
import { isolation } from './isolation/index.js';
import { concurrentWeb } from './concurrent-web/index.js';

export const studies: readonly Study[] = [
  mm1Validation,
  bvtWeights,
  bvtWarp,
  sliceLength,
  eventBatching,
  diskScheduling,
  barriers,
  lmbench,
  ptBatching,
  relativeCpu,
  relativePerformance,
  balloonOvercommit,
  balloonFootprint,
  vifFairness,
  rxBuffers,
  scalability,
  ttcp,
  databaseDomains,
  webBatching,
  backendPlacement,
  isolation,
  concurrentWeb,
];

export function findStudy(name: string): Study | undefined {
  return studies.find((s) => s.name === name);
}
