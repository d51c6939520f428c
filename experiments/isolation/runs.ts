// The isolation study's model (paper §4.4): one run is the whole mix on the two-CPU server with the one
// DK32EJ disk — OSDB-IR and a SPECweb99-like web server, and with antagonists on, a disk hog (a dd-style
// sequential reader plus a small-file creator on one front end) and a fork bomb plus a memory hog.
//
// Xen: four equal-weight single-vCPU domains (Xen 1.0 BVT, buildScenario): db (OsdbWorkload,
// workloads/osdb.ts, on its vCPU), web (WebWorkload, net/web.ts, behind one VIF of the network back end
// in the hypervisor, event-channel notifications), disk (SeqHog + SmallFileCreator, disk/workloads.ts and
// disk/fs-workloads.ts) and bomb (ForkBomb on a GuestOS, workloads/fork-bomb.ts, plus a MemoryHog over
// GuestPaging with swap on its VBD, memory/). The block back end takes the domains' rings in Xen 1.0's
// round robin (disk/blkback.ts: 16 per domain per turn, 64 in flight) into the disk's elevator.
// Native: the bare-metal host, one Linux with one guest OS (scheduler) per CPU: the database's client is
// a process of CPU 0's (OsProcessCpu, process-cpu.ts), the fork bomb is 256 processes on each CPU's (512, its
// process limit, over both), the web server is `webClients` processes of CPU 1's (Apache 1.3's
// pre-forked model, one per connection; its TCP path is kernel work on CPU 1), the disk workloads and the memory hog's swap on the
// one block queue, in the same elevator, with no per-domain round robin in front of it.
// Scores: OSDB-IR queries/s; web: conformant clients at the fixed load `webClients`, or (webSearch
// 'bisection') the SPECweb99 search over client counts (web.ts findWebScore), each probe a run of the
// whole mix; the OSDB-IR score and the antagonists' measures come from the probe at `webClients`.
// Partitions (assumption): 1 GB each from the start of the disk: db, disk hog, swap.
// Conservation of requests (back end, workloads, network) and CPU time (host) is checked after every run.
import { buildScenario } from '../../src/kit/index.js';
import { RandomStreams, Simulation } from '../../src/sim/index.js';
import { BlockBackend, type BlockFront } from '../../src/models/disk/blkback.js';
import { DISK_PRESETS, DiskModel } from '../../src/models/disk/service.js';
import { SeqHog, type GuestCpu } from '../../src/models/disk/workloads.js';
import { SmallFileCreator } from '../../src/models/disk/fs-workloads.js';
import { Host } from '../../src/models/host/host.js';
import type { Domain } from '../../src/models/host/domain.js';
import type { Vcpu } from '../../src/models/host/vcpu.js';
import { GuestOS } from '../../src/models/guest/guest-os.js';
import { GuestProfile } from '../../src/models/guest/profile.js';
import { ForkBomb } from '../../src/models/workloads/fork-bomb.js';
import { GuestPaging } from '../../src/models/memory/paging.js';
import { VbdSwap } from '../../src/models/memory/vbd-swap.js';
import { MemoryHog } from '../../src/models/memory/workloads.js';
import { OsdbWorkload } from '../../src/models/workloads/osdb.js';
import { EventChannels } from '../../src/models/events/event-channels.js';
import { Network } from '../../src/models/net/network.js';
import type { NetEndpoint } from '../../src/models/net/endpoint.js';
import { ipv4 } from '../../src/models/net/packet.js';
import type { RunThen } from '../../src/models/net/tcp-net.js';
import { OsProcessCpu } from './process-cpu.js';
import { findWebScore, WebWorkload, type WebWindow } from '../../src/models/net/web.js';
import type { IsolationParams as P } from './params.js';

const SECTORS_PER_MB = 2048;
const PART = 1024 * SECTORS_PER_MB;

interface Mix {
  web: WebWindow;
  osdbQps: number;
  diskHogMBps: number;
  smallFilesPerS: number;
  events: number;
}

