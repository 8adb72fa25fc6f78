// Every process a test starts (the CLI, a tmux session) is registered here and ended when the
// test ends, whatever way it ends: passed, failed, or timed out while still awaiting the child.
// A test that times out leaves its body running; without this its `apply` child would keep the
// cluster lock and fail the next test. Children started outside a test (in beforeAll) are ended
// after the file. test/support/setup.ts wires the hooks; the process hooks below cover a worker
// that exits or is told to stop (Ctrl-C on the run).

interface Tracked {
  stop: () => void;
  /** Started inside a test (ended after it) or in a beforeAll (ended after the file). */
  inTest: boolean;
}

const live = new Set<Tracked>();
let inTest = false;

/** Registers a way to stop something started now; returns the function that forgets it. */
export function track(stop: () => void): () => void {
  const entry: Tracked = { stop, inTest };
  live.add(entry);
  return () => void live.delete(entry);
}

function stopAll(filter: (t: Tracked) => boolean): number {
  let stopped = 0;
  for (const entry of [...live]) {
    if (!filter(entry)) continue;
    live.delete(entry);
    try {
      entry.stop();
      stopped += 1;
    } catch {
      // already gone
    }
  }
  return stopped;
}

export function testStarted(): void {
  inTest = true;
}

/** After each test: stop what it started and left running (it failed or timed out). */
export function testFinished(): number {
  inTest = false;
  return stopAll((t) => t.inTest);
}

/** After each file, and when the worker exits. */
export function stopEverything(): number {
  return stopAll(() => true);
}

/** Kills a child's whole process group (children are started detached, as group leaders). */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // gone already
    }
  }
}

let hooked = false;
/**
 * Process-level hooks: a worker that exits, or is stopped with a signal, takes its children
 * along. A worker whose vitest main process died (it was killed alone, not with Ctrl-C on the
 * whole group) notices that its parent changed and stops too, instead of running tests on.
 */
export function installProcessHooks(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => void stopEverything());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      stopEverything();
      process.kill(process.pid, signal); // the default action, now that the hook is gone
    });
  }
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid === parent) return;
    stopEverything();
    process.exit(1);
  }, 1000).unref();
}
