// The steps that deploy the spec's workloads and add-ons, for the install plan's `workloadSteps`
// hook (src/install/plan.ts). Everything runs on the control plane over SSH:
//
//   <cp>/workloads-apply   kubectl apply --server-side of every object, the YAML on stdin
//   <cp>/helm              helm, pinned and sha256-checked          (only with the ingress add-on)
//   <ingress>/acme-storage acme.json's directory on the ingress node (only with the ingress add-on)
//   <cp>/traefik           helm upgrade --install, pinned chart, ACME resolver
//   <cp>/cert-manager-removal  removes cert-manager left by an earlier hobbykube (after Traefik)
//   <cp>/workloads-prune   deletes managed objects the spec no longer has (prune.ts; only when the caller
//                          sets `prune`, after the owner confirmed)
//   <cp>/workloads-rollout follows every Deployment and StatefulSet until available
//
// Manifests travel on stdin or as copied files, never in shell text; secret values travel only on
// stdin and are added to the run's Redactor first.
import { formatDuration } from '../text/duration.js';
import { ADMIN_CONF, alwaysRunProbe, script, shd } from '../install/render/script.js';
import { QUICK_TIMEOUT_MS, exitFailure, runAction, runQuick, StepFailure, scriptStep, type LineSink, type Step, type StepContext } from '../install/step.js';
import { controlPlaneOf } from '../install/plan.js';
import type { ClusterSpec } from '../spec/types.js';
import type { SecretValues } from '../state/secrets.js';
import { databaseLinks } from './database.js';
import { databaseUserStep } from './database-users.js';
import { pullSecrets } from './registries.js';
import { releaseStep } from './release.js';
import { ACME_DIR, TRAEFIK_CHART, acmeDirScripts, certManagerRemovalScripts, helmInstallScripts, helmReleaseScripts, ingressAddonsNeeded, traefikValues, valuesPath, valuesYaml, type HelmChart } from './addons.js';
import { APPLY_COMMAND, DIFF_COMMAND, parseLists } from './kubectl.js';
import { NAME_LABEL, NAMESPACE, managedSelector } from './labels.js';
import { pruneStep } from './prune.js';
import { printableManifests, redactedSecrets, renderObjects, renderSecrets, secretValues, sortObjects, toYaml, type K8sObject, type MemoryResources, type RenderOptions, type RollingStrategy } from './render.js';
import { RolloutTracker, type Snapshot, type TrackerOptions } from './rollout.js';


export interface WorkloadStepsInput {
  spec: ClusterSpec;
  /** secrets.yaml's content, with generated passwords (`ensureGeneratedSecrets`). */
  secrets: SecretValues;
  /** From the capacity check (`report.strategies`). */
  strategies?: ReadonlyMap<string, RollingStrategy>;
  /** From the capacity check (`report.memory`): each workload's memory request and limit. */
  memory?: ReadonlyMap<string, MemoryResources>;
  /** Delete managed objects the spec no longer has: set only after the owner confirmed. */
  prune?: boolean;
  rollout?: { timeoutMs?: number; pollMs?: number } & TrackerOptions;
  /**
   * Only this workload (deploy, rollback): its objects and the Secrets its pods use, its database
   * user, its release command, its rollout. No add-ons, no prune, no other workload.
   */
  only?: string;
  /** With `only`: restart its pods with the same image (`kubectl rollout restart`). */
  restart?: boolean;
  /**
   * false: no release command runs (rollback, and undoing a failed deploy: the old version's
   * release ran when it was first deployed, and the way back must not hang on it).
   */
  release?: boolean;
}

// --- apply ---------------------------------------------------------------------------------------

interface ApplyStepInput {
  id: string;
  node: string;
  title: string;
  after: string[];
  /** The YAML sent on stdin (may hold secret values); rendered when the step probes or runs. */
  yaml: () => string;
  /** The same with secrets redacted: the plan's artifact. */
  printable: string;
  secretValues: () => string[];
  doneReason: string;
}

