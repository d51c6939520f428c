// The piscina worker: runs one task in a worker thread. The study is found by name in the study
// registry the task names: a module URL (task.registry) whose `studies` export lists the studies (see
// StudyRegistryModule in study.ts). The runner never imports experiments/: the CLI hands over the
// project's registry, a user of `hvsim/runner` hands over a module of their own. Only plain data
// crosses the thread boundary. Loaded registries are cached per thread; studies must keep no mutable
// state between runs (see study.ts).
import { executeRun, type RunOutcome, type RunTask } from './run-task.js';
import { isStudyRegistryModule, type Study } from './study.js';

const registries = new Map<string, Promise<readonly Study[]>>();

async function load(url: string): Promise<readonly Study[]> {
  const mod: unknown = await import(url);
  if (!isStudyRegistryModule(mod)) {
    throw new Error(`worker: study registry ${url} has no \`studies\` export (an array of studies)`);
  }
  return mod.studies;
}

/** The study named `name` in the registry module at `url` (loaded once per thread). */
export async function studyFromRegistry(url: string, name: string): Promise<Study> {
  let studies = registries.get(url);
  if (studies === undefined) {
    studies = load(url);
    registries.set(url, studies);
  }
  const study = (await studies).find((s) => s.name === name);
  if (study === undefined) throw new Error(`worker: unknown study '${name}' in registry ${url}`);
  return study;
}

export default async function runInWorker(task: RunTask): Promise<RunOutcome> {
  return executeRun(await studyFromRegistry(task.registry, task.study), task);
}
