// The calibration table (src/models/calibration.ts) and its document (docs/calibration.md): every entry
// has a value, a unit and a source (or the word "assumption" and the measures it moves); the document is
// the rendering of the module; the paper's tables in the document, parsed back, equal the typed data;
// and the models' defaults are the table's values.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCalibrationDoc, calibrationDocPath } from '../../scripts/calibration-doc.js';
import {
  ANCHORS,
  CACHES,
  CALIBRATION_GROUPS,
  HYPERVISOR,
  MACHINE,
  NET_WORKLOADS,
  TCP,
  SWITCH_PROFILES,
  TABLE3,
  TABLE3_CONFIGS,
  TABLE4,
  TABLE4_CONFIGS,
  WORKLOAD_MODEL,
  switchProfileEntries,
  type CalibrationEntry,
} from '../../src/models/calibration.js';
import { BVT_DEFAULTS } from '../../src/models/cpu/bvt.js';
import { CREDIT_DEFAULTS } from '../../src/models/cpu/credit.js';
import { ROUND_ROBIN_DEFAULTS } from '../../src/models/cpu/round-robin.js';
import { XEON_GEOMETRY } from '../../src/models/cpu/context-switch.js';
import { EVENT_CHANNEL_DEFAULTS } from '../../src/models/events/event-channels.js';
import { CONTROL_COST_DEFAULTS } from '../../src/models/host/control.js';
import { HOST_DEFAULTS } from '../../src/models/host/host.js';
import { NETWORK_DEFAULTS, TG3_COALESCING } from '../../src/models/net/network.js';
import { HEADER_BYTES } from '../../src/models/net/packet.js';
import { TTCP_DEFAULTS } from '../../src/models/net/ttcp.js';
import { WEB_DEFAULTS, WEB_FILE_CLASSES, meanFileBytes } from '../../src/models/net/web.js';
import { FORK_BOMB_DEFAULTS } from '../../src/models/workloads/fork-bomb.js';
import { KERNEL_BUILD_DEFAULTS, KERNEL_BUILD_WORKING_SET_BYTES } from '../../src/models/workloads/kernel-build.js';
import { OSDB_MIXES } from '../../src/models/workloads/osdb.js';
import { SPEC_INT_DEFAULTS, SPEC_INT_IO_PER_S } from '../../src/models/workloads/spec-int.js';

function allEntries(): [string, CalibrationEntry][] {
  const out: [string, CalibrationEntry][] = [];
  for (const [g, group] of Object.entries(CALIBRATION_GROUPS))
    for (const [k, e] of Object.entries(group)) out.push([`${g}.${k}`, e]);
  for (const p of SWITCH_PROFILES)
    for (const [k, e] of Object.entries(switchProfileEntries(p))) out.push([`${p}.${k}`, e]);
  return out;
}

/** Parses a markdown table that follows the heading line `heading` in `doc`. */
function parseTable(doc: string, heading: string): { header: string[]; rows: string[][] } {
  const lines = doc.split('\n');
  let i = lines.indexOf(heading);
  expect(i, `heading ${heading}`).toBeGreaterThanOrEqual(0);
  while (!(lines[i] ?? '').startsWith('|')) i++;
  const split = (l: string): string[] =>
    l
      .slice(1, -1)
      .split(' | ')
      .map((c) => c.trim());
  const header = split(lines[i] as string);
  const rows: string[][] = [];
  for (i += 2; (lines[i] ?? '').startsWith('|'); i++) rows.push(split(lines[i] as string));
  return { header, rows };
}

/**
 * A concrete source (anything else must start with "assumption:" and say what it moves): the paper (a
 * table or section), a Xen or XenoLinux file or tree with its version, a Linux file with its version, an
 * RFC, a named standard or specification, a named paper, a benchmark's own source (ttcp.c), a fit script
 * (npm run fit:…), or a value derived from other entries of the table. "datasheet" or "Xen" alone is not one.
 */
