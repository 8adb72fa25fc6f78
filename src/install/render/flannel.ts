// flannel, the pod network, rendered as objects (no manifest is downloaded).
//
// Why not `kubectl apply -f https://github.com/.../kube-flannel.yml` any more: everything the
// install fetches is to be pinned by sha256, and flannel publishes no checksum or signature for
// its release assets (flannel-io/flannel#2369, "Implement Signed Releases", open, wontfix); a sum
// computed here from some copy of the file would be a guess dressed as a pin. So hobbykube builds
// flannel's objects itself, as it builds every other object it applies: validated against the
// Kubernetes schemas in the tests, the backend and the memory limit set as fields, no text
// surgery on a downloaded file. The shape follows flannel's release manifest for the pinned
// version (kube-flannel.yml of v0.28.9: namespace kube-flannel, the same names, labels, selector,
// RBAC, init containers, volumes and images), so a cluster made from that manifest by an earlier
// hobbykube is updated in place (a DaemonSet's selector cannot change).
//
// The backend (flannel's Documentation/backends.md, pkg/backend/wireguard/wireguard.go):
// - wireguard: in-kernel WireGuard, every packet between nodes encrypted; UDP 51820 (ListenPort's
//   default); interface flannel-wg. PersistentKeepaliveInterval 25 s keeps NAT mappings open so a
//   NAT'd node stays reachable (wg(8): "a sensible interval that works with a wide variety of
//   firewalls is 25 seconds"); flannel's default is 0 (off). The public endpoint of a NAT'd node
//   is its public-ip-overwrite annotation (src/facts/addressing.ts; set by flannel-public-ip.ts).
// - vxlan: in-kernel VXLAN on UDP 8472, unencrypted: only when the owner says the nodes share a
//   private network (spec.network.privateNetwork).
// flannel's guide says the backend "should not be changed at runtime": when it does change (an
// earlier hobbykube's VXLAN cluster, or privateNetwork flipped), the DaemonSet's pods restart with
// the new backend (a pod-template annotation carries the net-conf's hash) and each node's stale
// interface is deleted by staleBackendStep, so no route keeps pointing into the old tunnel.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { kubeYamlStream } from '../../kubeyaml.js';
import { DEFAULT_POD_SUBNET } from './kubeadm-config.js';
import { SHELL_HELPERS, script, shd, step, type StepScripts } from './script.js';

export type PodNetworkBackend = 'wireguard' | 'vxlan';

/** flannel's UDP ports: WireGuard's ListenPort default and the kernel's VXLAN port (flannel's backends.md). */
export const BACKEND_PORT: Record<PodNetworkBackend, number> = { wireguard: 51820, vxlan: 8472 };
export const BACKEND_LABEL: Record<PodNetworkBackend, string> = { wireguard: 'WireGuard', vxlan: 'VXLAN' };

export const FLANNEL_VERSION = 'v0.28.9';
export const FLANNEL_IMAGE = `ghcr.io/flannel-io/flannel:${FLANNEL_VERSION}`;
/** The CNI plugin image v0.28.9's manifest names. */
export const FLANNEL_CNI_PLUGIN_IMAGE = 'ghcr.io/flannel-io/flannel-cni-plugin:v1.9.1-flannel3';
export const FLANNEL_NAMESPACE = 'kube-flannel';
export const FLANNEL_DAEMONSET = 'kube-flannel-ds';
export const FLANNEL_CONFIGMAP = 'kube-flannel-cfg';
/** flannel's network interface per backend. */
export const BACKEND_DEVICE: Record<PodNetworkBackend, string> = { wireguard: 'flannel-wg', vxlan: 'flannel.1' };
export const WIREGUARD_KEEPALIVE_SECONDS = 25;
/**
 * Memory (MiB): request 50 and limit 50. The request is flannel's own manifest's. The limit is
 * what flannel's manifests set until they dropped it (flannel-io/flannel#963 quotes `limits:
 * memory: 50Mi`): a leak cannot take the node. Why no more: the capacity check counts every pod at
 * its limit, and the source document's 470 MiB worker that runs Traefik has 8 MiB to spare there
 * (docs/SMALL-NODES.md), so a higher limit would make that cluster not fit. The risk, stated:
 * #963 and #1415 saw flanneld OOM-killed at 50Mi on busier, larger clusters; a cluster of a few
 * nodes keeps flannel's informer caches small (its use there is roughly 10-20 MiB: an estimate,
 * not measured here). An OOM-killed flannel shows as OOMKilled in `kubectl -n kube-flannel get pods`.
 */
