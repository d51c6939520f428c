// Derives the four virtualization profiles of the guest OS (native, xen, full-virt, hosted) from Table 3
// of the calibration table and prints the derivation and the fit: the per-mechanism parameters of each
// profile, the per-update bounds that fix its page-table update cost, and for every Table 3 cell the
// published value, the mechanism part, the remaining kernel work and that work relative to native.
// The procedure is src/models/guest/profile-fit.ts (its header); this script only reports it, and
// scripts/calibration-doc.ts puts the same tables into docs/calibration.md.
//
// Run: npm run fit:guest-profiles   (or npx tsx scripts/fit-guest-profiles.ts); exit code 0.
import { pathToFileURL } from 'node:url';
import { DEFAULT_PT_BATCH, PROFILE_PARAMS, fitRows, updateBounds } from '../src/models/guest/profile-fit.js';
import { PROFILE_TABLE3_CONFIG, TABLE3_OPS, VIRT_PROFILES } from '../src/models/guest/operations.js';

function us(ns: number, digits = 2): string {
  return (ns / 1000).toFixed(digits);
}

/** Markdown lines: the profile parameters and the per-cell fit (used by the calibration document). */
export function guestProfileDocLines(): string[] {
  const out: string[] = [
    '| profile | Table 3 row | entry (µs) | event delivery (µs) | page-table update (µs) | flush hypercall (µs) | per-update bounds (µs: fork, exec, sh, mmap) |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const profile of VIRT_PROFILES) {
    const p = PROFILE_PARAMS[profile];
    const bounds = updateBounds(profile)
      .map((b) => us(b.perUpdateNs, 3))
      .join(', ');
    out.push(
      `| ${profile} | ${PROFILE_TABLE3_CONFIG[profile]} | ${us(p.entryNs)} | ${us(p.eventDeliveryNs)} | ${us(p.updateNs, 3)} | ${us(p.flushNs)} | ${bounds || '—'} |`,
    );
  }
  out.push(
    '',
    `Per cell (µs; mechanisms at the default batch of ${DEFAULT_PT_BATCH}; work = published − mechanisms; "× native" = work / native work):`,
    '',
  );
  out.push('| operation | profile | published | mechanisms | work | × native |', '|---|---|---|---|---|---|');
  const rows = fitRows();
  for (const op of Object.keys(TABLE3_OPS) as (keyof typeof TABLE3_OPS)[]) {
    for (const profile of VIRT_PROFILES) {
      const r = rows.find((x) => x.profile === profile && x.op === op);
      if (r === undefined) continue;
      const ratio = Number.isFinite(r.workVsNative) ? r.workVsNative.toFixed(2) : '∞';
      out.push(
        `| ${TABLE3_OPS[op]} | ${profile} | ${us(r.publishedNs)} | ${us(r.mechanismNs)} | ${us(r.workNs)} | ${ratio} |`,
      );
    }
  }
  return out;
}

function main(): void {
  for (const line of guestProfileDocLines()) console.log(line);
}

const invoked = process.argv[1];
if (invoked !== undefined && import.meta.url === pathToFileURL(invoked).href) main();
