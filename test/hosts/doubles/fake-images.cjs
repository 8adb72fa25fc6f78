'use strict';
// What the fake cluster's images are, for the kubectl double (the containers themselves run in
// pod-runtime.cjs): which registries need a login to pull from, and what an image does that a
// shell on this machine cannot, declared by the tests in the bed's shared folder (harness.ts
// fakeRegistry, fakeImage):
//
//   /run/hobbykube/shared/registries/<host>.json      {"username": "...", "token": "..."}: a private
//       registry: a pod pulls from it only with an imagePullSecret holding that login
//   /run/hobbykube/shared/images/<sha256 of ref>.json {"ref", "logs": ["line" | {"text", "ageSeconds"}],
//       "crashes": true, "runs": {"bin/rails db:migrate": {"exitCode": 1, "output": ["line", ...]}}}:
//       what its serving container prints, whether it crashes at start, and what the image's own
//       programs print and exit with (commands not listed run in the pod runtime, with this
//       machine's tools, as a shell in the image would run them)
//
// Per-workload behaviour of one cluster (crash, OOM, evictions, logs) stays in the kubectl double's
// <cluster>/behaviour files; these facts belong to the image, whichever workload runs it.
const path = require('node:path');
const crypto = require('node:crypto');
const k = require('./k8s-common.cjs');

const SHARED = `${k.HK}/shared`;
const sha = (s) => crypto.createHash('sha256').update(s).digest('hex');

/** The registry host of an image reference, as containerd reads it (docker.io when none). */
function registryOf(image) {
  const name = String(image).split('@')[0];
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const host = first && (first.includes('.') || first.includes(':') || first === 'localhost') ? first.toLowerCase() : 'docker.io';
  return ['index.docker.io', 'registry-1.docker.io'].includes(host) ? 'docker.io' : host;
}
function imageInfo(image) { return k.readJson(path.join(SHARED, 'images', `${sha(String(image))}.json`), {}); }
function registryLogin(host) { return k.readJson(path.join(SHARED, 'registries', `${host}.json`), undefined); }

/** A dockerconfigjson auth key as the kubelet's keyring reads it: no scheme, no path; Docker Hub's names are docker.io. */
function authHost(key) {
  const host = String(key).replace(/^https?:\/\//, '').split('/')[0].toLowerCase();
  return ['index.docker.io', 'registry-1.docker.io', 'docker.io'].includes(host) ? 'docker.io' : host;
}

/**
 * Whether a pod may pull `image`: a private registry needs a pull Secret of the pod whose
 * .dockerconfigjson holds its host with the right username and token, as the kubelet presents
 * them. 'unauthorized' when it may not; undefined when it may (or the registry is public).
 */
function loginProblem(image, podSpec, ns, getObj) {
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
  return 'unauthorized';
}

/** What the image's own program does for these words (a Job's or exec's command), if declared. */
function declaredRun(image, words) { return imageInfo(image).runs?.[words.join(' ')]; }

/** A running container's log lines with their times, as declared for its image (undefined: none declared). */
function imageLog(image, now = Date.now()) {
  const logs = imageInfo(image).logs;
  if (!logs) return undefined;
  return logs.map((l) => (typeof l === 'string' ? { text: l, time: now - 1000 } : { text: l.text, time: now - (l.ageSeconds ?? 1) * 1000 }));
}

/** "5s", "10m", "1h30m" as kubectl reads --since; undefined when it is not a duration. */
function durationMs(text) {
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let m;
  let seen = '';
  while ((m = re.exec(String(text))) !== null) { total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2]]; seen += m[0]; }
  return seen === String(text) && seen !== '' ? total : undefined;
}

module.exports = { registryOf, imageInfo, loginProblem, declaredRun, imageLog, durationMs };