/** The disk hog (dd + small files on one front end) on VBD 0 of `front` from sector `base`. */
function diskHog(sim: Simulation, front: BlockFront, base: number, streams: RandomStreams, cpu: GuestCpu | null) {
  const seq = new SeqHog(sim, front, {
    region: { vbd: 0, startSector: base, lengthSectors: PART / 2 },
    requestSectors: 88,
    depth: 4,
    cpu,
  });
  const half = base + PART / 2;
  const files = new SmallFileCreator(sim, front, {
    meta: { vbd: 0, startSector: half, lengthSectors: 16 * SECTORS_PER_MB },
    data: { vbd: 0, startSector: half + 16 * SECTORS_PER_MB, lengthSectors: 256 * SECTORS_PER_MB },
    rng: streams.stream('isolation/files'),
    cpu,
  });
  return { seq, files };
}

/** A memory hog over paging with swap on VBD 0 at `base` (pageable memory 64 MB, region 3 GB: the paper's). */
function memoryHog(front: BlockFront, domain: Domain, base: number, streams: RandomStreams): MemoryHog {
  const swap = new VbdSwap(front, {
    region: { vbd: 0, startSector: base, lengthSectors: 512 * SECTORS_PER_MB },
    rng: streams.stream('isolation/swap'),
  });
  const paging = new GuestPaging(domain, { kernelPages: 4096, workingSetPages: 1024, swap });
  return new MemoryHog(paging, { regionPages: 786_432, chunkPages: 256 });
}

