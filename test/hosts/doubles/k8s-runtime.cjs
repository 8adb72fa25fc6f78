'use strict';
// What the fake cluster's containers do, for the kubectl double: image pulls (private registries
// need the pod's imagePullSecrets to hold the right login), the env a container gets (values and
// secretKeyRefs, $(VAR) expansion as the kubelet does it), Jobs that really run their command,
// pod logs, and `kubectl exec`.
//
// A container is simulated as a process on the node: its command runs with the pod's env, `/` as
// its working directory, and a PATH of the image's tools (images/<repository>/, e.g. the mysql
// client double) before the node's own. What an image prints while it serves, whether it crashes,
// and which registries need a login are declared by the tests in the bed's shared folder:
//
//   /run/hobbykube/shared/registries/<host>.json   {"username": "...", "token": "..."}: a private registry
//   /run/hobbykube/shared/images/<sha256 of ref>.json  {"ref", "logs": ["line", ...], "crashes": true,
//       "runs": {"bin/rails db:migrate": {"exitCode": 1, "output": ["line", ...]}}}: what the image's own
//       programs do (commands not listed run on the node, as a shell in the image would run them)
//
// Job runs are kept beside the objects: <cluster>/runs/<namespace>/<job>.json.
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawnSync } = require('node:child_process');
const k = require('./k8s-common.cjs');

const SHARED = `${k.HK}/shared`;
const DOUBLES = `${k.HK}/doubles`;

const sha = (s) => crypto.createHash('sha256').update(s).digest('hex');

/** The registry host of an image reference, as containerd reads it (docker.io when none). */
function registryOf(image) {
  const name = String(image).split('@')[0];
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const host = first && (first.includes('.') || first.includes(':') || first === 'localhost') ? first.toLowerCase() : 'docker.io';
  return ['index.docker.io', 'registry-1.docker.io'].includes(host) ? 'docker.io' : host;
}
/** The repository's last component: mysql in docker.io/library/mysql:8.4. */
function repositoryOf(image) {
  const name = String(image).split('@')[0];
  const last = name.slice(name.lastIndexOf('/') + 1);
  return last.split(':')[0];
}
function imageInfo(image) { return k.readJson(path.join(SHARED, 'images', `${sha(image)}.json`), {}); }
function registryLogin(host) { return k.readJson(path.join(SHARED, 'registries', `${host}.json`), undefined); }

/** A dockerconfigjson auth key as the kubelet's keyring reads it: no scheme, no path; Docker Hub's names are docker.io. */
function authHost(key) {
  const host = String(key).replace(/^https?:\/\//, '').split('/')[0].toLowerCase();
  return ['index.docker.io', 'registry-1.docker.io', 'docker.io'].includes(host) ? 'docker.io' : host;
}

/**
 * Why a pod cannot pull `image` (undefined: it can). A private registry needs a pull Secret of the
 * pod whose .dockerconfigjson holds its host with the right username and token, as the kubelet
 * would present them; anything else is refused the way containerd reports a 401.
 */
function pullProblem(image, podSpec, ns, getObj) {
  const host = registryOf(image);
  const login = registryLogin(host);
  if (!login) return undefined;
  for (const ref of podSpec?.imagePullSecrets ?? []) {
    const secret = getObj('Secret', ns, ref.name);
    const data = secret?.data?.['.dockerconfigjson'];
    if (!secret || secret.type !== 'kubernetes.io/dockerconfigjson' || !data) continue;
    let config;
    try { config = JSON.parse(Buffer.from(data, 'base64').toString('utf8')); } catch { continue; }
    for (const [key, auth] of Object.entries(config.auths ?? {})) {
      if (authHost(key) !== host) continue;
      const [user, ...rest] = auth.auth ? Buffer.from(auth.auth, 'base64').toString('utf8').split(':') : [auth.username, auth.password];
      const token = auth.auth ? rest.join(':') : rest[0];
      if (user === login.username && token === login.token) return undefined;
    }
  }
  const repo = String(image).split('@')[0].replace(/^[^/]+\//, '').replace(/:[^:/]+$/, '');
  return {
    reason: 'ErrImagePull',
    message: `failed to pull and unpack image "${image}": failed to resolve reference "${image}": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://${host}/token?scope=repository%3A${encodeURIComponent(repo)}%3Apull&service=${host}: 401 Unauthorized`,
  };
}

/** $(VAR) expansion of the kubelet: earlier variables only; $$ escapes; unknown references stay. */
function expand(value, env) {
  return String(value).replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name) => (m === '$$' ? '$' : Object.hasOwn(env, name) ? env[name] : m));
}

