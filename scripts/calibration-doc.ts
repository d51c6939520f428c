// Renders docs/calibration.md from src/models/calibration.ts (the typed table is the source of truth;
// test/models/calibration.test.ts checks that the committed document is this rendering).
// Run: npm run build && node dist/scripts/calibration-doc.js   (rewrites docs/calibration.md)
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CALIBRATION_GROUPS,
  LATER_SCHEDULERS,
  MECHANISMS,
  SWITCH_PROFILES,
  TABLE3,
  TABLE3_CONFIGS,
  TABLE4,
  TABLE4_CONFIGS,
  SWITCH_PROFILE_FITS,
  WORKLOADS,
  switchProfileEntries,
  type CalibrationGroup,
} from '../src/models/calibration.js';
import { latCtxCellsUs, maxRelativeError } from './fit-lat-ctx.js';
import { guestProfileDocLines } from './fit-guest-profiles.js';

const GROUP_TITLES: Readonly<Record<keyof typeof CALIBRATION_GROUPS, string>> = {
  machine: "The paper's test machine",
  caches: 'Caches and TLB (one CPU)',
  disk: 'Disk',
  diskModel: 'Disk model and block back end (service curve, SSD-like preset, schedulers, per-request CPU)',
  hypervisor: 'Hypervisor constants (Xen source)',
  anchors: 'Per-operation costs anchored on other lmbench rows (assumptions)',
  guest:
    'Guest OS and the mechanism counts of the lmbench operations (src/models/guest/; fit: scripts/fit-guest-profiles.ts)',
  memory: 'Memory: machine pages, balloon driver, guest paging and swap',
  network: 'Network: link, NIC, back-end and guest per-packet costs (src/models/net/)',
  tcp: 'TCP: Linux 2.4 constants and RFC rules (src/models/net/tcp.ts)',
  netCosts: 'Guest network path costs of bulk TCP, fitted to Table 4 (fit: scripts/fit-net-costs.ts)',
  netWorkloads:
    'Network workloads and details: web (SPECweb99-like), VIF credit, VFR default, interrupt routing, UDP ping',
  workloadModel: 'Workload constants of the macro-benchmarks (src/models/workloads/; assumptions)',
};

function cell(v: string): string {
  return v.replace(/\|/g, '\\|');
}

