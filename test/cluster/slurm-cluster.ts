// A private single-node Slurm cluster for the end-to-end test (not a test file itself): Debian's
// slurmctld, slurmd and munge, configured in a temporary folder and started by the test, never
// touching /etc/slurm or the system's munged. munged runs as the `munge` user on a private socket
// with a private key; slurm.conf (selected with SLURM_CONF) puts state, spool, logs and pid files in
// the folder. Ports 6817/6818 are Slurm's fixed defaults, so only one such cluster runs per host.
// Every daemon is a child of the test process and is stopped by its PID in stop().
//
// slurmAvailability() says why the cluster cannot run here (null: it can): not Linux, not root, a
// program missing (apt-get install slurmctld slurmd slurm-client munge), no munge user, ports in use.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  chownSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { cpus, hostname, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const PROGRAMS = [
  'slurmctld',
  'slurmd',
  'sbatch',
  'squeue',
  'scancel',
  'scontrol',
  'sinfo',
  'munged',
  'munge',
  'unmunge',
  'mungekey',
] as const;
const PORTS = [6817, 6818] as const;

function findProgram(name: string): string | null {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin'];
  for (const d of dirs) {
    if (d === '') continue;
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // keep looking
    }
  }
  return null;
}

function mungeUser(): { uid: number; gid: number } | null {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const f = line.split(':');
    if (f[0] === 'munge') return { uid: Number(f[2]), gid: Number(f[3]) };
  }
  return null;
}

async function portFree(port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, () => srv.close(() => resolve(true)));
  });
}