/** One run of the mix with `webClients` web clients. */
export function runMix(p: P, seed: number | string, webClients: number): Mix {
  const model = new DiskModel(DISK_PRESETS.dk32ej);
  const on = p.antagonists === 'on';
  const disk = on && p.antagonistSet !== 'bomb-memory';
  const bomb = on && p.antagonistSet !== 'disk';
  const dataSectors = 64 * SECTORS_PER_MB;
  const logSectors = 16 * SECTORS_PER_MB;
  const osdb = (front: BlockFront, cpus: GuestCpu[], profile: 'xen' | 'native'): OsdbWorkload =>
    new OsdbWorkload(sim, front, {
      kind: 'ir',
      profile,
      clients: 1,
      cpus,
      data: { vbd: 0, startSector: 0, lengthSectors: dataSectors },
      log: { vbd: 0, startSector: dataSectors, lengthSectors: logSectors },
      rng: streams.stream('osdb/1'),
    });
  let sim: Simulation;
  let host: Host;
  let streams: RandomStreams;
  let be: BlockBackend;
  let net: Network;
  let db: OsdbWorkload;
  let server: { ep: NetEndpoint; vcpu: RunThen; profile: GuestProfile };
  let hog: ReturnType<typeof diskHog> | null = null;
  let memHog: MemoryHog | null = null;
  if (p.system === 'xen') {
    const sc = buildScenario(seed, { scheduler: 'bvt-xen1', controlCosts: 'free', cpus: 2 });
    ({ sim, host, streams } = sc);
    be = new BlockBackend(sim, { disks: [model], scheduler: p.diskScheduler, host });
    net = new Network(sim, { host, channels: new EventChannels(host) });
    const d = host.control.createDomain({ name: 'db' });
    be.addVbd(d.id, { extents: [{ disk: 0, startSector: 0, lengthSectors: PART }], mode: 'rw' });
    db = osdb(be.front(d.id), [d.vcpus[0] as GuestCpu], 'xen');
    const w = host.control.createDomain({ name: 'web' });
    host.control.attachDevice(w.id, 'vif', { addr: ipv4('10.0.0.1') });
    server = { ep: net.endpoint(w.id), vcpu: w.vcpus[0] as Vcpu, profile: new GuestProfile('xen') };
    if (disk) {
      const dk = host.control.createDomain({ name: 'disk' });
      be.addVbd(dk.id, { extents: [{ disk: 0, startSector: PART, lengthSectors: PART }], mode: 'rw' });
      hog = diskHog(sim, be.front(dk.id), 0, streams, dk.vcpus[0] as GuestCpu);
    }
    if (bomb) {
      const bd = host.control.createDomain({ name: 'bomb' });
      be.addVbd(bd.id, { extents: [{ disk: 0, startSector: 2 * PART, lengthSectors: PART }], mode: 'rw' });
      new ForkBomb().start(new GuestOS(bd, { profile: 'xen' }));
      memHog = memoryHog(be.front(bd.id), bd, 0, streams);
    }
  } else {
    sim = new Simulation();
    streams = new RandomStreams(seed);
    host = new Host(sim, { mode: 'bare-metal', cpus: 2 });
    const k = host.kernel;
    if (k === null) throw new Error('isolation: the bare-metal host has no kernel');
    be = new BlockBackend(sim, { disks: [model], scheduler: p.diskScheduler, host });
    be.addVbd(k.id, { extents: [{ disk: 0, startSector: 0, lengthSectors: 3 * PART }], mode: 'rw' });
    net = new Network(sim, { host, guest: () => ({ vcpu: 1 }) });
    host.control.attachDevice(k.id, 'vif', { addr: ipv4('10.0.0.1') });
    const front = be.front(k.id);
    const cpus = k.vcpus;
    const oses = [0, 1].map((c) => new GuestOS(k, { profile: 'native', vcpuIndex: c }));
    db = osdb(front, [new OsProcessCpu(sim, oses[0] as GuestOS, cpus[0] as Vcpu, 'postgres')], 'native');
    // Apache 1.3: one pre-forked process per connection (webClients processes on CPU 1's guest OS)
    const httpd = new OsProcessCpu(sim, oses[1] as GuestOS, cpus[1] as Vcpu, 'httpd', webClients);
    server = { ep: net.endpoint(k.id), vcpu: httpd, profile: new GuestProfile('native') };
    if (disk) hog = diskHog(sim, front, PART, streams, cpus[1] ?? null);
    if (bomb) {
      for (const os of oses) new ForkBomb({ maxProcesses: 256 }).start(os);
      memHog = memoryHog(front, k, 2 * PART, streams);
    }
  }
  const hosts: NetEndpoint[] = [];
  for (let i = 0; i < 4; i++) hosts.push(net.addRemoteHost({ name: `client${i}`, addr: ipv4(`192.168.0.${i + 2}`) }));
  const web = new WebWorkload(sim, {
    clients: webClients,
    server: server.ep,
    serverVcpu: server.vcpu,
    profile: server.profile,
    clientHosts: hosts,
    rng: streams.stream('web/g0'),
  });
  const startRng = streams.stream('web/start');
  sim.scheduleAt(Math.floor(startRng.uniform(0, 10_000_000)), () => web.start());
  db.start();
  hog?.seq.start();
  hog?.files.start();
  memHog?.start();
  let seq0 = 0;
  let files0 = 0;
  sim.schedule(p.warmupNs, () => {
    db.resetStats();
    web.startMeasuring();
    seq0 = hog?.seq.bytes ?? 0;
    files0 = hog?.files.filesCreated ?? 0;
  });
  sim.run(p.warmupNs + p.runLengthNs);
  host.checkConservation();
  be.checkConservation();
  net.checkConservation();
  db.checkConservation();
  web.checkConservation();
  const s = p.runLengthNs / 1e9;
  return {
    web: web.window(),
    osdbQps: db.queries / s,
    diskHogMBps: hog === null ? 0 : (hog.seq.bytes - seq0) / s / 1e6,
    smallFilesPerS: hog === null ? 0 : (hog.files.filesCreated - files0) / s,
    events: sim.eventsProcessed,
  };
}

/** The study's measures for one cell: one run at `webClients`, then (bisection) the web search. */
export function runIsolation(p: P, seed: number | string): { measures: Record<string, number>; events: number } {
  const first = runMix(p, seed, p.webClients);
  let events = first.events;
  let webScore = first.web.conformantClients;
  if (p.webSearch === 'bisection') {
    const r = findWebScore((n) => {
      if (n === p.webClients) return first.web;
      const m = runMix(p, seed, n);
      events += m.events;
      return m.web;
    }, p.webClients);
    webScore = r.score;
  }
  return {
    measures: {
      osdbQps: first.osdbQps,
      webScore,
      webConformantShare: first.web.conformantClients / p.webClients,
      diskHogMBps: first.diskHogMBps,
      smallFilesPerS: first.smallFilesPerS,
    },
    events,
  };
}
