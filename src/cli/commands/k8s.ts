// `hvsim k8s <study> --shards N`: renders the Kubernetes manifests of deploy/k8s/ for one sweep, so the
// shard count, the study arguments and the results folder are written once and agree everywhere:
//   hvsim-shards.yaml  the Indexed Job: completions = N, parallelism (default N), HVSIM_SHARDS = N,
//                      args = the study and its options, HVSIM_OUT = /results/<name>
//   hvsim-merge.yaml   the merge Job of the same N shards and folder
//   pvc.yaml           the shared volume (claim name --claim)
// into --out-dir (default k8s/<name>/), or to stdout with --print (documents separated by ---).
// <name> is --name, default the study (with -quick under --quick); Job names are hvsim-<name>-shards
// and hvsim-<name>-merge, so the name must be a DNS label (lowercase letters, digits, '-', at most
// 47 characters to leave room for the suffixes). Study options are checked as `hvsim run` checks them.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { parseDocument, type Document } from 'yaml';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { configureSweep } from '../../runner/configure.js';
import { ExitCode, RunError, UsageError } from '../../runner/errors.js';
import { checkWritableDir } from '../../runner/out-dir.js';
import { packageRoot } from '../../runner/version.js';
import type { Io } from '../io.js';
import { addStudyPassThrough, studyRunArgs } from '../study-options.js';
import { LIMITS, parseIntOption, parseRunOptions } from '../run-options.js';
import { requireStudy } from '../studies.js';

export const K8S_FILES = { shards: 'hvsim-shards.yaml', merge: 'hvsim-merge.yaml', pvc: 'pvc.yaml' } as const;

export interface K8sCommandOptions {
  readonly shards: string;
  readonly parallelism?: string;
  readonly name?: string;
  readonly image?: string;
  readonly claim?: string;
  readonly outDir?: string;
  readonly print: boolean;
  readonly quick: boolean;
  readonly set: readonly string[];
  readonly grid: readonly string[];
  readonly replications?: string;
  readonly seed?: string;
}

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const IMAGE = /^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/;

function checkLabel(flag: string, value: string, max: number): void {
  if (value.length > max || !DNS_LABEL.test(value)) {
    throw new UsageError(
      `${flag} ${value}: malformed; expected lowercase letters, digits and '-', starting and ending with a letter or digit, at most ${max} characters`,
    );
  }
}

function template(file: string): Document {
  const path = packageRoot === null ? null : join(packageRoot, 'deploy', 'k8s', file);
  if (path === null || !existsSync(path))
    throw new RunError(`k8s: deploy/k8s/${file} is not in this hvsim installation`);
  return parseDocument(readFileSync(path, 'utf8'));
}

function setEnv(doc: Document, name: string, value: string): void {
  const env = doc.getIn(['spec', 'template', 'spec', 'containers', 0, 'env']) as {
    items: { get(k: string): unknown; set(k: string, v: unknown): void }[];
  };
  const item = env.items.find((e) => e.get('name') === name);
  if (item === undefined) throw new RunError(`k8s: the template has no env ${name}`);
  item.set('value', value);
}

