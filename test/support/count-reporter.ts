// Prints the plain closing line CI reads ("N passed, N failed, N skipped") after vitest's own
// summary, and under it every skipped test with the reason it was skipped: tests skip only
// through test/support/requires.ts (reason in meta) or `ctx.skip(reason)`; anything else is
// listed by name as skipped without a reason, so no skip goes unseen.
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { relative } from 'node:path';

/** Why a skipped test was skipped, in words. */
export function skipReason(test: TestCase): string {
  const result = test.result();
  const note = result.state === 'skipped' ? result.note : undefined;
  if (note) return note;
  const meta = test.meta().skipReason;
  if (meta) return meta;
  if (test.options.mode === 'todo') return 'marked todo';
  return 'no reason given (.skip/.only in the code, or not selected by a -t filter)';
}

export function skipSummary(skipped: ReadonlyArray<{ reason: string; file: string; name: string }>): string[] {
  if (skipped.length === 0) return [];
  const byReason = new Map<string, Array<{ file: string; name: string }>>();
  for (const s of skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s]);
  const lines = [`Skipped tests (${skipped.length}), by reason:`];
  for (const [reason, tests] of byReason) {
    lines.push(`  ${tests.length} skipped: ${reason}`);
    const files = [...new Set(tests.map((t) => t.file))];
    // A reason shared by whole files names the files; a stray skip names the test.
    if (reason.startsWith('no reason given')) for (const t of tests) lines.push(`    ${t.file} > ${t.name}`);
    else lines.push(`    in ${files.join(', ')}`);
  }
  return lines;
}

export default class CountReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    const skipped: Array<{ reason: string; file: string; name: string }> = [];
    for (const module of testModules) {
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed += 1; // a file that failed to load
      const file = relative(process.cwd(), module.moduleId);
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped.push({ reason: skipReason(test), file, name: test.fullName });
      }
    }
    failed += unhandledErrors.length;
    const lines = [`${passed} passed, ${failed} failed, ${skipped.length} skipped`, ...skipSummary(skipped)];
    process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}
