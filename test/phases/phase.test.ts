// The phase runner on in-memory phases: order, shouldRun, a phase ending the flow, cleanups last
// first for every phase that started, and errors rethrown after the cleanups.
import { describe, expect, it } from 'vitest';
import { need, runPhases, type Phase } from '../../src/phases/phase.js';

interface State {
  exitCode?: number;
  log: string[];
}

function phase(name: string, extra: Partial<Phase<State>> = {}): Phase<State> {
  return {
    title: name,
    run: (s) => void s.log.push(`run ${name}`),
    cleanup: (s, outcome) => void s.log.push(`cleanup ${name} ${outcome.ok ? 'ok' : 'not ok'}`),
    ...extra,
  };
}

describe('runPhases', () => {
  it('runs in order, passes over a phase that declines, and cleans up last first', async () => {
    const state: State = { log: [] };
    const code = await runPhases([phase('a'), phase('b', { shouldRun: () => false }), phase('c')], state);
    expect(code).toBe(0);
    expect(state.log).toEqual(['run a', 'run c', 'cleanup c ok', 'cleanup a ok']);
  });

  it('a phase that sets an exit code ends the flow there; the cleanups see a failed outcome', async () => {
    const state: State = { log: [] };
    const stop = phase('b', {
      run: (s) => {
        s.log.push('run b');
        s.exitCode = 1;
      },
    });
    expect(await runPhases([phase('a'), stop, phase('c')], state)).toBe(1);
    expect(state.log).toEqual(['run a', 'run b', 'cleanup b not ok', 'cleanup a not ok']);
  });

  it('a phase that throws: its own and the earlier cleanups run, then the error comes out', async () => {
    const state: State = { log: [] };
    const boom = phase('b', {
      run: () => {
        throw new Error('node unreachable');
      },
    });
    await expect(runPhases([phase('a'), boom, phase('c')], state)).rejects.toThrow('node unreachable');
    expect(state.log).toEqual(['run a', 'cleanup b not ok', 'cleanup a not ok']);
  });

  it('a failing cleanup does not stop the others; the first error wins', async () => {
    const state: State = { log: [] };
    const badCleanup = phase('b', {
      cleanup: () => {
        throw new Error('could not close');
      },
    });
    await expect(runPhases([phase('a'), badCleanup], state)).rejects.toThrow('could not close');
    expect(state.log).toEqual(['run a', 'run b', 'cleanup a ok']);
  });

  it('need names the phase and what is missing', () => {
    expect(need(3, 'a number', 'count')).toBe(3);
    expect(() => need(undefined, 'a session', 'lock the cluster')).toThrow('phase "lock the cluster" needs a session, which no earlier phase of this flow set');
  });
});
