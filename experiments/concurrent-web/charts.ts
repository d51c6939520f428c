// Charts and console table of the concurrent-web study (index.ts holds the model): in the paper's style
// (its Figure 4), the aggregate score (conformant clients) as bars grouped by the number of web servers,
// native Linux beside Xen (one bar per system and, when more than one was run, interrupt routing); and the
// CPUs' busy share against the number of servers (one line per system and routing).
import type { Params, StudyData } from '../../src/runner/study.js';
import {
  fmt,
  groupedBarsCi,
  lineRows,
  measureVsParam,
  seriesLabeler,
  StudyQuery,
  type ChartSpec,
  type ConsoleTable,
} from '../../src/kit/index.js';
import { CHART_WIDTH } from '../../src/charts/theme.js';

const SYSTEM_LABEL: Readonly<Record<string, string>> = { xen: 'Xen', native: 'native Linux' };
const SYSTEM_ORDER: readonly string[] = ['native', 'xen'];

/** Grouped bars of the aggregate score by number of servers: native Linux beside Xen, as Figure 4. */
function scoreBars(data: StudyData): ChartSpec | null {
  const q = new StudyQuery(data);
  const irqs = q.distinct<string>('irq').map(String).sort();
  const barOf = (p: Params): string => {
    const sys = SYSTEM_LABEL[String(p['system'])] ?? String(p['system']);
    return irqs.length > 1 ? `${sys}, interrupts ${String(p['irq'])}` : sys;
  };
  const rows = q.rows('score').map((s) => ({
    group: String(s.params['servers']),
    bar: barOf(s.params),
    value: s.mean,
    halfWidth: s.halfWidth,
  }));
  if (rows.length === 0) return null;
  const groups = [...new Set(rows.map((r) => r.group))].sort((a, b) => Number(a) - Number(b));
  const bars = SYSTEM_ORDER.flatMap((sys) =>
    irqs.map((irq) => barOf({ system: sys, irq })).filter((b) => rows.some((r) => r.bar === b)),
  );
  for (const r of rows) if (!bars.includes(r.bar)) bars.push(r.bar);
  return groupedBarsCi({
    id: 'score-vs-servers',
    title: 'Concurrent web serving: aggregate score by number of servers, native Linux and Xen',
    subtitle: [
      'Xen: one web-server domain per server; Linux: server processes of one native kernel; two CPUs, 1 Gb/s NIC',
      'error bars: 95% CI over replications (none with one); model prediction, not fitted to the paper',
    ],
    rows,
    groups,
    bars,
    groupField: 'servers',
    valueField: 'score',
    xTitle: 'simultaneous web servers (Xen domains / native processes)',
    yTitle: 'aggregate score (conformant clients)',
    groupTooltip: 'servers',
    barTooltip: 'system',
    valueTooltip: 'score',
    label: (v) => fmt(v, 3),
    width: Math.max(CHART_WIDTH, groups.length * bars.length * 40),
  });
}

export function concurrentWebCharts(data: StudyData): ChartSpec[] {
  const q = new StudyQuery(data);
  if (q.points.length === 0) return [];
  const bars = scoreBars(data);
  const series = seriesLabeler(q.points, 'system', ['servers'], {
    system: (v) => SYSTEM_LABEL[String(v)] ?? String(v),
    irq: (v) => `interrupts ${String(v)}`,
  });
  const order = (a: Params, b: Params): number => (a['servers'] as number) - (b['servers'] as number);
  const rows = (m: string) =>
    lineRows(data.summary, m, { x: 'servers', xValue: (p) => p['servers'] as number, series, order });
  const common = {
    x: 'servers',
    color: 'series',
    colorTitle: 'system',
    xTitle: 'number of web servers (domains / native processes), log scale',
    xScale: 'log' as const,
  };
  return [
    ...(bars === null ? [] : [bars]),
    measureVsParam({
      ...common,
      id: 'cpu-vs-servers',
      title: 'Busy share of the two CPUs vs number of servers',
      summary: rows('cpuBusy'),
      measure: 'cpuBusy',
      yTitle: 'busy share of 2 CPUs',
    }),
  ];
}

export function concurrentWebConsoleTable(data: StudyData): ConsoleTable {
  const q = new StudyQuery(data);
  const systems = q.distinct<string>('system').sort();
  const irqs = q.distinct<string>('irq').sort();
  const ns = q.distinct<number>('servers').sort((a, b) => a - b);
  const cell = (s: string, i: string, n: number, m: string, d: number): string => {
    const v = q.mean({ system: s, irq: i, servers: n }, m);
    return v === undefined ? '-' : fmt(v, d);
  };
  return {
    title: 'Concurrent web serving: aggregate score by system, interrupt routing and number of servers',
    header: [
      'system',
      'irq',
      'servers',
      'score',
      'clients',
      'conformant',
      'req/s',
      'CPU0',
      'CPU1',
      'irq on CPU0',
      'drops',
    ],
    rows: systems.flatMap((s) =>
      irqs.flatMap((i) =>
        ns.map((n) => [
          s,
          i,
          String(n),
          cell(s, i, n, 'score', 4),
          cell(s, i, n, 'clientsAtScore', 4),
          cell(s, i, n, 'conformantShare', 3),
          cell(s, i, n, 'requestsPerSec', 4),
          cell(s, i, n, 'cpu0Busy', 3),
          cell(s, i, n, 'cpu1Busy', 3),
          cell(s, i, n, 'irqShareCpu0', 3),
          cell(s, i, n, 'drops', 4),
        ]),
      ),
    ),
    notes: [
      "Score: 'search' = conformant clients at the largest total client count with ≥ 95% conformant (bisection);",
      "'fixed-load' (--quick) = conformant clients at a fixed total load (800 clients: beyond one CPU, below two).",
      'Xen: one single-vCPU domain per server (BVT, Xen 1.0); native: server processes, server i on CPU i mod 2.',
      'With one server only one CPU serves requests; the back end can use the other when interrupts are balanced.',
      "NIC interrupts (handler + receive back-end work) go to both CPUs in turn ('balanced') or CPU 0 ('fixed');",
      "transmit back-end work runs on the sending server's CPU. 'fixed': CPU 0 saturates first.",
      'A native server is one process on one CPU here (Apache forks many): this understates native at 1 server.',
      'Native: one interface per CPU, its kernel packet path on that CPU, the servers of CPU c on interface c.',
      '--quick: native shares two interfaces (256 receive buffers each) among its servers and drops more of the',
      "start burst than Xen's VIF per domain (drops column): why Xen scores above native at 4 and 8 servers.",
      "The paper's values are not in the project: no published curve is drawn.",
    ],
  };
}

/** Key findings for report.html: Xen's aggregate score relative to native at each server count. */
export function concurrentWebReportSummary(data: StudyData): string[] {
  const q = new StudyQuery(data);
  const out: string[] = [];
  for (const i of q.distinct<string>('irq').sort()) {
    const parts: string[] = [];
    for (const n of q.distinct<number>('servers').sort((a, b) => a - b)) {
      const x = q.mean({ system: 'xen', irq: i, servers: n }, 'score');
      const l = q.mean({ system: 'native', irq: i, servers: n }, 'score');
      if (x === undefined || l === undefined) continue;
      parts.push(`${n}: ${fmt(x, 4)} vs ${fmt(l, 4)}`);
    }
    if (parts.length > 0) out.push(`interrupts ${i}: aggregate score Xen vs native by servers — ${parts.join('; ')}.`);
  }
  return out;
}
