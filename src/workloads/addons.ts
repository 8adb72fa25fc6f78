// Ingress add-ons: Traefik (the ingress controller on the ingress node's ports 80/443) and
// cert-manager (certificates from Let's Encrypt), both from their official Helm charts at pinned
// versions, installed with a pinned helm whose download is checked against a pinned sha256.
//
// Versions (found with the stored-docs search, 2026-09; bump together with the checksums):
// - Traefik chart 41.5.0 (traefik/traefik-helm-chart PR #1997 "publish 41.5.0", 2026-09-07:
//   Traefik Proxy v3.7.13). Chart 39+ enforces its values schema and nests entry point HTTP
//   options under `http` (PR #1603); our values use neither removed key.
// - cert-manager v1.21.2 (Renovate updates "cert-manager to v1.21.2", after v1.21.0 of
//   2026-07-08 and v1.21.1); chart from https://charts.jetstack.io, CRDs via `crds.enabled`.
// - helm v4.3.0. The sha256 sums below are the ones published in the Helm v4.3.0 release notes
//   (each tarball's "checksum" link, get.helm.sh/helm-v4.3.0-linux-ARCH.tar.gz.sha256sum), as
//   quoted verbatim by two independent Renovate PRs (walnuts1018/infra#2809, vtmocanu/uzi#1437).
//   They were not recomputed from the tarballs here (no network). The install script compares
//   the download with the pinned sum, so a changed tarball, or a wrong sum here, stops the step
//   instead of installing an unverified binary.
import { createHash } from 'node:crypto';
import { kubeYaml } from '../kubeyaml.js';
import type { Arch } from '../facts/types.js';
import type { ClusterSpec, IngressSpec } from '../spec/types.js';
import { quantityMiB } from '../spec/rules.js';
import { ADMIN_CONF, NODE_DIR, script, shd } from '../install/render/script.js';
import { loadTemplate, templateObject, type K8sObject } from './templates.js';

export const HELM_VERSION = 'v4.3.0';
export const HELM_SHA256: Record<Arch, string> = {
  amd64: '86584a54def73570558f66f5111cc53dfed56689637ae32c1201205d494f54fb',
  arm64: '31c5794dd55c66a51e6b7d2e2ac7a114ae8b1de41ff1d9ba51748ac973b06a08',
};
export const helmTarballUrl = (arch: Arch): string => `https://get.helm.sh/helm-${HELM_VERSION}-linux-${arch}.tar.gz`;

export interface HelmChart {
  release: string;
  namespace: string;
  repo: string;
  chart: string;
  version: string;
  valuesFile: string;
}

export const TRAEFIK_CHART: HelmChart = {
  release: 'traefik',
  namespace: 'traefik',
  repo: 'https://traefik.github.io/charts',
  chart: 'traefik',
  version: '41.5.0',
  valuesFile: 'addons/traefik-values.yaml',
};

export const CERT_MANAGER_CHART: HelmChart = {
  release: 'cert-manager',
  namespace: 'cert-manager',
  repo: 'https://charts.jetstack.io',
  chart: 'cert-manager',
  version: 'v1.21.2',
  valuesFile: 'addons/cert-manager-values.yaml',
};

export const ACME_SERVERS = {
  production: 'https://acme-v02.api.letsencrypt.org/directory',
  staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
} as const;

/** Traefik and cert-manager are installed only when there is an ingress and an app with a domain. */
export function ingressAddonsNeeded(spec: ClusterSpec): boolean {
  return spec.spec.ingress !== undefined && spec.spec.workloads.some((w) => w.kind === 'app' && w.domain !== undefined);
}

export function clusterIssuer(ingress: IngressSpec): K8sObject {
  const issuer = templateObject('addons/cluster-issuer.yaml', 'ClusterIssuer');
  issuer.metadata.name = `letsencrypt-${ingress.acme}`;
  issuer.spec.acme.email = ingress.email;
  issuer.spec.acme.server = ACME_SERVERS[ingress.acme];
  issuer.spec.acme.privateKeySecretRef.name = `letsencrypt-${ingress.acme}-account`;
  return issuer;
}

type Values = Record<string, unknown>;

function valuesTemplate(chart: HelmChart): Values {
  const [values] = loadTemplate(chart.valuesFile);
  if (!values) throw new Error(`manifests/${chart.valuesFile} is empty`);
  return values;
}

/** Traefik's values with the ingress node filled in. */
export function traefikValues(ingress: IngressSpec): Values {
  const values = valuesTemplate(TRAEFIK_CHART);
  values.nodeSelector = { 'kubernetes.io/hostname': ingress.node };
  return values;
}

export function certManagerValues(): Values {
  return valuesTemplate(CERT_MANAGER_CHART);
}

/** Helm reads values through go-yaml too: written so that it sees the same strings (src/kubeyaml.ts). */
export function valuesYaml(values: Values): string {
  return kubeYaml(values);
}

