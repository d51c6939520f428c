// One replication of a scenario (src/scenario/run.ts) against independent arithmetic: CPU-time
// conservation (idle + busy + switching = window × CPUs), an open-loop request/response pair below
// saturation completes what arrives (Poisson counts: within 4 standard deviations of rate × window)
// and receives rate × (service + client work) of CPU plus small notification and timer costs, CPU-bound
// domains share what is left equally, and the same seed gives the same numbers.
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';

const scenario = checkScenario(
  {
    name: 'mix',
    host: { cpus: 1 },
    hypervisor: { scheduler: 'credit' },
    domains: [
      {
        name: 'web',
        count: 1,
        workload: { kind: 'request-response', rateHz: 100, service: { distribution: 'constant', meanMs: 2 } },
      },
      { name: 'hog', count: 2, workload: { kind: 'cpu-bound' } },
    ],
    slos: [],
    run: { lengthMs: 4000, warmupMs: 100, replications: 2, seed: 1 },
  },
  'test',
);

describe('runScenario', () => {
  const r = runScenario(scenario, 'seed-a');
  const web = r.templates.find((t) => t['template'] === 'web') ?? {};
  const hog = r.templates.find((t) => t['template'] === 'hog') ?? {};

  it('conserves CPU time: headroom + utilisation + switching = 1', () => {
    expect(r.measures.cpuHeadroom + r.measures.hostUtilisation + r.measures.switchingFraction).toBeCloseTo(1, 9);
    expect(r.measures.guestDomains).toBe(4); // web client + its server + 2 hogs
  });

  it('an open loop below saturation completes its arrivals: throughput ≈ rate', () => {
    const n = 100 * 4; // expected responses in the window
    expect(Math.abs((web['responses'] as number) - n)).toBeLessThan(4 * Math.sqrt(n));
    expect(web['throughputPerS']).toBeCloseTo((web['responses'] as number) / 4, 9);
  });

  it('the pair receives rate × service time of CPU plus small overheads; the hogs share the rest', () => {
    const share = web['cpuShare'] as number;
    const served = ((web['responses'] as number) / 4) * 0.002; // constant 2 ms per request
    expect(share).toBeGreaterThanOrEqual(served * 0.98);
    expect(share).toBeLessThan(served + 0.01); // issue/response 0.5 µs, hypercalls, upcalls, timer events
    const rest = r.measures.hostUtilisation - share; // dom0 (timer events only) is negligible
    expect(hog['cpuShare'] as number).toBeGreaterThan((rest / 2) * 0.99);
    expect(hog['cpuShare'] as number).toBeLessThanOrEqual(rest / 2 + 1e-9);
    expect(hog['respP99Ms']).toBe('');
    expect(web['respP50Ms'] as number).toBeGreaterThanOrEqual(2); // at least the service time
  });

  it('is a function of the seed', () => {
    expect(runScenario(scenario, 'seed-a')).toEqual(r);
    expect(runScenario(scenario, 'seed-b')).not.toEqual(r);
  });
});

describe('a request/response pair with free notifications is an M/M/1 queue', () => {
  // One CPU, no context-switch, timer, hypercall, upcall or client costs: the server domain serves
  // Poisson arrivals (λ = 500/s) with exponential service (mean 1 ms, μ = 1000/s) one at a time, so the
  // response time is exponential with rate μ − λ = 500/s: mean 2 ms, p-quantile −ln(1 − p)/(μ − λ).
  const mm1 = checkScenario(
    {
      name: 'mm1',
      host: { cpus: 1, contextSwitchCosts: false, timerTickMs: 0 },
      hypervisor: { scheduler: 'bvt-xen1', eventChannel: { hypercallNs: 0, upcallNs: 0 } },
      domains: [
        {
          name: 'web',
          count: 1,
          workload: {
            kind: 'request-response',
            rateHz: 500,
            clientIssueUs: 0,
            clientResponseUs: 0,
            service: { distribution: 'exponential', meanMs: 1 },
          },
        },
      ],
      slos: [],
      run: { lengthMs: 10_000, warmupMs: 500, replications: 2, seed: 1 },
    },
    'mm1',
  );
  const row = runScenario(mm1, 'mm1-seed').templates[0] ?? {};
  const theory = (p: number): number => (-Math.log(1 - p) / 500) * 1000;

  it('mean and percentiles of the response time agree with M/M/1 theory', () => {
    expect(Math.abs((row['respMeanMs'] as number) / 2 - 1)).toBeLessThan(0.08);
    expect(Math.abs((row['respP50Ms'] as number) / theory(0.5) - 1)).toBeLessThan(0.1);
    expect(Math.abs((row['respP90Ms'] as number) / theory(0.9) - 1)).toBeLessThan(0.1);
    expect(Math.abs((row['respP99Ms'] as number) / theory(0.99) - 1)).toBeLessThan(0.15);
    expect(Math.abs((row['cpuShare'] as number) / 0.5 - 1)).toBeLessThan(0.05); // ρ = λ/μ
  });
});
