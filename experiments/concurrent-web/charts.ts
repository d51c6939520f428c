// Charts and console table of the concurrent-web study (index.ts holds the model): the aggregate score
// against the number of web servers, Xen against native (one line per system and interrupt routing), as
// in the paper's concurrent web-serving figure, and the CPUs' busy shares.
import type { Params, StudyData } from '../../src/runner/study.js';
import {
  fmt,
  lineRows,
  measureVsParam,
  seriesLabeler,
  StudyQuery,
  type ChartSpec,
  type ConsoleTable,
} from '../../src/kit/index.js';

const SYSTEM_LABEL: Readonly<Record<string, string>> = { xen: 'Xen', native: 'native Linux' };

export function concurrentWebCharts(data: StudyData): ChartSpec[] {
  const q = new StudyQuery(data);
  if (q.points.length === 0) return [];
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
    measureVsParam({
      ...common,
      id: 'score-vs-servers',
      title: 'Concurrent web serving: aggregate score vs number of servers, Xen vs native',
      summary: rows('score'),
      measure: 'score',
      yTitle: 'aggregate score (conformant clients)',
    }),
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
          cell(s, i, n, 'offeredClients', 4),
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
