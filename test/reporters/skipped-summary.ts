// A vitest reporter that prints, at the very end of a run, every skipped test with its reason (the
// note given to `ctx.skip(reason)`), so that a green run never hides what it did not check. Tests
// that skip must call ctx.skip with a reason (a bare it.skip / skipIf shows "no reason given").
import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

export default class SkippedSummary implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const lines: string[] = [];
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const result = test.result();
        if (result.state !== 'skipped') continue;
        const why =
          test.options.mode === 'todo'
            ? 'todo'
            : (result.note ?? 'no reason given (it.skip, or left out by -t or .only)');
        lines.push(`  ${relative(process.cwd(), mod.moduleId)} > ${test.fullName}: ${why}`);
      }
    }
    const out =
      lines.length === 0 ? ['', 'Skipped tests: none', ''] : ['', `Skipped tests (${lines.length}):`, ...lines, ''];
    process.stdout.write(out.join('\n') + '\n');
  }
}
