// Merging results folders (the shards of one sweep, or partial copies of it) into one folder whose
// runs.csv, summary.csv and tables/ are byte-identical to those of the unsharded run: the outputs are
// a function of the plan and the run results only, and both are the same.
//
// Checks, before anything is written (each a UsageError, exit 2, naming the input and the field):
// every input folder exists and holds a valid manifest (manifest.ts); every input is a shard of the
// same sweep as the first (study, study version, hvsim version, --quick, seed, replications, every
// parameter of every point, shard count, plan hash); the study is known and the points' values are
// valid for it; every run of the plan is present in some input, and every run file present is valid
// for the plan (run-store.ts). The output folder must be writable, differ from the inputs, and be new,
// empty, or an hvsim results folder (whose run files and outputs are then replaced; out-dir.ts).
// The merged folder holds copies of the run files, the CSVs and a manifest (status "complete", totals
// summed over the inputs, `sources` listing them): it can be charted, reported and resumed like any.
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { UsageError } from './errors.js';
import { DirLock } from './lock.js';
import { ManifestStatus, platformString, planSection, readManifest, writeManifest, type Manifest } from './manifest.js';
import { checkOutPath, checkWritableDir, folderState, planIdentity, removeRunFiles, writeMarker } from './out-dir.js';
import { removeDerivedOutputs, writeOutputs } from './outputs.js';
import { checkInputDir, findStudyOf, planFromManifest, type StudyLookup } from './results.js';
import { checkedRun, runFilePath, runsDir, RUNS_DIR, type RunRecord } from './run-store.js';
import type { Study, StudyData } from './study.js';
import { studyData } from './study-data.js';
import { gitCommit } from './version.js';

export interface MergeOutcome {
  readonly study: Study;
  readonly manifest: Manifest;
  readonly data: StudyData;
}

/** The first field in which input `m` differs from the first input, or null. */
function sweepDifference(m: Manifest, first: Manifest): string | null {
  const fields: [string, unknown, unknown][] = [
    ['study', m.study, first.study],
    ['studyVersion', m.studyVersion, first.studyVersion],
    ['hvsimVersion', m.hvsimVersion, first.hvsimVersion],
    ['quick', m.quick, first.quick],
    ['masterSeed', m.masterSeed, first.masterSeed],
    ['replications', m.replications, first.replications],
    ['number of points', m.points.length, first.points.length],
  ];
  if (m.shard !== null && first.shard !== null) fields.push(['shard count', m.shard.count, first.shard.count]);
  for (const [f, a, b] of fields) if (a !== b) return `${f} is ${String(a)} there, ${String(b)} in the first input`;
  for (let i = 0; i < m.points.length; i++) {
    const a = m.points[i]?.params ?? {};
    const b = first.points[i]?.params ?? {};
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (a[k] !== b[k])
        return `parameter ${k} of point ${i} is ${String(a[k])} there, ${String(b[k])} in the first input`;
    }
  }
  if (m.planHash !== first.planHash) return 'planHash differs from the first input';
  return null;
}

