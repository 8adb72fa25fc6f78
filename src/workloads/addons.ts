// The ingress add-on: Traefik, the ingress controller on the ingress node's ports 80/443, with its
// own ACME resolver for Let's Encrypt certificates; from its official Helm chart at a pinned
// version, installed with a pinned helm whose download is checked against a pinned sha256.
//
// Why not cert-manager (which hobbykube used before): its controller, webhook and cainjector cost
// ~150 MiB of real memory and three pods' requests on the workers, which a cluster of 512 MB
// workers cannot spare (the webhook's CA needs the cainjector, so it cannot simply be trimmed).
// Traefik v3's built-in resolver does HTTP-01 itself and keeps the account and certificates in one
// file, acme.json (mode 0600), which is supported for a single Traefik instance: exactly one runs,
// pinned to the ingress node, and acme.json is on that node's disk (ACME_DIR), so it survives
// restarts, upgrades and redeploys. A cluster that still has cert-manager from an earlier
// hobbykube gets it removed after Traefik took over (certManagerRemovalScripts); Traefik then
// requests its own certificates, so every app's certificate is issued anew once.
//
// Versions (found with the stored-docs search, 2026-09; bump together with the checksums):
// - Traefik chart 41.5.0 (traefik/traefik-helm-chart PR #1997 "publish 41.5.0", 2026-09-07:
//   Traefik Proxy v3.7.13). Chart 39+ enforces its values schema and nests entry point HTTP
//   options under `http` (PR #1603): our redirect is `ports.web.http.redirections`.
//   `certificatesResolvers` are flattened into --certificatesresolvers.* arguments by the chart.
//   The archive's sha256 below is the one several unrelated public repositories pin for
//   traefik.github.io/charts/traefik/traefik-41.5.0.tgz and check the downloaded bytes against
//   (`sha256sum --check` in a shell script, a hashlib assertion in a test, two release manifests).
//   Helm's repository index records the same kind of digest (the archive's sha256) per version; it
//   was not compared with that index, nor recomputed here (no network). Like helm's sums, a wrong
//   value stops the step rather than installing anything.
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
import { ADMIN_CONF, NODE_DIR, SHELL_HELPERS, script, shd } from '../install/render/script.js';
import { VERIFY_FUNCTIONS } from '../install/render/pins.js';
import { loadTemplate } from './templates.js';

export const HELM_VERSION = 'v4.3.0';
export const HELM_SHA256: Record<Arch, string> = {
  amd64: '86584a54def73570558f66f5111cc53dfed56689637ae32c1201205d494f54fb',
  arm64: '31c5794dd55c66a51e6b7d2e2ac7a114ae8b1de41ff1d9ba51748ac973b06a08',
};
export const helmTarballUrl = (arch: Arch): string => `https://get.helm.sh/helm-${HELM_VERSION}-linux-${arch}.tar.gz`;

export interface HelmChart {
  release: string;
  namespace: string;
  chart: string;
  version: string;
  /** The chart archive, downloaded by the install (never by helm) and checked against `sha256`. */
  url: string;
  sha256: string;
  valuesFile: string;
}

export const TRAEFIK_CHART: HelmChart = {
  release: 'traefik',
  namespace: 'traefik',
  chart: 'traefik',
  version: '41.5.0',
  url: 'https://traefik.github.io/charts/traefik/traefik-41.5.0.tgz',
  sha256: '30f8db73182019b2764179d7fc0a7efc9505670204f847ffc3a779bacaae3a1a',
  valuesFile: 'addons/traefik-values.yaml',
};

/**
 * Where a checked chart archive is kept on the control plane: a download cache, kept by reset like
 * the installed packages, so a rerun or a rebuild does not fetch it again. Only a file whose sha256
 * matched is ever moved here.
 */
export const CHART_CACHE = '/var/cache/hobbykube/charts';
export const chartArchivePath = (chart: HelmChart): string => `${CHART_CACHE}/${chart.chart}-${chart.version}.tgz`;

/** cert-manager as earlier hobbykube releases installed it (removed when found). */
export const CERT_MANAGER = { release: 'cert-manager', namespace: 'cert-manager' } as const;
/** Its CRDs (kept by its chart on uninstall, `crds.keep`): deleted with it. */
export const CERT_MANAGER_CRDS = [
  'certificaterequests.cert-manager.io',
  'certificates.cert-manager.io',
  'challenges.acme.cert-manager.io',
  'clusterissuers.cert-manager.io',
  'issuers.cert-manager.io',
  'orders.acme.cert-manager.io',
];

export const ACME_SERVERS = {
  production: 'https://acme-v02.api.letsencrypt.org/directory',
  staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
} as const;

/** The certificate resolver's name, which the apps' Ingresses refer to. */
export const ACME_RESOLVER = 'letsencrypt';
/** Where acme.json lives on the ingress node. */
export const ACME_DIR = '/var/lib/hobbykube/traefik';
/** Traefik's user and group in the chart's pod security context (runAsUser/runAsGroup 65532). */
export const TRAEFIK_UID = 65532;

