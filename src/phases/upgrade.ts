// `upgrade [--to 1.N]`: the cluster one minor release up, one node at a time (src/upgrade/). The
// phases, in order:
//
//   open the session, lock the cluster, start the log file, catch Ctrl-C
//   survey the nodes          every node reached (an unreachable one stops it here)
//   read the versions         the API server's, each node's kubelet, each node's packages
//   choose the target         refusals (two minors, a downgrade, parts too far apart, a missing
//                             node, NotReady); a half-done upgrade is offered to finish; the
//                             pkgs.k8s.io repository of the target asked for
//   say what the drains do    per worker: which workloads move, which are down, for how long
//   plan the upgrade          src/upgrade/plan.ts
//   show the plan and confirm
//   run the plan              journal, log, live view or plain lines, memory watched
//   set the spec's version    only once every node reports the target
//   report
import { EXIT_OK, CommandError } from '../exit.js';
import { controlPlaneOf } from '../install/plan.js';
import { saveSpec } from '../spec/file.js';
import type { ClusterSpec } from '../spec/types.js';
import { formatDuration } from '../text/duration.js';
import { checkRepository, queryClusterVersions } from '../upgrade/cluster-versions.js';
import { downtime, drainImpacts, formatDrainImpacts, DRAIN_ESTIMATE_MINUTES, type DrainImpact } from '../upgrade/drain-impact.js';
import { buildUpgradePlan } from '../upgrade/plan.js';
import { decideUpgrade, describeVersions, minorText, parseRelease, type ClusterVersions, type UpgradeDecision } from '../upgrade/versions.js';
import { confirmPlan } from './confirm-plan.js';
import type { FlowState } from './flow.js';
import { catchInterrupts } from './interrupts.js';
import { lockCluster } from './lock.js';
import { openSession } from './open-session.js';
import { need, runPhases, type Phase } from './phase.js';
import { reportStopped } from './report.js';
import { startRunLog } from './run-log.js';
import { runSteps } from './run-steps.js';
import { surveyNodes } from './survey.js';

export interface UpgradeOptions {
  /** `--to`: "1.37" or "1.37.2"; default the next minor (or the one a half-done upgrade is going to). */
  to?: string;
}

export interface UpgradeState extends FlowState {
  readonly specPath: string;
  readonly options: UpgradeOptions;
  versions?: ClusterVersions;
  decision?: Extract<UpgradeDecision, { kind: 'upgrade' }>;
  impacts?: DrainImpact[];
  /** The spec with the version the cluster reached (saved). */
  upgraded?: ClusterSpec;
}

const versionLines = (v: ClusterVersions): string[] => [
  `  API server   ${v.server}`,
  ...v.nodes.map((n) => {
    const packages = [n.kubeadm ? `kubeadm ${n.kubeadm}` : undefined, n.kubelet ? `kubelet ${n.kubelet}` : undefined].filter(Boolean).join(', ');
    return `  ${n.name.padEnd(12)} ${n.member ? `runs ${n.reported ?? '?'}` : 'not in the cluster'}${packages ? `  (packages: ${packages})` : ''}${n.cordoned ? '  cordoned' : ''}${n.member && !n.ready ? `  NotReady${n.readyReason ? `: ${n.readyReason}` : ''}` : ''}`;
  }),
];

const readVersions: Phase<UpgradeState> = {
  title: 'read the versions',
  async run(state) {
    const session = need(state.session, 'a session', this.title);
    const facts = need(state.facts, "the nodes' facts", this.title);
    const cp = controlPlaneOf(state.spec);
    let versions: ClusterVersions;
    try {
      versions = await queryClusterVersions(await session.host(cp.name), state.spec, facts);
    } catch (error) {
      throw new CommandError(`${(error as Error).message}. Nothing was changed.`);
    }
    state.versions = versions;
    const lines = ['Versions:', ...versionLines(versions)];
    state.operator.out.write(`${lines.join('\n')}\n\n`);
    state.log?.line(lines.join('\n'));
  },
};

const chooseTarget: Phase<UpgradeState> = {
  title: 'choose the target',
  async run(state) {
    const versions = need(state.versions, "the cluster's versions", this.title);
    const session = need(state.session, 'a session', this.title);
    const { operator, spec } = state;
    const decision = decideUpgrade(spec.spec.kubernetesVersion, versions, state.options.to);
    if (decision.kind === 'refused') throw new CommandError(decision.message);
    if (decision.kind === 'up-to-date' && decision.specBehind === true) {
      const version = minorText(decision.minor);
      saveSpec(state.specPath, { ...spec, spec: { ...spec.spec, kubernetesVersion: version } });
      operator.out.write(`${decision.message} ${state.specPath} now says kubernetesVersion: "${version}". Run \`hobbykube upgrade\` again for the next minor.\n`);
      state.log?.line(`${decision.message} The spec now says "${version}".`);
      state.exitCode = EXIT_OK;
      return;
    }
    if (decision.kind === 'up-to-date') {
      operator.out.write(`${decision.message} (To renew the control plane's certificates without a version change: \`hobbykube upgrade --renew-certs\`.)\n`);
      state.exitCode = EXIT_OK;
      return;
    }
    for (const note of decision.notes) operator.out.write(`${note}\n`);
    const target = decision.patch ?? minorText(decision.to);
    const check = await checkRepository(await session.host(controlPlaneOf(spec).name), minorText(decision.to));
    if (!check.ok) throw new CommandError(`cannot upgrade to ${target}: ${check.message}. Nothing was changed.`);
    const from = decision.halfDone ? `${minorText(decision.from)} (half done)` : minorText(decision.from);
    operator.out.write(`Upgrade: ${from} -> ${target}${decision.patch ? '' : ' (the newest patch release pkgs.k8s.io has)'}, the control plane first, then one worker at a time.\n\n`);
    state.log?.line(`Upgrade of ${describeVersions(versions)} to ${target}`);
    state.decision = decision;
  },
};

