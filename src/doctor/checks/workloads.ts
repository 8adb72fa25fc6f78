// Workload checks, one per workload of the spec: a Deployment or StatefulSet that is not
// available, with the cause in the cluster's words (an image that cannot be pulled and its name,
// a crash loop and the last log lines, Pending with the scheduler's reason), and a CronJob whose
// last run failed or that never ran.
import { nextRuns } from '../../spec/cron.js';
import type { ClusterSpec, CronWorkload, Workload } from '../../spec/types.js';
import { workloadState } from '../../status/cluster.js';
import { NAME_LABEL, NAMESPACE } from '../../workloads/labels.js';
import { obj, str, type ClusterView, type Json, type Section } from '../cluster-query.js';
import type { LogsAnswer } from '../sources.js';
import type { CheckDefinition, CheckOutcome, Finding } from '../types.js';
import { capacityFor, capacityVerdict } from './memory.js';
import { define, isoMinute, KUBECTL, lastLines, ok, onNode, podInfo, podTrouble, type CheckContext, type PodInfo } from './common.js';

/** The object a workload becomes. */
export function workloadKind(w: Workload): 'Deployment' | 'StatefulSet' | 'CronJob' {
  return w.kind === 'database' ? 'StatefulSet' : w.kind === 'cron' ? 'CronJob' : 'Deployment';
}

function findObject(view: ClusterView, kind: string, name: string): Json | undefined {
  return view.workloads.find((o) => o.kind === kind && obj(o.metadata).name === name);
}

function workloadPods(view: ClusterView, name: string): PodInfo[] {
  return view.pods.map(podInfo).filter((p) => p.namespace === NAMESPACE && p.labels[NAME_LABEL] === name && p.phase !== 'Succeeded' && p.reason !== 'Evicted');
}

export interface WorkloadJudgeInput {
  workload: Workload;
  view: ClusterView;
  logs?: LogsAnswer;
  /** The capacity check's line for a node (for Pending pods). */
  capacity?: (node: string | undefined) => string;
  cp: string;
  redact(text: string): string;
}

function logFor(logs: LogsAnswer | undefined, pod: PodInfo, container: string): Section | undefined {
  return logs?.sections.get(`${pod.namespace}/${pod.name}/${container}`);
}

