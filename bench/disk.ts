// disk benchmark (issue 11, "Speed"): random 4 KB reads from 8 domains through their VBD block rings,
// the hypervisor's batched round robin (16 per domain per turn, 64 in flight, refill below 32), the
// C-LOOK scheduler and the 10k RPM disk model (DK32EJ preset), reporting requestsPerSec: simulated
// requests completed per second of wall time. Run by bench/engine.ts (`npm run bench -- --json`, key
// `disk`) or alone: `node dist/bench/disk.js [--quick]`.
//
// The scenario (bench values, not calibrated): each domain has one VBD on its own eighth of the disk
// and keeps 8 random 4 KB reads outstanding (IrWorkload, no writes, no guest CPU); ring notifications
// are direct callbacks and no host CPU is modelled (the block path and the disk model are what is
// measured). requestsPerSec is the best of 3 consecutive windows of `windowSimS` simulated seconds
// after a 20 s warm-up (requestsPerCpuSec: the same per CPU second of the process, steadier on a
// shared machine). Request conservation is checked at the end.
import { RandomStreams, Simulation } from '../src/sim/index.js';
import { BlockBackend } from '../src/models/disk/blkback.js';
import { DiskModel, DK32EJ_10K } from '../src/models/disk/service.js';
import { IrWorkload } from '../src/models/disk/workloads.js';

export interface DiskBenchResult {
  readonly requestsPerSec: number;
  readonly requestsPerCpuSec: number;
  /** Requests completed in the best window. */
  readonly requests: number;
  /** Simulated requests per simulated second (the disk's random-read rate). */
  readonly simRequestsPerSimSec: number;
  readonly domains: number;
  readonly windowSimS: number;
}

export function diskBench(scale: number): DiskBenchResult {
  const domains = 8;
  const depth = 8;
  const windowSimS = scale < 1 ? 40 : 400;
  const sim = new Simulation();
  const rs = new RandomStreams('bench-disk');
  const be = new BlockBackend(sim, { disks: [new DiskModel(DK32EJ_10K)], scheduler: 'clook' });
  const band = Math.floor(DK32EJ_10K.capacitySectors / domains);
  const loads: IrWorkload[] = [];
  for (let d = 1; d <= domains; d++) {
    be.addVbd(d, { extents: [{ disk: 0, startSector: (d - 1) * band, lengthSectors: band }], mode: 'r' });
    const w = new IrWorkload(sim, be.front(d), {
      region: { vbd: 0, startSector: 0, lengthSectors: band },
      clients: depth,
      writeFraction: 0,
      rng: rs.stream(`ir/${d}`),
      cpuNs: 0,
    });
    loads.push(w);
    w.start();
  }
  const done = (): number => be.completed;
  let t = 20e9;
  sim.run(t);
  let best = 0;
  let bestCpu = 0;
  let requests = 0;
  let simRate = 0;
  for (let r = 0; r < 3; r++) {
    const n0 = done();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    t += windowSimS * 1e9;
    sim.run(t);
    const t1 = performance.now();
    const c = process.cpuUsage(c0);
    const n = done() - n0;
    const rate = (n / (t1 - t0)) * 1000;
    if (rate > best) {
      best = rate;
      requests = n;
      bestCpu = (n / (c.user + c.system)) * 1e6;
      simRate = n / windowSimS;
    }
  }
  be.checkConservation();
  return {
    requestsPerSec: best,
    requestsPerCpuSec: bestCpu,
    requests,
    simRequestsPerSimSec: simRate,
    domains,
    windowSimS,
  };
}

if (process.argv[1] !== undefined && /disk\.js$/.test(process.argv[1])) {
  console.log(JSON.stringify(diskBench(process.argv.includes('--quick') ? 0.1 : 1)));
}