/** A pod the add-ons run, with the memory it requests (read from the values files). */
export interface AddonPod {
  name: string;
  memoryMiB: number;
  /** Pinned to this node (Traefik on the ingress node). */
  node?: string;
  /** Tolerates the control-plane taint. */
  toleratesControlPlane: boolean;
}

function requestMiB(values: Values, path: string[], what: string): number {
  let cur: unknown = values;
  for (const key of path) cur = (cur as Record<string, unknown> | undefined)?.[key];
  if (typeof cur !== 'string') throw new Error(`${what}: no memory request at ${path.join('.')}`);
  return quantityMiB(cur);
}

export function addonPods(spec: ClusterSpec): AddonPod[] {
  if (!ingressAddonsNeeded(spec)) return [];
  const traefik = traefikValues(spec.spec.ingress!);
  const cm = certManagerValues();
  return [
    { name: 'traefik', memoryMiB: requestMiB(traefik, ['resources', 'requests', 'memory'], 'traefik'), node: spec.spec.ingress!.node, toleratesControlPlane: true },
    { name: 'cert-manager', memoryMiB: requestMiB(cm, ['resources', 'requests', 'memory'], 'cert-manager'), toleratesControlPlane: false },
    { name: 'cert-manager-cainjector', memoryMiB: requestMiB(cm, ['cainjector', 'resources', 'requests', 'memory'], 'cert-manager'), toleratesControlPlane: false },
    { name: 'cert-manager-webhook', memoryMiB: requestMiB(cm, ['webhook', 'resources', 'requests', 'memory'], 'cert-manager'), toleratesControlPlane: false },
  ];
}

// --- scripts ---------------------------------------------------------------------------------------

export const ADDONS_DIR = `${NODE_DIR}/addons`;
export const valuesPath = (chart: HelmChart): string => `${ADDONS_DIR}/${chart.release}-values.yaml`;

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Installs helm into /usr/local/bin after checking the tarball's sha256 against the pinned one. */
export function helmInstallScripts(): { probe: string; action: string } {
  return {
    probe: script(shd`
      command -v helm >/dev/null 2>&1 || exit 1
      [ "$(helm version --template '{{.Version}}' 2>/dev/null || true)" = ${HELM_VERSION} ] || exit 1
      exit 0`),
    action: script(shd`
      arch=$(dpkg --print-architecture 2>/dev/null || uname -m)
      case "$arch" in
        amd64 | x86_64) arch=amd64; sum=${HELM_SHA256.amd64} ;;
        arm64 | aarch64) arch=arm64; sum=${HELM_SHA256.arm64} ;;
        *) echo "helm: no pinned checksum for architecture $arch" >&2; exit 1 ;;
      esac
      version=${HELM_VERSION}
      tmp=$(mktemp -d)
      trap 'rm -rf "$tmp"' EXIT
      tarball="helm-$version-linux-$arch.tar.gz"
      curl -fsSL --retry 3 -o "$tmp/$tarball" "https://get.helm.sh/$tarball"
      if ! echo "$sum  $tmp/$tarball" | sha256sum -c --quiet -; then
        echo "helm: $tarball does not match the pinned sha256 $sum; not installing it" >&2
        exit 1
      fi
      tar -xzf "$tmp/$tarball" -C "$tmp" "linux-$arch/helm"
      install -m 0755 "$tmp/linux-$arch/helm" /usr/local/bin/helm
      echo "installed helm $version (sha256 verified)"`),
  };
}

/**
 * `helm upgrade --install` of a pinned chart with its values file (copied to the node as a file,
 * never built into the command line). Done when the release is deployed at that chart version and
 * the values on the node are the ones we would send.
 */
export function helmReleaseScripts(chart: HelmChart, values: string): { probe: string; action: string } {
  const path = valuesPath(chart);
  const chartRef = `${chart.chart}-${chart.version}`;
  return {
    probe: script(shd`
      command -v helm >/dev/null 2>&1 || exit 1
      echo ${`${sha256(values)}  ${path}`} | sha256sum -c --quiet - >/dev/null 2>&1 || exit 1
      status=$(helm --kubeconfig ${ADMIN_CONF} status ${chart.release} -n ${chart.namespace} -o json 2>/dev/null || true)
      case "$status" in *'"status":"deployed"'*) ;; *) exit 1 ;; esac
      helm --kubeconfig ${ADMIN_CONF} list -n ${chart.namespace} --filter ${`^${chart.release}$`} 2>/dev/null | grep -qF ${chartRef} || exit 1
      exit 0`),
    action: script(shd`
      helm --kubeconfig ${ADMIN_CONF} upgrade --install ${chart.release} ${chart.chart} \
        --repo ${chart.repo} --version ${chart.version} \
        --namespace ${chart.namespace} --create-namespace \
        --values ${path} --wait --timeout 10m
      echo ${`${chart.release} ${chart.version} deployed`}`),
  };
}
