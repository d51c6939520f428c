// Suites (experiments/suites.ts) in `hvsim list` and `hvsim describe <suite>`: as text that fits a
// terminal (every line at most TERMINAL_WIDTH, 100 columns, except a command to copy) or, with --json,
// as one JSON document (SuiteListJson entries in `hvsim list --json`, SuiteJson for describe). A suite
// is described by its purpose, its member studies (each with the study's own description and what of
// the paper it re-creates, and its run count at quick fidelity and with --full), what --full changes,
// and how to run it. Run counts come from the studies' grids and replications, as `hvsim run` plans them.
import { wrapText } from '../charts/notes.js';
import { countPoints, NO_OVERRIDES } from '../runner/grid.js';
import { Fidelity, suiteRoot, type Suite } from '../runner/suite.js';
import type { Study } from '../runner/study.js';
import { TERMINAL_WIDTH } from './describe.js';

/** One suite in `hvsim list --json`. */
export interface SuiteListJson {
  readonly name: string;
  readonly description: string;
  readonly studies: readonly string[];
}

/** A plan's size: points × replications = runs. */
export interface PlanSize {
  readonly points: number;
  readonly replications: number;
  readonly runs: number;
}

/** `hvsim describe <suite> --json`. */
export interface SuiteJson {
  readonly kind: 'suite';
  readonly name: string;
  readonly description: string;
  readonly members: readonly {
    readonly study: string;
    readonly description: string;
    readonly why: string;
    readonly quick: PlanSize;
    readonly full: PlanSize;
  }[];
  readonly fidelity: Readonly<
    Record<Fidelity, { readonly folder: string; readonly runs: number; readonly what: string }>
  >;
  readonly commands: readonly string[];
}

const QUICK_WHAT =
  'each study as `hvsim run <study> --quick`: its smoke-test grid, replications and run length (numbers to look at, not to quote)';
const FULL_WHAT =
  'each study at its own defaults, the publication fidelity: the full grid, more replications, longer runs';

export function suiteListJson(suites: readonly Suite[]): SuiteListJson[] {
  return suites.map((s) => ({ name: s.name, description: s.description, studies: s.members.map((m) => m.study) }));
}

/** The suites section of `hvsim list`: name, description and studies, wrapped under the description. */
export function suitesText(suites: readonly Suite[], width = TERMINAL_WIDTH): string[] {
  const out = wrapText(
    'suites (hvsim run <suite>: every study in turn, quick; --full: the studies at publication fidelity; ' +
      'hvsim describe <suite>):',
    width,
    '  ',
    '',
  );
  const nameWidth = Math.max(...suites.map((s) => s.name.length));
  const indent = ' '.repeat(nameWidth + 4);
  for (const s of suites)
    out.push(
      ...wrapText(
        `${s.description}: ${s.members.map((m) => m.study).join(', ')}`,
        width,
        indent,
        `  ${s.name.padEnd(nameWidth)}  `,
      ),
    );
  return out;
}

/** The size of a study's plan at a fidelity, without expanding it. */
export function planSize(study: Study, fidelity: Fidelity): PlanSize {
  const quick = fidelity === Fidelity.quick;
  const points = countPoints(quick ? (study.quickGrid ?? study.grid) : study.grid, NO_OVERRIDES);
  const replications = quick ? (study.quickReplications ?? study.replications) : study.replications;
  return { points, replications, runs: points * replications };
}

function sizeText(s: PlanSize): string {
  const n = (k: number, w: string): string => `${k} ${w}${k === 1 ? '' : 's'}`;
  return `${n(s.points, 'point')} × ${n(s.replications, 'replication')} = ${n(s.runs, 'run')}`;
}

function commands(suite: Suite): string[] {
  return [
    `hvsim run ${suite.name}`,
    `hvsim run ${suite.name} --full`,
    `hvsim run ${suite.name} --dry-run`,
    `hvsim run ${suite.name} --full --dry-run`,
  ];
}

export function describeSuiteJson(suite: Suite, findStudy: (name: string) => Study): SuiteJson {
  const members = suite.members.map((m) => {
    const study = findStudy(m.study);
    return {
      study: m.study,
      description: study.description,
      why: m.why,
      quick: planSize(study, Fidelity.quick),
      full: planSize(study, Fidelity.full),
    };
  });
  const runs = (f: Fidelity): number => members.reduce((s, m) => s + m[f].runs, 0);
  return {
    kind: 'suite',
    name: suite.name,
    description: suite.description,
    members,
    fidelity: {
      quick: { folder: suiteRoot(suite, Fidelity.quick), runs: runs(Fidelity.quick), what: QUICK_WHAT },
      full: { folder: suiteRoot(suite, Fidelity.full), runs: runs(Fidelity.full), what: FULL_WHAT },
    },
    commands: commands(suite),
  };
}

export function describeSuite(suite: Suite, findStudy: (name: string) => Study, width = TERMINAL_WIDTH): string[] {
  const j = describeSuiteJson(suite, findStudy);
  const w = (text: string, indent: string, first = indent): string[] => wrapText(text, width, indent, first);
  const out: string[] = [
    ...w(`${suite.name} (suite of ${j.members.length} studies): ${suite.description}`, '  ', ''),
    '',
  ];
  out.push(...w('Studies, run one after another (hvsim describe <study> gives each one in full):', '', ''));
  j.members.forEach((m, i) => {
    const head = `  ${String(i + 1).padStart(2)}. `;
    const body = ' '.repeat(head.length);
    out.push(...w(`${m.study}: ${m.description}`, body, head));
    out.push(...w(`Re-creates: ${m.why}`, body, body));
    out.push(...w(`Runs: quick ${sizeText(m.quick)}; --full ${sizeText(m.full)}`, body, body));
  });
  out.push('', 'Fidelity:');
  out.push(
    ...w(
      `quick (the default): ${QUICK_WHAT}; ${j.fidelity.quick.runs} runs in all, into ${j.fidelity.quick.folder}/<study>/`,
      '    ',
      '  ',
    ),
  );
  out.push(
    ...w(
      `--full: ${FULL_WHAT}; ${j.fidelity.full.runs} runs in all, into ${j.fidelity.full.folder}/<study>/`,
      '    ',
      '  ',
    ),
  );
  out.push('', 'Run:');
  const notes = [
    `quick, into ${j.fidelity.quick.folder}/`,
    `publication fidelity, into ${j.fidelity.full.folder}/`,
    'plans and time estimates; runs nothing',
    'the same at publication fidelity',
  ];
  const cmdWidth = Math.max(...j.commands.map((c) => c.length));
  j.commands.forEach((c, i) =>
    out.push(...w(`# ${notes[i] ?? ''}`, ' '.repeat(cmdWidth + 6), `  ${c.padEnd(cmdWidth)}  `)),
  );
  out.push(
    ...w(
      'Both fidelities resume: the same command again skips the studies that finished and keeps the finished ' +
        'runs of an interrupted one. Options: --jobs, --out, --force, --progress, --quiet; to change a ' +
        'parameter, run one study on its own (hvsim run <study> --set …).',
      '',
      '',
    ),
  );
  return out;
}
