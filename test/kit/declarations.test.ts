// The kit's parameter declarations (src/kit/params.ts) and share errors (src/kit/measures.ts): the
// declarations are the plain ParamSpec objects studies wrote out before, accepted by the runner's
// study check; the errors are checked against proportional-share arithmetic done by hand.
import { describe, expect, it } from 'vitest';
import {
  ctxAllowParam,
  defineStudy,
  enumParam,
  intParam,
  ptBatchParam,
  shareErrors,
  unusedWindowParams,
  windowParams,
  workingSetParam,
} from '../../src/kit/index.js';
import { studyProblems } from '../../src/runner/params.js';

describe('kit parameter declarations', () => {
  it('are the ParamSpec objects a study would write out', () => {
    expect(windowParams({ warmupNs: 1e9, runLengthNs: 6e10 })).toEqual({
      warmupNs: { kind: 'int', default: 1e9, min: 0, max: 1e12, unit: 'ns', doc: 'warm-up before measuring' },
      runLengthNs: { kind: 'int', default: 6e10, min: 1e6, max: 1e13, unit: 'ns', doc: 'measured window' },
    });
    expect(windowParams({ warmupNs: 0, runLengthNs: 1e9, runLengthMaxNs: 1e12 }).runLengthNs.max).toBe(1e12);
    const narrow = windowParams({ warmupNs: 0, runLengthNs: 1e9, warmupMaxNs: 1e14, runLengthMinNs: 1e7 });
    expect([narrow.warmupNs.max, narrow.runLengthNs.min, narrow.runLengthNs.max]).toEqual([1e14, 1e7, 1e13]);
    const why = 'not used: it times iterations (the runner requires the parameter)';
    expect(unusedWindowParams('it times iterations')).toEqual({
      warmupNs: { kind: 'int', default: 0, min: 0, max: 0, unit: 'ns', doc: why },
      runLengthNs: { kind: 'int', default: 0, min: 0, max: 0, unit: 'ns', doc: why },
    });
    expect(ptBatchParam('b')).toEqual({ kind: 'int', default: 2048, min: 1, max: 2048, unit: 'updates', doc: 'b' });
    expect(ctxAllowParam()).toEqual({
      kind: 'int',
      default: 5_000_000,
      min: 100_000,
      max: 1_000_000_000,
      unit: 'ns',
      doc: 'BVT context-switch allowance (Xen 1.0: 5 ms)',
    });
    expect(workingSetParam(65_536, 'ws')).toEqual({
      kind: 'int',
      default: 65_536,
      min: 0,
      max: 2 ** 30,
      unit: 'bytes',
      doc: 'ws',
    });
  });

  it('give a study the runner accepts, with typed parameters; a bad default is reported', () => {
    const modes = ['a', 'b'] as const;
    const good = defineStudy({
      name: 'kit-decl',
      version: 1,
      description: 'd',
      details: 'd',
      charts: () => [],
      params: {
        n: intParam(2, 1, 4, '', 'n'),
        mode: enumParam(modes, 'a', 'm'),
        ...windowParams({ warmupNs: 0, runLengthNs: 1e6 }),
      },
      grid: { kind: 'cartesian', axes: { mode: ['a', 'b'] } },
      replications: 1,
      measures: { x: { unit: '', doc: 'x' } },
      run: (p) => ({ measures: { x: p.n + (p.mode === 'a' ? 0 : 1) }, events: 0 }),
    });
    expect(studyProblems(good)).toEqual([]);
    const bad = { ...good, params: { ...good.params, n: intParam(9, 1, 4, '', 'n') } };
    expect(studyProblems(bad)).toEqual(['default of n (9): value out of range; n is an integer in [1, 4]']);
    const worse = {
      ...good,
      replications: 0,
      quickReplications: 1.5,
      params: {
        ...good.params,
        runLengthNs: { ...windowParams({ warmupNs: 0, runLengthNs: 1e6 }).runLengthNs, unit: 'ms' },
      },
    };
    expect(studyProblems(worse)).toEqual([
      'runLengthNs must be an int in ns (convention), got int in "ms"',
      'replications must be an integer >= 1, got 0',
      'quickReplications must be an integer >= 1, got 1.5',
    ]);
  });
});

describe('shareErrors', () => {
  it('matches proportional-share arithmetic done by hand', () => {
    // ideals 1/6, 2/6, 3/6; measured 0.2, 0.3, 0.5 → ratios 1.2, 0.9, 1 → errors 20 %, 10 %, 0 %
    const e = shareErrors([0.2, 0.3, 0.5], [1 / 6, 2 / 6, 3 / 6]);
    expect(e.maxPct).toBeCloseTo(20, 10);
    expect(e.meanAbsPct).toBeCloseTo(10, 10);
    // Jain: (Σr)² / (n Σr²) = 3.1² / (3 · (1.44 + 0.81 + 1)) = 9.61 / 9.75
    expect(e.jain).toBeCloseTo(9.61 / 9.75, 12);
    expect(shareErrors([0.5, 0.5], [0.5, 0.5])).toEqual({ maxPct: 0, meanAbsPct: 0, jain: 1 });
  });
});