export function mergeResults(
  dirs: readonly string[],
  outDir: string,
  lookup: StudyLookup,
  command: readonly string[],
): MergeOutcome {
  if (dirs.length === 0) throw new UsageError('merge: give at least one results folder');
  checkOutPath(outDir, '--out');
  for (const d of dirs) checkInputDir(d, 'merge:');
  const out = resolve(outDir);
  const same = dirs.find((d) => resolve(d) === out);
  if (same !== undefined) throw new UsageError(`--out ${outDir}: is also an input folder; merge into a new folder`);
  const manifests = dirs.map((d) => readManifest(d));
  const first = manifests[0] as Manifest;
  manifests.forEach((m, i) => {
    const diff = sweepDifference(m, first);
    if (diff !== null)
      throw new UsageError(`merge: ${dirs[i]} is not a shard of the same sweep as ${dirs[0]}: ${diff}`);
  });
  const study = findStudyOf(first, lookup, dirs[0] as string);
  const plan = planFromManifest(study, first, dirs[0] as string);
  dirs.forEach((d, i) => {
    if (i > 0) planFromManifest(study, manifests[i] as Manifest, d);
  });

  const records = new Map<string, RunRecord>();
  const sourceOf = new Map<string, string>();
  const missing: string[] = [];
  for (const run of plan.runs) {
    for (const d of dirs) {
      const r = checkedRun(d, plan, run);
      if (r === 'missing') continue;
      if (typeof r === 'string') throw new UsageError(`merge: ${join(d, RUNS_DIR, `${run.key}.json`)}: ${r}`);
      records.set(run.key, r);
      sourceOf.set(run.key, d);
      break;
    }
    if (!records.has(run.key)) missing.push(run.key);
  }
  if (missing.length > 0) {
    throw new UsageError(
      `merge: ${missing.length} of ${plan.runs.length} runs are missing from the inputs (e.g. point ${missing[0]?.replace('-', ' replication ')}); ` +
        `run the missing shards, or run the sweep into one of the folders to complete it`,
    );
  }
  checkWritableDir(outDir, '--out');
  const state = folderState(outDir);
  if (state.kind === 'foreign') throw new UsageError(`--out ${outDir}: ${state.why}; merge into a new or empty folder`);

  mkdirSync(outDir, { recursive: true });
  const lock = DirLock.acquire(outDir);
  try {
    // Under the lock: clean only what hvsim wrote in an earlier results folder here.
    const now = folderState(outDir);
    if (now.kind === 'foreign') throw new UsageError(`--out ${outDir}: ${now.why}; merge into a new or empty folder`);
    if (now.kind === 'owned') {
      removeDerivedOutputs(outDir);
      removeRunFiles(outDir);
    }
    writeMarker(outDir, planIdentity(plan));
    mkdirSync(runsDir(outDir), { recursive: true });
    for (const run of plan.runs) {
      const src = sourceOf.get(run.key) as string;
      writeFileAtomic(runFilePath(outDir, run.key), readFileSync(runFilePath(src, run.key)));
    }
    const data = studyData(study, plan, records);
    writeOutputs(outDir, study, plan, records, data.summary);
    let events = 0;
    let runWallMs = 0;
    for (const r of records.values()) {
      events += r.events;
      runWallMs += r.wallMs;
    }
    const starts = manifests.map((m) => m.startedAt).sort();
    const ends = manifests.map((m) => m.finishedAt).sort();
    const startedAt = starts[0] ?? new Date().toISOString();
    const finishedAt = ends[ends.length - 1] ?? new Date().toISOString();
    const manifest: Manifest = {
      format: 'hvsim-manifest/1',
      status: ManifestStatus.complete,
      gitCommit: gitCommit(),
      node: process.version,
      platform: platformString(),
      command,
      description: study.description,
      shard: null,
      jobs: Math.max(...manifests.map((m) => m.jobs)),
      baseParams: first.baseParams,
      ...planSection(plan),
      totals: {
        runs: plan.runs.length,
        executed: manifests.reduce((a, m) => a + m.totals.executed, 0),
        reused: manifests.reduce((a, m) => a + m.totals.reused, 0),
        events,
        runWallMs: Math.round(runWallMs),
        elapsedMs: Date.parse(finishedAt) - Date.parse(startedAt),
      },
      startedAt,
      finishedAt,
      sources: manifests.map((m, i) => ({
        dir: dirs[i] as string,
        shard: m.shard,
        startedAt: m.startedAt,
        finishedAt: m.finishedAt,
        totals: m.totals,
      })),
    };
    // The sweep file of the shards, when they all came from the same one (hvsim run <file> --shard i/n).
    const files = manifests.map((m) => m.sweepFile);
    const sweepFile = files[0];
    const sameFile = sweepFile !== undefined && files.every((f) => f?.sha256 === sweepFile.sha256);
    const written: Manifest = sameFile ? { ...manifest, sweepFile } : manifest;
    writeManifest(outDir, written);
    return { study, manifest: written, data };
  } finally {
    lock.release();
  }
}