/** Checks every option and renders the three manifests (file name → YAML text). */
export function renderK8s(studyName: string, opts: K8sCommandOptions): { name: string; files: Map<string, string> } {
  const study = requireStudy(studyName);
  const req = parseRunOptions(study, {
    set: opts.set,
    grid: opts.grid,
    replications: opts.replications,
    seed: opts.seed,
  });
  const { plan } = configureSweep(study, {
    quick: opts.quick,
    overrides: req.overrides,
    replications: req.replications,
    masterSeed: req.masterSeed,
  });
  const shards = parseIntOption('--shards', opts.shards, 1, LIMITS.maxShards);
  if (shards > plan.runs.length) {
    throw new UsageError(
      `--shards ${opts.shards}: value out of range; this sweep has ${plan.runs.length} runs, so --shards takes an integer in [1, ${plan.runs.length}]`,
    );
  }
  const parallelism =
    opts.parallelism === undefined ? shards : parseIntOption('--parallelism', opts.parallelism, 1, shards);
  const name = opts.name ?? (opts.quick ? `${study.name}-quick` : study.name);
  checkLabel('--name', name, 47);
  if (opts.claim !== undefined) checkLabel('--claim', opts.claim, 63);
  if (opts.image !== undefined && !IMAGE.test(opts.image))
    throw new UsageError(
      `--image ${opts.image}: malformed; expected an image reference such as registry.example.org/hvsim:0.1.0`,
    );

  const args = studyRunArgs(study.name, opts);

  const shardsDoc = template(K8S_FILES.shards);
  const mergeDoc = template(K8S_FILES.merge);
  const pvcDoc = template(K8S_FILES.pvc);
  const mount = String(shardsDoc.getIn(['spec', 'template', 'spec', 'containers', 0, 'volumeMounts', 0, 'mountPath']));
  const claim = opts.claim ?? String(pvcDoc.getIn(['metadata', 'name']));
  pvcDoc.setIn(['metadata', 'name'], claim);
  shardsDoc.setIn(['metadata', 'name'], `hvsim-${name}-shards`);
  shardsDoc.setIn(['spec', 'completions'], shards);
  shardsDoc.setIn(['spec', 'parallelism'], parallelism);
  shardsDoc.setIn(['spec', 'template', 'spec', 'containers', 0, 'args'], shardsDoc.createNode(args));
  mergeDoc.setIn(['metadata', 'name'], `hvsim-${name}-merge`);
  for (const doc of [shardsDoc, mergeDoc]) {
    setEnv(doc, 'HVSIM_SHARDS', String(shards));
    setEnv(doc, 'HVSIM_OUT', `${mount}/${name}`);
    doc.setIn(['spec', 'template', 'spec', 'volumes', 0, 'persistentVolumeClaim', 'claimName'], claim);
    if (opts.image !== undefined) doc.setIn(['spec', 'template', 'spec', 'containers', 0, 'image'], opts.image);
  }
  const header = `# Rendered by hvsim k8s for ${plan.runs.length} runs of ${study.name} in ${shards} shards; the template's notes follow.\n`;
  const files = new Map<string, string>([
    [K8S_FILES.pvc, pvcDoc.toString()],
    [K8S_FILES.shards, header + shardsDoc.toString()],
    [K8S_FILES.merge, header + mergeDoc.toString()],
  ]);
  return { name, files };
}

export function k8sCommand(studyName: string, opts: K8sCommandOptions, io: Io): ExitCode {
  const { name, files } = renderK8s(studyName, opts);
  if (opts.print) {
    io.out([...files.values()].map((t) => t.replace(/\n$/, '')).join('\n---\n'));
    return ExitCode.ok;
  }
  const dir = opts.outDir ?? join('k8s', name);
  checkWritableDir(dir, '--out-dir');
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of files) writeFileAtomic(join(dir, file), text);
  io.out(`k8s: manifests in ${dir}; apply with:`);
  io.out(`  kubectl apply -f ${join(dir, K8S_FILES.pvc)} -f ${join(dir, K8S_FILES.shards)}`);
  io.out(
    `  kubectl wait --for=condition=complete --timeout=24h job/hvsim-${name}-shards && kubectl apply -f ${join(dir, K8S_FILES.merge)}`,
  );
  return ExitCode.ok;
}

export function registerK8sCommand(program: Command, io: Io, setExit: (code: ExitCode) => void): void {
  const cmd = program
    .command('k8s')
    .description(
      'render the Kubernetes manifests of a sweep (an Indexed Job of N shard pods, the merge Job, the shared volume) from deploy/k8s/, ' +
        'with the shard count, study arguments and results folder filled in everywhere',
    )
    .argument('<study>', 'study name (see hvsim list)')
    .requiredOption(
      '--shards <n>',
      'number of shards (completions of the Indexed Job), at most the number of runs of the sweep',
    )
    .option('--parallelism <n>', 'pods running at once (default: all shards)')
    .option(
      '--name <name>',
      'sweep name: the folder /results/<name> and the Job names (default: the study, <study>-quick with --quick)',
    )
    .option('--image <ref>', "container image built from deploy/Dockerfile (default: the template's hvsim:<version>)")
    .option('--claim <name>', 'PersistentVolumeClaim of the results volume (default: hvsim-results)')
    .option('--out-dir <dir>', 'where to write the manifests (default: k8s/<name>/)')
    .option('--print', 'print the manifests (YAML documents separated by ---), write nothing', false);
  addStudyPassThrough(cmd).action((name: string, opts: K8sCommandOptions) => {
    setExit(k8sCommand(name, opts, io));
  });
}