/** `kubectl apply --server-side` with the manifests on stdin; done when `kubectl diff` finds nothing. */
export function kubectlApplyStep(input: ApplyStepInput): Step {
  const probeScript = script(`${DIFF_COMMAND} >/dev/null`);
  const actionScript = script(APPLY_COMMAND);
  return {
    id: input.id,
    node: input.node,
    title: input.title,
    after: input.after,
    timeoutMs: 5 * 60_000,
    retry: true,
    artifacts: [
      { name: 'probe.sh', content: `${probeScript}# stdin: manifests.yaml\n` },
      { name: 'action.sh', content: `${actionScript}# stdin: manifests.yaml\n` },
      { name: 'manifests.yaml', content: input.printable },
    ],
    async probe(ctx) {
      for (const v of input.secretValues()) ctx.redactor.add(v);
      const host = await ctx.host(input.node);
      const result = await runQuick(host, probeScript, { stdin: input.yaml() });
      // kubectl diff: 0 = no differences, 1 = differences; anything else (no such object kind yet,
      // an old kubectl): cannot tell, so apply.
      if (result.code === 0) return { done: true, reason: input.doneReason };
      return { done: false, reason: '' };
    },
    async run(ctx, output) {
      for (const v of input.secretValues()) ctx.redactor.add(v);
      const host = await ctx.host(input.node);
      await runAction(ctx, host, actionScript, output, { stdin: input.yaml(), timeoutMs: 5 * 60_000, failure: (code) => `kubectl apply failed with exit code ${code}` });
    },
  };
}

// --- rollout -------------------------------------------------------------------------------------

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function rolloutStep(spec: ClusterSpec, cp: string, desired: K8sObject[], after: string[], options: WorkloadStepsInput['rollout'] = {}): Step {
  const expected = desired.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet').map((o) => `${o.kind}/${o.metadata.name}`);
  const get = script(shd`kubectl --kubeconfig ${ADMIN_CONF} get deployments.apps,statefulsets.apps,pods -n ${NAMESPACE} -l ${managedSelector(spec.metadata.name)} -o json`);
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const pollMs = options.pollMs ?? 3000;
  const snapshot = async (ctx: StepContext): Promise<Snapshot> => {
    const host = await ctx.host(cp);
    const result = await runQuick(host, get);
    if (result.code !== 0) throw exitFailure(ctx, `could not read the workloads' status (exit code ${result.code})`, result);
    const items = parseLists(result.stdout);
    return { workloads: items.filter((i) => i.kind === 'Deployment' || i.kind === 'StatefulSet'), pods: items.filter((i) => i.kind === 'Pod'), timeMs: Date.now() };
  };
  return {
    id: `${cp}/workloads-rollout`,
    node: cp,
    title: `Wait until ${expected.length} ${expected.length === 1 ? 'workload is' : 'workloads are'} rolled out and available`,
    after,
    timeoutMs: timeoutMs + QUICK_TIMEOUT_MS,
    retry: true,
    artifacts: [{ name: 'status.sh', content: get }],
    async probe(ctx) {
      if (expected.length === 0) return { done: true, reason: 'no Deployments or StatefulSets' };
      const progress = new RolloutTracker(expected, options).update(await snapshot(ctx));
      return progress.done ? { done: true, reason: 'every workload is available at its latest version' } : { done: false, reason: '' };
    },
    async run(ctx, output: LineSink) {
      const tracker = new RolloutTracker(expected, options);
      const deadline = Date.now() + timeoutMs;
      let last: string[] = [];
      for (;;) {
        const progress = tracker.update(await snapshot(ctx));
        for (const line of progress.lines) output(ctx.redactor.redact(line), 'stdout');
        if (progress.lines.length > 0) last = progress.lines;
        if (progress.failures.length > 0) throw new StepFailure(`rollout failed: ${progress.failures.join('; ')}`, undefined, progress.failures);
        if (progress.done) return;
        if (Date.now() >= deadline) throw new StepFailure(`rollout not finished after ${formatDuration(timeoutMs)}`, undefined, last);
        await sleep(pollMs);
      }
    },
  };
}

// --- add-ons -------------------------------------------------------------------------------------

