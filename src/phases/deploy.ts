// `deploy NAME [--image REF]` and `rollback NAME`: one workload to a new image (or the same one,
// restarted), Kamal-fast, with apply's safety. The phases, in order:
//
//   open the session          only the control plane is contacted: no survey of any node
//   lock the cluster          one command that changes the cluster at a time
//   start the log file        logs/deploy-<time>.log
//   catch Ctrl-C
//   read the nodes' memory    one `kubectl get nodes` (src/deploy/cluster-nodes.ts)
//   fill in the secrets       this workload's only (its env, database user, registry token)
//   check the memory          the same tables as apply, surge pod (and release Job) included
//   plan the deploy           this workload's steps: its objects, database user, release command
//                             (not on rollback), its Deployment or CronJob (or a restart), its rollout
//   run the plan              the live view or plain lines, the control plane's memory watched
//   undo a failed rollout     the old image applied again: nothing is left half-deployed
//   keep the new image        hobbykube.yaml (minimal merge, comments kept) and history.yaml
//   report
//
// The command layer (src/cli/commands/deploy.ts) has already chosen the target
// (src/deploy/target.ts): `spec` is the spec with the new image, `target.before` the one without.
import { nodeMemory, NODES_SCRIPT } from '../deploy/cluster-nodes.js';
import type { DeployTarget } from '../deploy/target.js';
import { CommandError, EXIT_FAILURE, EXIT_INTERRUPTED } from '../exit.js';
import { controlPlaneOf } from '../install/plan.js';
import { runPlan, type RunSummary } from '../install/runner.js';
import { runQuick, stepContext } from '../install/step.js';
import { saveSpec } from '../spec/file.js';
import { popHistory, pushHistory } from '../state/history.js';
import { formatDuration } from '../text/duration.js';
import { capacityInputFor, gatedWorkloads, parseLists, workloadSteps, type RollingStrategy, type WorkloadMemory } from '../workloads/index.js';
import { decideCapacity } from './capacity.js';
import type { FlowState } from './flow.js';
import { catchInterrupts } from './interrupts.js';
import { lockCluster } from './lock.js';
import { openSession } from './open-session.js';
import { need, runPhases, type Phase } from './phase.js';
import { writeFailures } from './report.js';
import { startRunLog } from './run-log.js';
import { runSteps } from './run-steps.js';
import { fillSecrets } from './secrets.js';

export interface DeployState extends FlowState {
  readonly specPath: string;
  readonly target: DeployTarget;
  readonly rollback: boolean;
  memTotal?: Map<string, number>;
  strategies?: Map<string, RollingStrategy>;
  memory?: Map<string, WorkloadMemory>;
  /** The failed rollout was undone: the old image runs again. */
  undone?: boolean;
}

const name = (state: DeployState) => state.target.workload.name;

const sayWhat: Phase<DeployState> = {
  title: 'say what is deployed',
  run(state) {
    const { target, operator } = state;
    const { bold } = operator.style;
    const text = target.restart
      ? `Restarting ${bold(name(state))}'s pods with ${target.to}.`
      : state.rollback
        ? `Rolling back ${bold(name(state))}: ${target.from} -> ${target.to} (the image it ran before ${target.entry?.replaced ? `${target.entry.replaced.slice(0, 16).replace('T', ' ')} UTC` : 'the last deploy'}).`
        : `Deploying ${bold(name(state))}: ${target.from} -> ${target.to}.`;
    operator.out.write(`${text}\n`);
    state.log?.line(text);
  },
};

const readNodes: Phase<DeployState> = {
  title: "read the nodes' memory",
  async run(state) {
    const session = need(state.session, 'a session', this.title);
    const cp = controlPlaneOf(state.spec).name;
    const result = await runQuick(await session.host(cp), NODES_SCRIPT);
    if (result.code !== 0) {
      throw new CommandError(`could not read the nodes from ${cp} (kubectl exit code ${result.code}: ${result.stderr.trim().split('\n').at(-1) ?? ''}); is the cluster up? \`hobbykube status\` tells. Nothing was changed.`);
    }
    const memory = nodeMemory(parseLists(result.stdout));
    const missing = state.spec.spec.nodes.filter((n) => !memory.has(n.name)).map((n) => n.name);
    if (missing.length > 0) {
      throw new CommandError(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} in the spec but not in the cluster: run \`hobbykube apply\` first. Nothing was changed.`);
    }
    state.memTotal = memory;
  },
};

const checkMemory: Phase<DeployState> = {
  title: 'check the memory',
  async run(state) {
    const memTotal = need(state.memTotal, "the nodes' memory", this.title);
    const report = await decideCapacity(state.operator, (accept) => capacityInputFor(state.spec, (n) => memTotal.get(n), accept, 'not in the cluster'));
    state.strategies = report.strategies;
    state.memory = report.memory;
  },
};