/** The env a container starts with, or the kubelet's CreateContainerConfigError. */
function containerEnv(container, ns, getObj) {
  const env = {};
  for (const e of container.env ?? []) {
    if (e.valueFrom?.secretKeyRef) {
      const ref = e.valueFrom.secretKeyRef;
      const secret = getObj('Secret', ns, ref.name);
      if (!secret) return { problem: { reason: 'CreateContainerConfigError', message: `secret "${ref.name}" not found` } };
      const raw = secret.data?.[ref.key];
      const text = raw !== undefined ? Buffer.from(raw, 'base64').toString('utf8') : secret.stringData?.[ref.key];
      if (text === undefined) return { problem: { reason: 'CreateContainerConfigError', message: `couldn't find key ${ref.key} in Secret ${ns}/${ref.name}` } };
      env[e.name] = text;
    } else env[e.name] = expand(e.value ?? '', env);
  }
  return { env };
}

/** The process environment of a simulated container. */
function processEnv(container, env, podName) {
  const tools = path.join(DOUBLES, 'images', repositoryOf(container.image));
  const PATH = [fs.existsSync(tools) ? tools : '', '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'].filter(Boolean).join(':');
  return { PATH, HOSTNAME: podName, HOME: '/root', ...env };
}

/** Where a pod could not start, as the kubelet reports it (undefined: it runs). */
function startProblem(podSpec, ns, getObj) {
  const container = podSpec?.containers?.[0];
  if (!container) return undefined;
  const pull = pullProblem(container.image, podSpec, ns, getObj);
  if (pull) return pull;
  const { problem } = containerEnv(container, ns, getObj);
  if (problem) return problem;
  if (imageInfo(container.image).crashes) return { reason: 'CrashLoopBackOff', message: `back-off 5m0s restarting failed container=${container.name} pod=`, restarts: 5 };
  return undefined;
}

// ---- Jobs

function runFile(c, ns, name) { return path.join(c.dir, 'runs', ns, `${name}.json`); }
function jobRun(c, ns, name) { return k.readJson(runFile(c, ns, name), undefined); }
function forgetJob(c, ns, name) { fs.rmSync(runFile(c, ns, name), { force: true }); }
const jobPodName = (job) => `${job.metadata.name}-${sha(job.metadata.uid ?? job.metadata.name).replace(/[^a-z0-9]/g, '').slice(0, 5)}`;

/**
 * Runs a Job as the job controller and kubelet would: its pod starts (or cannot: unschedulable,
 * image pull, config), its command runs with the pod's env, stdout and stderr together are the
 * pod's log; up to backoffLimit + 1 attempts. The Job's status is set like the controller's.
 */
function runJob(job, ctx) {
  const { c, getObj, putObj, placeable } = ctx;
  const ns = job.metadata.namespace;
  const podSpec = job.spec?.template?.spec;
  const container = podSpec?.containers?.[0];
  const started = new Date().toISOString();
  const pod = jobPodName(job);
  const record = { pod, started };
  let problem = placeable(podSpec).length === 0 ? { reason: 'Unschedulable', message: '0/1 nodes are available' } : startProblem(podSpec, ns, getObj);
  if (problem && problem.reason === 'CrashLoopBackOff') problem = undefined; // a Job's pod runs its own command
  if (problem) {
    k.writeJson(runFile(c, ns, job.metadata.name), { ...record, waiting: problem });
    job.status = { active: 1, startTime: started, ready: 0 };
    putObj(job);
    return;
  }
  const { env } = containerEnv(container, ns, getObj);
  const words = [...(container.command ?? []), ...(container.args ?? [])];
  const attempts = (job.spec?.backoffLimit ?? 6) + 1;
  let result = { code: 0, log: '' };
  const declared = imageInfo(container.image).runs?.[words.join(' ')];
  for (let i = 0; i < attempts; i++) {
    if (declared) result = { code: declared.exitCode ?? 0, log: (declared.output ?? []).map((l) => `${l}\n`).join('') };
    else result = words.length === 0 ? { code: 0, log: '' } : runProcess(words, processEnv(container, env, pod));
    if (result.code === 0) break;
  }
  const finished = new Date().toISOString();
  k.writeJson(runFile(c, ns, job.metadata.name), { ...record, finished, exitCode: result.code, log: result.log });
  job.status = result.code === 0
    ? { startTime: started, completionTime: finished, succeeded: 1, conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }] }
    : { startTime: started, failed: attempts, conditions: [{ type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded' }, { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] };
  putObj(job);
}

/** A command as a container runs it: stdout and stderr in one log, in order; 127 when not found. */
function runProcess(words, env) {
  const r = spawnSync('/bin/sh', ['-c', 'exec "$@" 2>&1', 'sh', ...words], { env, cwd: '/', encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const code = r.status ?? 137;
  return { code, log: `${r.stdout ?? ''}${code === 127 ? `exec: "${words[0]}": executable file not found in $PATH\n` : ''}` };
}

/** The pods of the Jobs in `ns` (undefined: all), as the API server lists them. */
function jobPods(ns, ctx) {
  const { c, list } = ctx;
  const out = [];
  for (const job of list('Job', ns)) {
    const run = jobRun(c, job.metadata.namespace, job.metadata.name);
    if (!run) continue;
    const tpl = job.spec?.template ?? {};
    const container = tpl.spec?.containers?.[0] ?? {};
    const labels = { ...(tpl.metadata?.labels ?? {}), 'batch.kubernetes.io/job-name': job.metadata.name, 'job-name': job.metadata.name, 'batch.kubernetes.io/controller-uid': job.metadata.uid, 'controller-uid': job.metadata.uid };
    const state = run.waiting
      ? { waiting: { reason: run.waiting.reason, message: run.waiting.message } }
      : { terminated: { exitCode: run.exitCode, reason: run.exitCode === 0 ? 'Completed' : 'Error', startedAt: run.started, finishedAt: run.finished } };
    const phase = run.waiting ? 'Pending' : run.exitCode === 0 ? 'Succeeded' : 'Failed';
    out.push({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: run.pod, namespace: job.metadata.namespace, labels, creationTimestamp: run.started, ownerReferences: [{ kind: 'Job', name: job.metadata.name, uid: job.metadata.uid }] },
      spec: { ...(tpl.spec ?? {}) },
      status: { phase, startTime: run.started, conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: container.name ?? 'main', image: container.image, ready: false, restartCount: 0, state }] },
    });
  }
  return out;
}

// ---- logs

/** "5s", "10m", "1h" as kubectl reads --since. */
function durationMs(text) {
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let m;
  let seen = '';
  while ((m = re.exec(String(text))) !== null) { total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2]]; seen += m[0]; }
  return seen === String(text) && seen !== '' ? total : undefined;
}

