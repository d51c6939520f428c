// The suite registry: named lists of studies that `hvsim run <suite>` runs one after another
// (src/runner/suite.ts: fidelity, folders, resume; src/cli/commands/suite.ts: the command). `paper` is
// the main job: the SOSP 2003 evaluation re-created from the models, what `npm start` runs at quick
// fidelity (`hvsim run paper --full` at publication fidelity). A new study of the paper's evaluation is
// one entry in its member list, in the paper's order: the study's name, one sentence on what of the
// paper it re-creates (shown in the progress lines and the README gallery) and its main chart's id (the
// gallery's picture: `npm run gallery` copies it to docs/gallery/ and rewrites the README's gallery).
// Not members, on purpose: mm1-validation (validates the engine, not the paper), slice-length (the same
// Xen runs as scalability, with the switching mechanism in detail), bvt-warp (the BVT paper's latency
// question, not this paper's evaluation), disk-scheduling, barriers and balloon-overcommit (storage and
// memory what-ifs beyond the paper's figures), relative-cpu (its rows are relative-performance's first
// two groups). Every study of the paper's evaluation is a member.
import type { Suite } from '../src/runner/suite.js';

export const paperSuite: Suite = {
  name: 'paper',
  description: "The SOSP 2003 paper's evaluation re-created from the models (tables and figures predicted, not fitted)",
  members: [
    {
      study: 'relative-performance',
      why: 'Figure 3: SPEC CINT2000-like, kernel build, OSDB-IR, OSDB-OLTP, dbench and SPECweb99-like on native, Xen, full virtualization and hosted, relative to native',
      chart: 'relative-performance',
    },
    {
      study: 'lmbench',
      why: 'Table 3: lmbench on native, Xen, full virtualization and hosted, simulated through the guest OS against the published values',
      chart: 'table3-xen',
    },
    {
      study: 'ttcp',
      why: 'Table 4: ttcp bandwidth of one guest over gigabit Ethernet, transmit and receive at MTU 1500 and 500, against the published values',
      chart: 'table4-tx-1500',
    },
    {
      study: 'concurrent-web',
      why: 'Figure 4: 1, 2, 4, 8 and 16 web-serving domains on two CPUs against as many native web servers, NIC interrupts balanced over the CPUs (--quick: conformant clients at an 800-client overload)',
      chart: 'score-vs-servers',
    },
    {
      study: 'event-batching',
      why: 'I/O rings: what notifying every k requests (event batching on the descriptor rings) does to CPU per request and latency',
      chart: 'tradeoff-cpu-vs-latency',
    },
    {
      study: 'pt-batching',
      why: 'Page-table updates batched per hypercall (Table 3 fork, exec, mmap) against a trap per update',
      chart: 'fork-vs-batch',
    },
    {
      study: 'database-domains',
      why: 'Figure 5: 1, 2, 4 and 8 OSDB-IR and OSDB-OLTP domains on two CPUs against as many instances on native Linux, and 8 domains with weights 1..8',
      chart: 'score-vs-instances-oltp',
    },
    {
      study: 'bvt-weights',
      why: 'BVT proportional share: 8 CPU-bound domains with weights 1..8 get shares w/Σw (the weighted domains of the concurrent-VM runs)',
      chart: 'share-vs-weight',
    },
    {
      study: 'isolation',
      why: '§4.4: OSDB-IR and a SPECweb99-like server beside a disk hog, a fork bomb and a memory hog, in four equal Xen domains against processes of one native Linux, relative to the benchmarks alone',
      chart: 'isolation-relative',
    },
    {
      study: 'scalability',
      why: 'Figure 6: 1-128 CPU-bound domains on two CPUs at 5 and 50 ms slices against native processes, throughput relative to one',
      chart: 'figure6-relative-throughput',
    },
    {
      study: 'balloon-footprint',
      why: 'The balloon driver: how far a 64 MB domain can be ballooned down before it pages, with and without swap',
      chart: 'min-size-vs-working-set',
    },
  ],
};

export const suites: readonly Suite[] = [paperSuite];

export function findSuite(name: string): Suite | undefined {
  return suites.find((s) => s.name === name);
}