/** Why a private Slurm cannot run here, or null. */
export async function slurmAvailability(): Promise<string | null> {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not root (slurmd and munged as the munge user need root)';
  const missing = PROGRAMS.filter((p) => findProgram(p) === null);
  if (missing.length > 0)
    return `${missing.join(', ')} not installed (apt-get install slurmctld slurmd slurm-client munge)`;
  if (mungeUser() === null) return 'no munge user (the munge package creates it)';
  for (const port of PORTS)
    if (!(await portFree(port))) return `port ${port} is in use (another Slurm is running on this host)`;
  return null;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

export class SlurmCluster {
  private readonly daemons: { name: string; child: ChildProcess }[] = [];
  readonly env: NodeJS.ProcessEnv;

  private constructor(readonly dir: string) {
    this.env = { ...process.env, SLURM_CONF: join(dir, 'slurm.conf') };
  }

  /** Starts munged, slurmctld and slurmd; throws with the daemons' logs if the node is not idle in 20 s. */
  static async start(): Promise<SlurmCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'hvsim-slurm-'));
    chmodSync(dir, 0o755); // munged, running as munge, must reach its socket folder
    const c = new SlurmCluster(dir);
    try {
      await c.startMunge();
      c.writeConf();
      c.daemon('slurmctld', ['-D']);
      c.daemon('slurmd', ['-D']);
      await c.waitIdle();
      return c;
    } catch (err) {
      await c.stop();
      throw err;
    }
  }

  private daemon(name: string, args: readonly string[], ids?: { uid: number; gid: number }): ChildProcess {
    const out = join(this.dir, `${name}.out`);
    const child = spawn(findProgram(name) as string, args, {
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(ids ?? {}),
    });
    const chunks: string[] = [];
    const keep = (d: Buffer): void => {
      chunks.push(d.toString('utf8'));
      writeFileSync(out, chunks.join(''));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.daemons.push({ name, child });
    return child;
  }

  private async startMunge(): Promise<void> {
    const ids = mungeUser() as { uid: number; gid: number };
    const mdir = join(this.dir, 'munge');
    mkdirSync(mdir, { mode: 0o755 });
    chownSync(mdir, ids.uid, ids.gid);
    const key = join(mdir, 'munge.key');
    const mk = spawnSync(findProgram('mungekey') as string, ['--create', `--keyfile=${key}`], {
      ...ids,
      encoding: 'utf8',
    });
    if (mk.status !== 0) throw new Error(`mungekey failed: ${mk.stderr}`);
    const socket = join(mdir, 'munge.socket');
    this.daemon(
      'munged',
      [
        '--foreground',
        `--key-file=${key}`,
        `--socket=${socket}`,
        `--pid-file=${join(mdir, 'munged.pid')}`,
        `--log-file=${join(mdir, 'munged.log')}`,
        `--seed-file=${join(mdir, 'munged.seed')}`,
      ],
      ids,
    );
    for (let i = 0; i < 100 && !existsSync(socket); i++) await sleep(50);
    const cred = spawnSync(findProgram('munge') as string, ['-n', '-S', socket], { encoding: 'utf8' });
    const check = spawnSync(findProgram('unmunge') as string, ['-S', socket], { input: cred.stdout, encoding: 'utf8' });
    if (check.status !== 0)
      throw new Error(`munged does not answer (munge -n | unmunge): ${check.stderr}${this.logs()}`);
  }

  private writeConf(): void {
    const d = this.dir;
    const conf = [
      'ClusterName=hvsimtest',
      'SlurmctldHost=localhost',
      'SlurmUser=root',
      'AuthType=auth/munge',
      'CredType=cred/munge',
      `AuthInfo=socket=${join(d, 'munge', 'munge.socket')}`,
      `StateSaveLocation=${join(d, 'state')}`,
      `SlurmdSpoolDir=${join(d, 'spool')}`,
      `SlurmctldPidFile=${join(d, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(d, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(d, 'slurmctld.log')}`,
      `SlurmdLogFile=${join(d, 'slurmd.log')}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'MpiDefault=none',
      'MailProg=/bin/true',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'SchedulerParameters=batch_sched_delay=0', // else jobs start in waves every few seconds
      'DependencyParameters=kill_invalid_depend', // a failed array task cancels the dependent merge
      'ReturnToService=2',
      'KillWait=5',
      `NodeName=${hostname().split('.')[0]} NodeAddr=127.0.0.1 CPUs=${cpus().length} RealMemory=1000 State=UNKNOWN`,
      'PartitionName=hvsim Nodes=ALL Default=YES MaxTime=INFINITE State=UP',
      '',
    ].join('\n');
    mkdirSync(join(d, 'state'));
    mkdirSync(join(d, 'spool'));
    writeFileSync(join(d, 'slurm.conf'), conf);
  }

  private async waitIdle(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const r = spawnSync(findProgram('sinfo') as string, ['-h', '-o', '%T'], { env: this.env, encoding: 'utf8' });
      if (r.status === 0 && r.stdout.trim() === 'idle') return;
      const dead = this.daemons.find((x) => x.child.exitCode !== null || x.child.signalCode !== null);
      if (dead !== undefined)
        throw new Error(`${dead.name} exited (${dead.child.exitCode ?? dead.child.signalCode})${this.logs()}`);
      await sleep(100);
    }
    throw new Error(`the Slurm node did not become idle in 20 s${this.logs()}`);
  }

  /** Runs a Slurm client command (squeue, scancel, ...) against this cluster. */
  client(name: string, args: readonly string[]): string {
    const r = spawnSync(findProgram(name) as string, args, { env: this.env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${name} ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  }

  /** Job ids (with array task suffixes) still in the queue. */
  queue(): string[] {
    return this.client('squeue', ['-h', '-r', '-o', '%i'])
      .split('\n')
      .filter((s) => s !== '');
  }

  async waitEmpty(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.queue().length > 0) {
      if (Date.now() > until)
        throw new Error(`jobs still queued after ${timeoutMs} ms: ${this.queue().join(' ')}${this.logs()}`);
      await sleep(100);
    }
  }

  /** The tails of the daemons' logs, for failure messages. */
  logs(): string {
    const files = ['munged.out', 'slurmctld.out', 'slurmd.out', 'slurmctld.log', 'slurmd.log'];
    return files
      .map((f) => join(this.dir, f))
      .filter((p) => existsSync(p))
      .map((p) => `\n--- ${p}:\n${readFileSync(p, 'utf8').split('\n').slice(-15).join('\n')}`)
      .join('');
  }

  /** Cancels every job, shuts the controller down and stops every daemon this object started, by PID. */
  async stop(): Promise<void> {
    if (this.daemons.some((x) => x.name === 'slurmctld')) {
      spawnSync(findProgram('scancel') as string, ['--full', '--user=root'], { env: this.env, timeout: 5000 });
      spawnSync(findProgram('scontrol') as string, ['shutdown'], { env: this.env, timeout: 5000 });
    }
    for (const { child } of [...this.daemons].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      const pid = child.pid;
      const kill = (signal: NodeJS.Signals): void => {
        try {
          process.kill(pid, signal);
        } catch {
          // already gone
        }
      };
      kill('SIGTERM');
      const timer = setTimeout(() => kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