const planDeploy: Phase<DeployState> = {
  title: 'plan the deploy',
  run(state) {
    const secrets = need(state.secrets, 'the secrets', this.title);
    state.steps = workloadSteps({
      spec: state.spec,
      secrets,
      only: name(state),
      ...(state.target.restart ? { restart: true } : {}),
      ...(state.rollback ? { release: false } : {}),
      ...(state.strategies ? { strategies: state.strategies } : {}),
      ...(state.memory ? { memory: state.memory } : {}),
    })([]);
  },
};

/** Steps that change the workload's pods: once one of them has run, a failed rollout is undone. */
function changedPods(state: DeployState, summary: RunSummary): boolean {
  const cp = controlPlaneOf(state.spec).name;
  const ids = [`${cp}/deploy-${name(state)}`, `${cp}/restart-${name(state)}`];
  if (!gatedWorkloads(state.spec).has(name(state))) ids.push(`${cp}/workloads-apply`);
  return summary.done.some((id) => ids.includes(id)) || summary.failed.some((f) => ids.includes(f.id));
}

const undoFailedRollout: Phase<DeployState> = {
  title: 'undo a failed rollout',
  shouldRun: (state) => state.summary !== undefined && !state.summary.ok && !state.target.restart && changedPods(state, state.summary),
  async run(state) {
    const session = need(state.session, 'a session', this.title);
    const secrets = need(state.secrets, 'the secrets', this.title);
    const { operator, target } = state;
    operator.err.write(`${name(state)} did not roll out with ${target.to}: putting ${target.from} back...\n`);
    const steps = workloadSteps({
      spec: target.before,
      secrets,
      only: name(state),
      release: false,
      ...(state.strategies ? { strategies: state.strategies } : {}),
      ...(state.memory ? { memory: state.memory } : {}),
    })([]);
    const summary = await runPlan(steps, stepContext(session), { ...(state.log ? { listener: state.log.listener } : {}) });
    if (summary.ok) {
      state.undone = true;
      operator.err.write(`${name(state)} runs ${target.from} again.\n`);
    } else {
      writeFailures(operator, summary, true);
      operator.err.write(`${name(state)} could not be put back on ${target.from}: \`hobbykube status\` shows where it stands; \`hobbykube apply\` makes it match hobbykube.yaml (${target.from}).\n`);
    }
  },
};

const keepImage: Phase<DeployState> = {
  title: 'keep the new image',
  shouldRun: (state) => state.summary?.ok === true && !state.target.restart,
  run(state) {
    const { target, specPath, operator } = state;
    const paths = need(state.session, 'a session', this.title).paths;
    const { backup } = saveSpec(specPath, state.spec);
    if (state.rollback) popHistory(paths, name(state), target.entry!);
    else pushHistory(paths, name(state), target.from);
    if (backup) operator.out.write(`(the old ${specPath} is kept as ${backup})\n`);
  },
};

const reportDeploy: Phase<DeployState> = {
  title: 'report',
  run(state) {
    const summary = need(state.summary, 'a run summary', this.title);
    const { operator, target, specPath } = state;
    const { out, err, style } = operator;
    const logPath = state.log?.path;
    if (summary.ok) {
      const took = formatDuration(summary.durationMs);
      if (target.restart) out.write(`${style.green('Restarted.')} ${name(state)} runs ${target.to} on new pods (${took}).\n`);
      else if (state.rollback) out.write(`${style.green('Rolled back.')} ${name(state)} runs ${target.to} again, and ${specPath} says so (${took}).\n`);
      else out.write(`${style.green('Deployed.')} ${name(state)} runs ${target.to}, and ${specPath} says so (${took}). \`hobbykube rollback ${name(state)}\` returns to ${target.from}.\n`);
      if (logPath) out.write(`Log: ${logPath}\n`);
      return;
    }
    writeFailures(operator, summary, true);
    const interrupted = state.signal?.aborted === true && summary.failed.length === 0;
    if (interrupted) err.write('Interrupted.\n');
    if (!target.restart) {
      const now = state.undone || !changedPods(state, summary) ? target.from : `${target.from} or ${target.to} (see \`hobbykube status\`)`;
      err.write(`${target.to} was not rolled out: ${name(state)} runs ${now}; ${specPath} is unchanged.\n`);
    }
    if (logPath) err.write(`Full log: ${logPath}\n`);
    state.exitCode = interrupted ? EXIT_INTERRUPTED : EXIT_FAILURE;
  },
};

const scopeSecrets: Phase<DeployState> = {
  ...fillSecrets,
  run(state) {
    state.workloads = [name(state)];
    return fillSecrets.run(state);
  },
};

export const DEPLOY_PHASES: ReadonlyArray<Phase<DeployState>> = [
  openSession,
  lockCluster,
  startRunLog,
  catchInterrupts,
  sayWhat,
  readNodes,
  scopeSecrets,
  checkMemory,
  planDeploy,
  runSteps,
  undoFailedRollout,
  keepImage,
  reportDeploy,
];

/** Runs the deploy phases; `spec` is the spec with the new image. Only the control plane is contacted. */
export function runDeploy(base: Omit<DeployState, 'nodes'>): Promise<number> {
  return runPhases(DEPLOY_PHASES, { ...base, nodes: [controlPlaneOf(base.spec)] });
}