/** Traefik is installed only when there is an ingress and an app with a domain. */
export function ingressAddonsNeeded(spec: ClusterSpec): boolean {
  return spec.spec.ingress !== undefined && spec.spec.workloads.some((w) => w.kind === 'app' && w.domain !== undefined);
}

type Values = Record<string, unknown>;

function valuesTemplate(chart: HelmChart): Values {
  const [values] = loadTemplate(chart.valuesFile);
  if (!values) throw new Error(`manifests/${chart.valuesFile} is empty`);
  return values;
}

type Obj = Record<string, any>;

/** Traefik's values with the ingress node, acme.json's directory and the ACME account filled in. */
export function traefikValues(ingress: IngressSpec): Values {
  const values = valuesTemplate(TRAEFIK_CHART) as Obj;
  values.nodeSelector = { 'kubernetes.io/hostname': ingress.node };
  const volume = (values.deployment.additionalVolumes as Obj[]).find((v) => v.name === 'acme')!;
  volume.hostPath.path = ACME_DIR;
  const acme = values.certificatesResolvers[ACME_RESOLVER].acme as Obj;
  acme.email = ingress.email;
  acme.caServer = ACME_SERVERS[ingress.acme];
  return values;
}

/** Helm reads values through go-yaml too: written so that it sees the same strings (src/kubeyaml.ts). */
export function valuesYaml(values: Values): string {
  return kubeYaml(values);
}

/** A pod the add-ons run, with the memory it requests and its limit (read from the values file). */
export interface AddonPod {
  name: string;
  /** The memory request, MiB. */
  memoryMiB: number;
  /** The memory limit, MiB. */
  limitMiB: number;
  /** Pinned to this node (Traefik on the ingress node, a database's dump on its dump node). */
  node?: string;
  /** How the capacity check names it (default: "<name> (ingress controller)"). */
  what?: string;
  /** Batch priority (a dump Job): placed after the serving pods, which it never preempts. */
  batch?: true;
  /** Tolerates the control-plane taint. */
  toleratesControlPlane: boolean;
}

function quantityAt(values: Values, path: string[], what: string): number {
  let cur: unknown = values;
  for (const key of path) cur = (cur as Record<string, unknown> | undefined)?.[key];
  if (typeof cur !== 'string') throw new Error(`${what}: no memory quantity at ${path.join('.')}`);
  return quantityMiB(cur);
}

