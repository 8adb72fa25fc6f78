// kubeadm init on the control plane, from the v1beta4 configuration (kubeadm-config.ts) and this
// node's kubelet patch; a rerun after a partial init waits for the API server and reruns the
// later phases instead of starting over.
import { ADMIN_CONF, INIT_CONFIG_PATH, KUBELET_PATCH_PATH, REDACT_FUNCTION, SHELL_HELPERS, script, shd, step, type StepScripts } from './script.js';
import { renderInitConfig, renderKubeletPatch, type InitConfigInput } from './kubeadm-config.js';
import { controlPlanePatchFiles } from './static-pods.js';
import { encryptionConfigFile } from './encryption.js';

/** Complete once the API server answers and kubeadm's last phase (the kube-proxy add-on) ran. */
const INIT_DONE_CHECK = shd`
  [ -f ${ADMIN_CONF} ] || exit 1
  [ "$(kq get --raw /readyz 2>/dev/null || true)" = ok ] || exit 1
  kq -n kube-system get configmap kubeadm-config >/dev/null 2>&1 || exit 1
  kq -n kube-system get daemonset kube-proxy >/dev/null 2>&1 || exit 1
  exit 0`;

export function initStep(input: InitConfigInput): StepScripts {
  const config = renderInitConfig(input);
  const patch = renderKubeletPatch({ memTotalMiB: input.memTotalMiB, role: 'control-plane', resolvedStub: input.resolvedStub });
  return step({
    describe: `Create the cluster: kubeadm init on ${input.nodeName}`,
    files: [
      { path: INIT_CONFIG_PATH, content: config, mode: 0o600, secret: false },
      { path: KUBELET_PATCH_PATH, content: patch, mode: 0o644, secret: false },
      // Small control planes: memory requests for the static pods, one right-sized CoreDNS.
      ...controlPlanePatchFiles(input.memTotalMiB),
      // kube-apiserver reads the encryption configuration from its first start on (0600, secret).
      ...(input.encryptionKeys && input.encryptionKeys.length > 0 ? [encryptionConfigFile(input.encryptionKeys)] : []),
    ],
    probe: script(INIT_DONE_CHECK, [SHELL_HELPERS.kubectlQuick]),
    action: script(
      shd`
      config=${INIT_CONFIG_PATH}
      [ -f "$config" ] || { echo "missing $config (hobbykube copies it before this step)" >&2; exit 1; }
      wait_for_api() {
        local _
        for _ in $(seq 1 90); do
          if [ "$(kc --request-timeout=10s get --raw /readyz 2>/dev/null || true)" = ok ]; then return 0; fi
          sleep 2
        done
        return 1
      }
      if [ ! -f ${ADMIN_CONF} ]; then
        # The join command kubeadm prints carries a bootstrap token: redacted from the log.
        kubeadm init --config "$config" 2>&1 | redact
      else
        # An earlier init got this far; running it again would fail its preflight (files exist,
        # ports in use). Wait for the API server, then rerun the phases that come after it: each
        # only creates or updates what it owns. Never reset here: that is the owner's decision.
        echo "kubeadm init ran here before; waiting for the API server instead of starting over"
        if ! wait_for_api; then
          echo "the API server on this node does not answer after an earlier kubeadm init." >&2
          echo "Look at 'journalctl -u kubelet' on the node, or start over with: hobbykube reset --node NODE" >&2
          exit 1
        fi
        for phase in 'upload-config all' mark-control-plane bootstrap-token 'kubelet-finalize all' 'addon all'; do
          # shellcheck disable=SC2086 # the phase and its sub-phase are two words
          kubeadm init phase $phase --config "$config" 2>&1 | redact
        done
      fi
      wait_for_api || { echo "the API server does not answer /readyz after kubeadm init" >&2; exit 1; }
      # root's kubectl on the node, as the kubeadm guide does for the admin user.
      install -d -m 0700 /root/.kube
      install -m 0600 ${ADMIN_CONF} /root/.kube/config
      echo "the API server answers /readyz"`,
      [SHELL_HELPERS.kubectl, REDACT_FUNCTION],
    ),
  });
}
