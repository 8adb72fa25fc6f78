// `upgrade --renew-certs`: the control plane's certificates renewed without a version change, for
// an owner who stays on a minor (an upgrade renews them anyway). The phases:
//
//   open the session, lock the cluster, start the log file, catch Ctrl-C
//   survey the control plane
//   show the certificates     kubeadm certs check-expiration, summarised
//   plan the renewal          renew, restart the control plane on the new files, fetch the kubeconfig
//   show the plan and confirm
//   run the plan
//   report                    the new expiry
import { CommandError } from '../exit.js';
import { controlPlaneOf } from '../install/plan.js';
import { certificatesLine, queryCertificates, summarizeCertificates } from '../status/certs.js';
import { formatDuration } from '../text/duration.js';
import { buildRenewPlan } from '../upgrade/plan.js';
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

async function certificateText(state: FlowState): Promise<string> {
  const session = need(state.session, 'a session', 'show the certificates');
  const cp = controlPlaneOf(state.spec).name;
  try {
    return certificatesLine(cp, summarizeCertificates(await queryCertificates(await session.host(cp)), Date.now()));
  } catch (error) {
    throw new CommandError(`${(error as Error).message}. Nothing was changed.`);
  }
}

const showCertificates: Phase<FlowState> = {
  title: 'show the certificates',
  async run(state) {
    const line = await certificateText(state);
    state.operator.out.write(`${line}\n\n`);
    state.log?.line(line);
  },
};

const planRenewal: Phase<FlowState> = {
  title: 'plan the renewal',
  run(state) {
    state.steps = buildRenewPlan(state.spec, need(state.facts, "the control plane's facts", this.title));
  },
};

const reportRenewal: Phase<FlowState> = {
  title: 'report',
  async run(state) {
    const summary = need(state.summary, 'a run summary', this.title);
    const { operator } = state;
    if (summary.ok) {
      const line = await certificateText(state);
      operator.out.write(`${operator.style.green('Renewed.')} ${line}. ${summary.done.length} steps run, ${summary.skipped.length} already done, in ${formatDuration(summary.durationMs)}.\n`);
      operator.out.write(`The kubeconfig at ${need(state.session, 'a session', this.title).paths.kubeconfig} has the new admin certificate; merged copies elsewhere need \`hobbykube kubeconfig --merge\` again.\n`);
      return;
    }
    reportStopped(state, summary, 'Rerun `hobbykube upgrade --renew-certs` to go on: finished steps are skipped.');
  },
};

export const RENEW_CERTS_PHASES: ReadonlyArray<Phase<FlowState>> = [
  openSession,
  lockCluster,
  startRunLog,
  catchInterrupts,
  surveyNodes,
  showCertificates,
  planRenewal,
  confirmPlan<FlowState>({
    question: (state) => `Renew the control plane's certificates on ${controlPlaneOf(state.spec).name}? Its API server, controller-manager, scheduler and etcd restart (about a minute without the API; workloads keep running).`,
    declined: 'Not renewed. Nothing was changed.',
  }),
  runSteps,
  reportRenewal,
];

/** `state.nodes` should be the control plane alone: only it is contacted. */
export function runRenewCerts(state: FlowState): Promise<number> {
  return runPhases(RENEW_CERTS_PHASES, state);
}
