// The add-worker, remove-worker and reset flows on a fake operator and fake connections (no
// sshd: every node is unreachable), for what the end-to-end tests do not reach: a declined
// confirmation opens nothing, a failed run leaves the spec as the owner is told, and the session
// and the lock are let go whatever happened.
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAddWorker } from '../../src/phases/add-worker.js';
import type { FlowState, Operator, Session } from '../../src/phases/flow.js';
import { runRemoveWorker } from '../../src/phases/remove-worker.js';
import { runReset } from '../../src/phases/reset.js';
import { plainDisplay } from '../../src/progress/display.js';
import { Redactor } from '../../src/redact.js';
import { loadSpec } from '../../src/spec/file.js';
import type { ClusterSpec } from '../../src/spec/types.js';
import { validateObject } from '../../src/spec/validate.js';
import { clusterPaths, ensureClusterDir } from '../../src/state/paths.js';
import { makeStyle } from '../../src/text/style.js';

const SPEC = new URL('../fixtures/specs/minimal.yaml', import.meta.url).pathname;

function bed(answer: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'hk-flows-'));
  const specPath = join(dir, 'hobbykube.yaml');
  copyFileSync(SPEC, specPath);
  const env = { HOBBYKUBE_HOME: join(dir, 'state') };
  const out: string[] = [];
  const err: string[] = [];
  const asked: string[] = [];
  const operator: Operator = {
    out: { write: (t) => void out.push(t), isTTY: false },
    err: { write: (t) => void err.push(t), isTTY: false },
    data: { write: (t) => void out.push(t), isTTY: false },
    style: makeStyle(false),
    assumeYes: false,
    env,
    confirm: async (question) => {
      asked.push(question);
      return answer;
    },
  };
  const sessions = { opened: 0, closed: 0 };
  const openSession = (spec: ClusterSpec): Session => {
    sessions.opened += 1;
    const paths = clusterPaths(spec.metadata.name, env);
    ensureClusterDir(paths);
    return {
      spec,
      paths,
      redactor: new Redactor(),
      host: async (node) => Promise.reject(new Error(`${node}: connection to root@192.0.2.9:22 refused`)),
      close: async () => void (sessions.closed += 1),
    };
  };
  const base = (spec: ClusterSpec, command: string): Pick<FlowState, 'command' | 'spec' | 'operator' | 'openSession' | 'display'> => ({
    command,
    spec,
    operator,
    openSession,
    display: async () => plainDisplay((line) => void out.push(`${line}\n`), { showOutput: true, memoryLines: false }),
  });
  const lockPath = () => clusterPaths('tiny', env).lock;
  return { specPath, out: () => out.join(''), err: () => err.join(''), asked, sessions, base, lockPath };
}

/** minimal.yaml plus worker w1. */
function withWorker(spec: ClusterSpec): ClusterSpec {
  const checked = validateObject({
    apiVersion: spec.apiVersion,
    kind: spec.kind,
    metadata: { name: spec.metadata.name },
    spec: { nodes: [{ name: 'cp1', address: '192.0.2.1', role: 'control-plane' }, { name: 'w1', address: '192.0.2.2', role: 'worker' }], dns: { upstream: ['9.9.9.9'] } },
  });
  return checked.spec!;
}

describe('flows on unreachable nodes (no sshd)', () => {
  it('remove-worker: declined, nothing is opened and the spec stays', async () => {
    const b = bed(false);
    const spec = withWorker(loadSpec(b.specPath));
    const code = await runRemoveWorker({ ...b.base(spec, 'remove-worker'), specPath: b.specPath, nodes: spec.spec.nodes.filter((n) => n.name === 'w1'), next: loadSpec(b.specPath) });
    expect(code).toBe(1);
    expect(b.asked).toEqual(['Remove w1?']);
    expect(b.err()).toBe('Not removed. Nothing was changed.\n');
    expect(b.sessions.opened).toBe(0);
  });

  it('remove-worker: a failed reset names the node, keeps the worker in the spec, and lets go of the session and the lock', async () => {
    const b = bed(true);
    const spec = withWorker(loadSpec(b.specPath));
    const before = readFileSync(b.specPath, 'utf8');
    const code = await runRemoveWorker({ ...b.base(spec, 'remove-worker'), specPath: b.specPath, nodes: spec.spec.nodes.filter((n) => n.name === 'w1'), next: loadSpec(b.specPath) });
    expect(code).toBe(1);
    expect(b.err()).toMatch(/^failed: w1: .*cp1: connection to root@192\.0\.2\.9:22 refused\n/m);
    expect(b.err()).toContain(`w1 is still in ${b.specPath}; fix the cause and run \`hobbykube remove-worker --name w1\` again (finished steps are skipped).\n`);
    expect(b.out()).not.toContain('Removed.');
    expect(readFileSync(b.specPath, 'utf8')).toBe(before);
    expect(b.sessions).toEqual({ opened: 1, closed: 1 });
    expect(existsSync(b.lockPath())).toBe(false);
  });

  it('reset: declined, nothing is opened', async () => {
    const b = bed(false);
    const spec = loadSpec(b.specPath);
    const code = await runReset({ ...b.base(spec, 'reset'), specPath: b.specPath, nodes: spec.spec.nodes });
    expect(code).toBe(1);
    expect(b.asked).toEqual(['Reset the only node of tiny?']);
    expect(b.out()).toContain('This deletes cluster tiny: every workload and its data on the cluster\'s disks.');
    expect(b.err()).toBe('Not reset. Nothing was changed.\n');
    expect(b.sessions.opened).toBe(0);
  });

  it('add-worker: the worker is saved first; when the nodes cannot be surveyed it stays in the spec and the owner is told how to go on', async () => {
    const b = bed(true);
    const spec = withWorker(loadSpec(b.specPath));
    const worker = spec.spec.nodes.find((n) => n.name === 'w1')!;
    await expect(runAddWorker({ ...b.base(spec, 'apply'), specPath: b.specPath, worker, added: true })).rejects.toThrow('cp1, w1 are not ready (see above). Nothing was changed.');
    expect(b.out()).toContain(`Added worker w1 (192.0.2.2) to ${b.specPath}`);
    expect(loadSpec(b.specPath).spec.nodes.map((n) => n.name)).toEqual(['cp1', 'w1']);
    expect(b.err()).toContain(`w1 stays in ${b.specPath}: rerun \`hobbykube add-worker\` with the same options, or \`hobbykube apply\`, to finish joining it (or \`hobbykube remove-worker --name w1\` to take it out).\n`);
    expect(b.sessions).toEqual({ opened: 1, closed: 1 });
    expect(existsSync(b.lockPath())).toBe(false);
  });

  it('add-worker: a worker already in the spec is not saved again, and a failure does not say it stays', async () => {
    const b = bed(true);
    const spec = withWorker(loadSpec(b.specPath));
    const worker = spec.spec.nodes.find((n) => n.name === 'w1')!;
    const before = readFileSync(b.specPath, 'utf8');
    await expect(runAddWorker({ ...b.base(spec, 'apply'), specPath: b.specPath, worker, added: false })).rejects.toThrow('not ready');
    expect(b.out()).toContain(`w1 is already in ${b.specPath}: checking that it has joined`);
    expect(readFileSync(b.specPath, 'utf8')).toBe(before);
    expect(b.err()).not.toContain('stays in');
  });
});