export const FLANNEL_MEMORY = { requestMiB: 50, limitMiB: 50 } as const;
/** Marks the objects hobbykube rendered, with the hash of what it rendered: the probe's memory. */
export const RENDERED_ANNOTATION = 'hobbykube.dev/rendered-sha256';
const NETCONF_ANNOTATION = 'hobbykube.dev/net-conf-sha256';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** flannel's net-conf.json: the pod network, iptables (not nftables) for its masquerade rules, the backend. */
export function netConf(backend: PodNetworkBackend, podSubnet: string = DEFAULT_POD_SUBNET): Record<string, unknown> {
  const [ip, bits] = podSubnet.split('/');
  if (isIP(ip ?? '') !== 4 || !/^\d{1,2}$/.test(bits ?? '') || Number(bits) > 32) throw new Error(`flannel needs an IPv4 pod subnet, got ${podSubnet}`);
  const backendConfig =
    backend === 'wireguard'
      ? { Type: 'wireguard', ListenPort: BACKEND_PORT.wireguard, PersistentKeepaliveInterval: WIREGUARD_KEEPALIVE_SECONDS }
      : { Type: 'vxlan', Port: BACKEND_PORT.vxlan };
  return { Network: podSubnet, EnableNFTables: false, Backend: backendConfig };
}

/** The CNI configuration flannel's init container copies to /etc/cni/net.d (flannel's, unchanged). */
const CNI_CONF = {
  name: 'cbr0',
  cniVersion: '0.3.1',
  plugins: [
    { type: 'flannel', delegate: { hairpinMode: true, isDefaultGateway: true } },
    { type: 'portmap', capabilities: { portMappings: true } },
  ],
};

/** A fresh object per use: one shared object would be written as a YAML anchor and alias. */
const labels = () => ({ app: 'flannel', 'k8s-app': 'flannel', tier: 'node' });

export function flannelObjects(backend: PodNetworkBackend, podSubnet: string = DEFAULT_POD_SUBNET): Array<Record<string, unknown>> {
  const net = `${JSON.stringify(netConf(backend, podSubnet))}\n`;
  const ns = FLANNEL_NAMESPACE;
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'k8s-app': 'flannel', 'pod-security.kubernetes.io/enforce': 'privileged' } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'flannel', namespace: ns, labels: { 'k8s-app': 'flannel' } } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'flannel', labels: { 'k8s-app': 'flannel' } },
      rules: [
        { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'flannel', labels: { 'k8s-app': 'flannel' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'flannel' },
      subjects: [{ kind: 'ServiceAccount', name: 'flannel', namespace: ns }],
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: FLANNEL_CONFIGMAP, namespace: ns, labels: labels() },
      data: { 'cni-conf.json': `${JSON.stringify(CNI_CONF)}\n`, 'net-conf.json': net },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: FLANNEL_DAEMONSET, namespace: ns, labels: labels() },
      spec: {
        selector: { matchLabels: { app: 'flannel', 'k8s-app': 'flannel' } },
        template: {
          // flanneld reads net-conf.json when it starts: a new one rolls the pods.
          metadata: { labels: labels(), annotations: { [NETCONF_ANNOTATION]: sha256(net) } },
          spec: {
            affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] }] } } },
            hostNetwork: true,
            priorityClassName: 'system-node-critical',
            serviceAccountName: 'flannel',
            tolerations: [{ effect: 'NoSchedule', operator: 'Exists' }],
            initContainers: [
              { name: 'install-cni-plugin', image: FLANNEL_CNI_PLUGIN_IMAGE, command: ['cp'], args: ['-f', '/flannel', '/opt/cni/bin/flannel'], volumeMounts: [{ name: 'cni-plugin', mountPath: '/opt/cni/bin' }] },
              {
                name: 'install-cni',
                image: FLANNEL_IMAGE,
                command: ['cp'],
                args: ['-f', '/etc/kube-flannel/cni-conf.json', '/etc/cni/net.d/10-flannel.conflist'],
                volumeMounts: [
                  { name: 'cni', mountPath: '/etc/cni/net.d' },
                  { name: 'flannel-cfg', mountPath: '/etc/kube-flannel/' },
                ],
              },
            ],
            containers: [
              {
                name: 'kube-flannel',
                image: FLANNEL_IMAGE,
                command: ['/opt/bin/flanneld'],
                args: ['--ip-masq', '--kube-subnet-mgr'],
                env: [
                  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                  { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                  { name: 'EVENT_QUEUE_DEPTH', value: '5000' },
                  { name: 'CONT_WHEN_CACHE_NOT_READY', value: 'false' },
                ],
                resources: { requests: { cpu: '100m', memory: `${FLANNEL_MEMORY.requestMiB}Mi` }, limits: { memory: `${FLANNEL_MEMORY.limitMiB}Mi` } },
                securityContext: { privileged: false, capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } },
                volumeMounts: [
                  { name: 'run', mountPath: '/run/flannel' },
                  { name: 'flannel-cfg', mountPath: '/etc/kube-flannel/' },
                  { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
                ],
              },
            ],
            volumes: [
              { name: 'run', hostPath: { path: '/run/flannel' } },
              { name: 'cni-plugin', hostPath: { path: '/opt/cni/bin' } },
              { name: 'cni', hostPath: { path: '/etc/cni/net.d' } },
              { name: 'flannel-cfg', configMap: { name: FLANNEL_CONFIGMAP } },
              { name: 'xtables-lock', hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' } },
            ],
          },
        },
      },
    },
  ];
}