/**
 * A pod's log lines with their times: a Job pod's run output; a serving pod's image lines
 * (declared by the test, each optionally `{text, ageSeconds}`), printed since its start.
 */
function podLog(pod, ctx) {
  const job = pod.metadata.ownerReferences?.find((o) => o.kind === 'Job');
  if (job) {
    const run = jobRun(ctx.c, pod.metadata.namespace, job.name);
    const at = Date.parse(run?.finished ?? run?.started ?? new Date().toISOString());
    return (run?.log ?? '').split('\n').filter((l, i, all) => l !== '' || i < all.length - 1).map((text) => ({ text, time: at }));
  }
  const image = pod.spec?.containers?.[0]?.image;
  const now = Date.now();
  return (imageInfo(image).logs ?? []).map((l) => (typeof l === 'string' ? { text: l, time: now - 1000 } : { text: l.text, time: now - (l.ageSeconds ?? 1) * 1000 }));
}

function waitingOf(pod) {
  return pod.status?.containerStatuses?.[0]?.state?.waiting;
}

/** `kubectl logs POD | TYPE/NAME | -l SELECTOR [-c C] [--tail N] [--since D] [--prefix] [-f]`. */
function cmdLogs(ctx) {
  const { opt, positional, namespace, pods, notFound, matchesSelector, getObj } = ctx;
  const ns = namespace();
  let chosen;
  const target = positional[1];
  if (opt.l) {
    chosen = pods(ns).filter((p) => matchesSelector(p.metadata.labels, opt.l));
    if (!chosen.length) { process.stderr.write(`No resources found in ${ns} namespace.\n`); process.exit(0); }
  } else if (!target) {
    k.die(1, 'error: expected \'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]\'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee \'kubectl logs -h\' for help and examples');
  } else if (target.includes('/')) {
    const [type, name] = target.split('/');
    const kind = ctx.resolveResource(type);
    if (kind === 'Pod') chosen = pods(ns).filter((p) => p.metadata.name === name);
    else {
      if (!getObj(kind, ns, name)) k.die(1, notFound(kind, name));
      chosen = pods(ns).filter((p) => (p.metadata.ownerReferences ?? []).some((o) => o.name === name && o.kind === kind)).slice(0, 1);
      if (!chosen.length) k.die(1, `error: timed out waiting for the condition`);
    }
    if (!chosen.length) k.die(1, notFound('Pod', name));
  } else {
    chosen = pods(ns).filter((p) => p.metadata.name === target);
    if (!chosen.length) k.die(1, notFound('Pod', target));
  }
  const tail = opt.tail !== undefined ? Number(opt.tail) : opt.l ? 10 : -1;
  const since = opt.since !== undefined ? durationMs(opt.since) : undefined;
  if (opt.since !== undefined && since === undefined) k.die(1, `error: invalid argument "${opt.since}" for "--since" flag: time: invalid duration "${opt.since}"`);
  let follow = false;
  for (const pod of chosen) {
    const waiting = waitingOf(pod);
    const container = opt.c ?? pod.spec?.containers?.[0]?.name ?? 'main';
    if (waiting && pod.status?.phase === 'Pending') {
      const what = waiting.reason === 'ErrImagePull' || waiting.reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : waiting.reason;
      k.die(1, `Error from server (BadRequest): container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${what}`);
    }
    let lines = podLog(pod, ctx);
    if (since !== undefined) lines = lines.filter((l) => l.time >= Date.now() - since);
    if (tail >= 0) lines = lines.slice(Math.max(0, lines.length - tail));
    const prefix = opt.prefix === true || opt.prefix === 'true' ? `[pod/${pod.metadata.name}/${container}] ` : '';
    for (const l of lines) process.stdout.write(`${prefix}${opt.timestamps === true ? `${new Date(l.time).toISOString()} ` : ''}${l.text}\n`);
    if (pod.status?.phase === 'Running') follow = true;
  }
  if ((opt.f === true || opt.follow === true) && follow) {
    // A running container's log stays open until kubectl is stopped (no new lines here).
    process.on('SIGTERM', () => process.exit(0));
    process.stdout.on('error', () => process.exit(0));
    setInterval(() => {}, 1 << 30);
    return;
  }
  process.exit(0);
}

