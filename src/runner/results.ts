// Loading a finished results folder (for `hvsim chart`, `hvsim report` and `hvsim merge`): the
// manifest (every field checked, manifest.ts), the study from the registry, the points' parameter
// values checked against the study like values from the command line, the plan rebuilt from the
// manifest (its hash must match, so the study definition has not changed since the sweep), and every
// run file of the plan checked against it (run-store.ts).
// Results folders are input from elsewhere (cluster shards, copies), so every problem with one is bad
// input: a UsageError (exit 2) of one line naming the file and the problem, raised before anything is
// written.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { UsageError } from './errors.js';
import { MANIFEST_FILE, readManifest, type Manifest } from './manifest.js';
import { checkOutPath } from './out-dir.js';
import { runsCsv, summaryCsv, OUTPUT_FILES } from './outputs.js';
import { checkValue, describeAllowed } from './params.js';
import { buildPlan, type Plan } from './plan.js';
import { checkedRun, RUNS_DIR, type RunRecord } from './run-store.js';
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
  checkOutPath(dir, label);
  if (!existsSync(dir)) throw new UsageError(`${label} ${dir}: no such directory`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`${label} ${dir}: not a directory`);
}

/** Checks the points' parameters against the study: every parameter present, known, valid. */
export function checkManifestParams(study: Study, manifest: Manifest, dir: string): void {
  const path = join(dir, MANIFEST_FILE);
  const names = Object.keys(study.params);
  manifest.points.forEach((p, i) => {
    for (const name of Object.keys(p.params)) {
      if (!Object.hasOwn(study.params, name))
        throw new UsageError(`${path}: points[${i}].params names unknown parameter '${name}' of study ${study.name}`);
    }
    for (const name of names) {
      const spec = study.params[name];
      if (spec === undefined) continue;
      if (!Object.hasOwn(p.params, name)) throw new UsageError(`${path}: points[${i}].params has no value for ${name}`);
      const v = p.params[name] as number | string | boolean;
      const problem = checkValue(spec, v);
      if (problem !== null)
        throw new UsageError(
          `${path}: points[${i}].params.${name} = ${JSON.stringify(v)}: ${problem}; ${describeAllowed(name, spec)}`,
        );
    }
  });
}

/** Rebuilds the plan recorded in a manifest; UsageError if the study's definition changed since. */
export function planFromManifest(study: Study, manifest: Manifest, dir: string): Plan {
  if ((study.version ?? 1) !== manifest.studyVersion) {
    throw new UsageError(
      `${dir}: made by version ${manifest.studyVersion} of study ${study.name}; this hvsim has version ${study.version ?? 1}; run the sweep again`,
    );
  }
  checkManifestParams(study, manifest, dir);
  const plan = buildPlan(study, {
    points: manifest.points.map((p) => p.params),
    replications: manifest.replications,
    masterSeed: manifest.masterSeed,
    quick: manifest.quick,
    hvsimVersion: manifest.hvsimVersion,
  });
  if (plan.planHash !== manifest.planHash) {
    throw new UsageError(
      `${join(dir, MANIFEST_FILE)}: planHash does not match its points, seed and replications (edited, or the definition of study ${study.name} changed since); run the sweep again`,
    );
  }
  return plan;
}

export function findStudyOf(manifest: Manifest, lookup: StudyLookup, dir: string): Study {
  const study = lookup(manifest.study);
  if (study === undefined)
    throw new UsageError(
      `${join(dir, MANIFEST_FILE)}: made by study '${manifest.study}', which this hvsim does not have`,
    );
  return study;
}

/** Every run file of the plan, checked; UsageError naming the first bad file. */
export function loadRuns(dir: string, plan: Plan, runs = plan.runs): Map<string, RunRecord> {
  const records = new Map<string, RunRecord>();
  let missing = 0;
  let firstMissing = '';
  for (const run of runs) {
    const r = checkedRun(dir, plan, run);
    if (r === 'missing') {
      if (missing++ === 0) firstMissing = run.key;
    } else if (typeof r === 'string') {
      throw new UsageError(`${join(dir, RUNS_DIR, `${run.key}.json`)}: ${r}`);
    } else records.set(run.key, r);
  }
  if (missing > 0)
    throw new UsageError(
      `${dir}: ${missing} of ${runs.length} run files missing (e.g. ${join(RUNS_DIR, `${firstMissing}.json`)})`,
    );
  return records;
}

export function loadResults(dir: string, lookup: StudyLookup, label: string): LoadedResults {
  checkInputDir(dir, label);
  const manifest = readManifest(dir);
  if (manifest.status !== 'complete') {
    const s = manifest.shard;
    throw new UsageError(
      `${dir} holds shard ${s ? `${s.index}/${s.count}` : ''} of a sweep; join the shards with 'hvsim merge' first`,
    );
  }
  const study = findStudyOf(manifest, lookup, dir);
  const plan = planFromManifest(study, manifest, dir);
  const records = loadRuns(dir, plan);
  return { dir, manifest, study, plan, records, data: studyData(study, plan, records) };
}

/**
 * Rewrites runs.csv and summary.csv of a loaded folder when they differ from what its run files give
 * (truncated, edited or deleted); returns the names rewritten. The run files are the source of truth.
 */
export function repairCsvs(loaded: LoadedResults): string[] {
  const expected: [string, string][] = [
    [OUTPUT_FILES.runs, runsCsv(loaded.study, loaded.plan, loaded.records)],
    [OUTPUT_FILES.summary, summaryCsv(loaded.study, loaded.data.summary)],
  ];
  const fixed: string[] = [];
  for (const [name, text] of expected) {
    const path = join(loaded.dir, name);
    let have: string | null = null;
    try {
      have = readFileSync(path, 'utf8');
    } catch {
      have = null;
    }
    if (have !== text) {
      writeFileAtomic(path, text);
      fixed.push(name);
    }
  }
  return fixed;
}