/** The objects as one YAML stream, the DaemonSet marked with the hash of the whole stream. */
export function renderFlannel(backend: PodNetworkBackend, podSubnet: string = DEFAULT_POD_SUBNET): { manifest: string; sha: string } {
  const objects = flannelObjects(backend, podSubnet);
  const sha = sha256(kubeYamlStream(objects));
  const ds = objects.find((o) => o.kind === 'DaemonSet') as { metadata: { annotations?: Record<string, string> } };
  ds.metadata.annotations = { [RENDERED_ANNOTATION]: sha };
  return { manifest: kubeYamlStream(objects), sha };
}

/** Applies flannel's objects; done when the DaemonSet carries the hash of exactly these. */
export function flannelStep(backend: PodNetworkBackend, podSubnet: string = DEFAULT_POD_SUBNET): StepScripts {
  const { manifest, sha } = renderFlannel(backend, podSubnet);
  const annotation = `{.metadata.annotations.${RENDERED_ANNOTATION.replace(/\./g, '\\.')}}`;
  const label = backend === 'wireguard' ? 'WireGuard, encrypted between nodes' : 'VXLAN, over the private network';
  return step({
    describe: `Install the flannel pod network ${FLANNEL_VERSION} (${label}; pods in ${podSubnet})`,
    probe: script(
      shd`
      rendered=$(kq -n ${FLANNEL_NAMESPACE} get daemonset ${FLANNEL_DAEMONSET} -o jsonpath=${annotation} 2>/dev/null) || exit 1
      [ "$rendered" = ${sha} ] || exit 1
      exit 0`,
      [SHELL_HELPERS.kubectlQuick],
    ),
    action: script(
      shd`
      printf '%s' ${manifest} | kc apply -f -
      kc -n ${FLANNEL_NAMESPACE} rollout status daemonset/${FLANNEL_DAEMONSET} --timeout=300s`,
      [SHELL_HELPERS.kubectl],
    ),
  });
}

/**
 * Deletes the other backend's interface on a node (flannel.1 after a switch to WireGuard,
 * flannel-wg after one to VXLAN): its routes would keep sending pod traffic into the old tunnel.
 */
export function staleBackendStep(backend: PodNetworkBackend): StepScripts {
  const stale = BACKEND_DEVICE[backend === 'wireguard' ? 'vxlan' : 'wireguard'];
  return step({
    describe: `Remove the old pod network interface ${stale} (flannel now uses ${BACKEND_DEVICE[backend]})`,
    probe: script(shd`
      if ip link show ${stale} >/dev/null 2>&1; then exit 1; fi
      exit 0`),
    action: script(shd`
      if ip link show ${stale} >/dev/null 2>&1; then ip link delete ${stale}; fi
      echo ${`${stale} removed; pod traffic between nodes goes through ${BACKEND_DEVICE[backend]}`}`),
  });
}