function helmReleaseStep(cp: string, chart: HelmChart, values: string, after: string[]): Step {
  const scripts = helmReleaseScripts(chart, values);
  return scriptStep({
    id: `${cp}/${chart.release}`,
    node: cp,
    title: `Install ${chart.chart} ${chart.version} (Helm chart from ${new URL(chart.url).host}, sha256 pinned)`,
    after,
    timeoutMs: 15 * 60_000,
    retry: true,
    probe: scripts.probe,
    doneReason: `${chart.release} ${chart.version} is deployed with these values`,
    action: scripts.action,
    files: [{ path: valuesPath(chart), content: values, mode: 0o644, secret: false }],
  });
}

// --- all -----------------------------------------------------------------------------------------

/** Workloads whose Deployment or CronJob waits for a step of its own: a database user, a release command. */
export function gatedWorkloads(spec: ClusterSpec): Set<string> {
  return new Set(spec.spec.workloads.filter((w) => (w.kind !== 'database' && w.database !== undefined) || (w.kind === 'app' && w.release !== undefined)).map((w) => w.name));
}

const isPodOwner = (o: K8sObject) => o.kind === 'Deployment' || o.kind === 'CronJob';
const ownerOf = (o: K8sObject): string | undefined => o.metadata.labels?.[NAME_LABEL];

/** The Secrets a workload's pods read: its env Secret, its database link's, its registry's pull Secret. */
function secretsOf(spec: ClusterSpec, name: string): (o: K8sObject) => boolean {
  const w = spec.spec.workloads.find((x) => x.name === name);
  const pull = w ? new Set(pullSecrets(spec, w.image).map((p) => p.name)) : new Set<string>();
  return (o) => o.kind === 'Secret' && (ownerOf(o) === name || pull.has(o.metadata.name));
}

