// What `deploy NAME [--image REF]` and `rollback NAME` ask for, checked before anything connects:
// the workload exists and is one that rolls (an app, a worker, a cron job), the new image is a
// valid reference, and the spec with it is still valid (every rule of hobbykube.yaml, including
// which registry entry an image needs). Pure.
import { CommandError, EXIT_USAGE } from '../exit.js';
import { SpecError } from '../spec/problems.js';
import * as rules from '../spec/rules.js';
import { toSpecObject } from '../spec/serialize.js';
import type { ClusterSpec, Workload } from '../spec/types.js';
import { validateObject } from '../spec/validate.js';
import { rollbackTarget, type History, type HistoryEntry } from '../state/history.js';

export type DeployRequest = { kind: 'deploy'; workload: string; image?: string } | { kind: 'rollback'; workload: string };

export interface DeployTarget {
  workload: Exclude<Workload, { kind: 'database' }>;
  /** The spec as it is (the old image). */
  before: ClusterSpec;
  /** The spec with the new image (the same spec for a restart). */
  after: ClusterSpec;
  from: string;
  to: string;
  /** Same image: the pods are restarted (apps and workers). */
  restart: boolean;
  /** rollback: the history entry it returns to. */
  entry?: HistoryEntry;
}

function findWorkload(spec: ClusterSpec, name: string): Exclude<Workload, { kind: 'database' }> {
  const w = spec.spec.workloads.find((x) => x.name === name);
  const names = spec.spec.workloads.filter((x) => x.kind !== 'database').map((x) => x.name);
  if (!w) {
    throw new CommandError(`no workload named ${JSON.stringify(name)} in the spec; expected one of ${names.length > 0 ? names.join(', ') : '(none: add workloads first)'}`, EXIT_USAGE);
  }
  if (w.kind === 'database') {
    throw new CommandError(
      `${name} is a database: its image changes in hobbykube.yaml and \`hobbykube apply\` (MySQL restarts in place, with no second pod); deploy and rollback are for apps, workers and cron jobs (${names.join(', ') || 'none yet'})`,
      EXIT_USAGE,
    );
  }
  return w;
}

/** The spec with `workload`'s image set to `image`, validated by the spec file's own rules. */
export function withImage(spec: ClusterSpec, workload: string, image: string): ClusterSpec {
  const problem = rules.image(image);
  if (problem) throw new CommandError(`--image: got ${JSON.stringify(image)}, expected ${problem}`, EXIT_USAGE);
  const next: ClusterSpec = structuredClone(spec);
  const w = next.spec.workloads.find((x) => x.name === workload)!;
  w.image = image;
  const checked = validateObject(toSpecObject(next));
  if (!checked.spec) throw new SpecError(checked.problems, `the spec with ${workload}'s image ${image}`);
  return checked.spec;
}

export function deployTarget(spec: ClusterSpec, request: DeployRequest, history: History): DeployTarget {
  const w = findWorkload(spec, request.workload);
  if (request.kind === 'rollback') {
    const entry = rollbackTarget(history, w.name, w.image);
    if (!entry) {
      throw new CommandError(`no earlier image of ${w.name} to return to: hobbykube keeps the images \`hobbykube deploy\` replaced, and none is recorded for ${w.name} (it runs ${w.image})`);
    }
    return { workload: w, before: spec, after: withImage(spec, w.name, entry.image), from: w.image, to: entry.image, restart: false, entry };
  }
  const image = request.image ?? w.image;
  if (image === w.image) {
    if (w.kind === 'cron') {
      throw new CommandError(`${w.name} is a cron job: it has no running pods to restart (its next run starts a new one); give --image to change what it runs`, EXIT_USAGE);
    }
    return { workload: w, before: spec, after: spec, from: w.image, to: w.image, restart: true };
  }
  return { workload: w, before: spec, after: withImage(spec, w.name, image), from: w.image, to: image, restart: false };
}
