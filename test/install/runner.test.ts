// The runner on in-memory steps (no hosts): ordering, parallelism, skips by probe, failure
// handling, retries, journal and interruption.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fanOut, type RunEvent } from '../../src/events.js';
import { Journal, readJournal } from '../../src/install/journal.js';
import { checkPlan, runPlan } from '../../src/install/runner.js';
import { StepFailure, type Step, type StepContext } from '../../src/install/step.js';
import { Redactor } from '../../src/redact.js';
import { clusterPaths } from '../../src/state/paths.js';

interface FakeStep {
  id: string;
  node?: string;
  after?: string[];
  done?: boolean;
  fail?: number; // fail this many times
  retry?: boolean;
  ms?: number;
  output?: string[];
}

function makeSteps(specs: FakeStep[], log: string[]): Step[] {
  return specs.map((s) => {
    let failures = s.fail ?? 0;
    return {
      id: s.id,
      node: s.node ?? 'n1',
      title: `do ${s.id}`,
      after: s.after ?? [],
      timeoutMs: 5000,
      retry: s.retry ?? false,
      artifacts: [],
      async probe() {
        return { done: s.done ?? false, reason: 'already there' };
      },
      async run(_ctx, output) {
        log.push(`start ${s.id}`);
        for (const line of s.output ?? []) output(line, 'stdout');
        await new Promise((r) => setTimeout(r, s.ms ?? 5));
        if (failures > 0) {
          failures -= 1;
          log.push(`fail ${s.id}`);
          throw new StepFailure('exit code 100', 100, ['E: Could not get lock /var/lib/dpkg/lock-frontend']);
        }
        log.push(`end ${s.id}`);
      },
    };
  });
}

function context(): StepContext {
  const paths = clusterPaths('test', { HOBBYKUBE_HOME: mkdtempSync(join(tmpdir(), 'hk-runner-')) });
  return { host: async () => Promise.reject(new Error('no hosts here')), paths, redactor: new Redactor(), shared: new Map() };
}

