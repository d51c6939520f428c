// The Kubernetes deployment (deploy/k8s/, deploy/Dockerfile) without a cluster:
//  - every manifest validates against the Kubernetes OpenAPI schemas (kubernetes-models' embedded
//    validators; they check types, enums and required fields but, like the API schemas themselves,
//    not unknown field names), and the validator rejects broken copies, so the check can fail;
//  - the manifests agree with each other (completions = HVSIM_SHARDS, same results folder, image
//    and claim, the results folder on the mounted volume);
//  - the pods' exact commands (command + args of the container, run by /bin/sh as the container
//    runtime would) run locally, one per completion index with JOB_COMPLETION_INDEX set, with the
//    volume's mount path mapped to a temp folder and `hvsim` on PATH as in the image; the merged
//    runs.csv and summary.csv are byte-identical to a one-machine run of the same sweep;
//  - `hvsim k8s` renders the same manifests for another sweep and shard count; they pass the same
//    checks and their pods' commands give the bytes of a one-machine run too;
//  - the Dockerfile builds what the CLI needs (every folder of tsconfig.build.json, dev dependencies
//    in the build stage only) and links `hvsim` to package.json's bin.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PersistentVolumeClaim } from 'kubernetes-models/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { renderK8s, type K8sCommandOptions } from '../../src/cli/commands/k8s.js';
import { MAIN, ROOT, hvsim, listFiles, tempDir } from '../cli/cli-helpers.js';

interface EnvVar {
  name: string;
  value?: string;
}
interface Container {
  name: string;
  image: string;
  command: string[];
  args?: string[];
  env: EnvVar[];
  volumeMounts: { name: string; mountPath: string }[];
}
interface JobManifest {
  kind: string;
  metadata: { name: string };
  spec: {
    completionMode?: string;
    completions?: number;
    parallelism?: number;
    template: {
      spec: {
        securityContext?: { runAsUser?: number };
        containers: Container[];
        volumes: { name: string; persistentVolumeClaim: { claimName: string } }[];
      };
    };
  };
}

const K8S = join(ROOT, 'deploy', 'k8s');
const load = <T>(file: string): T => parse(readFileSync(join(K8S, file), 'utf8')) as T;
const shardsJob = load<JobManifest>('hvsim-shards.yaml');
const mergeJob = load<JobManifest>('hvsim-merge.yaml');
const pvc = load<{ kind: string; metadata: { name: string } }>('pvc.yaml');

const containerOf = (job: JobManifest): Container => job.spec.template.spec.containers[0] as Container;
const envOf = (c: Container): Record<string, string> => Object.fromEntries(c.env.map((e) => [e.name, e.value ?? '']));

describe('deploy/k8s manifests', () => {
  it('validate against the Kubernetes schemas', () => {
    expect(pvc.kind).toBe('PersistentVolumeClaim');
    expect(() => new PersistentVolumeClaim(pvc as never).validate()).not.toThrow();
    for (const job of [shardsJob, mergeJob]) {
      expect(job.kind).toBe('Job');
      expect(() => new Job(job as never).validate()).not.toThrow();
    }
  });

  it('the schema check rejects broken manifests', () => {
    const broken: [string, (j: JobManifest) => void, RegExp][] = [
      ['completionMode not an enum value', (j) => void (j.spec.completionMode = 'Index'), /completionMode/],
      [
        'completions a string',
        (j) => void ((j.spec as { completions: unknown }).completions = '4'),
        /completions must be integer/,
      ],
      ['container without a name', (j) => void delete (containerOf(j) as Partial<Container>).name, /name/],
      [
        'env value a number',
        (j) => void ((containerOf(j).env[0] as { value: unknown }).value = 4),
        /value must be string/,
      ],
    ];
    for (const [what, mutate, message] of broken) {
      const copy = structuredClone(shardsJob);
      mutate(copy);
      expect(() => new Job(copy as never).validate(), what).toThrow(message);
    }
  });

  it('agree with each other: an Indexed Job of N = HVSIM_SHARDS pods and a merge of the same N shards on the same volume', () => {
    checkConsistent(shardsJob, mergeJob, pvc);
  });

  it("the pods' commands, run locally per completion index, give the bytes of a one-machine run", async () => {
    await runLocally(shardsJob, mergeJob);
  }, 300_000);
});

