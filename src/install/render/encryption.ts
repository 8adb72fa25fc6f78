// Secrets encrypted at rest: the API server's EncryptionConfiguration (apiserver.config.k8s.io/v1),
// how kubeadm passes it to kube-apiserver, and the step that turns it on and rewrites the Secrets.
//
// Provider: secretbox (XSalsa20 and Poly1305, a 32-byte key). The Kubernetes documentation
// ("Encrypting Confidential Data at Rest", its providers table) rates aescbc "Weak" and "not
// recommended due to CBC's vulnerability to padding oracle attacks", and aesgcm "must be rotated
// every 200,000 writes"; secretbox is "Strong" with no rotation limit. KMS needs a key service a
// hobbyist's VPS does not have. The key sits on the control plane in a root-only file, as with
// any local key: it protects etcd's data files and backups, not a compromised control plane.
//
// The key is generated once and kept in the secrets file (src/state/encryption-keys.ts, which also holds the key's shape and the provider's name), so a
// rebuilt control plane, or an etcd backup restored onto one, reads the old data. `identity` comes
// last: Secrets written before encryption was turned on stay readable until the step rewrites them
// (`kubectl get secrets -A -o json | kubectl replace -f -`, the documented way), and new writes
// always use the first provider.
import { createHash } from 'node:crypto';
import { kubeYaml } from '../../kubeyaml.js';
import { nodeName as nodeNameRule } from '../../spec/rules.js';
import { checkKey, ENCRYPTION_PROVIDER, type EncryptionKey } from '../../state/encryption-keys.js';
import { INIT_CONFIG_PATH, NODE_DIR, SHELL_HELPERS, script, shd, step, type RemoteFile, type StepScripts } from './script.js';

export { checkKey, ENCRYPTION_PROVIDER, KEY_BYTES, type EncryptionKey } from '../../state/encryption-keys.js';

export const ENCRYPTION_API = 'apiserver.config.k8s.io/v1';
/** A directory of its own: kubeadm mounts it read-only into the kube-apiserver pod. */
export const ENCRYPTION_DIR = `${NODE_DIR}/encryption`;
export const ENCRYPTION_CONFIG_PATH = `${ENCRYPTION_DIR}/config.yaml`;
export const ENCRYPTION_FLAG = 'encryption-provider-config';
export const ENCRYPTION_VOLUME = 'hobbykube-encryption';
/** Records which key the Secrets were last rewritten with: the step's memory. */
export const ENCRYPTION_MARKER = 'hobbykube-encryption';

function configObject(keys: readonly EncryptionKey[], secret: (k: EncryptionKey) => string): Record<string, unknown> {
  if (keys.length === 0) throw new Error('no encryption key');
  for (const key of keys) checkKey(key);
  if (new Set(keys.map((k) => k.name)).size !== keys.length) throw new Error('encryption key names repeat');
  return {
    apiVersion: ENCRYPTION_API,
    kind: 'EncryptionConfiguration',
    resources: [
      {
        resources: ['secrets'],
        // The first key encrypts every write; the others (older keys) still decrypt.
        providers: [{ [ENCRYPTION_PROVIDER]: { keys: keys.map((k) => ({ name: k.name, secret: secret(k) })) } }, { identity: {} }],
      },
    ],
  };
}

/** The file kube-apiserver reads (holds the keys: 0600, never printed). */
export function renderEncryptionConfig(keys: readonly EncryptionKey[]): string {
  return kubeYaml(configObject(keys, (k) => k.secret));
}

/** The same with every key replaced by "<redacted>", for `plan --out`. */
export function redactedEncryptionConfig(keys: readonly EncryptionKey[]): string {
  return `# ${ENCRYPTION_CONFIG_PATH} on the control plane (mode 0600); the keys are redacted here.\n${kubeYaml(configObject(keys, () => '<redacted>'))}`;
}

/** kube-apiserver's flag and the read-only mount of the key's directory, for ClusterConfiguration.apiServer (v1beta4). */
export function apiServerEncryption(): { extraArgs: Array<{ name: string; value: string }>; extraVolumes: Array<Record<string, unknown>> } {
  return {
    extraArgs: [{ name: ENCRYPTION_FLAG, value: ENCRYPTION_CONFIG_PATH }],
    extraVolumes: [{ name: ENCRYPTION_VOLUME, hostPath: ENCRYPTION_DIR, mountPath: ENCRYPTION_DIR, readOnly: true, pathType: 'DirectoryOrCreate' }],
  };
}

