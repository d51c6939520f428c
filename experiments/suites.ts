// The suite registry: named lists of studies that `hvsim run <suite>` runs one after another
// (src/runner/suite.ts: fidelity, folders, resume; src/cli/commands/suite.ts: the command). `paper` is
// the main job: the SOSP 2003 evaluation re-created from the models, what `npm start` runs at quick
// fidelity (`hvsim run paper --full` at publication fidelity). A new study of the paper's evaluation is
// one line in its member list, in the paper's order.
import type { Suite } from '../src/runner/suite.js';

export const paperSuite: Suite = {
  name: 'paper',
  description: "The SOSP 2003 paper's evaluation re-created from the models (tables and figures predicted, not fitted)",
  members: [
    { study: 'lmbench', why: 'Table 3: lmbench on native, Xen, full virtualization and hosted (the calibration check)' },
    {
      study: 'event-batching',
      why: 'I/O rings: what notifying every k requests (event batching on the descriptor rings) does to throughput and latency',
    },
    {
      study: 'pt-batching',
      why: 'page-table updates batched per hypercall (Table 3 fork, exec, mmap) against a trap per update',
    },
    {
      study: 'bvt-weights',
      why: 'BVT proportional share: 8 CPU-bound domains with weights 1..8 (the weighted domains of the concurrent-VM runs)',
    },
    { study: 'scalability', why: 'Figure 6: 1-128 CPU-bound domains on two CPUs at 5 and 50 ms slices against native' },
    { study: 'balloon-footprint', why: 'the balloon driver: the smallest footprint of a 64 MB domain, with and without swap' },
  ],
};

export const suites: readonly Suite[] = [paperSuite];

export function findSuite(name: string): Suite | undefined {
  return suites.find((s) => s.name === name);
}
