// Release commands: an app's `release` (e.g. [bin/rails, db:migrate]) runs once with a new image,
// before that image rolls out, as a Job made from the app's own pod (same image, env, Secrets,
// database link, pull Secret, memory), so what the release sees is what the new version will.
//
//   <cp>/release-<app>   probe: done when the live Deployment already runs this image (its release
//                        ran before it rolled out) or the Job for this image has succeeded;
//                        run: replace the Job, follow it, and on failure fail with its exit code
//                        and last log lines. The app's Deployment is applied only after this step
//                        (apply.ts gates it), so a failed release leaves the old version serving.
//
// The Job: backoffLimit 0 (a failing migration is not retried behind the owner's back), an active
// deadline of 30 minutes, kept a day after it finishes for its logs (ttlSecondsAfterFinished), its
// pod labelled so that no Service selects it (the app's Service selects app.kubernetes.io/name).
import { ADMIN_CONF, script, shd } from '../install/render/script.js';
import { kubeYamlStream } from '../kubeyaml.js';
import { raw } from '../shell/quote.js';
import { exitFailure, QUICK_TIMEOUT_MS, runQuick, StepFailure, type Step, type StepContext } from '../install/step.js';
import type { AppWorkload, ClusterSpec } from '../spec/types.js';
import { formatDuration } from '../text/duration.js';
import { APPLY_COMMAND, parseLists } from './kubectl.js';
import { CLUSTER_LABEL, MANAGED_BY, MANAGED_BY_LABEL, NAMESPACE, objectLabels } from './labels.js';
import { stuckPods } from './rollout.js';
import type { K8sObject } from './templates.js';

export const RELEASE_LABEL = 'hobbykube.dev/release-of';
export const RELEASE_IMAGE_ANNOTATION = 'hobbykube.dev/image';
/** Longest a release command may run (Job activeDeadlineSeconds). */
export const RELEASE_DEADLINE_S = 30 * 60;
/** How long a finished release Job (and its pod's logs) stays: a day. */
export const RELEASE_TTL_S = 24 * 60 * 60;
/** Log lines a failed release shows. */
export const RELEASE_TAIL_LINES = 20;

export const releaseJobName = (app: string): string => `${app}-release`;

/** The release Job for `app`, made from its rendered Deployment (`deployment`). */
export function releaseJob(cluster: string, app: AppWorkload, deployment: K8sObject): K8sObject {
  if (!app.release) throw new Error(`${app.name} has no release command`);
  const template = structuredClone(deployment.spec.template) as { metadata?: Record<string, unknown>; spec: Record<string, any> };
  const pod = template.spec;
  const container = pod.containers[0];
  container.name = 'release';
  container.command = [...app.release];
  delete container.args;
  delete container.ports;
  delete container.readinessProbe;
  delete container.livenessProbe;
  pod.restartPolicy = 'Never';
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: releaseJobName(app.name),
      namespace: NAMESPACE,
      labels: objectLabels(cluster, app.name),
      annotations: { [RELEASE_IMAGE_ANNOTATION]: app.image },
    },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: RELEASE_DEADLINE_S,
      ttlSecondsAfterFinished: RELEASE_TTL_S,
      template: {
        metadata: { labels: { [MANAGED_BY_LABEL]: MANAGED_BY, [CLUSTER_LABEL]: cluster, [RELEASE_LABEL]: app.name } },
        spec: pod,
      },
    },
  };
}

type Json = Record<string, any>;

/** What the live objects say about a release: already rolled out, succeeded, failed, or running. */
export function releaseState(items: Json[], app: string, image: string): { done: boolean; reason: string } {
  const deployment = items.find((i) => i.kind === 'Deployment' && i.metadata?.name === app);
  const live = deployment?.spec?.template?.spec?.containers?.[0]?.image;
  if (live === image) return { done: true, reason: `${image} is already rolled out (its release command ran before)` };
  const job = items.find((i) => i.kind === 'Job' && i.metadata?.name === releaseJobName(app));
  if (job?.metadata?.annotations?.[RELEASE_IMAGE_ANNOTATION] === image && (job.status?.succeeded ?? 0) >= 1) {
    return { done: true, reason: `the release command already succeeded with ${image}` };
  }
  return { done: false, reason: '' };
}

/** A Job's end: complete, failed (with why), or still running. */
export function jobOutcome(job: Json | undefined): { state: 'running' | 'complete' | 'failed'; reason?: string } {
  const conditions: Json[] = job?.status?.conditions ?? [];
  const holds = (type: string) => conditions.find((c) => c.type === type && c.status === 'True');
  if (holds('Complete') || (job?.status?.succeeded ?? 0) >= 1) return { state: 'complete' };
  const failed = holds('Failed');
  if (failed) return { state: 'failed', reason: String(failed.reason ?? 'Failed') };
  return { state: 'running' };
}

/** The pods of this Job (not of an earlier one still being deleted): by the controller-uid label. */
export function podsOfJob(job: Json | undefined, pods: Json[]): Json[] {
  const uid = job?.metadata?.uid;
  if (typeof uid !== 'string') return pods;
  return pods.filter((p) => {
    const labels = p.metadata?.labels ?? {};
    const owner = labels['batch.kubernetes.io/controller-uid'] ?? labels['controller-uid'];
    return owner === undefined || owner === uid;
  });
}