// ---- exec

/** `kubectl exec [-i] [-t] POD|TYPE/NAME [-c C] -- CMD...`: the command runs as the container would run it. */
function cmdExec(ctx, cmd) {
  const { positional, namespace, pods, notFound, getObj } = ctx;
  const ns = namespace();
  const target = positional[1];
  if (!target) k.die(1, 'error: pod, type/name or --filename must be specified');
  let pod;
  if (target.includes('/')) {
    const [type, name] = target.split('/');
    const kind = ctx.resolveResource(type);
    if (kind === 'Pod') pod = pods(ns).find((p) => p.metadata.name === name);
    else {
      if (!getObj(kind, ns, name)) k.die(1, notFound(kind, name));
      pod = pods(ns).find((p) => (p.metadata.ownerReferences ?? []).some((o) => o.name === name && o.kind === kind) && p.status.phase === 'Running')
        ?? pods(ns).find((p) => (p.metadata.ownerReferences ?? []).some((o) => o.name === name && o.kind === kind));
    }
    if (!pod) k.die(1, notFound('Pod', name));
  } else {
    pod = pods(ns).find((p) => p.metadata.name === target);
    if (!pod) k.die(1, notFound('Pod', target));
  }
  const wanted = ctx.opt.c ?? pod.spec?.containers?.[0]?.name;
  const container = (pod.spec?.containers ?? []).find((x) => x.name === wanted);
  if (!container) k.die(1, `Error from server (BadRequest): container ${wanted} is not valid for pod ${pod.metadata.name}`);
  if (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') k.die(1, `error: cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`);
  if (pod.status.phase !== 'Running') k.die(1, `error: unable to upgrade connection: container not found ("${container.name}")`);
  if (!cmd.length) k.die(1, 'error: you must specify at least one command for the container');
  const { env, problem } = containerEnv(container, ns, getObj);
  if (problem) k.die(1, `error: unable to upgrade connection: container not found ("${container.name}")`);
  const interactive = ctx.opt.i === true || ctx.opt.stdin === true || ctx.opt.it === true || ctx.opt.ti === true;
  const declared = imageInfo(container.image).runs?.[cmd.join(' ')];
  if (declared) {
    for (const line of declared.output ?? []) process.stdout.write(`${line}\n`);
    if ((declared.exitCode ?? 0) !== 0) k.die(declared.exitCode, `command terminated with exit code ${declared.exitCode}`);
    process.exit(0);
  }
  const r = spawnSync(cmd[0], cmd.slice(1), {
    env: { ...processEnv(container, env, pod.metadata.name), HK_POD: `${ns}/${pod.metadata.name}`, HK_CLUSTER_DIR: ctx.c.dir },
    cwd: '/',
    stdio: [interactive ? 'inherit' : 'ignore', 'inherit', 'inherit'],
  });
  if (r.error && r.error.code === 'ENOENT') {
    k.die(1, `error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${sha(String(Date.now())).slice(0, 64)}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${cmd[0]}": executable file not found in $PATH: unknown`);
  }
  const code = r.status ?? (r.signal ? 128 + 9 : 1);
  if (code !== 0) k.die(code, `command terminated with exit code ${code}`);
  process.exit(0);
}

module.exports = { registryOf, repositoryOf, imageInfo, pullProblem, containerEnv, startProblem, runJob, jobRun, forgetJob, jobPods, cmdLogs, cmdExec, durationMs };