export function judgeWorkload(input: WorkloadJudgeInput): CheckOutcome {
  const { workload: w, view, cp } = input;
  const kind = workloadKind(w);
  const o = findObject(view, kind, w.name);
  if (view.errors.workloads !== undefined && !o) return { summary: 'unknown', findings: [{ severity: 'unknown', title: `could not list the workloads: ${view.errors.workloads}`, evidence: [] }] };
  if (!o) return { summary: 'not deployed', findings: [{ severity: 'warning', title: `${w.name} is in hobbykube.yaml but not in the cluster`, evidence: [`no ${kind} ${w.name} in namespace ${NAMESPACE}`], fix: 'hobbykube apply' }] };
  const pods = workloadPods(view, w.name);
  const state = workloadState(o, view.pods.filter((p) => obj(p.metadata).namespace === NAMESPACE));
  const summary = `${kind} ${state.ready}/${state.desired} ready`;
  if (state.available) return ok(summary);
  const findings: Finding[] = [];
  for (const pod of pods) {
    for (const c of pod.containers) {
      const reason = c.waiting?.reason;
      if (reason === 'ErrImagePull' || reason === 'ImagePullBackOff' || reason === 'InvalidImageName') {
        const image = c.image ?? /"([^"]+)"/.exec(c.waiting!.message)?.[1] ?? '?';
        if (findings.some((f) => f.title.includes(image))) continue;
        findings.push({
          severity: 'critical',
          title: `${w.name}: the image ${image} cannot be pulled`,
          evidence: [`${pod.name} (${pod.node ?? 'not scheduled'}): ${reason}`, ...(c.waiting!.message ? [input.redact(c.waiting!.message.split('\n')[0]!)] : [])],
          fix: `check image of ${w.name} in hobbykube.yaml (a typo, a tag that does not exist, or a private registry: the nodes pull without credentials), then hobbykube apply`,
        });
      } else if (reason === 'CrashLoopBackOff' || (c.lastTerminated && !c.ready && c.restarts > 0)) {
        const last = c.lastTerminated;
        const oom = last?.reason === 'OOMKilled';
        const log = lastLines(logFor(input.logs, pod, c.name)?.text, 12, input.redact);
        findings.push({
          severity: 'critical',
          title: oom ? `${w.name} keeps being killed for going over its memory limit (${c.memoryLimit ?? w.memory})` : `${w.name} keeps crashing (${c.restarts} restart${c.restarts === 1 ? '' : 's'})`,
          evidence: [
            `${pod.name} on ${pod.node ?? '?'}: ${reason ?? 'restarting'}${last ? `; last exit: ${last.reason || 'Error'}, code ${last.exitCode}${last.finishedAt ? ` at ${isoMinute(last.finishedAt)}` : ''}` : ''}`,
            ...(log.length > 0 ? ['its last log lines:', ...log.map((l) => `  ${l}`)] : oom ? [] : ['(no log lines from its last run)']),
          ],
          fix: oom ? `raise memory of ${w.name} in hobbykube.yaml (now ${w.memory}) and run hobbykube apply` : `the log says why; fix the image, env or command of ${w.name} in hobbykube.yaml (or the app), then hobbykube apply. Full log: ${onNode(cp, `${KUBECTL} logs ${pod.name} --previous`)}`,
        });
      } else if (reason !== undefined && reason !== 'ContainerCreating') {
        findings.push({ severity: 'critical', title: `${w.name}: ${reason}`, evidence: [`${pod.name}: ${input.redact(c.waiting!.message || reason)}`], fix: onNode(cp, `${KUBECTL} describe pod ${pod.name}`) });
      }
    }
    const scheduled = pod.conditions.find((c) => c.type === 'PodScheduled');
    if (scheduled?.status === 'False') {
      const why = scheduled.message ?? scheduled.reason ?? 'Unschedulable';
      if (findings.some((f) => f.evidence.includes(`scheduler: ${why}`))) continue;
      const memory = /Insufficient memory/.test(why);
      const nodeDown = /node\.kubernetes\.io\/(unreachable|not-ready)/.test(why);
      findings.push({
        severity: 'critical',
        title: `${w.name} cannot be placed on any node${memory ? ': not enough memory' : ''}`,
        evidence: [`${pod.name} Pending`, `scheduler: ${why}`, ...(input.capacity && w.kind === 'database' ? [input.capacity(w.node)] : input.capacity ? [input.capacity(undefined)] : [])],
        fix: memory
          ? `lower memory (or replicas) of ${w.name} in hobbykube.yaml, or free memory (other workloads), or add a worker (hobbykube add-worker); then hobbykube apply`
          : nodeDown
            ? `a node it could run on is not Ready${w.kind === 'database' ? ` (its data is on ${w.node})` : ''}: see the Node Ready checks; the pod is placed once the node is back`
            : onNode(cp, `${KUBECTL} describe pod ${pod.name} (its events name what the scheduler wants)`),
      });
    }
  }
  if (findings.length === 0) {
    const trouble = pods.map((p) => podTrouble(p)).filter((t): t is string => t !== undefined);
    findings.push({
      severity: 'critical',
      title: `${w.name} is not available (${state.ready}/${state.desired} ready)`,
      evidence: [...(state.reason ? [input.redact(state.reason)] : []), ...trouble.slice(0, 3).map(input.redact), ...(pods.length === 0 ? ['no pods'] : [])],
      fix: onNode(cp, `${KUBECTL} describe ${kind.toLowerCase()} ${w.name}`),
    });
  }
  return { summary, findings };
}

// --- CronJobs -----------------------------------------------------------------------------------------

/** A run is late when its scheduled time plus the CronJob's deadline (300 s) and this slack have passed. */
const LATE_MS = 15 * 60 * 1000;

function jobsOf(view: ClusterView, cron: string): Json[] {
  return view.workloads
    .filter((o) => o.kind === 'Job' && Array.isArray(obj(o.metadata).ownerReferences) && (obj(o.metadata).ownerReferences as unknown[]).map(obj).some((r) => r.kind === 'CronJob' && r.name === cron))
    .sort((a, b) => String(obj(a.metadata).creationTimestamp ?? '').localeCompare(String(obj(b.metadata).creationTimestamp ?? '')));
}

function jobFailed(job: Json): { failed: boolean; reason?: string; message?: string } {
  const status = obj(job.status);
  const conditions = Array.isArray(status.conditions) ? status.conditions.map(obj) : [];
  const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
  if (failed) return { failed: true, ...(str(failed.reason) ? { reason: str(failed.reason)! } : {}), ...(str(failed.message) ? { message: str(failed.message)! } : {}) };
  return { failed: false };
}