describe('runner', () => {
  it('runs independent steps at once and dependent steps after their dependencies', async () => {
    const log: string[] = [];
    const steps = makeSteps(
      [
        { id: 'cp/prepare', node: 'cp', ms: 40 },
        { id: 'w1/prepare', node: 'w1', ms: 40 },
        { id: 'w2/prepare', node: 'w2', ms: 40 },
        { id: 'cp/init', node: 'cp', after: ['cp/prepare'] },
        { id: 'w1/join', node: 'w1', after: ['w1/prepare', 'cp/init'] },
        { id: 'w2/join', node: 'w2', after: ['w2/prepare', 'cp/init'] },
      ],
      log,
    );
    const summary = await runPlan(steps, context());
    expect(summary.ok).toBe(true);
    expect(log.slice(0, 3).sort()).toEqual(['start cp/prepare', 'start w1/prepare', 'start w2/prepare']);
    expect(log.indexOf('start cp/init')).toBeGreaterThan(log.indexOf('end cp/prepare'));
    for (const w of ['w1', 'w2']) expect(log.indexOf(`start ${w}/join`)).toBeGreaterThan(log.indexOf('end cp/init'));
    // Both joins started before either ended: they ran at the same time.
    expect(log.indexOf('start w2/join')).toBeLessThan(log.indexOf('end w1/join'));
  });

  it('skips steps whose probe says done, and records everything in the journal', async () => {
    const log: string[] = [];
    const ctx = context();
    const journal = new Journal(ctx.paths.journal, 'run-1');
    const events: RunEvent[] = [];
    const summary = await runPlan(makeSteps([{ id: 'a', done: true }, { id: 'b', after: ['a'], output: ['hello'] }], log), ctx, { listener: fanOut(journal.listener, (e) => events.push(e)) });
    expect(summary.skipped).toEqual(['a']);
    expect(summary.done).toEqual(['b']);
    expect(log).toEqual(['start b', 'end b']);
    expect(readJournal(ctx.paths.journal).map((e) => `${e.step}:${e.outcome}`)).toEqual(['a:skipped', 'b:started', 'b:done']);
    expect(events.map((e) => e.type)).toEqual(['run-started', 'step-skipped', 'step-started', 'step-output', 'step-finished', 'run-finished']);
  });

  it('after a failure starts nothing new, lets running steps finish and reports the rest as blocked', async () => {
    const log: string[] = [];
    const events: RunEvent[] = [];
    const summary = await runPlan(
      makeSteps(
        [
          { id: 'w1/prepare', fail: 1, ms: 5 },
          { id: 'w2/prepare', ms: 60 },
          { id: 'w1/join', after: ['w1/prepare'] },
          { id: 'w2/join', after: ['w2/prepare'] },
        ],
        log,
      ),
      context(),
      { listener: (e) => events.push(e) },
    );
    expect(summary.ok).toBe(false);
    expect(log).toContain('end w2/prepare');
    expect(log).not.toContain('start w2/join');
    expect(summary.failed).toEqual([{ id: 'w1/prepare', node: 'n1', message: 'exit code 100', exitCode: 100, lastLines: ['E: Could not get lock /var/lib/dpkg/lock-frontend'] }]);
    expect(summary.blocked.sort()).toEqual(['w1/join', 'w2/join']);
    const blocked = events.filter((e) => e.type === 'step-blocked');
    expect(blocked.map((e) => e.type === 'step-blocked' && e.because).sort()).toEqual(['stopped after a failure elsewhere', 'waits for w1/prepare, which did not finish']);
  });

  it('the journal, as a listener, records a failure with its exit code and why the rest never ran', async () => {
    const ctx = context();
    const journal = new Journal(ctx.paths.journal, 'run-2');
    await runPlan(makeSteps([{ id: 'a', fail: 1 }, { id: 'b', after: ['a'] }], []), ctx, { listener: journal.listener });
    const entries = readJournal(ctx.paths.journal).map(({ step, outcome, exitCode, message }) => ({ step, outcome, exitCode, message }));
    expect(entries).toEqual([
      { step: 'a', outcome: 'started', exitCode: undefined, message: undefined },
      { step: 'a', outcome: 'failed', exitCode: 100, message: 'exit code 100' },
      { step: 'b', outcome: 'blocked', exitCode: undefined, message: 'waits for a, which did not finish' },
    ]);
    expect(readJournal(ctx.paths.journal).every((e) => e.run === 'run-2' && e.node === 'n1')).toBe(true);
  });

  it('retries a step marked safe to retry once', async () => {
    const log: string[] = [];
    const summary = await runPlan(makeSteps([{ id: 'apt', fail: 1, retry: true }], log), context(), { retryDelayMs: 1 });
    expect(summary.ok).toBe(true);
    expect(log).toEqual(['start apt', 'fail apt', 'start apt', 'end apt']);
    const log2: string[] = [];
    const again = await runPlan(makeSteps([{ id: 'apt', fail: 2, retry: true }], log2), context(), { retryDelayMs: 1 });
    expect(again.ok).toBe(false);
  });

  it('stops starting steps when interrupted', async () => {
    const log: string[] = [];
    const controller = new AbortController();
    const steps = makeSteps([{ id: 'a', ms: 30 }, { id: 'b', after: ['a'] }], log);
    setTimeout(() => controller.abort(), 5);
    const summary = await runPlan(steps, context(), { signal: controller.signal });
    expect(log).toEqual(['start a', 'end a']);
    expect(summary.blocked).toEqual(['b']);
  });

  it('fails a step that outlives its timeout', async () => {
    const log: string[] = [];
    const [step] = makeSteps([{ id: 'slow', ms: 200 }], log);
    const summary = await runPlan([{ ...step!, timeoutMs: 20 }], context());
    expect(summary.failed[0]!.message).toBe('"do slow" took longer than 0.0 s and was stopped');
  });

  it('refuses broken plans', () => {
    const log: string[] = [];
    expect(() => checkPlan(makeSteps([{ id: 'a', after: ['b'] }, { id: 'b', after: ['a'] }], log))).toThrow('plan: steps wait for each other in a circle: a -> b -> a');
    expect(() => checkPlan(makeSteps([{ id: 'a', after: ['x'] }], log))).toThrow('plan: a waits for unknown step x');
    expect(() => checkPlan(makeSteps([{ id: 'a' }, { id: 'a' }], log))).toThrow('plan: step id a appears twice');
  });
});
