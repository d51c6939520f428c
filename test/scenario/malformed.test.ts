// A corpus of malformed scenario files (test/scenario/malformed/), each rejected by loadScenario with
// a UsageError (exit code 2 in the CLI) whose one line names the file, the path and the rule. The
// expected messages are written out here by hand, independently of the formatter (sizes worked out by
// hand in binary units: 1 GB = 1 GiB = 2^30 bytes, src/scenario/units.ts). The memory-*, disk-*,
// block-*, backend-*, slo-commit/page/disk/swap and quick-* files cover the memory and disk fields; nic-*,
// udp-* and slo-drop-rate-* the network fields.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SCHEDULERS } from '../../src/models/cpu/registry.js';
import { UsageError } from '../../src/runner/errors.js';
import { applySet, loadScenario } from '../../src/scenario/load.js';

const DIR = fileURLToPath(new URL('./malformed/', import.meta.url));
const schedulers = Object.keys(SCHEDULERS)
  .map((n) => JSON.stringify(n))
  .join(', ');

const EXPECTED: Record<string, string> = {
  'backend-placement-unknown.yaml':
    'hypervisor.backendPlacement: must be one of "hypervisor", "dom0", got "driver-domain"',
  'backend-placement-without-back-end.yaml':
    'hypervisor.backendPlacement: needs a back end to place: host.disk, a domain with swap or a network workload',
  'block-per-turn-zero.yaml': 'hypervisor.block.perTurn: must be >= 1, got 0',
  'block-refill-above-in-flight.yaml': 'hypervisor.block.refillBelow: must be <= maxInFlight (16), got 32',
  'disk-ir-write-fraction.yaml': 'domains[0].workload.writeFraction: must be <= 1, got 1.5',
  'disk-oltp-without-disk.yaml': 'domains[0].workload.kind: "oltp" needs host.disk (the disk its VBD lies on)',
  'disk-preset-unknown.yaml': 'host.disk.preset: must be one of "dk32ej", "ssd", got "nvme"',
  'disk-scheduler-unknown.yaml':
    'host.disk.scheduler: must be one of "fifo", "clook", "sstf", "deadline", "linus", got "cfq"',
  'disk-seq-hog-request-too-large.yaml': 'domains[0].workload.requestSectors: must be <= 88, got 128',
  // 40 × (4 GiB + 256 MiB) = 170 GiB on a 146 GB (136 GiB) disk
  'disk-vbds-exceed-disk.yaml': "host.disk.preset: dk32ej holds 136 GiB, the domains' VBDs need 170 GiB",
  'nic-rate-no-unit.yaml':
    'host.nic.rate: must be bit/s or a rate with a unit (e.g. 1Gbps, 100 Mbps; units bps, Kbps, Mbps, Gbps, bit/s, Kbit/s, Mbit/s, Gbit/s), got "1 gigabit"',
  'nic-mtu-too-small.yaml': 'host.nic.mtuBytes: must be >= 68, got 40',
  'nic-latency-negative.yaml': 'host.nic.latencyUs: must be >= 0, got -5',
  // 1500 − 20 (IPv4) − 8 (UDP) = 1472
  'udp-response-beyond-mtu.yaml':
    'domains[0].workload.responseBytes: must be <= 1472 (host.nic.mtuBytes 1500 less 28 bytes of IPv4 and UDP headers), got 4000',
  'udp-rate-zero.yaml': 'domains[0].workload.rateHz: must be > 0, got 0',
  'slo-drop-rate-above-one.yaml': 'slos[0].max: must be <= 1, got 1.5',
  'slo-drop-rate-of-hog.yaml':
    'slos[0].template: must name a template whose workload is udp-request-response for metric dropRate, "hog" is cpu-bound',
  'memory-ceiling-below-reservation.yaml':
    'domains[0].memory.ceiling: must be >= memory.reservation (256 MiB), got "128MB"',
  'memory-kernel-above-reservation.yaml':
    'domains[0].memory.kernel: must be <= memory.reservation (2 MiB), got 4 MiB (the default)',
  'memory-phase-zero-length.yaml': 'domains[0].memory.phases[0].forMs: must be > 0, got 0',
  // 2 × 512 MiB reserved + 16 MiB hypervisor + 3 × 20 kB of domain state > 1 GiB
  'memory-reservations-exceed-host.yaml':
    'host.memory: must hold the domains\' reservations (1 GiB) plus 16.06 MiB of hypervisor state, got "1GB"',
  'memory-swap-off-too-small.yaml':
    'domains[0].memory.swap: false needs kernel + working set (104 MiB) to fit the memory the domain holds (64 MiB)',
  'memory-target-above-ceiling.yaml': 'domains[0].memory.target: must be <= memory.ceiling (128 MiB), got "200MB"',
  'memory-target-with-follow.yaml':
    'domains[0].memory.target: cannot go with followWorkingSet: true (dom0 sets the target from the working set from the start)',
  'memory-units-unknown.yaml':
    'host.memory: must be bytes or a size with a unit (e.g. 2GB, 512 MiB; units B, KB, KiB, MB, MiB, GB, GiB, TB, TiB), got "2 gigs"',
  'memory-worker-without-memory.yaml':
    'domains[0].memory: is required for a memory-worker workload (its reservation and working set)',
  'memory-working-set-and-phases.yaml': 'domains[0].memory.phases: give memory.workingSet or memory.phases, not both',
  'memory-working-set-on-oltp.yaml':
    "domains[0].memory.workingSet: only a memory-worker workload references pages, this template's workload is oltp",
  'quick-vary-without-vary.yaml': 'quick.varyMax: needs a vary section',
  'slo-commit-latency-of-web.yaml':
    'slos[0].template: must name a template whose workload is oltp for metric commitLatency, "web" is request-response',
  'slo-disk-throughput-zero.yaml': 'slos[0].minMBPerS: must be > 0, got 0',
  'slo-page-faults-of-db.yaml':
    'slos[0].template: must name a template whose workload is memory-worker for metric pageFaultRate, "db" is oltp',
  'slo-swap-io-negative.yaml': 'slos[0].maxPagesPerS: must be >= 0, got -1',
  'cpus-fraction.yaml': 'host.cpus: must be an integer, got 1.5',
  'cpus-string.json': 'host.cpus: must be an integer, got "2"',
  'cpus-zero.yaml': 'host.cpus: must be >= 1, got 0',
  'duplicate-template.yaml': 'domains[1].name: must be unique, "web" is also domains[0].name',
  'headroom-above-one.yaml': 'slos[0].min: must be <= 1, got 1.5',
  'host-disk-string.yaml': 'host.disk: must be an object, got "ssd"',
  'json-syntax.json': 'not valid JSON: ',
  'missing-host.yaml': 'host: is required',
  'name-capitals.yaml': 'name: must match ^[a-z][a-z0-9]*(-[a-z0-9]+)*$, got "Web Farm"',
  'no-domains.yaml': 'domains: must have at least 1 item(s), got 0',
  'not-an-object.yaml': 'must be an object, got a list',
  'notify-beyond-ring.yaml': 'domains[0].workload.requestNotify.everyItems: must be <= ringSizeEntries (8), got 16',
  'one-replication.yaml': 'run.replications: must be >= 2, got 1',
  'percentile-98.yaml': 'slos[0].percentile: must be one of 50, 90, 95, 99, 99.9, got 98',
  'rate-negative.yaml': 'domains[2].workload.rateHz: must be > 0, got -3',
  'ring-not-power-of-two.yaml': 'domains[0].workload.ringSizeEntries: must be a power of two, got 100',
  'service-pareto.yaml':
    'domains[0].workload.service.distribution: must be one of "exponential", "constant", got "pareto"',
  'slo-metric-drop-rate.yaml':
    'slos[0].template: must name a template whose workload is udp-request-response for metric dropRate, "web" is request-response',
  'slo-response-time-of-hog.yaml':
    'slos[0].template: must name a template whose workload is request-response, oltp, ir, seq-hog or udp-request-response for metric responseTime, "hog" is cpu-bound',
  'slo-unknown-template.yaml': 'slos[0].template: must name a domain template (web), got "wbe"',
  'unknown-scheduler.yaml': `hypervisor.scheduler: must be one of ${schedulers}, got "cfs"`,
  'vary-max-below-min.yaml': 'vary.max: must be >= vary.min (4), got 2',
  'vary-max-too-large.yaml': 'vary.max: gives an invalid scenario (domains[0].count: must be <= 256, got 300)',
  'vary-path-missing.yaml':
    'vary.path: must name an integer field of the scenario (e.g. domains[0].count or host.cpus), got "domains[3].count"',
  'warp-negative.yaml': 'domains[0].sched.warp: must be >= 0, got -1',
  'workload-kind-missing.yaml': 'domains[0].workload.kind: is required',
  'workload-kind-unknown.yaml':
    'domains[0].workload.kind: must be one of "cpu-bound", "request-response", "memory-worker", "oltp", "ir", "seq-hog", "udp-request-response", got "database"',
  'wrong-extension.txt': 'a scenario file must end in .yaml, .yml or .json, got ".txt"',
  'yaml-syntax.yaml': 'not valid YAML: ',
  'zero-length.yaml': 'run.lengthMs: must be > 0, got 0',
};

