// Loading a finished results folder (for `hvsim chart`, `hvsim report` and `hvsim merge`): the
// manifest, the study from the registry, the plan rebuilt from the manifest (its hash must match, so
// the study definition has not changed since the sweep), and every run file of the plan.
import { existsSync, statSync } from 'node:fs';
import { RunError, UsageError } from './errors.js';
import { readManifest, type Manifest } from './manifest.js';
import { buildPlan, type Plan } from './plan.js';
import { matchingRun, type RunRecord } from './run-store.js';
import type { Study, StudyData } from './study.js';
import { studyData } from './study-data.js';

export type StudyLookup = (name: string) => Study | undefined;

export interface LoadedResults {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly study: Study;
  readonly plan: Plan;
  readonly records: Map<string, RunRecord>;
  readonly data: StudyData;
}

/** A folder given on the command line must exist and be a directory (UsageError otherwise). */
export function checkInputDir(dir: string, label: string): void {
  if (!existsSync(dir)) throw new UsageError(`${label} ${dir}: no such directory`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`${label} ${dir}: not a directory`);
}

/** Rebuilds the plan recorded in a manifest; RunError if the study's definition changed since. */
export function planFromManifest(study: Study, manifest: Manifest, dir: string): Plan {
  if ((study.version ?? 1) !== manifest.studyVersion) {
    throw new RunError(`${dir}: made by version ${manifest.studyVersion} of study ${study.name}; this hvsim has version ${study.version ?? 1}`);
  }
  const plan = buildPlan(study, {
    points: manifest.points.map((p) => p.params),
    replications: manifest.replications,
    masterSeed: manifest.masterSeed,
    quick: manifest.quick,
    hvsimVersion: manifest.hvsimVersion,
  });
  if (plan.planHash !== manifest.planHash) {
    throw new RunError(`${dir}: the definition of study ${study.name} (parameters or measures) changed since these results were made; run the sweep again`);
  }
  return plan;
}

export function findStudyOf(manifest: Manifest, lookup: StudyLookup, dir: string): Study {
  const study = lookup(manifest.study);
  if (study === undefined) throw new RunError(`${dir}: made by study '${manifest.study}', which this hvsim does not have`);
  return study;
}

export function loadResults(dir: string, lookup: StudyLookup, label: string): LoadedResults {
  checkInputDir(dir, label);
  const manifest = readManifest(dir);
  if (manifest.status !== 'complete') {
    const s = manifest.shard;
    throw new RunError(`${dir} holds shard ${s ? `${s.index}/${s.count}` : ''} of a sweep; join the shards with 'hvsim merge' first`);
  }
  const study = findStudyOf(manifest, lookup, dir);
  const plan = planFromManifest(study, manifest, dir);
  const records = new Map<string, RunRecord>();
  const missing: string[] = [];
  for (const run of plan.runs) {
    const rec = matchingRun(dir, run);
    if (rec === null) missing.push(run.key);
    else records.set(run.key, rec);
  }
  if (missing.length > 0) throw new RunError(`${dir}: ${missing.length} run files missing or changed (e.g. runs/${missing[0]}.json)`);
  return { dir, manifest, study, plan, records, data: studyData(study, plan, records) };
}
