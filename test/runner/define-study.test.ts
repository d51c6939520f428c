// defineStudy types a study's parameters from their declarations. The type-level checks below are
// enforced by tsc (npm test type-checks test/ first): each `@ts-expect-error` line must be an error,
// or tsc fails with "Unused '@ts-expect-error' directive". The runtime checks cover the erased Study.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineStudy, type ParamsOf } from '../../src/runner/study.js';
import { executeRun } from '../../src/runner/run-task.js';

const params = {
  k: { kind: 'int', default: 1, min: 1, max: 64, unit: 'items', doc: 'batch' },
  arrival: { kind: 'enum', default: 'open', values: ['open', 'closed'], unit: '', doc: 'loop' },
  free: { kind: 'bool', default: false, unit: '', doc: 'flag' },
  ring: { kind: 'enum', default: 16, values: [16, 32], unit: 'entries', doc: 'size' },
  warmupNs: { kind: 'int', default: 0, min: 0, unit: 'ns', doc: 'w' },
  runLengthNs: { kind: 'int', default: 10, min: 1, unit: 'ns', doc: 'r' },
} as const;

describe('defineStudy', () => {
  it('infers the parameter types from the declarations', () => {
    expectTypeOf<ParamsOf<typeof params>['k']>().toEqualTypeOf<number>();
    expectTypeOf<ParamsOf<typeof params>['arrival']>().toEqualTypeOf<'open' | 'closed'>();
    expectTypeOf<ParamsOf<typeof params>['free']>().toEqualTypeOf<boolean>();
    expectTypeOf<ParamsOf<typeof params>['ring']>().toEqualTypeOf<16 | 32>();
  });

  it('a misspelt parameter, grid axis or measure is a type error; check() gates every run', () => {
    const study = defineStudy({
      name: 'typed',
      description: '',
      details: '',
      params,
      // @ts-expect-error: 'kk' is not a parameter
      grid: { kind: 'cartesian', axes: { kk: [1, 2] } },
      // @ts-expect-error: 'fast' is not an allowed value of arrival
      quickParams: { arrival: 'fast' },
      replications: 1,
      measures: { m: { unit: '', doc: 'm' } },
      check: (p) => (p.k > p.ring ? `k (${p.k}) must be at most ring (${p.ring})` : undefined),
      run(p) {
        // @ts-expect-error: 'kk' is not a parameter
        const misspelt: number = p.kk;
        // @ts-expect-error: an enum parameter is not a number
        const wrong: number = p.arrival;
        void misspelt;
        void wrong;
        const closed = p.arrival === 'closed' ? 1 : 0;
        return { measures: { m: p.k * 10 + closed }, events: 0 };
      },
      charts: () => [],
    });
    defineStudy({
      name: 'typed-measures',
      description: '',
      details: '',
      params,
      grid: { kind: 'list', points: [{ k: 2 }] },
      replications: 1,
      measures: { m: { unit: '', doc: 'm' } },
      // @ts-expect-error: measure 'n' is not declared (and 'm' is missing)
      run: () => ({ measures: { n: 1 }, events: 0 }),
      charts: () => [],
    });
    const task = { study: 'typed', registry: '', seed: 's', replication: 0, quick: false };
    const base = { k: 4, arrival: 'closed', free: false, ring: 16, warmupNs: 0, runLengthNs: 10 };
    expect(executeRun(study, { ...task, params: base }).measures).toEqual({ m: 41 });
    expect(study.check?.({ ...base, k: 32 })).toBe('k (32) must be at most ring (16)');
    expect(() => executeRun(study, { ...task, params: { ...base, k: 32 } })).toThrow(
      'study typed: k (32) must be at most ring (16)',
    );
  });
});
