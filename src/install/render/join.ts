// kubeadm join on a worker: the join configuration (it holds the bootstrap token) arrives as a
// 0600 file that the action removes whatever happens; leftovers of an unfinished join are cleared.
import type { NodeRole } from '../../spec/types.js';
import { JOIN_CONFIG_PATH, KUBELET_PATCH_PATH, REDACT_FUNCTION, script, shd, step, type StepScripts } from './script.js';
import { renderJoinConfig, renderKubeletPatch, type JoinConfigInput } from './kubeadm-config.js';

export interface JoinStepInput extends JoinConfigInput {
  memTotalMiB: number;
  resolvedStub: boolean;
  role?: NodeRole;
}

export function joinStep(input: JoinStepInput): StepScripts {
  const role = input.role ?? 'worker';
  return step({
    describe: `Join ${input.nodeName} to the cluster (kubeadm join)`,
    files: [
      { path: KUBELET_PATCH_PATH, content: renderKubeletPatch({ memTotalMiB: input.memTotalMiB, role, resolvedStub: input.resolvedStub }), mode: 0o644, secret: false },
      { path: JOIN_CONFIG_PATH, content: renderJoinConfig(input), mode: 0o600, secret: true },
    ],
    probe: script(`
      [ -f /etc/kubernetes/kubelet.conf ] || exit 1
      exit 0`),
    action: script(
      shd`
      config=${JOIN_CONFIG_PATH}
      # The join configuration holds a bootstrap token: gone when this script ends, whatever happens.
      trap 'rm -f "$config"' EXIT
      if [ -f /etc/kubernetes/kubelet.conf ]; then echo "already joined"; exit 0; fi
      [ -f "$config" ] || { echo "missing $config (hobbykube copies it before this step)" >&2; exit 1; }
      if [ -e /etc/kubernetes/pki/ca.crt ] || [ -e /etc/kubernetes/bootstrap-kubelet.conf ]; then
        # Left by a join that failed before the kubelet got its credentials; the node never became
        # a member, so this only clears local state that would fail kubeadm's preflight.
        echo "clearing what an unfinished earlier join left behind (kubeadm reset -f)"
        kubeadm reset -f 2>&1 | redact
      fi
      kubeadm join --config "$config" 2>&1 | redact
      echo "joined: /etc/kubernetes/kubelet.conf written"`,
      [REDACT_FUNCTION],
    ),
  });
}