/** The steps for the plan's `workloadSteps` hook (apply), or for one workload (`only`: deploy, rollback). */
export function workloadSteps(input: WorkloadStepsInput): (after: string[]) => Step[] {
  return (after) => {
    const { spec, only } = input;
    const cp = controlPlaneOf(spec).name;
    const options: RenderOptions = { ...(input.strategies ? { strategies: input.strategies } : {}), ...(input.memory ? { memory: input.memory } : {}) };
    const all = renderObjects(spec, options);
    const mine = (o: K8sObject) => only === undefined || ownerOf(o) === only;
    const objects = all.filter(mine);
    const gated = gatedWorkloads(spec);
    const deferred = objects.filter((o) => isPodOwner(o) && gated.has(ownerOf(o) ?? ''));
    const first = objects.filter((o) => !deferred.includes(o));
    const keepSecret = only === undefined ? () => true : secretsOf(spec, only);
    // Secret objects are rendered when the step runs: a plan can be built and printed without
    // every secret value at hand (MissingSecretsError then comes from the probe or the run).
    const secrets = () => renderSecrets(spec, input.secrets).filter(keepSecret);
    const workloads = only === undefined ? spec.spec.workloads : spec.spec.workloads.filter((w) => w.name === only);
    const workloadsWord = only !== undefined ? only : `${workloads.length} ${workloads.length === 1 ? 'workload' : 'workloads'}`;
    const steps: Step[] = [];

    const applyId = `${cp}/workloads-apply`;
    const printable = sortObjects([...first, ...redactedSecrets(spec).filter(keepSecret)]);
    steps.push(
      kubectlApplyStep({
        id: applyId,
        node: cp,
        title: `Apply ${printable.length} objects for ${workloadsWord} (kubectl apply --server-side)`,
        after,
        yaml: () => toYaml(sortObjects([...first, ...secrets()])),
        printable: toYaml(printable),
        secretValues: () => secretValues(spec, input.secrets),
        doneReason: only === undefined ? 'the cluster already matches the spec' : `${only}'s objects already match the spec`,
      }),
    );

    if (only === undefined && ingressAddonsNeeded(spec)) {
      const ingressNode = spec.spec.ingress!.node;
      const helm = helmInstallScripts();
      const helmId = `${cp}/helm`;
      const acme = acmeDirScripts();
      const acmeId = `${ingressNode}/acme-storage`;
      const traefikId = `${cp}/${TRAEFIK_CHART.release}`;
      const removal = certManagerRemovalScripts();
      steps.push(
        scriptStep({ id: helmId, node: cp, title: 'Install helm (pinned version, sha256 checked)', after, retry: true, probe: helm.probe, action: helm.action, doneReason: 'helm is installed at the pinned version' }),
        scriptStep({
          id: acmeId,
          node: ingressNode,
          title: `Prepare ${ACME_DIR} on ${ingressNode} for Traefik's acme.json (Let's Encrypt account and certificates)`,
          after,
          retry: true,
          probe: acme.probe,
          action: acme.action,
          doneReason: `${ACME_DIR} is ready`,
        }),
        helmReleaseStep(cp, TRAEFIK_CHART, valuesYaml(traefikValues(spec.spec.ingress!)), [helmId, acmeId]),
        scriptStep({
          id: `${cp}/cert-manager-removal`,
          node: cp,
          title: "Remove cert-manager left by an earlier hobbykube (Traefik's ACME resolver replaces it: every app's certificate is issued again)",
          after: [traefikId],
          retry: true,
          timeoutMs: 10 * 60_000,
          probe: removal.probe,
          action: removal.action,
          doneReason: 'no cert-manager in the cluster',
        }),
      );
    }

    // Gated workloads: database user, then release command, then the Deployment or CronJob.
    const rolloutAfter = [applyId];
    for (const { workload, database } of databaseLinks(spec)) {
      if (only !== undefined && workload.name !== only) continue;
      steps.push(databaseUserStep({ cp, workload, database, secrets: input.secrets, after: [applyId] }));
    }
    for (const owner of deferred) {
      const name = ownerOf(owner)!;
      const w = spec.spec.workloads.find((x) => x.name === name)!;
      const waits = [applyId];
      if (w.kind !== 'database' && w.database !== undefined) waits.push(`${cp}/database-user-${name}`);
      if (w.kind === 'app' && w.release !== undefined && input.release !== false) {
        const release = releaseStep({ spec, cp, app: w, deployment: owner, after: [...waits] });
        steps.push(release);
        waits.push(release.id);
      }
      const deployId = `${cp}/deploy-${name}`;
      steps.push(
        kubectlApplyStep({
          id: deployId,
          node: cp,
          title: `Apply ${name}'s ${owner.kind}${waits.length > 1 ? ` (after ${waits.slice(1).map((id) => (id.includes('/release-') ? 'its release command' : 'its database user')).join(' and ')})` : ''}`,
          after: waits,
          yaml: () => toYaml([owner]),
          printable: toYaml([owner]),
          secretValues: () => [],
          doneReason: `${name}'s ${owner.kind} already matches the spec`,
        }),
      );
      rolloutAfter.push(deployId);
    }
    if (only !== undefined && input.restart) {
      const w = spec.spec.workloads.find((x) => x.name === only);
      if (w && (w.kind === 'app' || w.kind === 'worker')) {
        const restart = script(shd`kubectl --kubeconfig ${ADMIN_CONF} rollout restart deployment/${only} -n ${NAMESPACE}`);
        const restartId = `${cp}/restart-${only}`;
        steps.push(
          scriptStep({
            id: restartId,
            node: cp,
            title: `Restart ${only}'s pods with the same image (kubectl rollout restart)`,
            after: [...rolloutAfter],
            probe: alwaysRunProbe('a restart always runs'),
            action: restart,
            doneReason: '',
            timeoutMs: QUICK_TIMEOUT_MS,
          }),
        );
        rolloutAfter.push(restartId);
      }
    }

    if (input.prune && only === undefined) {
      // Secret objects by name only: the redacted ones carry the same kind, name and namespace.
      const desired = [...all, ...redactedSecrets(spec)];
      const prune = pruneStep(spec, cp, desired, [applyId]);
      steps.push(prune);
      rolloutAfter.push(prune.id);
    }
    steps.push(rolloutStep(spec, cp, objects, rolloutAfter, input.rollout));
    return steps;
  };
}

/** What `plan --out` can write for the workloads without secrets at hand: the printable manifests. */
export function workloadPlanText(spec: ClusterSpec, options: RenderOptions = {}): string {
  return printableManifests(spec, options);
}