export function judgeCron(input: Omit<WorkloadJudgeInput, 'workload' | 'capacity'> & { workload: CronWorkload; now: number }): CheckOutcome {
  const { workload: w, view, now, cp } = input;
  const cron = findObject(view, 'CronJob', w.name);
  if (view.errors.workloads !== undefined && !cron) return { summary: 'unknown', findings: [{ severity: 'unknown', title: `could not list the workloads: ${view.errors.workloads}`, evidence: [] }] };
  if (!cron) return { summary: 'not deployed', findings: [{ severity: 'warning', title: `${w.name} is in hobbykube.yaml but not in the cluster`, evidence: [`no CronJob ${w.name} in namespace ${NAMESPACE}`], fix: 'hobbykube apply' }] };
  const status = obj(cron.status);
  const spec = obj(cron.spec);
  const jobs = jobsOf(view, w.name);
  const last = jobs[jobs.length - 1];
  const lastSchedule = str(status.lastScheduleTime);
  const lastSuccess = str(status.lastSuccessfulTime);
  const findings: Finding[] = [];
  if (spec.suspend === true) findings.push({ severity: 'warning', title: `${w.name} is suspended: it does not run`, evidence: ['spec.suspend: true'], fix: onNode(cp, `${KUBECTL} patch cronjob ${w.name} -p '{"spec":{"suspend":false}}'`) });
  if (last) {
    const failed = jobFailed(last);
    const lastName = str(obj(last.metadata).name) ?? '?';
    if (failed.failed) {
      const jobPods = view.pods.map(podInfo).filter((p) => p.labels['job-name'] === lastName || p.labels['batch.kubernetes.io/job-name'] === lastName || p.ownerName === lastName);
      const pod = jobPods[jobPods.length - 1];
      const c = pod?.containers[0];
      const exit = c?.terminated ?? c?.lastTerminated;
      const log = pod && c ? lastLines(input.logs?.sections.get(`${pod.namespace}/${pod.name}/${c.name}`)?.text, 12, input.redact) : [];
      findings.push({
        severity: 'warning',
        title: `the last run of ${w.name} failed${exit?.reason === 'OOMKilled' ? ': killed for going over its memory limit' : ''}`,
        evidence: [
          `job ${lastName}${str(obj(last.status).startTime) ? ` started ${isoMinute(Date.parse(str(obj(last.status).startTime)!))}` : ''}: ${failed.reason ?? 'Failed'}${failed.message ? ` (${failed.message})` : ''}`,
          ...(exit ? [`exit code ${exit.exitCode}${exit.reason ? ` (${exit.reason})` : ''}`] : []),
          ...(log.length > 0 ? ['its last log lines:', ...log.map((l) => `  ${l}`)] : [pod ? '(its pod left no log lines)' : '(its pod is gone: the Job controller deletes it once the backoff limit is reached, so its log went with it)']),
          `last success: ${lastSuccess ? isoMinute(Date.parse(lastSuccess)) : 'never'}`,
        ],
        fix:
          exit?.reason === 'OOMKilled'
            ? `raise memory of ${w.name} in hobbykube.yaml (now ${w.memory}) and run hobbykube apply`
            : `${log.length > 0 ? 'the log says why; ' : ''}run it once now and read its log: ${onNode(cp, `${KUBECTL} create job ${w.name}-manual --from=cronjob/${w.name} && ${KUBECTL} logs -f job/${w.name}-manual`)}`,
      });
    }
  } else if (!lastSchedule && spec.suspend !== true) {
    const created = Date.parse(String(obj(cron.metadata).creationTimestamp ?? ''));
    const due = Number.isFinite(created) ? nextRuns(w.schedule, new Date(created), 1)[0] : undefined;
    if (due && now > due.getTime() + LATE_MS) {
      findings.push({
        severity: 'warning',
        title: `${w.name} never ran, though it was due at ${isoMinute(due)}`,
        evidence: [`schedule "${w.schedule}" (UTC), created ${isoMinute(created)}, no Job and no lastScheduleTime`],
        fix: onNode(cp, `${KUBECTL} describe cronjob ${w.name} (its events say why), and sudo journalctl -u kubelet on the nodes`),
      });
    }
  }
  const next = nextRuns(w.schedule, new Date(now), 1)[0];
  const summary = last
    ? `last run ${str(obj(last.metadata).name)} ${jobFailed(last).failed ? 'failed' : 'ok'}${next ? `, next ${isoMinute(next)}` : ''}`
    : `not run yet${next ? `, next ${isoMinute(next)}` : ''}`;
  return { summary, findings };
}

export function workloadChecks(ctx: CheckContext): CheckDefinition[] {
  const { sources } = ctx;
  const spec: ClusterSpec = sources.spec;
  const cp = sources.controlPlane.name;
  return spec.spec.workloads.map((w) =>
    define({
      name: `${w.kind}:${w.name}`,
      area: 'workloads',
      title: `${w.kind} ${w.name}`,
      timeoutMs: 120_000,
      run: async () => {
        const view = await sources.cluster();
        const logs = await sources.logs().catch(() => undefined);
        if (w.kind === 'cron') return judgeCron({ workload: w, view, ...(logs ? { logs } : {}), cp, redact: ctx.redact, now: ctx.now() });
        const capacity = capacityFor(spec, await sources.allFacts());
        return judgeWorkload({ workload: w, view, ...(logs ? { logs } : {}), cp, redact: ctx.redact, capacity: (node) => capacityVerdict(capacity.report, node ?? mostLoaded(capacity.report), capacity.why) });
      },
    }),
  );
}

function mostLoaded(report: ReturnType<typeof capacityFor>['report']): string | undefined {
  if (!report) return undefined;
  return [...report.rows].sort((a, b) => a.freeMiB - b.freeMiB)[0]?.name;
}
