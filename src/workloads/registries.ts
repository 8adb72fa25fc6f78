// Private registries (pure): each entry of spec.registries becomes a kubernetes.io/dockerconfigjson
// Secret `registry.<name>` (the dot keeps it apart from every workload-derived name), and every
// workload's pods whose image is on that registry carry it in imagePullSecrets, so the kubelet
// pulls with the owner's login. The token comes from secrets.yaml (registries section) or
// HOBBYKUBE_REGISTRY_<NAME>_TOKEN; it reaches the cluster on stdin of kubectl apply only.
import { imageRegistry, registryHost } from '../spec/rules.js';
import type { ClusterSpec, RegistrySpec, Workload } from '../spec/types.js';
import { NAMESPACE, objectLabels, SHARED_NAME } from './labels.js';
import type { K8sObject } from './templates.js';

export const registrySecretName = (registry: string): string => `registry.${registry}`;

/** The environment variable a registry's token may come from: HOBBYKUBE_REGISTRY_GHCR_TOKEN. */
export const registryTokenEnv = (registry: string): string => `HOBBYKUBE_REGISTRY_${registry.replace(/-/g, '_').toUpperCase()}_TOKEN`;


/** The registry entry a workload's image is pulled with, if any. */
export function registryFor(spec: ClusterSpec, image: string): RegistrySpec | undefined {
  const host = imageRegistry(image);
  return (spec.spec.registries ?? []).find((r) => registryHost(r.server) === host);
}

/** `imagePullSecrets` for a pod running `image` (empty when its registry has no entry). */
export function pullSecrets(spec: ClusterSpec, image: string): Array<{ name: string }> {
  const registry = registryFor(spec, image);
  return registry ? [{ name: registrySecretName(registry.name) }] : [];
}

/**
 * The key of the auth entry: Docker Hub's classic config key (what `docker login` writes and the
 * kubelet's keyring matches for docker.io images), else the server as images name it.
 */
export function authKey(registry: RegistrySpec): string {
  return registryHost(registry.server) === 'docker.io' ? 'https://index.docker.io/v1/' : registry.server.toLowerCase();
}

/** The .dockerconfigjson document for one registry. */
export function dockerConfigJson(registry: RegistrySpec, token: string): string {
  const auth = Buffer.from(`${registry.username}:${token}`, 'utf8').toString('base64');
  return JSON.stringify({ auths: { [authKey(registry)]: { username: registry.username, password: token, auth } } });
}

/** A registry's pull Secret; `token` undefined: a "[redacted]" value for printing. */
export function registrySecret(cluster: string, registry: RegistrySpec, token: string | undefined, redacted: string): K8sObject {
  const obj: K8sObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: registrySecretName(registry.name), namespace: NAMESPACE, labels: objectLabels(cluster, SHARED_NAME) },
    type: 'kubernetes.io/dockerconfigjson',
  };
  if (token === undefined) obj.stringData = { '.dockerconfigjson': redacted };
  else obj.data = { '.dockerconfigjson': Buffer.from(dockerConfigJson(registry, token), 'utf8').toString('base64') };
  return obj;
}

/** Which workload pulls with which registry: for plan and apply to show. */
export function registryUse(spec: ClusterSpec): Array<{ workload: string; image: string; registry: string }> {
  return spec.spec.workloads.flatMap((w) => {
    const r = registryFor(spec, w.image);
    return r ? [{ workload: w.name, image: w.image, registry: r.name }] : [];
  });
}
