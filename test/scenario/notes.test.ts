// Scenario notes (src/scenario/run.ts scenarioNotes): a scenario that warps a template under Xen 1.0 BVT
// ('bvt-xen1', sched.warp > 0) is labelled hypothetical (Xen 1.0 ignored the warp fields of
// DOM0_ADJUSTDOM), in the notes the plan/whatif answers print and in the scenario study's report note
// (Study.calibrationNote); unwarped xen1 runs and warped runs of other BVT variants get no note.
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../src/scenario/load.js';
import { scenarioNotes } from '../../src/scenario/run.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { scenarioParam, scenarioStudy } from '../../src/scenario/study.js';

function scenario(scheduler: string, warp: number | undefined): Scenario {
  return checkScenario(
    {
      name: 'warp',
      host: { cpus: 1 },
      hypervisor: { scheduler },
      domains: [
        { name: 'lat', count: 1, workload: { kind: 'cpu-bound' }, ...(warp === undefined ? {} : { sched: { warp } }) },
        { name: 'hog', count: 2, workload: { kind: 'cpu-bound' } },
      ],
      slos: [],
      run: { lengthMs: 100, warmupMs: 0, replications: 2, seed: 1 },
    },
    'test',
  );
}

function studyNote(s: Scenario): string | undefined {
  const params = { variant: 'base', scenario: scenarioParam(s) };
  return scenarioStudy.calibrationNote?.(params);
}

describe('scenario notes', () => {
  it('a warped bvt-xen1 scenario is labelled hypothetical, naming the warped template', () => {
    const s = scenario('bvt-xen1', 20);
    const notes = scenarioNotes(s);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^Hypothetical: bvt-xen1 with warp \(templates lat\)\./);
    expect(notes[0]).toContain('DOM0_ADJUSTDOM');
    expect(studyNote(s)).toBe(notes[0]);
  });

  it('no note without warp, with warp 0, or with warp under another BVT variant', () => {
    for (const s of [scenario('bvt-xen1', undefined), scenario('bvt-xen1', 0), scenario('bvt-xen2', 20)]) {
      expect(scenarioNotes(s)).toEqual([]);
      expect(studyNote(s)).toBeUndefined();
    }
  });
});