describe('hvsim k8s', () => {
  const opts: K8sCommandOptions = {
    shards: '3',
    print: true,
    quick: true,
    set: [],
    grid: [],
    replications: '2',
    seed: '11',
  };

  it('renders manifests for a sweep that validate, agree, and run to the bytes of a one-machine run', async () => {
    const { name, files } = renderK8s('mm1-validation', {
      ...opts,
      image: 'registry.example.org/hvsim:test',
      claim: 'sweeps',
    });
    expect(name).toBe('mm1-validation-quick');
    const rShards = parse(files.get('hvsim-shards.yaml') as string) as JobManifest;
    const rMerge = parse(files.get('hvsim-merge.yaml') as string) as JobManifest;
    const rPvc = parse(files.get('pvc.yaml') as string) as { kind: string; metadata: { name: string } };
    expect(() => new Job(rShards as never).validate()).not.toThrow();
    expect(() => new Job(rMerge as never).validate()).not.toThrow();
    expect(() => new PersistentVolumeClaim(rPvc as never).validate()).not.toThrow();
    checkConsistent(rShards, rMerge, rPvc);
    expect(rShards.metadata.name).toBe('hvsim-mm1-validation-quick-shards');
    expect(rShards.spec.completions).toBe(3);
    expect(rShards.spec.parallelism).toBe(3);
    expect(rPvc.metadata.name).toBe('sweeps');
    expect(containerOf(rShards).image).toBe('registry.example.org/hvsim:test');
    expect(containerOf(rShards).args).toEqual(['mm1-validation', '--quick', '--replications', '2', '--seed', '11']);
    expect(envOf(containerOf(rMerge))['HVSIM_OUT']).toBe('/results/mm1-validation-quick');
    // the command scripts are the templates', unchanged
    expect(containerOf(rShards).command).toEqual(containerOf(shardsJob).command);
    expect(containerOf(rMerge).command).toEqual(containerOf(mergeJob).command);
    await runLocally(rShards, rMerge);
  }, 300_000);

  it('checks its input: one line naming the flag', () => {
    expect(() => renderK8s('mm1-validation', { ...opts, shards: '11' })).toThrow(
      '--shards 11: value out of range; this sweep has 10 runs',
    );
    expect(() => renderK8s('mm1-validation', { ...opts, parallelism: '4' })).toThrow(
      '--parallelism 4: value out of range',
    );
    expect(() => renderK8s('mm1-validation', { ...opts, name: 'My_Sweep' })).toThrow('--name My_Sweep: malformed');
    expect(() => renderK8s('mm1-validation', { ...opts, image: 'a b' })).toThrow('--image a b: malformed');
    expect(() => renderK8s('mm1-validation', { ...opts, grid: ['load=2'] })).toThrow(
      '--grid load=2: value out of range',
    );
  });

  it('writes the three files on the command line', () => {
    const dir = join(tempDir('k8s-cli'), 'out');
    const r = hvsim(['k8s', 'mm1-validation', '--quick', '--shards', '5', '--out-dir', dir]);
    expect(r.status, r.stderr).toBe(0);
    expect(listFiles(dir)).toEqual(['hvsim-merge.yaml', 'hvsim-shards.yaml', 'pvc.yaml']);
    expect(r.stdout).toContain('job/hvsim-mm1-validation-quick-shards');
  });
});

function checkConsistent(shards: JobManifest, merge: JobManifest, claim: { metadata: { name: string } }): void {
  const shard = containerOf(shards);
  const mergeC = containerOf(merge);
  expect(shards.spec.completionMode).toBe('Indexed');
  const n = Number(envOf(shard)['HVSIM_SHARDS']);
  expect(shards.spec.completions).toBe(n);
  expect(shards.spec.parallelism).toBeLessThanOrEqual(n);
  expect(envOf(mergeC)['HVSIM_SHARDS']).toBe(String(n));
  expect(envOf(mergeC)['HVSIM_OUT']).toBe(envOf(shard)['HVSIM_OUT']);
  expect(mergeC.image).toBe(shard.image);
  for (const job of [shards, merge]) {
    const c = containerOf(job);
    const mount = c.volumeMounts[0];
    expect(envOf(c)['HVSIM_OUT']?.startsWith(`${mount?.mountPath}/`)).toBe(true);
    const volume = job.spec.template.spec.volumes.find((v) => v.name === mount?.name);
    expect(volume?.persistentVolumeClaim.claimName).toBe(claim.metadata.name);
    // the image's `node` user (uid 1000 in the official node images; USER node in the Dockerfile)
    expect(job.spec.template.spec.securityContext?.runAsUser).toBe(1000);
  }
}