const sayDrains: Phase<UpgradeState> = {
  title: 'say what the drains do',
  run(state) {
    const facts = need(state.facts, "the nodes' facts", this.title);
    const impacts = drainImpacts(state.spec, facts);
    state.impacts = impacts;
    const lines = formatDrainImpacts(state.spec, impacts);
    if (lines.length > 0) state.operator.out.write(`${lines.join('\n')}\n\n`);
    state.log?.line(lines.join('\n'));
  },
};

const planUpgrade: Phase<UpgradeState> = {
  title: 'plan the upgrade',
  run(state) {
    const decision = need(state.decision, 'a target', this.title);
    const facts = need(state.facts, "the nodes' facts", this.title);
    state.steps = buildUpgradePlan({ spec: state.spec, facts, target: { minor: minorText(decision.to), ...(decision.patch ? { patch: decision.patch } : {}) } });
  },
};

function question(state: UpgradeState): string {
  const d = state.decision!;
  const target = d.patch ?? minorText(d.to);
  const down = downtime(state.impacts ?? []);
  const outage = down.length > 0 ? ` ${down.length === 1 ? 'One workload is' : `${down.length} workloads are`} down for about ${DRAIN_ESTIMATE_MINUTES} minutes (see above).` : '';
  return d.halfDone ? `Finish the upgrade of cluster ${state.spec.metadata.name} to ${target}?${outage}` : `Upgrade cluster ${state.spec.metadata.name} from ${minorText(d.from)} to ${target}?${outage}`;
}

const setSpecVersion: Phase<UpgradeState> = {
  title: "set the spec's version",
  shouldRun: (state) => state.summary?.ok === true,
  async run(state) {
    const session = need(state.session, 'a session', this.title);
    const facts = need(state.facts, "the nodes' facts", this.title);
    const decision = need(state.decision, 'a target', this.title);
    const { spec, specPath, operator } = state;
    // The spec changes only once the cluster really is there: every node reports the target minor.
    const after = await queryClusterVersions(await session.host(controlPlaneOf(spec).name), spec, facts);
    const behind = after.nodes.filter((n) => parseRelease(n.reported)?.minor !== decision.to);
    if (parseRelease(after.server)?.minor !== decision.to || behind.length > 0) {
      throw new CommandError(`the plan finished, but the cluster does not run ${minorText(decision.to)} everywhere (${describeVersions(after)}); ${specPath} still says "${spec.spec.kubernetesVersion}". Rerun \`hobbykube upgrade\`.`);
    }
    const version = decision.patch ?? minorText(decision.to);
    const upgraded: ClusterSpec = { ...spec, spec: { ...spec.spec, kubernetesVersion: version } };
    if (spec.spec.kubernetesVersion !== version) saveSpec(specPath, upgraded);
    state.upgraded = upgraded;
    state.versions = after;
    operator.out.write(`${specPath} now says kubernetesVersion: "${version}".\n`);
  },
};

const reportUpgrade: Phase<UpgradeState> = {
  title: 'report',
  run(state) {
    const summary = need(state.summary, 'a run summary', this.title);
    const { operator } = state;
    const { out, style } = operator;
    const logPath = state.log?.path;
    if (summary.ok) {
      out.write(`${style.green(`Upgraded: the cluster runs ${state.versions?.server ?? minorText(state.decision!.to)} on every node.`)} ${summary.done.length} steps run, ${summary.skipped.length} already done, in ${formatDuration(summary.durationMs)}.\n`);
      if (logPath) out.write(`Log: ${logPath}\n`);
      return;
    }
    out.write('\n');
    reportStopped(state, summary, `Rerun \`hobbykube upgrade\` to go on: finished steps are skipped, and a node stays cordoned until its own upgrade has finished. ${state.specPath} still says "${state.spec.spec.kubernetesVersion}".`);
  },
};

export const UPGRADE_PHASES: ReadonlyArray<Phase<UpgradeState>> = [
  openSession,
  lockCluster,
  startRunLog,
  catchInterrupts,
  surveyNodes,
  readVersions,
  chooseTarget,
  sayDrains,
  planUpgrade,
  confirmPlan<UpgradeState>({ question, declined: 'Not upgraded. Nothing was changed.' }),
  runSteps,
  setSpecVersion,
  reportUpgrade,
];

export function runUpgrade(state: UpgradeState): Promise<number> {
  return runPhases(UPGRADE_PHASES, state);
}