/** The config as a file for the control plane. */
export function encryptionConfigFile(keys: readonly EncryptionKey[]): RemoteFile {
  return { path: ENCRYPTION_CONFIG_PATH, content: renderEncryptionConfig(keys), mode: 0o600, secret: true, redacted: redactedEncryptionConfig(keys) };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export interface EncryptionStepInput {
  nodeName: string;
  keys: readonly EncryptionKey[];
  /** The kubeadm init configuration as the init step renders it (it carries the flag and the mount). */
  initConfig: string;
}

/**
 * Encrypts Secrets at rest on the control plane. A fresh cluster got the flag from kubeadm init
 * already; a cluster made without it gets kube-apiserver's manifest rewritten by kubeadm (`init
 * phase control-plane apiserver`, and the kubeadm-config ConfigMap updated so an upgrade keeps
 * it). Then every Secret is read and written back, which encrypts it with the first key. Done
 * when the file is these keys, the API server runs with it, and the Secrets were rewritten with
 * the first key.
 */
export function encryptionStep(input: EncryptionStepInput): StepScripts {
  const problem = nodeNameRule(input.nodeName);
  if (problem !== undefined) throw new Error(`node name ${JSON.stringify(input.nodeName)}: expected ${problem}`);
  const file = encryptionConfigFile(input.keys);
  const writeKey = input.keys[0]!.name;
  const flag = `--${ENCRYPTION_FLAG}=${ENCRYPTION_CONFIG_PATH}`;
  const manifest = '/etc/kubernetes/manifests/kube-apiserver.yaml';
  const mirrorPod = `kube-apiserver-${input.nodeName}`;
  return step({
    describe: `Encrypt Secrets at rest (${ENCRYPTION_PROVIDER}, key ${writeKey}) and rewrite the existing ones`,
    files: [file, { path: INIT_CONFIG_PATH, content: input.initConfig, mode: 0o600, secret: false }],
    probe: script(
      shd`
      echo ${`${sha256(file.content)}  ${ENCRYPTION_CONFIG_PATH}`} | sha256sum -c --quiet - >/dev/null 2>&1 || exit 1
      grep -Fq -- ${flag} ${manifest} 2>/dev/null || exit 1
      rewritten=$(kq -n kube-system get configmap ${ENCRYPTION_MARKER} -o jsonpath='{.data.rewritten-with}' 2>/dev/null) || exit 1
      [ "$rewritten" = ${writeKey} ] || exit 1
      exit 0`,
      [SHELL_HELPERS.kubectlQuick],
    ),
    action: script(
      shd`
      chmod 0700 ${ENCRYPTION_DIR}
      chmod 0600 ${ENCRYPTION_CONFIG_PATH}
      api_has_flag() {
        # Read whole, then searched: a pipe into grep -q can lose kubectl to SIGPIPE under pipefail.
        local command
        command=$(kq -n kube-system get pod ${mirrorPod} -o jsonpath='{.spec.containers[0].command}' 2>/dev/null) || return 1
        grep -Fq -- ${flag} <<<"$command"
      }
      ready() { [ "$(kq get --raw /readyz 2>/dev/null || true)" = ok ]; }
      if ! grep -Fq -- ${flag} ${manifest}; then
        echo "turning on encryption at rest: kube-apiserver restarts with" ${flag}
        kubeadm init phase control-plane apiserver --config ${INIT_CONFIG_PATH}
        kubeadm init phase upload-config kubeadm --config ${INIT_CONFIG_PATH}
      fi
      # The kubelet restarts kube-apiserver from the new manifest: Secrets are rewritten only once
      # the API server that answers is the one with the encryption configuration.
      for _ in $(seq 1 150); do
        if api_has_flag && ready; then break; fi
        sleep 2
      done
      if ! api_has_flag || ! ready; then
        echo "kube-apiserver did not come back with" ${flag} "within 5 minutes; look at 'crictl ps -a' and the kubelet's log on this node" >&2
        exit 1
      fi
      count=$(kc get secrets -A -o name | wc -l)
      if [ "$count" -gt 0 ]; then
        echo "rewriting $count Secrets so that every one is encrypted with key" ${writeKey}
        kc get secrets -A -o json | kc replace -f - >/dev/null
      fi
      kc -n kube-system create configmap ${ENCRYPTION_MARKER} --from-literal=provider=${ENCRYPTION_PROVIDER} --from-literal=rewritten-with=${writeKey} --dry-run=client -o yaml | kc apply -f - >/dev/null
      echo ${`Secrets are encrypted at rest (${ENCRYPTION_PROVIDER}, key ${writeKey}; ${ENCRYPTION_CONFIG_PATH}, mode 0600)`}`,
      [SHELL_HELPERS.kubectl, SHELL_HELPERS.kubectlQuick],
    ),
  });
}