const CONCRETE_SOURCE = new RegExp(
  [
    /^Paper\b/,
    /\bTable [34]\b/,
    /Xen [0-9.]+(\/[0-9.]+)? (source|sched_credit\.c|XenoLinux)|XenoLinux \w+ \(Xen [0-9.]+|linux-2\.6\.18-xen/,
    /Linux 2\.[46] \S+\.[ch]\b/,
    /\bRFC [0-9]+/,
    /IEEE 802\.3|SCSI-3 Block Commands|Software Developer's Manual|PCI-X [0-9.]+ specification/,
    /Sugerman, Venkitachalam|Sugerman et al\./,
    /^ttcp\.c \(/,
    /^fit: .*(npm run fit:[a-z-]+|scripts\/fit-[a-z-]+\.ts)/,
    /^derived: .*\b[A-Z_]+\.[a-zA-Z]+/,
  ]
    .map((r) => r.source)
    .join('|'),
);

describe('calibration table', () => {
  it('every entry has a finite value, a unit, a source and where it is used; assumptions say what they move', () => {
    const entries = allEntries();
    expect(entries.length).toBeGreaterThan(60);
    const unsourced: string[] = [];
    for (const [name, e] of entries) {
      expect(Number.isFinite(e.value), name).toBe(true);
      expect(e.unit.length, `${name} unit`).toBeGreaterThan(0);
      expect(e.source.length, `${name} source`).toBeGreaterThan(10);
      expect(e.usedBy.length, `${name} usedBy`).toBeGreaterThan(0);
      if (e.source.startsWith('assumption:')) expect((e.moves ?? '').length, `${name} moves`).toBeGreaterThan(10);
      else if (!CONCRETE_SOURCE.test(e.source)) unsourced.push(`${name}: ${e.source}`);
    }
    expect(unsourced, 'entries without a concrete source or "assumption:"').toEqual([]);
  });

  it('Table 3 and Table 4 rows have one value per column', () => {
    for (const part of [TABLE3.processes, TABLE3.contextSwitch, TABLE3.fileVm]) {
      for (const c of TABLE3_CONFIGS) expect(part.rows[c]).toHaveLength(part.columns.length);
    }
    for (const c of TABLE4_CONFIGS) expect(TABLE4.rows[c]).toHaveLength(TABLE4.columns.length);
  });

  it('docs/calibration.md is the rendering of the module', () => {
    expect(readFileSync(calibrationDocPath(), 'utf8')).toBe(renderCalibrationDoc());
  });

  it('the tables in the document, parsed back, equal the typed data', () => {
    const doc = readFileSync(calibrationDocPath(), 'utf8');
    for (const part of [TABLE3.processes, TABLE3.contextSwitch, TABLE3.fileVm]) {
      const t = parseTable(doc, `### ${part.title}`);
      expect(t.header).toEqual(['config', ...part.columns]);
      expect(t.rows.map((r) => r[0])).toEqual([...TABLE3_CONFIGS]);
      for (const r of t.rows)
        expect(r.slice(1).map(Number)).toEqual(part.rows[r[0] as (typeof TABLE3_CONFIGS)[number]]);
    }
    const t4 = parseTable(doc, `## Paper Table 4: ${TABLE4.title} (Mb/s, higher is better)`);
    for (const r of t4.rows)
      expect(r.slice(1).map(Number)).toEqual(TABLE4.rows[r[0] as (typeof TABLE4_CONFIGS)[number]]);
    const machine = parseTable(doc, "## The paper's test machine");
    expect(machine.rows.map((r) => [r[0], Number(r[1])])).toEqual(
      Object.entries(MACHINE).map(([k, e]) => [`\`${k}\``, e.value]),
    );
  });

  it('the models use the values of the table', () => {
    expect(BVT_DEFAULTS.mcuNs).toBe(HYPERVISOR.bvtMcuNs.value);
    expect(BVT_DEFAULTS.ctxAllowNs).toBe(HYPERVISOR.bvtCtxAllowNs.value);
    expect(BVT_DEFAULTS.defaultMcuAdvance).toBe(HYPERVISOR.bvtMcuAdvance.value);
    expect(BVT_DEFAULTS.singleRunnableSliceFactor).toBe(HYPERVISOR.bvtSingleRunnableSliceFactor.value);
    expect(BVT_DEFAULTS.timeSlopNs).toBe(HYPERVISOR.bvtTimeSlopNs.value);
    expect(ROUND_ROBIN_DEFAULTS.quantumNs).toBe(HYPERVISOR.roundRobinQuantumNs.value);
    expect(CREDIT_DEFAULTS.tickNs).toBe(HYPERVISOR.creditTickNs.value);
    expect(CREDIT_DEFAULTS.defaultWeight).toBe(HYPERVISOR.creditDefaultWeight.value);
    expect(HOST_DEFAULTS.timerTickNs).toBe(HYPERVISOR.timerTickNs.value);
    expect(HOST_DEFAULTS.timerTickCostNs).toBe(ANCHORS.timerTickCostNs.value);
    expect(HOST_DEFAULTS.cpus).toBe(MACHINE.singleCpuRuns.value);
    expect(HOST_DEFAULTS.machineMemoryPages * MACHINE.pageBytes.value).toBe(MACHINE.memoryBytes.value);
    expect(EVENT_CHANNEL_DEFAULTS.hypercallNs).toBe(ANCHORS.hypercallNs.value);
    expect(EVENT_CHANNEL_DEFAULTS.upcallNs).toBe(ANCHORS.upcallNs.value);
    expect(CONTROL_COST_DEFAULTS.createDomainCostNs).toBe(ANCHORS.createDomainCostNs.value);
    expect(CONTROL_COST_DEFAULTS.destroyDomainCostNs).toBe(ANCHORS.destroyDomainCostNs.value);
    expect(CONTROL_COST_DEFAULTS.setSchedParamsCostNs).toBe(ANCHORS.setSchedParamsCostNs.value);
    expect(CONTROL_COST_DEFAULTS.attachDeviceCostNs).toBe(ANCHORS.attachDeviceCostNs.value);
    expect(XEON_GEOMETRY.l2Bytes).toBe(CACHES.l2Bytes.value);
    expect(XEON_GEOMETRY.dtlbEntries).toBe(CACHES.dtlbEntries.value);
    expect(WEB_DEFAULTS.dynamicComputeNs).toBe(NET_WORKLOADS.webDynamicComputeNs.value);
    expect(WEB_DEFAULTS.requestBytes).toBe(NET_WORKLOADS.webRequestBytes.value);
    expect(WEB_DEFAULTS.postBodyBytes).toBe(NET_WORKLOADS.webPostBodyBytes.value);
    expect(WEB_DEFAULTS.postResponseBytes).toBe(NET_WORKLOADS.webPostResponseBytes.value);
    expect(WEB_DEFAULTS.timeoutNs).toBe(NET_WORKLOADS.webTimeoutNs.value);
    expect(WEB_DEFAULTS.conformantShare).toBe(NET_WORKLOADS.webConformantShare.value);
    expect(WEB_DEFAULTS.clientTargetBps).toBe(NET_WORKLOADS.webClientTargetBps.value);
    expect(WEB_FILE_CLASSES.map((c) => c.baseBytes)).toEqual([
      NET_WORKLOADS.webFileClassBase0Bytes.value,
      NET_WORKLOADS.webFileClassBase1Bytes.value,
      NET_WORKLOADS.webFileClassBase2Bytes.value,
      NET_WORKLOADS.webFileClassBase3Bytes.value,
    ]);
    expect(SPEC_INT_DEFAULTS.speedup).toBe(WORKLOAD_MODEL.specIntSpeedup.value);
    expect(SPEC_INT_IO_PER_S).toBe(WORKLOAD_MODEL.specIntIoPerS.value);
    expect(KERNEL_BUILD_DEFAULTS.units).toBe(WORKLOAD_MODEL.kernelBuildUnits.value);
    expect(KERNEL_BUILD_WORKING_SET_BYTES).toBe(WORKLOAD_MODEL.kernelBuildWorkingSetBytes.value);
    expect(FORK_BOMB_DEFAULTS.maxProcesses).toBe(WORKLOAD_MODEL.forkBombMaxProcesses.value);
    expect(FORK_BOMB_DEFAULTS.computeNsPerIteration).toBe(WORKLOAD_MODEL.forkBombComputeNsPerIteration.value);
    expect(FORK_BOMB_DEFAULTS.workingSetBytes).toBe(WORKLOAD_MODEL.forkBombWorkingSetBytes.value);
    expect(OSDB_MIXES.ir.computeNsPerQuery).toBe(WORKLOAD_MODEL.osdbIrComputeNsPerQuery.value);
    expect(OSDB_MIXES.ir.diskReadsPerQuery).toBe(WORKLOAD_MODEL.osdbIrDiskReadsPerQuery.value);
    expect(OSDB_MIXES.oltp.computeNsPerQuery).toBe(WORKLOAD_MODEL.osdbOltpComputeNsPerQuery.value);
    expect(OSDB_MIXES.oltp.diskReadsPerQuery).toBe(WORKLOAD_MODEL.osdbOltpDiskReadsPerQuery.value);
    expect(OSDB_MIXES.oltp.dataWritesPerQuery).toBe(WORKLOAD_MODEL.osdbOltpDataWritesPerQuery.value);
  });

  it('the network entries hang together: headers, web mix, coalescing preset, interrupt defaults', () => {
    // TCP.headerBytes (IPv4 + TCP, the MSS arithmetic) is the sum of the two header entries
    expect(HEADER_BYTES.ipv4 + HEADER_BYTES.tcp).toBe(TCP.headerBytes.value);
    // an Ethernet frame on the wire: 38 bytes beyond the IP packet (header, FCS, preamble, gap)
    expect(
      HEADER_BYTES.ethernet +
        HEADER_BYTES.ethernetFcs +
        HEADER_BYTES.ethernetPreamble +
        HEADER_BYTES.ethernetInterFrameGap,
    ).toBe(38);
    // the four file classes share every static request; the rank order is a permutation of 1 … 9
    expect(WEB_FILE_CLASSES.reduce((a, c) => a + c.share, 0)).toBeCloseTo(1, 12);
    const ranks = String(NET_WORKLOADS.webSizeRankOrder.value).split('').map(Number);
    expect([...ranks].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // module header of web.ts: mean file ≈ 14.27 kB, from the shares, the bases and the Zipf ranks
    expect(meanFileBytes() / 1000).toBeCloseTo(14.27, 2);
    expect(WEB_DEFAULTS.dynamicShare).toBe(0.3);
    expect(WEB_DEFAULTS.conformanceBps).toBe(320_000);
    // Linux 2.6 tg3.h: 0x48 ticks of 1 µs, 0x4b frames, 0x12c ticks
    expect(TG3_COALESCING).toEqual({
      rxMaxFrames: 8,
      rxDelayNs: 0x48 * 1000,
      txMaxFrames: 0x4b,
      txDelayNs: 0x12c * 1000,
    });
    expect([NETWORK_DEFAULTS.nicIrqRxMaxFrames, NETWORK_DEFAULTS.nicIrqTxMaxFrames]).toEqual([1, 1]);
    expect(TTCP_DEFAULTS.writeBytes).toBe(8 * 1024);
  });
});
