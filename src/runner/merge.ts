// Merging results folders (the shards of one sweep, or partial copies of it) into one folder whose
// runs.csv, summary.csv and tables/ are byte-identical to those of the unsharded run: the outputs are
// a function of the plan and the run results only, and both are the same.
//
// Checks, before anything is written: every input folder exists and holds a manifest; all manifests
// have the same plan hash (same study, version, parameters, seed, replications, --quick, hvsim
// version); the study is known; every run of the plan is present in some input (with a matching
// configuration hash). The output folder must be writable and differ from the inputs.
// The merged folder holds copies of the run files, the CSVs and a manifest (status "complete", totals
// summed over the inputs, `sources` listing them): it can be charted, reported and resumed like any.
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { RunError, UsageError } from './errors.js';
import { DirLock } from './lock.js';
import { ManifestStatus, platformString, planSection, readManifest, writeManifest, type Manifest } from './manifest.js';
import { checkWritableDir } from './out-dir.js';
import { writeOutputs } from './outputs.js';
import { checkInputDir, findStudyOf, planFromManifest, type StudyLookup } from './results.js';
import { matchingRun, runFilePath, runsDir, type RunRecord } from './run-store.js';
import type { Study, StudyData } from './study.js';
import { studyData } from './study-data.js';
import { gitCommit } from './version.js';

export interface MergeOutcome {
  readonly study: Study;
  readonly manifest: Manifest;
  readonly data: StudyData;
}

export function mergeResults(dirs: readonly string[], outDir: string, lookup: StudyLookup, command: readonly string[]): MergeOutcome {
  if (dirs.length === 0) throw new UsageError('merge: give at least one results folder');
  for (const d of dirs) checkInputDir(d, 'merge:');
  const out = resolve(outDir);
  const same = dirs.find((d) => resolve(d) === out);
  if (same !== undefined) throw new UsageError(`--out ${outDir}: is also an input folder; merge into a new folder`);
  checkWritableDir(outDir, '--out');
  const manifests = dirs.map((d) => {
    try {
      return readManifest(d);
    } catch (err) {
      throw new UsageError(`merge: ${(err as Error).message}`);
    }
  });
  const first = manifests[0] as Manifest;
  manifests.forEach((m, i) => {
    if (m.planHash !== first.planHash) {
      throw new UsageError(
        `merge: ${dirs[i]} is from a different sweep than ${dirs[0]} (study ${m.study} vs ${first.study}, seed ${m.masterSeed} vs ${first.masterSeed}, ` +
          `or parameters, replications, --quick or hvsim version differ)`,
      );
    }
  });
  const study = findStudyOf(first, lookup, dirs[0] as string);
  const plan = planFromManifest(study, first, dirs[0] as string);

  const records = new Map<string, RunRecord>();
  const sourceOf = new Map<string, string>();
  const missing: string[] = [];
  for (const run of plan.runs) {
    let found = false;
    for (const d of dirs) {
      const rec = matchingRun(d, run);
      if (rec !== null) {
        records.set(run.key, rec);
        sourceOf.set(run.key, d);
        found = true;
        break;
      }
    }
    if (!found) missing.push(run.key);
  }
  if (missing.length > 0) {
    throw new RunError(
      `merge: ${missing.length} of ${plan.runs.length} runs are missing from the inputs (e.g. point ${missing[0]?.replace('-', ' replication ')}); ` +
        `run the missing shards, or run the sweep into one of the folders to complete it`,
    );
  }

  mkdirSync(runsDir(outDir), { recursive: true });
  const lock = DirLock.acquire(outDir);
  try {
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
    writeManifest(outDir, manifest);
    return { study, manifest, data };
  } finally {
    lock.release();
  }
}
