// A flow (apply, add-worker, reset, remove-worker; upgrade, backup and doctor to come) is a list of
// small named phases over one typed state, in the spirit of k0sctl's phase manager: each phase
// has a title, may decline to run (shouldRun), runs, and may leave a cleanup. The runner stops at
// the first phase that throws or sets `exitCode` (a refusal that is not an error, e.g. "Not
// applied"), then runs the cleanups of every phase that started, last first, whatever happened.
import { EXIT_OK } from '../exit.js';

export interface FlowOutcome {
  /** Every phase ran without throwing and none ended the flow with a failure code. */
  ok: boolean;
}

export interface Phase<S> {
  /** What the phase does, in a few words (names the phase in errors and traces). */
  readonly title: string;
  /** False: the phase is passed over (default: it runs). */
  shouldRun?(state: S): boolean;
  run(state: S): Promise<void> | void;
  /** Undoes or closes what run set up; runs even when a later phase (or this one) failed. */
  cleanup?(state: S, outcome: FlowOutcome): Promise<void> | void;
}

/** Runs the phases in order; returns the exit code a phase set, or EXIT_OK. Rethrows the first error after the cleanups. */
export async function runPhases<S extends { exitCode?: number }>(phases: ReadonlyArray<Phase<S>>, state: S): Promise<number> {
  const started: Array<Phase<S>> = [];
  let failure: { error: unknown } | undefined;
  try {
    for (const phase of phases) {
      if (state.exitCode !== undefined) break;
      if (phase.shouldRun && !phase.shouldRun(state)) continue;
      started.push(phase);
      await phase.run(state);
    }
  } catch (error) {
    failure = { error };
  }
  const outcome: FlowOutcome = { ok: failure === undefined && (state.exitCode ?? EXIT_OK) === EXIT_OK };
  for (const phase of started.reverse()) {
    try {
      await phase.cleanup?.(state, outcome);
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
  return state.exitCode ?? EXIT_OK;
}

/** A value an earlier phase sets; a flow that lacks the phase is a bug, said plainly. */
export function need<T>(value: T | undefined, what: string, phase: string): T {
  if (value === undefined) throw new Error(`phase "${phase}" needs ${what}, which no earlier phase of this flow set`);
  return value;
}