/** Runs every pod of the Indexed Job (all at once), then the merge pod, and compares with one machine. */
async function runLocally(shards: JobManifest, merge: JobManifest): Promise<void> {
  const tmp = tempDir('k8s');
  const shard = containerOf(shards);
  const mergeC = containerOf(merge);
  const mountPath = shard.volumeMounts[0]?.mountPath as string;
  const volume = join(tmp, 'volume');
  mkdirSync(volume);
  // `hvsim` on PATH, as the image links it
  const bin = join(tmp, 'bin');
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'hvsim'),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(MAIN)} "$@"\n`,
  );
  chmodSync(join(bin, 'hvsim'), 0o755);

  const runPod = async (
    c: Container,
    args: readonly string[],
    extraEnv: Record<string, string>,
  ): Promise<{ status: number | null; output: string }> => {
    const env: Record<string, string> = { PATH: `${bin}:${process.env['PATH'] ?? ''}`, HOME: tmp };
    for (const [k, v] of Object.entries(envOf(c))) env[k] = k === 'HVSIM_OUT' ? v.replace(mountPath, volume) : v;
    Object.assign(env, extraEnv);
    const [exe, ...rest] = c.command;
    const child = spawn(exe as string, [...rest, ...args], { env, cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const status = await new Promise<number | null>((r) => child.on('close', r));
    return { status, output };
  };

  // all pods at once (parallelism = completions), and the one-machine run beside them
  const n = shards.spec.completions as number;
  const ref = join(tmp, 'one-machine');
  const hvsimPod: Container = { ...shard, command: ['hvsim'], env: [] };
  const [one, ...pods] = await Promise.all([
    runPod(hvsimPod, ['run', ...(shard.args ?? []), '--out', ref, '--no-report', '--progress', 'none'], {}),
    ...Array.from({ length: n }, (_, k) => runPod(shard, shard.args ?? [], { JOB_COMPLETION_INDEX: String(k) })),
  ]);
  expect(one?.status, one?.output).toBe(0);
  pods.forEach((r, k) => {
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain(`shard ${k + 1}/${n} of ${shard.args?.[0]}`);
  });
  // the merge pod's own args are merge options; --no-report keeps the test short (the report is
  // tested in test/charts)
  const m = await runPod(mergeC, ['--no-report'], {});
  expect(m.status, m.output).toBe(0);

  const merged = join(envOf(mergeC)['HVSIM_OUT']?.replace(mountPath, volume) as string, 'merged');
  for (const f of ['runs.csv', 'summary.csv']) {
    expect(
      readFileSync(join(merged, f)).equals(readFileSync(join(ref, f))),
      `${f} byte-identical to the one-machine run`,
    ).toBe(true);
  }
}

describe('deploy/Dockerfile', () => {
  const docker = readFileSync(join(ROOT, 'deploy', 'Dockerfile'), 'utf8');
  const ignore = readFileSync(join(ROOT, 'deploy', 'Dockerfile.dockerignore'), 'utf8');
  const stages = docker.split(/^FROM /m).slice(1);

  it('builds every folder the compiled CLI comes from, with dev dependencies, in the build stage', () => {
    const build = stages[0] as string;
    const include = (JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] })
      .include;
    for (const dir of include) {
      expect(build).toMatch(new RegExp(`^COPY ${dir} \\./${dir}$`, 'm'));
      expect(ignore).toContain(`!${dir}/`);
    }
    for (const f of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']) {
      expect(build).toMatch(new RegExp(`^COPY .*\\b${f.replace('.', '\\.')}\\b`, 'm'));
      expect(ignore).toContain(`!${f}`);
    }
    expect(build).toMatch(/^RUN npm ci\b(?!.*--omit)/m); // prepare builds dist/ with the dev dependencies
  });

  it('the runtime stage has what the compiled code imports: src/ and experiments/ import only production dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const imported = new Set<string>();
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts')) {
          const code = readFileSync(p, 'utf8').replace(/^\s*(?:\/\/|\*|\/\*).*$/gm, ''); // comments vanish
          // static imports and re-exports (a statement may span lines; type-only ones are erased by tsc),
          // and dynamic import('…')
          const statements = /^(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s*'([^'.][^']*)'/gm;
          const dynamic = /\bimport\(\s*'([^'.][^']*)'\s*\)/g;
          for (const m of [...code.matchAll(statements), ...code.matchAll(dynamic)]) {
            const spec = m[1] as string;
            if (spec.startsWith('node:')) continue;
            imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string));
          }
        }
      }
    };
    walk(join(ROOT, 'src'));
    walk(join(ROOT, 'experiments'));
    expect(imported.size).toBeGreaterThan(3);
    for (const name of imported)
      expect(Object.keys(pkg.dependencies), `${name} is imported by src/ or experiments/`).toContain(name);
  });

  it('runs production dependencies only, with dist/ from the build stage, and `hvsim` as the entrypoint', () => {
    const runtime = stages[1] as string;
    expect(stages).toHaveLength(2);
    expect(runtime).toMatch(/^RUN npm ci --omit=dev --ignore-scripts/m);
    expect(runtime).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    const bin = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: { hvsim: string } }).bin.hvsim;
    expect(runtime).toContain(`ln -s /app/${bin} /usr/local/bin/hvsim`);
    expect(runtime).toMatch(/^ENTRYPOINT \["hvsim"\]$/m);
    expect(runtime).toMatch(/^USER node$/m);
  });
});