function rejection(file: string): UsageError {
  try {
    loadScenario(file);
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error(`${file} was accepted`);
}

describe('malformed scenario files', () => {
  it('the corpus has at least 20 files and every one has an expected message', () => {
    const files = readdirSync(DIR).sort();
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, message] of Object.entries(EXPECTED)) {
    it(`${name} → ${message}`, () => {
      const file = join(DIR, name);
      const err = rejection(file);
      const text = err.message;
      expect(text.includes('\n')).toBe(false);
      if (message.endsWith(': ')) expect(text.startsWith(`${file}: ${message}`)).toBe(true);
      else expect(text).toBe(`${file}: ${message}`);
    });
  }
});

describe('--set paths are validated against the schema', () => {
  const base = loadScenario(fileURLToPath(new URL('./fixtures/hogs-share.yaml', import.meta.url)));
  const cases: [string, string][] = [
    ['host.cpus=0', '--set host.cpus=0: host.cpus: must be >= 1, got 0'],
    ['host.disk=nvme', '--set host.disk=nvme: host.disk.preset: must be one of "dk32ej", "ssd", got "nvme"'],
    ['host.disk=2', '--set host.disk=2: host.disk: must be an object, got 2'],
    [
      'hypervisor.block.perTurn=4',
      '--set hypervisor.block.perTurn=4: hypervisor.block: needs host.disk (the block back end serves it)',
    ],
    [
      'host.memory=3 gigs',
      '--set host.memory=3 gigs: host.memory: must be bytes or a size with a unit (e.g. 2GB, 512 MiB; units B, KB, KiB, MB, MiB, GB, GiB, TB, TiB), got "3 gigs"',
    ],
    [
      'hypervisor.scheduler=cfs',
      `--set hypervisor.scheduler=cfs: hypervisor.scheduler: must be one of ${schedulers}, got "cfs"`,
    ],
    ['domains[0].count=-1', '--set domains[0].count=-1: domains[0].count: must be >= 0, got -1'],
    ['domains[4].count=1', '--set domains[4].count=1: domains[4]: domains has 1 item(s)'],
    ['hypervisor.bvt.ctxAllowMs=0', '--set hypervisor.bvt.ctxAllowMs=0: hypervisor.bvt.ctxAllowMs: must be > 0, got 0'],
    ['host..cpus=1', '--set host..cpus=1: "host..cpus" is not a dotted path like host.cpus or domains[0].count'],
    ['cpus', '--set "cpus": must be path=value, e.g. host.cpus=2'],
  ];
  for (const [set, message] of cases) {
    it(`--set ${set}`, () => {
      expect(() => applySet(base, set)).toThrow(new UsageError(message));
    });
  }

  it('--set host.disk=<preset> is short for host.disk.preset and keeps the scheduler', () => {
    const withDisk = applySet(applySet(base, 'host.disk.preset=dk32ej'), 'host.disk.scheduler=sstf');
    expect(applySet(withDisk, 'host.disk=ssd').host.disk).toEqual({ preset: 'ssd', scheduler: 'sstf' });
    expect(applySet(base, 'host.disk=ssd').host.disk).toEqual({ preset: 'ssd' });
  });

  it('a valid --set changes only its field, creating missing objects on the way', () => {
    const s = applySet(applySet(base, 'hypervisor.scheduler=credit'), 'hypervisor.bvt.ctxAllowMs=50');
    expect(s.hypervisor).toEqual({ scheduler: 'credit', bvt: { ctxAllowMs: 50 } });
    expect(base.hypervisor).toEqual({ scheduler: 'bvt-xen1' });
    expect({ ...s, hypervisor: base.hypervisor }).toEqual(base);
  });
});