function num(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

function groupTable(group: CalibrationGroup): string[] {
  const lines = ['| constant | value | unit | source | moves (assumptions) | used by |', '|---|---|---|---|---|---|'];
  for (const [name, e] of Object.entries(group)) {
    lines.push(
      `| \`${name}\` | ${num(e.value)} | ${cell(e.unit)} | ${cell(e.source)} | ${cell(e.moves ?? '')} | ${cell(e.usedBy)} |`,
    );
  }
  return lines;
}

function dataTable(
  columns: readonly string[],
  rows: Readonly<Record<string, readonly number[]>>,
  order: readonly string[],
): string[] {
  const lines = [`| config | ${columns.join(' | ')} |`, `|---|${columns.map(() => '---').join('|')}|`];
  for (const r of order) lines.push(`| ${r} | ${(rows[r] ?? []).map(num).join(' | ')} |`);
  return lines;
}

/** The whole document. */
export function renderCalibrationDoc(): string {
  const out: string[] = [
    '# Calibration',
    '',
    '<!-- Generated from src/models/calibration.ts by scripts/calibration-doc.ts; do not edit by hand. -->',
    '',
    'Every constant the models use, its value, unit and source. "Paper" is Barham et al., "Xen and the Art of',
    'Virtualization", SOSP 2003 (doi 10.1145/945445.945462). "Xen 1.0 source" is the xen-project tree of October',
    '2003, "Xen 2.0 source" the tree of December 2004. A "datasheet-class" figure is what data sheets give for the',
    'part; the paper does not state it.',
    '',
    '**Rule.** Model parameters come from this table: hardware, constants of the real system, and micro-benchmarks',
    '(Table 3, lmbench; Table 4, ttcp). No parameter is fitted to a macro result of the paper (its',
    'relative-performance bars, multi-domain figures, isolation and scalability results): those are what the models',
    'predict. An entry whose source begins with "assumption" has no source; its "moves" column names the measures',
    'it moves. Entries whose source begins with "fit" are micro-benchmark calibration: the script named reruns the',
    'fit and prints the residuals.',
    '',
  ];
  for (const [key, group] of Object.entries(CALIBRATION_GROUPS) as [
    keyof typeof CALIBRATION_GROUPS,
    CalibrationGroup,
  ][]) {
    out.push(`## ${GROUP_TITLES[key]}`, '', ...groupTable(group), '');
  }
  out.push(
    '## Context-switch profiles (footprint cache model, fitted to lmbench lat_ctx)',
    '',
    'The context-switch cost (src/models/cache/footprint.ts) is a direct cost plus the refill of what the',
    'incoming entity finds evicted: TLB misses after the flush, L1 lines from L2, L2 lines from memory, where',
    'what is evicted follows from the bytes the others and the hypervisor touched since it last ran and the cache',
    'geometry above. One profile per row of Table 3, fitted by `npm run build && node dist/scripts/fit-lat-ctx.js`',
    'to the seven context-switch columns of that row, through a replay of lat_ctx (src/models/cache/lat-ctx.ts).',
    'The host uses the Xen profile for domain switches (see `domainSwitchIsXenProcessSwitch` above).',
    '',
  );
  out.push(
    'Reading the parameters: `directNs` is the fixed path (kernel, and for Xen the hypercalls of a guest process',
    'switch); `tlbMissNs` the cost per page of the working set after the TLB flush (at most 64 pages: the refill,',
    'and whatever the profile adds per page, e.g. shadow page-table fills under VMware); `l1RefillNsPerLine` one',
    'line back from L2; `memRefillNsPerLine` one line back from memory (prefetching overlaps misses: 30 ns per',
    '64-byte line is about 2 GB/s); `entityOverheadBytes` what a process touches besides its working set (kernel',
    'stack, task, page tables, pipe buffer; under UML also its host process); `switchPollutionBytes` new lines',
    "each switch brings in that are nobody's working set; `switchPathBytes` the switch path's own data (Xen: the",
    'hypervisor), the same lines at every switch, so they count once in every stack distance;',
    '`addressSpaceSlots` / `addressSpaceMissNs` state the switch path keeps for the most recent address spaces',
    '(VMware: shadow page tables; UML: host-side state) and what rebuilding it costs.',
    'The fit (scripts/fit-lat-ctx.ts FIT_PLAN) fits L-UP first (5 parameters: the machine and the Linux 2.4',
    'kernel); Xen fits 7 (its own refill terms plus the hypervisor path bytes and pollution); VMware 6 and UML 5,',
    'both taking the L1 refill from L-UP and keeping state for 8 address spaces (an assumption that Table 3',
    'bounds to 8 … 15). For the four rows the guest OS uses that is 23 fitted parameters for 28 cells, every',
    'cell within 5 %: the fit shows that the mechanisms can represent the measurements, not that every',
    'parameter is identified (pollution, path bytes and per-process bytes trade off against each other).',
    'Structures that share the refill terms across rows (15 to 18 parameters) reached about 6 % at best.',
    '',
  );
  for (const profile of SWITCH_PROFILES) {
    const published = TABLE3.contextSwitch.rows[profile];
    const simulated = latCtxCellsUs(SWITCH_PROFILE_FITS[profile]);
    out.push(`### ${profile}`, '', ...groupTable(switchProfileEntries(profile)), '');
    out.push(
      `lat_ctx replayed with these values (µs; max relative error ${(100 * maxRelativeError(simulated, published)).toFixed(1)} %):`,
      '',
      `| | ${TABLE3.contextSwitch.columns.join(' | ')} |`,
      `|---|${TABLE3.contextSwitch.columns.map(() => '---').join('|')}|`,
      `| published | ${published.map(num).join(' | ')} |`,
      `| simulated | ${simulated.map((v) => v.toFixed(2)).join(' | ')} |`,
      '',
    );
  }
  out.push(
    '## Virtualization profiles of the guest OS (derived from Table 3)',
    '',
    'src/models/guest/profile-fit.ts splits each Table 3 operation into mechanisms — kernel entries (a null call),',
    'page faults, signal/event deliveries (sig handle − null call), page-table updates in phases that end with a',
    'flush (xen: one hypercall, `hypercallNs`, per flush) — and the kernel work that remains. The per-update cost',
    'of a profile is the largest that leaves no page-table-heavy operation (fork, exec, sh, mmap) with less work',
    'than native; the counts are the assumptions of the guest group above. `npm run fit:guest-profiles` prints',
    'this. "× native" near 1 means the mechanisms explain the profile\'s extra cost; far above 1 (hosted fork, say,',
    'where UML creates a host process) means the work term carries what the mechanisms do not model.',
    '',
    ...guestProfileDocLines(),
    '',
  );
  out.push(
    '## Paper Table 3: lmbench (µs, lower is better)',
    '',
    'L-UP is a uniprocessor native kernel, L-SMP an SMP one.',
    '',
  );
  for (const part of [TABLE3.processes, TABLE3.contextSwitch, TABLE3.fileVm]) {
    out.push(`### ${part.title}`, '', ...dataTable(part.columns, part.rows, TABLE3_CONFIGS), '');
  }
  out.push(
    "Why Xen's fork, exec, mmap and page fault cost more: page-table updates are validated by the hypervisor, and",
    'page faults pass through ring 0 because only ring 0 can read the faulting address.',
    '',
    `## Paper Table 4: ${TABLE4.title} (Mb/s, higher is better)`,
    '',
    'Two machines over gigabit Ethernet, 128 kB socket buffers; Xen receives by page flipping.',
    '',
    ...dataTable(TABLE4.columns, TABLE4.rows, TABLE4_CONFIGS),
    '',
    '## Mechanisms of the real system',
    '',
    ...MECHANISMS.map((m) => `- ${m}`),
    '',
    '## Workload descriptions (independent of the results)',
    '',
    ...WORKLOADS.map((m) => `- ${m}`),
    '',
    '## Later Xen schedulers (comparison rows)',
    '',
    ...LATER_SCHEDULERS.map((m) => `- ${m}`),
    '',
  );
  return out.join('\n');
}

/** Where the document lives, from this file (dist/scripts or scripts). */
export function calibrationDocPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = here.endsWith(join('dist', 'scripts')) ? join(here, '..', '..') : join(here, '..');
  return join(root, 'docs', 'calibration.md');
}

const invoked = process.argv[1];
if (invoked !== undefined && import.meta.url === pathToFileURL(invoked).href) {
  const path = calibrationDocPath();
  writeFileSync(path, renderCalibrationDoc());
  console.log(`wrote ${path}`);
}