export function addonPods(spec: ClusterSpec): AddonPod[] {
  if (!ingressAddonsNeeded(spec)) return [];
  const traefik = traefikValues(spec.spec.ingress!);
  return [
    {
      name: 'traefik',
      memoryMiB: quantityAt(traefik, ['resources', 'requests', 'memory'], 'traefik'),
      limitMiB: quantityAt(traefik, ['resources', 'limits', 'memory'], 'traefik'),
      node: spec.spec.ingress!.node,
      toleratesControlPlane: true,
    },
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
      verify_sha256 "$tmp/$tarball" "$sum" "helm: $tarball" || exit 1
      tar -xzf "$tmp/$tarball" -C "$tmp" "linux-$arch/helm"
      install -m 0755 "$tmp/linux-$arch/helm" /usr/local/bin/helm
      echo "installed helm $version (sha256 verified)"`, [VERIFY_FUNCTIONS]),
  };
}

/**
 * `helm upgrade --install` of a pinned chart with its values file (copied to the node as a file,
 * never built into the command line). helm installs from the archive in CHART_CACHE, which the
 * action downloads first when it is missing: into a temporary file beside it, checked against the
 * pinned sha256 (a mismatch stops with both sums and leaves nothing behind), then renamed into
 * place, so an interrupted download is never mistaken for a checked one. Done when the release is
 * deployed at that chart version and the values on the node are the ones we would send.
 */
export function helmReleaseScripts(chart: HelmChart, values: string): { probe: string; action: string } {
  const path = valuesPath(chart);
  const archive = chartArchivePath(chart);
  const chartRef = `${chart.chart}-${chart.version}`;
  return {
    probe: script(shd`
      command -v helm >/dev/null 2>&1 || exit 1
      echo ${`${sha256(values)}  ${path}`} | sha256sum -c --quiet - >/dev/null 2>&1 || exit 1
      status=$(helm --kubeconfig ${ADMIN_CONF} status ${chart.release} -n ${chart.namespace} -o json 2>/dev/null || true)
      case "$status" in *'"status":"deployed"'*) ;; *) exit 1 ;; esac
      # Read whole, then searched: \`helm list | grep -q\` can lose helm to SIGPIPE under pipefail.
      releases=$(helm --kubeconfig ${ADMIN_CONF} list -n ${chart.namespace} --filter ${`^${chart.release}$`} 2>/dev/null || true)
      grep -qF ${chartRef} <<<"$releases" || exit 1
      exit 0`),
    action: script(shd`
      archive=${archive}
      if [ ! -s "$archive" ]; then
        install -d -m 0755 ${CHART_CACHE}
        tmp=$(mktemp "$archive.XXXXXX")
        trap 'rm -f "$tmp"' EXIT
        curl -fsSL --retry 3 -o "$tmp" ${chart.url}
        verify_sha256 "$tmp" ${chart.sha256} ${`${chart.chart} chart: ${chart.url}`} || exit 1
        chmod 0644 "$tmp"
        mv "$tmp" "$archive"
        # Archives of earlier pinned versions are no longer used.
        for old in ${CHART_CACHE}/${chart.chart}-*.tgz; do
          [ "$old" = "$archive" ] || rm -f "$old"
        done
        echo ${`downloaded ${chartRef}.tgz (sha256 verified)`}
      fi
      helm --kubeconfig ${ADMIN_CONF} upgrade --install ${chart.release} "$archive" \
        --namespace ${chart.namespace} --create-namespace \
        --values ${path} --wait --timeout 10m
      echo ${`${chart.release} ${chart.version} deployed`}`, [VERIFY_FUNCTIONS]),
  };
}

/**
 * acme.json's directory on the ingress node: owned by Traefik's user, mode 0700; an existing
 * acme.json is kept (its certificates), only its owner and mode 0600 (Traefik refuses a file other
 * users can read) are made right.
 */
export function acmeDirScripts(): { probe: string; action: string } {
  const owner = `${TRAEFIK_UID}:${TRAEFIK_UID}`;
  return {
    probe: script(shd`
      dir=${ACME_DIR}
      [ -d "$dir" ] || exit 1
      [ "$(stat -c '%u:%g %a' "$dir")" = ${`${owner} 700`} ] || exit 1
      if [ -e "$dir/acme.json" ]; then
        [ "$(stat -c '%u:%g %a' "$dir/acme.json")" = ${`${owner} 600`} ] || exit 1
      fi
      exit 0`),
    action: script(shd`
      dir=${ACME_DIR}
      install -d -m 0700 -o ${String(TRAEFIK_UID)} -g ${String(TRAEFIK_UID)} "$dir"
      chown ${owner} "$dir"
      chmod 0700 "$dir"
      if [ -e "$dir/acme.json" ]; then
        chown ${owner} "$dir/acme.json"
        chmod 0600 "$dir/acme.json"
        echo "kept $dir/acme.json (its certificates stay valid)"
      fi
      echo "$dir is ready for Traefik's acme.json (owner ${owner}, mode 0700)"`),
  };
}

/**
 * Removes cert-manager left by an earlier hobbykube: the Helm release, the ClusterIssuers hobbykube
 * made, its CRDs (which delete its Certificates, Orders and Challenges; the chart kept them on
 * uninstall) and its namespace. Done when none of it is left. Old certificate Secrets (`<app>-tls`)
 * are no longer used by any Ingress and are left in place.
 */
export function certManagerRemovalScripts(): { probe: string; action: string } {
  const crdCheck = CERT_MANAGER_CRDS.map((crd) => shd`kq get crd ${crd} >/dev/null 2>&1 && exit 1`).join('\n');
  return {
    probe: script(
      [
        shd`
      if command -v helm >/dev/null 2>&1 && helm --kubeconfig ${ADMIN_CONF} status ${CERT_MANAGER.release} -n ${CERT_MANAGER.namespace} >/dev/null 2>&1; then exit 1; fi`,
        crdCheck,
        shd`kq get namespace ${CERT_MANAGER.namespace} >/dev/null 2>&1 && exit 1`,
        'exit 0',
      ].join('\n'),
      [SHELL_HELPERS.kubectlQuick],
    ),
    action: script(
      shd`
      echo "removing cert-manager: Traefik's own ACME resolver replaces it; every app's certificate is requested again"
      if command -v helm >/dev/null 2>&1 && helm --kubeconfig ${ADMIN_CONF} status ${CERT_MANAGER.release} -n ${CERT_MANAGER.namespace} >/dev/null 2>&1; then
        helm --kubeconfig ${ADMIN_CONF} uninstall ${CERT_MANAGER.release} -n ${CERT_MANAGER.namespace} --wait --timeout 5m
      fi
      if kc get crd clusterissuers.cert-manager.io >/dev/null 2>&1; then
        kc delete clusterissuers.cert-manager.io --all --ignore-not-found
      fi
      kc delete crd ${CERT_MANAGER_CRDS} --ignore-not-found
      kc delete namespace ${CERT_MANAGER.namespace} --ignore-not-found --wait=false
      echo "cert-manager removed"`,
      [SHELL_HELPERS.kubectl],
    ),
  };
}