/** The exit code of a release pod's container, when it has ended. */
export function exitCodeOf(pods: Json[]): number | undefined {
  for (const pod of pods) {
    const code = pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

export interface ReleaseStepInput {
  spec: ClusterSpec;
  cp: string;
  app: AppWorkload;
  /** The app's rendered Deployment (the Job is made from its pod). */
  deployment: K8sObject;
  after: string[];
  /** Poll interval while the Job runs (default 2 s). */
  pollMs?: number;
  /** Give up on a pod stuck pulling its image after this long (default 2 min). */
  stuckGraceMs?: number;
}

export function releaseStep(input: ReleaseStepInput): Step {
  const { spec, cp, app } = input;
  const job = releaseJob(spec.metadata.name, app, input.deployment);
  const name = releaseJobName(app.name);
  const kubectl = `kubectl --kubeconfig ${ADMIN_CONF}`;
  const state = script(shd`${raw(kubectl)} get deployment/${app.name} job/${name} -n ${NAMESPACE} --ignore-not-found -o json`);
  const replace = script(shd`
    ${raw(kubectl)} delete job ${name} -n ${NAMESPACE} --ignore-not-found --wait=true
    ${raw(APPLY_COMMAND)}
  `);
  const watch = script(shd`${raw(kubectl)} get job/${name} -n ${NAMESPACE} -o json; ${raw(kubectl)} get pods -n ${NAMESPACE} -l ${`${RELEASE_LABEL}=${app.name}`} -o json`);
  const logs = script(shd`${raw(kubectl)} logs job/${name} -n ${NAMESPACE} --tail=${RELEASE_TAIL_LINES}`);
  const command = app.release!.join(' ');
  const pollMs = input.pollMs ?? 2000;
  const timeoutMs = RELEASE_DEADLINE_S * 1000;
  const read = async (ctx: StepContext, text: string, what: string) => {
    const result = await runQuick(await ctx.host(cp), text);
    if (result.code !== 0) throw exitFailure(ctx, `could not read ${what} (exit code ${result.code})`, result);
    return parseLists(result.stdout);
  };
  const lastLogLines = async (ctx: StepContext): Promise<string[]> => {
    const result = await runQuick(await ctx.host(cp), logs);
    const text = ctx.redactor.redact(`${result.stdout}${result.code !== 0 ? result.stderr : ''}`).trimEnd();
    return text === '' ? ['(the release command printed nothing)'] : text.split('\n').slice(-RELEASE_TAIL_LINES);
  };
  return {
    id: `${cp}/release-${app.name}`,
    node: cp,
    title: `Run ${app.name}'s release command (${command}) with ${app.image}, before it rolls out`,
    after: input.after,
    timeoutMs: timeoutMs + QUICK_TIMEOUT_MS * 3,
    retry: false,
    artifacts: [
      { name: 'probe.sh', content: state },
      { name: 'action.sh', content: `${replace}# stdin: job.yaml\n` },
      { name: 'job.yaml', content: kubeYamlStream([job]) },
    ],
    async probe(ctx) {
      return releaseState(await read(ctx, state, `${app.name}'s Deployment and release Job`), app.name, app.image);
    },
    async run(ctx, output) {
      const host = await ctx.host(cp);
      const started = await host.run(replace, { sudo: true, timeoutMs: QUICK_TIMEOUT_MS * 2, stdin: kubeYamlStream([job]) });
      if (started.code !== 0) throw exitFailure(ctx, `could not start the release Job ${name} (exit code ${started.code})`, started);
      output(`release Job ${name} started: ${command}`, 'stdout');
      const deadline = Date.now() + timeoutMs;
      const stuckSince = new Map<string, number>();
      let said = '';
      for (;;) {
        const items = await read(ctx, watch, `the release Job ${name}`);
        const current = items.find((i) => i.kind === 'Job');
        const pods = podsOfJob(current, items.filter((i) => i.kind === 'Pod'));
        const outcome = jobOutcome(current);
        if (outcome.state === 'complete') {
          for (const line of await lastLogLines(ctx)) output(line, 'stdout');
          output(`release command succeeded with ${app.image}`, 'stdout');
          return;
        }
        if (outcome.state === 'failed') {
          const code = exitCodeOf(pods);
          const why = code !== undefined ? `exit code ${code}` : outcome.reason === 'DeadlineExceeded' ? `no end after ${formatDuration(timeoutMs)}` : outcome.reason;
          throw new StepFailure(`${app.name}'s release command (${command}) failed (${why}): ${app.image} was not rolled out, the old version keeps serving`, code, await lastLogLines(ctx));
        }
        for (const p of stuckPods(pods)) {
          const first = stuckSince.get(p.pod) ?? Date.now();
          stuckSince.set(p.pod, first);
          const line = `release pod ${p.pod} is stuck in ${p.reason}${p.message ? `: ${p.message}` : ''}`;
          if (line !== said) output(ctx.redactor.redact(line), 'stdout');
          said = line;
          if (Date.now() - first >= (input.stuckGraceMs ?? 120_000)) {
            throw new StepFailure(`${app.name}'s release Job cannot start (${p.reason}): ${app.image} was not rolled out, the old version keeps serving`, undefined, [line]);
          }
        }
        if (Date.now() >= deadline) throw new StepFailure(`${app.name}'s release command did not finish within ${formatDuration(timeoutMs)}`, undefined, await lastLogLines(ctx));
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    },
  };
}

